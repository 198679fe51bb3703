// Size prediction of a large plan in turns: predictStepSizesInSteps pauses after each stage it
// predicts; the event loop gets a turn whenever a slice has run a few milliseconds, so no request
// waits behind the whole prediction. The result is the one predictStepSizes gives.
import type { LayerPlan } from './plan';
import { predictStepSizesInSteps, type SizeReaders } from './plan/size';
import { nextTurn, TURN_SLICE_MS } from './turns';

/**
 * Predicts `plan`'s sizes (taking unchanged stages over from `previous`, a sized plan of an earlier
 * version), pausing between stages. Resolves undefined, the work dropped, once `current()` is false.
 */
export async function predictStepSizesInTurns(plan: LayerPlan, readers: SizeReaders, previous: LayerPlan | undefined, current: () => boolean): Promise<LayerPlan | undefined> {
  const steps = predictStepSizesInSteps(plan, readers, previous);
  let sliceStart = performance.now();
  for (;;) {
    const next = steps.next();
    if (next.done) return next.value;
    if (performance.now() - sliceStart < TURN_SLICE_MS) continue;
    await nextTurn();
    if (!current()) return undefined;
    sliceStart = performance.now();
  }
}
