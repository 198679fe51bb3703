// predictStepSizesInSteps pauses between steps inside a stage, not only between stages, and gives
// exactly what one predictStepSizes call gives, from scratch, with `previous`, and when reader
// answers change while it is paused.
import * as assert from 'assert';
import { parseDockerfile } from '../../../../server/parser';
import { planDockerfile } from '../../../../server/plan';
import { predictStepSizes, predictStepSizesInSteps } from '../../../../server/plan/size';
import type { SizeReaders } from '../../../../server/plan/size/sizeReaders';
import { TablePackages } from './tablePackages';
import type { LayerPlan } from '../../../../server/plan/types';

/** One long stage (RUNs that install, write and delete files), then a stage built from it. */
function dockerfile(runs: number, extra = ''): string {
  const lines = ['FROM debian:12 AS base'];
  for (let i = 0; i < runs; i++) {
    lines.push(i % 3 === 0 ? `RUN apt-get update && apt-get install -y pkg${i % 7}` : i % 3 === 1 ? `RUN mkdir -p /data/d${i} && echo ${i} > /data/d${i}/f` : `RUN rm -rf /data/d${i - 1}`);
  }
  lines.push(`RUN echo done${extra}`, 'FROM base AS child', 'RUN rm -rf /data', 'RUN apt-get install -y pkg3');
  return `${lines.join('\n')}\n`;
}

function planOf(text: string, previous?: LayerPlan): LayerPlan {
  return planDockerfile(parseDockerfile(text), previous ? { previous } : {});
}

function readersWith(packages: TablePackages): SizeReaders {
  return {
    images: { imageSize: (ref) => ({ state: 'known', value: { source: 'local', layers: [{ digest: `sha256:${ref.length}`, uncompressedBytes: 1000 * ref.length }] } }) },
    packages,
  };
}

/** Runs the steps to the end; `atPause(n)` is called at the n-th pause (1-based). */
function drive(steps: Generator<void, LayerPlan>, atPause: (n: number) => void = () => undefined): { plan: LayerPlan; pauses: number } {
  for (let pauses = 0; ; ) {
    const next = steps.next();
    if (next.done) return { plan: next.value, pauses };
    atPause(++pauses);
  }
}

describe('predictStepSizesInSteps', () => {
  const sizes = new Map(Array.from({ length: 7 }, (_, i) => [`pkg${i}`, 100_000 * (i + 1)] as const));

  it('pauses between the steps of a stage when every slice is used up (sliceMs 0)', () => {
    const plan = planOf(dockerfile(60));
    const { pauses } = drive(predictStepSizesInSteps(plan, readersWith(new TablePackages(sizes)), undefined, 0));
    const steps = plan.stages.reduce((n, s) => n + s.steps.length, 0);
    assert.ok(pauses >= plan.stages[0].steps.length, `${pauses} pauses for ${steps} steps in ${plan.stages.length} stages`);
  });

  it('does not pause while its slice lasts', () => {
    const plan = planOf(dockerfile(60));
    assert.strictEqual(drive(predictStepSizesInSteps(plan, readersWith(new TablePackages(sizes)), undefined, 60_000)).pauses, 0);
  });

  it('gives what predictStepSizes gives, from scratch and with the previous sized plan', () => {
    const readers = readersWith(new TablePackages(sizes));
    const text = dockerfile(60);
    const plan = planOf(text);
    const sized = drive(predictStepSizesInSteps(plan, readers, undefined, 0)).plan;
    assert.deepStrictEqual(sized, predictStepSizes(plan, readers));
    const edited = text.replace('RUN echo done', 'RUN echo done again');
    for (const next of [planOf(edited, plan), planOf(edited)]) {
      const again = drive(predictStepSizesInSteps(next, readers, sized, 0)).plan;
      assert.deepStrictEqual(again, predictStepSizes(next, readers));
    }
    const same = drive(predictStepSizesInSteps(plan, readers, sized, 0));
    assert.strictEqual(same.plan.stages[1], sized.stages[1], 'an unchanged stage is handed over as the same object');
  });

  it('when answers change during a pause inside a stage, the next prediction does not take over what read the old ones', () => {
    const packages = new TablePackages(new Map(sizes));
    const readers = readersWith(packages);
    const plan = planOf(dockerfile(60));
    const { plan: sized } = drive(predictStepSizesInSteps(plan, readers, undefined, 0), (n) => {
      if (n !== 10) return;
      packages.sizes.set('pkg0', 9_999_000);
      packages.changes++;
    });
    assert.deepStrictEqual(predictStepSizes(plan, readers, sized), predictStepSizes(plan, readers));
    assert.deepStrictEqual(drive(predictStepSizesInSteps(plan, readers, sized, 0)).plan, predictStepSizes(plan, readers));
  });
});
