// Cache keys: chained through the filesystem, affected by what BuildKit puts in each operation.
import * as assert from 'assert';
import type { BuildContextReader } from '../../../server/plan';
import { cacheKeyOf, serializeInputs, sha256Hex } from '../../../server/plan/cacheKey';
import { plan, stepsOf } from './helpers';

const base = 'FROM alpine:3.20\nENV A=1\nLABEL x=1\nRUN echo one\nCOPY . /app\nRUN echo two\n';

function keys(text: string, options = {}) {
  return plan(text, options).stages[0].steps.map((s) => s.cacheKey);
}

describe('cache keys', () => {
  it('are the sha256 of the rendered inputs, a RUN env with non-ASCII values and every kind of input included', () => {
    const p = plan('FROM alpine:3.20\nENV GRÜSSE="grüß dich ✓" EMOJI=🐳 PLAIN=1\nRUN --mount=type=cache,target=/c echo "$GRÜSSE"\nCOPY --chmod=644 a.txt /b/\nRUN echo ö\n');
    const steps = p.stages[0].steps.filter((s) => s.instruction === 'RUN' || s.instruction === 'COPY');
    assert.strictEqual(steps.length, 3);
    assert.ok(steps.some((s) => s.cacheKeyInputs.env.some((e) => e.includes('✓'))), 'a RUN key reads the non-ASCII variables');
    for (const s of steps) assert.strictEqual(cacheKeyOf(s.cacheKeyInputs), sha256Hex(serializeInputs(s.cacheKeyInputs)), s.display);
    for (const s of steps) assert.strictEqual(s.cacheKey, cacheKeyOf(s.cacheKeyInputs), s.display);
  });

  it('are 64-hex sha256, deterministic, and chain each layer to the one below', () => {
    const p = plan(base);
    const steps = p.stages[0].steps;
    for (const s of steps) assert.match(s.cacheKey, /^[0-9a-f]{64}$/);
    assert.deepStrictEqual(keys(base), steps.map((s) => s.cacheKey));
    const [, , , run1, copy, run2] = steps;
    assert.strictEqual(copy.cacheKeyInputs.parent, run1.stateKey);
    assert.strictEqual(run2.cacheKeyInputs.parent, copy.stateKey);
    assert.strictEqual(p.stages[0].resultKey, run2.stateKey);
  });

  it('do not change for later layers when only a LABEL changes (it is image config)', () => {
    const a = keys(base);
    const b = keys(base.replace('LABEL x=1', 'LABEL x=2'));
    assert.notStrictEqual(a[2], b[2]);
    assert.deepStrictEqual(a.slice(3), b.slice(3));
  });

  it('change for every later RUN when an ENV or ARG value changes (RUN sees them)', () => {
    const a = keys(base);
    const b = keys(base.replace('ENV A=1', 'ENV A=2'));
    assert.notStrictEqual(a[3], b[3]);
    assert.notStrictEqual(a[5], b[5]);
    const arg = 'FROM a\nARG V\nRUN true\n';
    assert.notStrictEqual(keys(arg, { buildArgs: { V: '1' } })[2], keys(arg, { buildArgs: { V: '2' } })[2]);
  });

  it('leave COPY from the context as unknown without a build context, and use its checksums with one', () => {
    const without = stepsOf(plan(base), 'COPY')[0];
    assert.deepStrictEqual(without.cacheKeyInputs.sources, [{ path: '.', checksum: 'unknown' }]);
    const calls: unknown[] = [];
    const context = (sum: string): BuildContextReader => ({ checksum: (source, options) => { calls.push([source, options]); return sum; } });
    const one = stepsOf(plan(base, { context: context('aaa') }), 'COPY')[0];
    const two = stepsOf(plan(base, { context: context('bbb') }), 'COPY')[0];
    assert.deepStrictEqual(one.cacheKeyInputs.sources, [{ path: '.', checksum: 'aaa' }]);
    assert.notStrictEqual(one.cacheKey, two.cacheKey);
    assert.deepStrictEqual(calls[0], ['.', { excludes: [], parents: false }]);
  });

  it('include the base image digest when it is known', () => {
    const images = (digest: string) => ({ digest: () => digest });
    const a = plan('FROM alpine\nRUN x\n', { images: images('sha256:' + 'a'.repeat(64)) });
    const b = plan('FROM alpine\nRUN x\n', { images: images('sha256:' + 'b'.repeat(64)) });
    assert.deepStrictEqual(a.stages[0].steps[0].cacheKeyInputs.base, { ref: 'docker.io/library/alpine:latest', digest: 'sha256:' + 'a'.repeat(64) });
    assert.notStrictEqual(a.stages[0].steps[1].cacheKey, b.stages[0].steps[1].cacheKey);
    assert.strictEqual(plan('FROM alpine\n').stages[0].steps[0].cacheKeyInputs.base?.digest, 'unknown');
  });

  it('make COPY --link independent of the layer below it', () => {
    const a = stepsOf(plan('FROM a\nRUN one\nCOPY --link x /x\n'), 'COPY')[0];
    const b = stepsOf(plan('FROM a\nRUN two\nCOPY --link x /x\n'), 'COPY')[0];
    assert.strictEqual(a.cacheKeyInputs.parent, '');
    assert.strictEqual(a.cacheKey, b.cacheKey);
    assert.notStrictEqual(a.stateKey, b.stateKey);
  });

  it('chain COPY --from to the source stage result', () => {
    const a = stepsOf(plan('FROM a AS b\nRUN one\nFROM c\nCOPY --from=b /x /x\n'), 'COPY')[0];
    const b = stepsOf(plan('FROM a AS b\nRUN two\nFROM c\nCOPY --from=b /x /x\n'), 'COPY')[0];
    assert.notStrictEqual(a.cacheKey, b.cacheKey);
  });

  it('treat WORKDIR as a small mkdir layer (not for /) and metadata steps as no layer', () => {
    const p = plan('FROM a\nWORKDIR /\nWORKDIR app\nUSER x\nEXPOSE 80\n');
    assert.deepStrictEqual(p.stages[0].steps.map((s) => [s.instruction, s.createsLayer, s.layerOnlyIfMissing ?? false]), [
      ['FROM', false, false], ['WORKDIR', false, false], ['WORKDIR', true, true], ['USER', false, false], ['EXPOSE', false, false],
    ]);
    const [, root, app, user] = p.stages[0].steps;
    assert.strictEqual(app.cacheKeyInputs.parent, root.stateKey);
    assert.strictEqual(user.stateKey, app.stateKey);
  });
});
