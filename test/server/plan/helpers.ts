// Small helpers shared by the plan tests.
import { parseDockerfile } from '../../../server/parser';
import { planDockerfile } from '../../../server/plan';
import type { LayerPlan, PlanOptions, PlannedStep } from '../../../server/plan';

export function plan(text: string, options: PlanOptions = {}): LayerPlan {
  return planDockerfile(parseDockerfile(text), options);
}

/** All steps of all stages, in order. */
export function steps(p: LayerPlan): PlannedStep[] {
  return p.stages.flatMap((s) => s.steps);
}

/** The steps of one instruction kind. */
export function stepsOf(p: LayerPlan, instruction: string): PlannedStep[] {
  return steps(p).filter((s) => s.instruction === instruction);
}

export function codes(p: LayerPlan): string[] {
  return p.problems.map((x) => x.code);
}
