// The stage and step under a document position (hover, code lens): binary searches, so a
// 30,000-line plan answers in microseconds.
import type { Position, Range } from '../parser/types';
import type { LayerPlan, PlannedStage, PlannedStep } from './types';

function before(a: Position, b: Position): boolean {
  return a.line < b.line || (a.line === b.line && a.character <= b.character);
}

function contains(range: Range, p: Position): boolean {
  return before(range.start, p) && before(p, range.end);
}

function lastStartingBefore<T>(items: readonly T[], p: Position, rangeOf: (t: T) => Range): number {
  let lo = 0;
  let hi = items.length - 1;
  let found = -1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (before(rangeOf(items[mid]).start, p)) {
      found = mid;
      lo = mid + 1;
    } else hi = mid - 1;
  }
  return found;
}

/** The stage containing `position`, and the step whose instruction contains it (if any). */
export function findStepAt(plan: LayerPlan, position: Position): { stage: PlannedStage; step?: PlannedStep } | undefined {
  const s = lastStartingBefore(plan.stages, position, (st) => st.range);
  if (s < 0) return undefined;
  const stage = plan.stages[s];
  if (!contains(stage.range, position)) return undefined;
  const i = lastStartingBefore(stage.steps, position, (st) => st.range);
  const step = i >= 0 && contains(stage.steps[i].range, position) ? stage.steps[i] : undefined;
  return { stage, step };
}
