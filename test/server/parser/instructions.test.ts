// Per-instruction argument rules of BuildKit's instruction parser.
import * as assert from 'assert';
import { at, codes, only, parse } from './helpers';

describe('instructions', () => {
  it('is case-insensitive and keeps the keyword as written', () => {
    const s = parse('from a\nRun echo\ncoPY x y\n');
    assert.deepStrictEqual(s.instructions.map((i) => [i.name, i.keyword.text]), [['FROM', 'from'], ['RUN', 'Run'], ['COPY', 'coPY']]);
    assert.deepStrictEqual(codes(s), []);
  });

  it('reads FROM image, AS and the stage name', () => {
    const from = only(parse('FROM --platform=$BUILDPLATFORM golang:1.22 as Build\n'), 'FROM');
    assert.deepStrictEqual([from.image?.value, from.asKeyword?.value, from.stageName?.value], ['golang:1.22', 'as', 'Build']);
    assert.deepStrictEqual(at(from.stageName!.range), [0, 46, 0, 51]);
  });

  it('checks FROM arguments and stage names', () => {
    assert.deepStrictEqual(codes(parse('FROM a b\n')), ['from-argument-count']);
    assert.deepStrictEqual(codes(parse('FROM a AS 1st\n')), ['invalid-stage-name']);
    assert.deepStrictEqual(codes(parse('FROM a AS my-stage.v1_x\n')), []);
    assert.deepStrictEqual(codes(parse('FROM\n')), ['from-argument-count']);
  });

  it('parses ONBUILD with its nested instruction and refuses bad triggers', () => {
    const on = only(parse('FROM a\nONBUILD RUN --mount=type=cache,target=/c make\n'), 'ONBUILD');
    assert.strictEqual(on.onbuild?.name, 'RUN');
    assert.deepStrictEqual(on.onbuild?.flags.map((f) => f.name), ['mount']);
    assert.strictEqual(on.onbuild?.args[0].value, 'make');
    assert.deepStrictEqual(at(on.onbuild!.keyword.range), [1, 8, 1, 11]);
    assert.deepStrictEqual(codes(parse('FROM a\nONBUILD ONBUILD RUN x\n')), ['onbuild-chain']);
    assert.deepStrictEqual(codes(parse('FROM a\nONBUILD FROM b\n')), ['onbuild-trigger']);
    assert.deepStrictEqual(codes(parse('FROM a\nONBUILD\n')), ['missing-argument']);
  });

  it('checks HEALTHCHECK forms and options', () => {
    assert.deepStrictEqual(codes(parse('FROM a\nHEALTHCHECK NONE\n')), []);
    assert.deepStrictEqual(codes(parse('FROM a\nHEALTHCHECK NONE x\n')), ['healthcheck-none-arguments']);
    assert.deepStrictEqual(codes(parse('FROM a\nHEALTHCHECK CMD\n')), ['healthcheck-missing-command']);
    assert.deepStrictEqual(codes(parse('FROM a\nHEALTHCHECK RUN x\n')), ['healthcheck-type']);
    assert.deepStrictEqual(codes(parse('FROM a\nHEALTHCHECK --interval=1x CMD x\n')), ['invalid-duration']);
    assert.deepStrictEqual(codes(parse('FROM a\nHEALTHCHECK --timeout=10us CMD x\n')), ['duration-too-short']);
    assert.deepStrictEqual(codes(parse('FROM a\nHEALTHCHECK --retries=-1 CMD x\n')), ['invalid-retries']);
    assert.deepStrictEqual(codes(parse('FROM a\nHEALTHCHECK --interval=1m30s --start-period=0 CMD x\n')), []);
    const hc = only(parse('FROM a\nHEALTHCHECK CMD ["curl", "-f", "x"]\n'), 'HEALTHCHECK');
    assert.deepStrictEqual([hc.form, hc.args.map((a) => a.value)], ['exec', ['CMD', 'curl', '-f', 'x']]);
  });

  it('checks argument counts', () => {
    const cases: [string, string][] = [
      ['WORKDIR', 'WORKDIR\n'], ['USER', 'USER\n'], ['STOPSIGNAL', 'STOPSIGNAL\n'], ['MAINTAINER', 'MAINTAINER\n'],
      ['EXPOSE', 'EXPOSE\n'], ['VOLUME', 'VOLUME\n'], ['ARG', 'ARG\n'], ['COPY', 'COPY x\n'], ['ADD', 'ADD\n'],
    ];
    for (const [name, line] of cases) assert.strictEqual(parse(`FROM a\n${line}`).problems.length, 1, name);
    assert.deepStrictEqual(codes(parse('FROM a\nVOLUME [""]\n')), ['empty-volume']);
    assert.deepStrictEqual(codes(parse('FROM a\nUSER a b\n')), [], 'USER takes the whole rest as one argument');
  });

  it('refuses unknown instructions with a suggestion, and anything but ARG before FROM', () => {
    const s = parse('ARG V=1\nRUN x\nFROM a\nCOPPY a b\n');
    assert.deepStrictEqual(codes(s), ['no-build-stage', 'unknown-instruction']);
    assert.match(s.problems[1].message, /unknown instruction: COPPY \(did you mean COPY\?\)/);
  });

  it('refuses a file without instructions or without stages', () => {
    assert.deepStrictEqual(codes(parse('')), ['no-instructions']);
    assert.deepStrictEqual(codes(parse('# only\n\n')), ['no-instructions']);
    assert.deepStrictEqual(codes(parse('ARG A=1\n')), ['no-stages']);
  });

  it('keeps MAINTAINER, USER, WORKDIR, STOPSIGNAL as one string argument', () => {
    const s = parse('FROM a\nMAINTAINER A B <c@d>\nUSER 1000:1000\nWORKDIR /my dir\nSTOPSIGNAL SIGKILL\n');
    assert.deepStrictEqual(s.instructions.slice(1).map((i) => i.args.map((a) => a.value)), [['A B <c@d>'], ['1000:1000'], ['/my dir'], ['SIGKILL']]);
  });
});
