import * as assert from 'assert';
import type { BuildCacheView } from '../../../../server/images/buildCacheKeys';
import { parseDockerfile } from '../../../../server/parser';
import { planDockerfile } from '../../../../server/plan';
import type { LayerPlan, PlannedStep } from '../../../../server/plan/types';
import { layerFiguresOf } from '../../../../server/features/docs/layerFigures';

// Stage 3 is built on 2, 2 on 0; stage 1 on an image of its own, stage 4 on scratch.
const text = [
  'FROM debian:12 AS s0', 'RUN echo a', 'COPY a /a', 'ENV X=1', 'RUN echo b',
  'FROM alpine:3 AS s1', 'RUN echo c',
  'FROM s0 AS s2', 'RUN echo d', 'WORKDIR /w', 'RUN echo e',
  'FROM s2 AS s3', 'COPY b /b', 'LABEL x=y',
  'FROM scratch AS s4', 'COPY --from=s3 /b /b', '',
].join('\n');

/** A plan of the text whose steps have sizes: the base images 1e6 bytes, each layer step 1,000 x (instruction index + 1). */
function sizedPlan(): LayerPlan {
  const plan = planDockerfile(parseDockerfile(text));
  for (const stage of plan.stages) for (const step of stage.steps) {
    if (step.index === 0 && stage.base.kind === 'image') step.predictedBytes = 1e6;
    else if (step.createsLayer) step.predictedBytes = 1000 * (step.instructionIndex + 1);
  }
  return plan;
}

/** A build cache holding `keys` that records what it is asked. */
class CountingBuildCache implements BuildCacheView {
  readonly asked: string[] = [];
  readonly generation = 1;
  constructor(private readonly keys: ReadonlySet<string>) {}
  cached(key: string): boolean {
    if (key !== '') this.asked.push(key);
    return this.keys.has(key);
  }
  loaded(): Promise<void> {
    return Promise.resolve();
  }
}

const allSteps = (plan: LayerPlan): PlannedStep[] => plan.stages.flatMap((s) => s.steps);

describe('layer figures', () => {
  it('sum each stage on top of the stage it is built on, whichever step is asked first', () => {
    const inOrder = layerFiguresOf(sizedPlan());
    const plan = sizedPlan();
    const lastFirst = layerFiguresOf(plan);
    const s3 = plan.stages[3];
    // s3's last step first: s0, s2 and s3 are computed for it.
    assert.deepStrictEqual(lastFirst.get(s3.steps[s3.steps.length - 1])?.cumulative, 1e6 + 2000 + 3000 + 5000 + 9000 + 11000 + 13000 + (plan.stages[2].steps[2].createsLayer ? 10000 : 0));
    const other = sizedPlan();
    for (const [i, step] of allSteps(plan).entries()) assert.deepStrictEqual(lastFirst.get(step), inOrder.get(allSteps(other)[i]), `step ${step.display}`);
    const s4 = plan.stages[4].steps;
    assert.strictEqual(lastFirst.get(s4[s4.length - 1])?.cumulative, 16000);
  });

  it('read the build cache only for the chain of the stage asked', () => {
    const plan = sizedPlan();
    const s0Keys = plan.stages[0].steps.filter((s) => s.index > 0 && s.createsLayer).map((s) => s.cacheKey);
    const cache = new CountingBuildCache(new Set(s0Keys));
    const figures = layerFiguresOf(plan, { buildCache: cache });
    const s2 = plan.stages[2];
    assert.strictEqual(figures.get(s2.steps[1])?.cache, 'will build');
    assert.strictEqual(figures.get(plan.stages[0].steps[1])?.cache, 'cached');
    // s0's layer steps (all cached), then s2's first (not cached: later ones rebuild without asking).
    const chainKeys = [...s0Keys, s2.steps.filter((s) => s.index > 0 && s.createsLayer)[0].cacheKey];
    assert.deepStrictEqual(cache.asked, chainKeys);
    figures.get(plan.stages[3].steps[1]);
    assert.strictEqual(cache.asked.length, chainKeys.length + 1, 's3 adds its one layer step; s0 and s2 are not read again');
  });

  it('ask an empty build cache nothing (no key is worked out): every layer step will build', () => {
    const plan = sizedPlan();
    const cache = Object.assign(new CountingBuildCache(new Set()), { empty: true });
    const figures = layerFiguresOf(plan, { buildCache: cache });
    for (const step of allSteps(plan)) if (step.index > 0) assert.strictEqual(figures.get(step)?.cache, step.createsLayer ? 'will build' : 'metadata', step.display);
    assert.deepStrictEqual(cache.asked, []);
  });
});
