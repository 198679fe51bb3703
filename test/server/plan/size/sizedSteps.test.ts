// A sized step is the planned step's fields, the same values in the same order, then its size
// fields: what readers and the plan's JSON see is what a copy with Object.assign gave, keys included.
import * as assert from 'assert';
import { generatedDockerfile } from '../../../../bench/lsp/dockerfiles';
import { parseDockerfile } from '../../../../server/parser';
import { planDockerfile } from '../../../../server/plan';
import { predictStepSizes } from '../../../../server/plan/size';

const SIZE_KEYS = ['confidence', 'basis', 'predictedBytes', 'measuredBytes', 'wastedBytes'];

describe('sized steps', () => {
  it('keep every planned field in order, then add only size fields in their order', () => {
    const plan = planDockerfile(parseDockerfile(generatedDockerfile(1500)));
    const sized = predictStepSizes(plan, {
      images: { imageSize: () => ({ state: 'known', value: { source: 'local', layers: [{ digest: 'sha256:1', uncompressedBytes: 5000 }] } }) },
      downloads: { contentLength: () => ({ state: 'known', value: 4096 }) },
    });
    let copies = 0;
    plan.stages.forEach((stage, i) => stage.steps.forEach((step, j) => {
      const out = sized.stages[i].steps[j];
      if (out === step) return;
      copies++;
      const planned = Object.keys(step);
      const keys = Object.keys(out);
      assert.deepStrictEqual(keys.slice(0, planned.length), planned);
      for (const key of planned) assert.strictEqual((out as unknown as Record<string, unknown>)[key], (step as unknown as Record<string, unknown>)[key], key);
      const added = keys.slice(planned.length);
      assert.deepStrictEqual(added, SIZE_KEYS.filter((k) => added.includes(k)), `${step.display}: ${added.join(', ')}`);
      assert.ok(added.includes('confidence') && added.includes('basis'));
      // The same kind of object, whose keys read the same (not worked out again)
      assert.strictEqual(Object.getPrototypeOf(out), Object.getPrototypeOf(step));
      for (const key of ['cacheKey', 'stateKey', 'cacheKeyInputs'] as const) assert.strictEqual(out[key], step[key], key);
      // and whose JSON is the planned step's, then the size fields
      const json = (x: object) => Object.keys(JSON.parse(JSON.stringify(x)) as object);
      assert.deepStrictEqual(json(out), [...json(step), ...added]);
    }));
    assert.ok(copies > 100, `${copies} sized steps`);
  });
});
