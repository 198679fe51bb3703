// Cache keys are worked out when first read: a re-plan hands on key objects, and a key deep in a
// long chain reads the same as a fresh plan's.
import * as assert from 'assert';
import { parseDockerfile } from '../../../server/parser';
import { planDockerfile } from '../../../server/plan';
import type { LayerPlan } from '../../../server/plan';
import { PlanStep, resultOf } from '../../../server/plan/plannedObjects';

function replan(before: string, after: string): { previous: LayerPlan; incremental: LayerPlan; fresh: LayerPlan } {
  const previous = planDockerfile(parseDockerfile(before));
  const incremental = planDockerfile(parseDockerfile(after), { previous });
  return { previous, incremental, fresh: planDockerfile(parseDockerfile(after)) };
}

const lastStep = (plan: LayerPlan) => {
  const steps = plan.stages[plan.stages.length - 1].steps;
  return steps[steps.length - 1];
};

describe('step keys', () => {
  it('read at the end of a 20,000-step chain, after an ENV above it changed, as a fresh plan reads them', () => {
    const body = Array.from({ length: 10_000 }, (_, i) => `RUN echo ${i}\nLABEL n=${i}`).join('\n');
    const before = `FROM alpine:3.20 AS base\nENV MODE=a\n${body}\nFROM base\nCOPY --from=base /x /x\n`;
    const { incremental, fresh } = replan(before, before.replace('ENV MODE=a', 'ENV MODE=b'));
    // Every key below the ENV is new, and none was read before this line: one read works out the chain.
    assert.strictEqual(lastStep(incremental).cacheKey, lastStep(fresh).cacheKey);
    assert.deepStrictEqual(lastStep(incremental).cacheKeyInputs, lastStep(fresh).cacheKeyInputs);
    assert.strictEqual(incremental.stages[0].resultKey, fresh.stages[0].resultKey);
  });

  it('stay the same objects for a step drafted again with the same inputs, so the stages reading it keep theirs', () => {
    const before = 'FROM alpine:3.20 AS build\nRUN make \\\n    all\nRUN make test\n\nFROM scratch\nCOPY --from=build /out /out\n';
    // A line split inside the continued RUN plans it again; its key is the same.
    const after = before.replace('RUN make \\\n    all', 'RUN make \\\n\\\n    all');
    const { previous, incremental, fresh } = replan(before, after);
    assert.strictEqual(resultOf(incremental.stages[0]), resultOf(previous.stages[0]));
    assert.strictEqual(resultOf(incremental.stages[1]), resultOf(previous.stages[1]));
    assert.strictEqual(lastStep(incremental).cacheKey, lastStep(fresh).cacheKey);
  });

  it('stay the same objects after an edit that changes no value in an ENV, ARG or WORKDIR, down the stage and the stages reading it', () => {
    const before = 'FROM alpine:3.20 AS build\nARG V=1\nENV MODE=a DEBUG=0\nWORKDIR /src\nRUN make\nRUN make test\n\nFROM scratch\nCOPY --from=build /out /out\n';
    for (const after of [
      before.replace('ENV MODE=a DEBUG=0', 'ENV MODE=a  DEBUG=0 '),
      before.replace('ARG V=1', 'ARG  V=1'),
      before.replace('WORKDIR /src', 'workdir /src'),
    ]) {
      const { previous, incremental, fresh } = replan(before, after);
      // The RUNs' variables are other objects with the same values: without the kept state they
      // would get new keys, and every step after them, and the stage copying from them.
      const runs = (plan: LayerPlan) => plan.stages[0].steps.filter((s) => s.instruction === 'RUN') as PlanStep[];
      runs(incremental).forEach((step, i) => assert.strictEqual(PlanStep.keysOf(step), PlanStep.keysOf(runs(previous)[i]), after));
      assert.strictEqual(resultOf(incremental.stages[0]), resultOf(previous.stages[0]), after);
      assert.strictEqual(resultOf(incremental.stages[1]), resultOf(previous.stages[1]), after);
      assert.strictEqual(lastStep(incremental).cacheKey, lastStep(fresh).cacheKey, after);
      assert.strictEqual(JSON.stringify(incremental), JSON.stringify(fresh), after);
    }
  });

  it('get new objects when an input changes, and the stages reading them are keyed again', () => {
    const before = 'FROM alpine:3.20 AS build\nRUN make\n\nFROM scratch\nCOPY --from=build /out /out\n';
    const { previous, incremental, fresh } = replan(before, before.replace('RUN make', 'RUN make all'));
    assert.notStrictEqual(resultOf(incremental.stages[0]).token, resultOf(previous.stages[0]).token);
    assert.notStrictEqual(resultOf(incremental.stages[1]).token, resultOf(previous.stages[1]).token);
    assert.notStrictEqual(lastStep(incremental).cacheKey, lastStep(previous).cacheKey);
    assert.strictEqual(lastStep(incremental).cacheKey, lastStep(fresh).cacheKey);
    assert.deepStrictEqual(lastStep(incremental).cacheKeyInputs.options, lastStep(fresh).cacheKeyInputs.options);
  });
});
