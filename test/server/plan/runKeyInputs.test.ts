// A RUN step's cache key inputs keep `env` as the variables it comes from (sorted again when read):
// readers must see the same own, enumerable array as before, in any order of reading.
import * as assert from 'assert';
import { plan, stepsOf } from './helpers';

/** The sorted `KEY=VALUE` entries of a step's variables, built directly from its records. */
function expectedEntries(env: Record<string, string>, args: Record<string, string | undefined>): string[] {
  const vars: Record<string, string> = { ...env };
  for (const [k, v] of Object.entries(args)) if (v !== undefined && !Object.prototype.hasOwnProperty.call(env, k)) vars[k] = v;
  return Object.entries(vars).map(([k, v]) => `${k}=${v}`).sort();
}

/** 60 ENV/ARG pairs with a RUN after each: longer than one derivation chain (16 levels). */
function longStage(): string {
  const lines = ['FROM debian:12'];
  for (let i = 0; i < 60; i++) lines.push(`ENV E${i}=e${i} SHARED=${i}`, `ARG A${i}=a${i}`, `RUN echo ${i}`);
  return lines.join('\n') + '\n';
}

describe('RUN cache key inputs', () => {
  it('read env in the usual place, as an own enumerable array', () => {
    const [run] = stepsOf(plan('FROM alpine\nENV B=2 A=1\nRUN true\n'), 'RUN');
    const inputs = run.cacheKeyInputs;
    assert.deepStrictEqual(Object.keys(inputs), ['parent', 'op', 'command', 'env', 'workdir', 'user', 'platform', 'sources', 'options', 'base']);
    assert.deepStrictEqual(inputs.env, ['A=1', 'B=2', 'PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin']);
    assert.ok(JSON.stringify(inputs).includes('"env":["A=1","B=2","PATH='));
    assert.deepStrictEqual({ ...inputs }.env, inputs.env);
  });

  it('give every RUN its own variables when read backwards, forwards and at random', () => {
    const runs = stepsOf(plan(longStage()), 'RUN');
    assert.strictEqual(runs.length, 60);
    const order = [...runs.keys()].reverse().concat([...runs.keys()], [7, 59, 0, 33, 16, 17, 48, 1]);
    for (const i of order) {
      const run = runs[i];
      assert.deepStrictEqual(run.cacheKeyInputs.env, expectedEntries(run.env, run.args), `RUN ${i}`);
    }
  });

  it('take a written env like any other property', () => {
    const [run] = stepsOf(plan('FROM alpine\nENV A=1\nRUN true\n'), 'RUN');
    run.cacheKeyInputs.env = ['X=1'];
    assert.deepStrictEqual(run.cacheKeyInputs.env, ['X=1']);
    assert.strictEqual(Object.keys(run.cacheKeyInputs)[3], 'env');
  });
});
