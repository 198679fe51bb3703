// Explaining why a step would miss the cache, from two plans of the same step.
import * as assert from 'assert';
import { explainCacheMiss } from '../../../server/plan';
import type { BuildContextReader } from '../../../server/plan';
import { plan, stepsOf } from './helpers';

const context = (sums: Record<string, string>): BuildContextReader => ({ checksum: (source) => sums[source] });

describe('explainCacheMiss', () => {
  it('says nothing when the keys match', () => {
    const a = stepsOf(plan('FROM a\nRUN x\n'), 'RUN')[0];
    assert.deepStrictEqual(explainCacheMiss(a, a), []);
  });

  it('names a changed variable and a changed command', () => {
    const a = stepsOf(plan('FROM a\nENV V=1\nRUN make\n'), 'RUN')[0];
    const b = stepsOf(plan('FROM a\nENV V=2\nRUN make all\n'), 'RUN')[0];
    const why = explainCacheMiss(a, b);
    assert.ok(why.some((w) => w.includes('the command changed') && w.includes('make all')), why.join('; '));
    assert.ok(why.includes('variable V changed: 1 -> 2'), why.join('; '));
  });

  it('names the changed source file', () => {
    const text = 'FROM a\nCOPY go.mod go.sum ./\n';
    const a = stepsOf(plan(text, { context: context({ 'go.mod': 'a', 'go.sum': 'b' }) }), 'COPY')[0];
    const b = stepsOf(plan(text, { context: context({ 'go.mod': 'a', 'go.sum': 'c' }) }), 'COPY')[0];
    assert.deepStrictEqual(explainCacheMiss(a, b), ['the content of go.sum changed']);
  });

  it('blames an earlier step when only the parent changed', () => {
    const a = stepsOf(plan('FROM a\nRUN one\nRUN two\n'), 'RUN')[1];
    const b = stepsOf(plan('FROM a\nRUN uno\nRUN two\n'), 'RUN')[1];
    assert.deepStrictEqual(explainCacheMiss(a, b), ['an earlier step of this stage changed, so the layer it builds on changed']);
  });

  it('names a new base image digest, the workdir, the user and build options', () => {
    const at = (digest: string, extra: string) =>
      stepsOf(plan(`FROM alpine\n${extra}RUN x\n`, { images: { digest: () => digest } }), 'RUN')[0];
    const why = explainCacheMiss(at('sha256:1', ''), at('sha256:2', 'WORKDIR /w\nUSER u\n'));
    assert.ok(why.includes('the working directory changed: / -> /w'), why.join('; '));
    assert.ok(why.includes('the user changed: (default) -> u'), why.join('; '));
    const from = (d: string) => plan('FROM alpine\n', { images: { digest: () => d } }).stages[0].steps[0];
    assert.deepStrictEqual(explainCacheMiss(from('sha256:1'), from('sha256:2')), ['the base image docker.io/library/alpine:latest now resolves to sha256:2 (was sha256:1)']);
    const net = (mode: string) => stepsOf(plan(`FROM a\nRUN --network=${mode} x\n`), 'RUN')[0];
    assert.ok(explainCacheMiss(net('none'), net('host')).includes('network changed: none -> host'));
  });
});
