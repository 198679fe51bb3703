// Builder flags: extraction, values, ranges, --mount fields, and BuildKit's flag checks.
import * as assert from 'assert';
import { at, codes, only, parse } from './helpers';

describe('builder flags', () => {
  it('reads flags with values and bare boolean flags, with ranges', () => {
    const text = 'FROM a AS b\nCOPY --from=b --chown=1:2 --link --chmod=644 src /dst\n';
    const copy = only(parse(text), 'COPY');
    assert.deepStrictEqual(copy.flags.map((f) => [f.name, f.value]), [['from', 'b'], ['chown', '1:2'], ['link', undefined], ['chmod', '644']]);
    assert.deepStrictEqual(at(copy.flags[0].range), [1, 5, 1, 13]);
    assert.deepStrictEqual(at(copy.flags[0].nameRange), [1, 7, 1, 11]);
    assert.deepStrictEqual(at(copy.flags[0].valueRange!), [1, 12, 1, 13]);
    assert.deepStrictEqual(copy.args.map((a) => a.value), ['src', '/dst']);
  });

  it('removes quotes in flag values, stops at the first non-flag word and at --', () => {
    const run = only(parse('FROM a\nRUN --network="none" -- --not-a-flag\n'), 'RUN');
    assert.deepStrictEqual(run.flags.map((f) => f.value), ['none']);
    assert.strictEqual(run.args[0].value, '--not-a-flag');
    const single = only(parse('FROM a\nRUN -x --y\n'), 'RUN');
    assert.deepStrictEqual(single.flags, []);
    assert.strictEqual(single.args[0].value, '-x --y');
  });

  it('splits --mount into fields with ranges', () => {
    const run = only(parse('FROM a\nRUN --mount=type=cache,target=/root/.cache,sharing=locked,ro go build\n'), 'RUN');
    const opts = run.flags[0].options!;
    assert.deepStrictEqual(opts.map((o) => [o.key, o.value]), [['type', 'cache'], ['target', '/root/.cache'], ['sharing', 'locked'], ['ro', undefined]]);
    assert.deepStrictEqual(at(opts[1].keyRange), [1, 23, 1, 29]);
    assert.deepStrictEqual(at(opts[1].valueRange!), [1, 30, 1, 42]);
  });

  it('accepts every flag BuildKit knows for its instruction', () => {
    const text = [
      'FROM --platform=linux/amd64 a',
      'RUN --mount=type=bind,target=/x --network=host --security=insecure true',
      'COPY --from=a --chown=1 --chmod=755 --link --parents --exclude=*.md --exclude=.git x /y',
      'ADD --chown=1 --chmod=755 --link=false --keep-git-dir=true --checksum=sha256:00 --unpack --exclude=a https://e/x /y',
      'HEALTHCHECK --interval=10s --timeout=5s --start-period=1m --start-interval=2s --retries=3 CMD true',
    ].join('\n');
    assert.deepStrictEqual(codes(parse(text)), []);
  });

  it('reports unknown, duplicate, valueless and non-boolean flags where they are', () => {
    const s = parse('FROM a\nCOPY --form=a x y\nCOPY --from=a --from=b x y\nCOPY --from x y\nCOPY --link=maybe x y\nENV --x=1 A=b\n');
    assert.deepStrictEqual(codes(s), ['unknown-flag', 'duplicate-flag', 'flag-missing-value', 'flag-not-boolean', 'unknown-flag']);
    assert.match(s.problems[0].message, /unknown flag: form \(did you mean from\?\)/);
    assert.deepStrictEqual(at(s.problems[0].range), [1, 7, 1, 11]);
  });

  it('ignores flags where BuildKit never reads them (ARG, STOPSIGNAL, HEALTHCHECK NONE)', () => {
    assert.deepStrictEqual(codes(parse('FROM a\nARG --x=1 A\nSTOPSIGNAL --y TERM\nHEALTHCHECK --bogus NONE\n')), []);
  });
});
