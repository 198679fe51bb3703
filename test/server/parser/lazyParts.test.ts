// The tree keeps one object per instruction and builds flags, words and pairs from the
// instruction's text on first read: what is built must be exactly what parsing saw, with exact
// ranges across CRLF, a byte-order mark, tabs, UTF-16 surrogate pairs and the backtick escape.
import * as assert from 'assert';
import { parseDockerfile } from '../../../server/parser';
import { at, codes, only, parse } from './helpers';

describe('instruction parts built on first read', () => {
  it('gives the same objects on every read', () => {
    const from = only(parse('FROM alpine AS base\n'), 'FROM');
    assert.strictEqual(from.args, from.args);
    assert.strictEqual(from.image, from.args[0]);
    assert.strictEqual(from.stageName?.value, 'base');
  });

  it('keeps ranges exact after a byte-order mark', () => {
    const from = only(parse('\uFEFFFROM alpine AS base\n'), 'FROM');
    assert.deepStrictEqual(at(from.keyword.range), [0, 1, 0, 5]);
    assert.deepStrictEqual(at(from.args[2].range), [0, 16, 0, 20]);
  });

  it('counts a surrogate pair as two characters and a tab as one', () => {
    const copy = only(parse('FROM a\nCOPY\t\u{1F600}.txt\t/dst/\n'), 'COPY');
    assert.deepStrictEqual(copy.args.map((w) => w.value), ['\u{1F600}.txt', '/dst/']);
    assert.deepStrictEqual(at(copy.args[0].range), [1, 5, 1, 11]);
    assert.deepStrictEqual(at(copy.args[1].range), [1, 12, 1, 17]);
  });

  it('maps words of CRLF continuation lines to their own lines', () => {
    const env = only(parse('FROM a\r\nENV A=1 \\\r\n\tB=\u{1F600} \\\r\n  C=3\r\n'), 'ENV');
    assert.deepStrictEqual(env.pairs.map((p) => [p.key.value, p.value?.value]), [['A', '1'], ['B', '\u{1F600}'], ['C', '3']]);
    assert.deepStrictEqual(at(env.pairs[1].range), [2, 1, 2, 5]);
    assert.deepStrictEqual(at(env.pairs[2].key.range), [3, 2, 3, 3]);
    assert.deepStrictEqual(at(env.range), [1, 0, 3, 5]);
  });

  it('rebuilds words with the escape character of the file', () => {
    const backtick = parse('# escape=`\nFROM a\nENV A=a` b\n');
    assert.deepStrictEqual(only(backtick, 'ENV').pairs.map((p) => p.value?.value), ['a` b']);
    assert.deepStrictEqual(codes(backtick), []);
    const backslash = parse('FROM a\nENV A=a` b\n');
    assert.deepStrictEqual(codes(backslash), ['missing-equals']);
    assert.deepStrictEqual(only(backslash, 'ENV').pairs.map((p) => p.value?.value), ['a`']);
  });

  it('rebuilds an ONBUILD trigger with its flags and ranges', () => {
    const onbuild = only(parse('FROM a\nONBUILD  COPY --from=x --chown=1:1 a b\n'), 'ONBUILD');
    const trigger = onbuild.onbuild;
    assert.ok(trigger);
    assert.strictEqual(trigger.name, 'COPY');
    assert.deepStrictEqual(trigger.flags.map((f) => [f.name, f.value]), [['from', 'x'], ['chown', '1:1']]);
    assert.deepStrictEqual(at(trigger.flags[1].valueRange!), [1, 31, 1, 34]);
    assert.deepStrictEqual(at(trigger.args[1].range), [1, 37, 1, 38]);
    assert.deepStrictEqual(at(trigger.keyword.range), [1, 9, 1, 13]);
  });

  it('rebuilds exec-form words decoded from JSON', () => {
    const cmd = only(parse('FROM a\nCMD ["echo", "\\u00e9\\t\u{1F600}"]\n'), 'CMD');
    assert.strictEqual(cmd.form, 'exec');
    assert.deepStrictEqual(cmd.args.map((w) => w.value), ['echo', '\u00e9\t\u{1F600}']);
    assert.deepStrictEqual(at(cmd.args[1].range), [1, 13, 1, 25]);
  });

  it('checks ENV, LABEL and ARG fully even when the first parse skips their words', () => {
    assert.deepStrictEqual(codes(parse('FROM a\nARG A B=1 "" =2\n')), ['blank-name']);
    assert.deepStrictEqual(codes(parse('FROM a\nENV =1 A=2\nLABEL B=1 =x\n')), ['blank-name', 'blank-name']);
    assert.deepStrictEqual(codes(parse('FROM a\nENV A=1 B\n')), ['missing-equals']);
    const syntax = parse('FROM a\nARG A B=1\nENV C=2 \\\n  D=3\nLABEL E=4\n');
    assert.deepStrictEqual(codes(syntax), []);
    assert.deepStrictEqual(only(syntax, 'ARG').pairs.map((p) => [p.key.value, p.value?.value]), [['A', undefined], ['B', '1']]);
    assert.deepStrictEqual(only(syntax, 'ENV').args.map((w) => w.value), ['C', '2', '=', 'D', '3', '=']);
    assert.deepStrictEqual(at(only(syntax, 'ENV').pairs[1].range), [3, 2, 3, 5]);
    assert.deepStrictEqual(at(only(syntax, 'LABEL').pairs[0].value!.range), [4, 8, 4, 9]);
  });

  it('builds RUN words and mount options on first read, not while parsing', () => {
    const syntax = parse('FROM a\nRUN --mount=type=bind,"source=a b",target=/x echo hi\nENTRYPOINT ["sh", "-c"]\nCMD [1]\n');
    assert.deepStrictEqual(codes(syntax), ['json-not-string-array']);
    const run = syntax.instructions[1];
    assert.deepStrictEqual(run.flags[0].options?.map((o) => [o.key, o.value]), [['type', 'bind'], ['source', 'a b'], ['target', '/x']]);
    assert.deepStrictEqual(run.args.map((w) => w.value), ['echo hi']);
    assert.strictEqual(syntax.instructions[2].form, 'exec');
    assert.deepStrictEqual(syntax.instructions[2].args.map((w) => w.value), ['sh', '-c']);
    assert.deepStrictEqual(at(syntax.instructions[2].args[1].range), [2, 18, 2, 22]);
  });

  it('checks ADD/COPY, USER and EXPOSE fully and builds their words on first read', () => {
    assert.deepStrictEqual(codes(parse('FROM a\nCOPY a <<EOF\nx\nEOF\nADD b\nUSER a b\nEXPOSE\n')), ['heredoc-destination', 'missing-destination', 'missing-argument']);
    const syntax = parse('FROM a\nCOPY --from=b x \\\n  y /d/\nUSER 1:1\nEXPOSE 80 443/udp\n');
    assert.deepStrictEqual(codes(syntax), []);
    assert.deepStrictEqual(only(syntax, 'COPY').args.map((w) => [w.value, ...at(w.range)]), [['x', 1, 14, 1, 15], ['y', 2, 2, 2, 3], ['/d/', 2, 4, 2, 7]]);
    assert.deepStrictEqual(only(syntax, 'USER').args.map((w) => w.value), ['1:1']);
    assert.deepStrictEqual(only(syntax, 'EXPOSE').args.map((w) => w.value), ['80', '443/udp']);
  });

  it('rebuilds instructions a re-parse took over unchanged', () => {
    const text = 'FROM a\nRUN --mount=type=cache,target=/c make\nLABEL x=1\n';
    const first = parseDockerfile(text);
    const edited = text.replace('x=1', 'x=2');
    const again = parseDockerfile(edited, { previous: { text, syntax: first } });
    assert.strictEqual(again.instructions[1], first.instructions[1]);
    assert.deepStrictEqual(again.instructions[1].flags[0].options?.map((o) => [o.key, o.value]), [['type', 'cache'], ['target', '/c']]);
    assert.strictEqual(JSON.stringify(again), JSON.stringify(parseDockerfile(edited)));
  });
});
