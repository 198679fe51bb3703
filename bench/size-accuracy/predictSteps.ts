// Runs the real pipeline the editor uses: Dockerfile text -> parser -> plan -> size prediction,
// waiting for background lookups (context hashing, archives, package indexes) to settle.
import * as fs from 'fs';
import { pathToFileURL } from 'url';
import { parseDockerfile } from '../../server/parser';
import { planDockerfile } from '../../server/plan';
import type { LayerPlan } from '../../server/plan/types';
import { predictLayerSizes, predictStepSizes, type SizeReport } from '../../server/plan/size';
import type { SizeReaders } from '../../server/plan/size/sizeReaders';
import { PlanInputs } from '../../server/planInputs';

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

/**
 * The plan the editor shows for a Dockerfile on disk, with the same readers (the local store that
 * LAYERLENS_STORE names for FROM and apt, the npm registry, Content-Length), and its size report.
 */
export async function predictAsTheEditor(dockerfile: string): Promise<{ plan: LayerPlan; report: SizeReport }> {
  const inputs = new PlanInputs(() => undefined);
  const uri = pathToFileURL(dockerfile).href;
  try {
    const syntax = parseDockerfile(fs.readFileSync(dockerfile, 'utf8'));
    const readers = { ...inputs.sizeReaders(uri), measured: undefined };
    let sized = predictStepSizes(planDockerfile(syntax, { context: inputs.contextReader(uri) }), readers);
    for (let i = 0; i < 10; i++) {
      if (!sized.stages.some((s) => s.steps.some((st) => /waiting for|looking up|reading |scanning|fetching/.test(st.basis ?? '')))) break;
      await inputs.settled(uri);
      sized = predictStepSizes(planDockerfile(syntax, { context: inputs.contextReader(uri) }), readers);
    }
    return { plan: sized, report: predictLayerSizes(sized, readers) };
  } finally {
    inputs.dispose();
  }
}
