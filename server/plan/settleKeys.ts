// A plan's cache keys worked out ahead of the requests that read them (hover, code lenses, inlay
// hints, the layer plan view): the language server does this in turns once a large plan is made.
import type { LayerPlan } from './types';

/** Steps whose keys are worked out between two pauses (each costs about one hash in plan order). */
const STEPS_PER_PAUSE = 64;

/** Reads every step's keys in plan order, pausing (yielding) every few dozen steps; returns the plan. */
export function* settleKeysInSteps(plan: LayerPlan): Generator<void, LayerPlan, void> {
  let read = 0;
  for (const stage of plan.stages) {
    for (const step of stage.steps) {
      void step.stateKey; // this read works the step's keys out
      if (++read % STEPS_PER_PAUSE === 0) yield;
    }
  }
  return plan;
}
