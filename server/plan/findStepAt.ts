import type { Position } from '../parser/types';
import type { LayerPlan, PlannedStage, PlannedStep } from './types';

/** The stage and step whose instruction contains `position` (step undefined between instructions). */
export function findStepAt(plan: LayerPlan, position: Position): { stage: PlannedStage; step?: PlannedStep } | undefined {
  void plan; void position;
  return undefined;
}
