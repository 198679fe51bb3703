// Runs the real pipeline the editor uses: Dockerfile text -> parser -> plan -> size prediction,
// waiting for background lookups (context hashing, archives, package indexes) to settle.
import { parseDockerfile } from '../../server/parser';
import { planDockerfile } from '../../server/plan';
import type { LayerPlan } from '../../server/plan/types';
import { predictStepSizes } from '../../server/plan/size';
import type { SizeReaders } from '../../server/plan/size/sizeReaders';

export async function predictSettled(text: string, readers: SizeReaders, settle: () => Promise<void>): Promise<LayerPlan> {
  const plan = planDockerfile(parseDockerfile(text));
  let sized = predictStepSizes(plan, readers);
  for (let i = 0; i < 8; i++) {
    const waiting = sized.stages.some((s) => s.steps.some((st) => /waiting for|looking up|reading |scanning/.test(st.basis ?? '')));
    if (!waiting) break;
    await settle();
    sized = predictStepSizes(plan, readers);
  }
  return sized;
}
