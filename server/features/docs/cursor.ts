// Finding what sits under the cursor in the syntax tree: binary search over instructions (so a
// 30,000-line file costs microseconds), offsets inside an instruction's logical text, variables.
import type { DirectiveNode, DockerfileSyntax, InstructionNode, Position, Range } from '../../parser/types';
import type { LayerPlan, PlannedStage, PlannedStep } from '../../plan/types';

export function comparePositions(a: Position, b: Position): number {
  return a.line - b.line || a.character - b.character;
}

/** `range` holds `position`; its end counts as inside (the cursor right after a word is on it). */
export function rangeContains(range: Range, position: Position): boolean {
  return comparePositions(range.start, position) <= 0 && comparePositions(position, range.end) <= 0;
}

/** Index of the last instruction starting at or before `position`, -1 when none. */
export function lastInstructionIndexBefore(syntax: DockerfileSyntax, position: Position): number {
  const list = syntax.instructions;
  let low = 0;
  let high = list.length - 1;
  let found = -1;
  while (low <= high) {
    const mid = (low + high) >> 1;
    if (comparePositions(list[mid].range.start, position) <= 0) {
      found = mid;
      low = mid + 1;
    } else {
      high = mid - 1;
    }
  }
  return found;
}

export function directiveAt(syntax: DockerfileSyntax, position: Position): DirectiveNode | undefined {
  return syntax.directives.find((d) => rangeContains(d.range, position));
}

/** Offset into `instruction.text` of `position`, undefined when the position is not part of it (comment line, heredoc body). */
export function offsetInInstruction(instruction: InstructionNode, position: Position): number | undefined {
  for (const s of instruction.segments) {
    if (s.line === position.line && position.character >= s.character && position.character <= s.character + s.length) {
      return s.offset + position.character - s.character;
    }
  }
  return undefined;
}

export interface VariableUse {
  name: string;
  /** Offsets in the text: the whole `$NAME` / `${NAME...}`. */
  start: number;
  end: number;
}

const VARIABLE = /\$(?:\{([A-Za-z_][A-Za-z0-9_]*)[^}]*\}?|([A-Za-z_][A-Za-z0-9_]*))/g;

/** The `$NAME` or `${NAME...}` in `text` that `offset` falls on (the innermost one in `${A:-$B}`). */
export function variableAt(text: string, offset: number, escapeChar: string): VariableUse | undefined {
  let best: VariableUse | undefined;
  VARIABLE.lastIndex = 0;
  for (let m = VARIABLE.exec(text); m && m.index <= offset; m = VARIABLE.exec(text)) {
    if (m.index > 0 && text[m.index - 1] === escapeChar) continue;
    const end = m.index + m[0].length;
    if (offset >= m.index && offset <= end) best = { name: m[1] ?? m[2], start: m.index, end };
    if (m[1] !== undefined) VARIABLE.lastIndex = m.index + 2 + m[1].length; // look inside `${A:-$B}` too
  }
  return best;
}

// Whether a plan's steps follow the instructions (each stage non-empty, instruction indexes rising
// across stages and steps), so a step is found by binary search; else a map is built once.
const stepsInOrder = new WeakMap<LayerPlan, boolean>();
const stepsByInstruction = new WeakMap<LayerPlan, Map<number, { stage: PlannedStage; step: PlannedStep }>>();

function inOrder(plan: LayerPlan): boolean {
  let known = stepsInOrder.get(plan);
  if (known === undefined) {
    known = true;
    let last = -1;
    for (const stage of plan.stages) {
      if (stage.steps.length === 0) known = false;
      for (const step of stage.steps) {
        if (step.instructionIndex <= last) known = false;
        last = step.instructionIndex;
      }
      if (!known) break;
    }
    stepsInOrder.set(plan, known);
  }
  return known;
}

/** The last index in `0..count-1` whose key is at most `target`, -1 when none. */
function lastAtMost(count: number, keyAt: (i: number) => number, target: number): number {
  let low = 0;
  let high = count - 1;
  let found = -1;
  while (low <= high) {
    const mid = (low + high) >> 1;
    if (keyAt(mid) <= target) {
      found = mid;
      low = mid + 1;
    } else {
      high = mid - 1;
    }
  }
  return found;
}

/** The planned step built from `syntax.instructions[instructionIndex]` (binary search; O(1) after a first O(steps) call on plans out of order). */
export function stepOfInstruction(plan: LayerPlan, instructionIndex: number): { stage: PlannedStage; step: PlannedStep } | undefined {
  if (inOrder(plan)) {
    const stage = plan.stages[lastAtMost(plan.stages.length, (i) => plan.stages[i].steps[0].instructionIndex, instructionIndex)];
    const step = stage?.steps[lastAtMost(stage.steps.length, (i) => stage.steps[i].instructionIndex, instructionIndex)];
    return stage && step && step.instructionIndex === instructionIndex ? { stage, step } : undefined;
  }
  let map = stepsByInstruction.get(plan);
  if (!map) {
    map = new Map();
    for (const stage of plan.stages) for (const step of stage.steps) map.set(step.instructionIndex, { stage, step });
    stepsByInstruction.set(plan, map);
  }
  return map.get(instructionIndex);
}

/**
 * Variables visible while instruction `instructionIndex` runs: ENV over build args within a stage;
 * global ARGs and the predefined platform args on a FROM line (and before the first FROM).
 */
export function variablesBefore(plan: LayerPlan, instructionIndex: number, isFrom: boolean): Map<string, { value: string | undefined; kind: 'env' | 'arg' }> {
  const out = new Map<string, { value: string | undefined; kind: 'env' | 'arg' }>();
  const found = isFrom ? undefined : stepOfInstruction(plan, instructionIndex);
  if (!found) {
    for (const [name, value] of Object.entries(plan.platformArgs)) out.set(name, { value, kind: 'arg' });
    for (const arg of plan.globalArgs) out.set(arg.name, { value: arg.value, kind: 'arg' });
    return out;
  }
  for (const [name, value] of Object.entries(found.step.args)) out.set(name, { value, kind: 'arg' });
  for (const [name, value] of Object.entries(found.step.env)) out.set(name, { value, kind: 'env' });
  return out;
}
