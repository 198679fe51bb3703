// Size prediction of a large plan in turns: predictStepSizesInSteps pauses between steps once it
// has worked a slice (TURN_SLICE_MS), and the event loop gets a turn at each pause, so no request
// waits behind more than a slice of it. The result is the one predictStepSizes gives.
import type { LayerPlan } from './plan';
import { predictStepSizesInSteps, type SizeReaders } from './plan/size';
import { runStepsInTurns, TURN_SLICE_MS } from './turns';

/**
 * Predicts `plan`'s sizes (taking unchanged stages over from `previous`, a sized plan of an earlier
 * version), giving the event loop a turn every slice. Resolves undefined, the work dropped, once
 * `current()` is false.
 */
export function predictStepSizesInTurns(plan: LayerPlan, readers: SizeReaders, previous: LayerPlan | undefined, current: () => boolean): Promise<LayerPlan | undefined> {
  // The prediction pauses once per slice itself: a turn at every pause.
  return runStepsInTurns(predictStepSizesInSteps(plan, readers, previous, TURN_SLICE_MS), current, 0);
}
