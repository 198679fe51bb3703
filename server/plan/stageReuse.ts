// What a plan remembers of each stage, and when the next plan can take a stage over unchanged.
import type { DockerfileSyntax, InstructionNode } from '../parser/types';
import { fitted } from './fitted';
import { copyStage, copyStep, resultOf } from './plannedObjects';
import type { PlanStep } from './plannedObjects';
import { handoverKeyOf } from './stageEntry';
import { dependencyKey, relocate, signatureOf } from './planStage';
import type { StepMemo } from './planStage';
import type { StageOutline } from './stageGraph';
import type { StageState } from './stageState';
import type { StageRef } from './stepContext';
import type { PlannedStage, PlanProblem } from './types';

/** What a plan remembers about one stage, for the next re-plan. */
export interface StageMemo {
  outline: StageOutline;
  /** The body instructions it was planned from (identity tells an unchanged re-parse). */
  instructions: InstructionNode[];
  /** Build args its ARG instructions consumed. */
  usedBuildArgs: string[];
  /** FROM text, base, platform, and the base stage's result: what the entry state depends on. */
  fromKey: string;
  /** Signatures of the body instructions, in order. */
  body: string[];
  /** Where the instructions sit, relative to the FROM line. */
  layout: number[];
  /** Names and results of the stages its COPY --from / RUN --mount from= read. */
  depKey: string;
  entry: StageState;
  steps: StepMemo[];
  stage: PlannedStage;
  problems: PlanProblem[];
}

/** The FROM instruction's identity: its text and where its keyword starts on the line. */
export function fromSignature(from: InstructionNode): string {
  return `${signatureOf(from)}\u0000${from.character}`;
}

/** Each instruction's first line, column and last line relative to the stage's FROM line. */
export function layoutOf(syntax: DockerfileSyntax, fromIndex: number, body: readonly number[]): number[] {
  const from = syntax.instructions[fromIndex];
  const base = from.line;
  const out = [from.endLine - base, from.endCharacter];
  for (const i of body) {
    const inst = syntax.instructions[i];
    out.push(inst.line - base, inst.character, inst.endLine - base, inst.endCharacter);
  }
  return fitted(out);
}

export function sameNumbers(a: readonly number[], b: readonly number[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

export function sameBody(signatures: readonly string[], body: readonly number[], syntax: DockerfileSyntax): boolean {
  if (signatures.length !== body.length) return false;
  for (let i = 0; i < body.length; i++) if (signatures[i] !== signatureOf(syntax.instructions[body[i]])) return false;
  return true;
}

/** Everything a stage's FROM step and entry state depend on. */
export function fromKeyOf(outline: StageOutline, stages: PlannedStage[], targetPlatform: string): string {
  const baseStage = outline.base.kind === 'stage' ? stages[outline.base.stageIndex] : undefined;
  const baseResult = baseStage ? `${resultOf(baseStage).token}\u0000${handoverKeyOf(baseStage)}` : '';
  const base = outline.base.kind === 'image' ? `image:${outline.base.ref}` : outline.base.kind === 'stage' ? `stage:${outline.base.stageIndex}` : 'scratch';
  return `${fromSignature(outline.from)}\u0000${outline.baseName}\u0000${outline.name ?? ''}\u0000${outline.platform ?? targetPlatform}\u0000${base}\u0000${baseResult}`;
}

/** What a stage's COPY --from / RUN --mount from= steps read of other stages (see dependencyKey). */
export function stageDependencyKey(outline: StageOutline, refs: StageRef[]): string {
  return dependencyKey(refs, outline.references, outline.index);
}

export function baseDependency(outline: StageOutline): PlannedStage['dependencies'] {
  return outline.base.kind === 'stage' ? [{ stageIndex: outline.base.stageIndex, via: 'from', range: outline.from.image?.range ?? outline.from.range }] : [];
}

/** Steps moved between two pauses of `reuseStageInSteps`. */
const RELOCATIONS_PER_PAUSE = 128;

/**
 * The previous plan's stage for an unchanged stage, moved to where its instructions now are;
 * pausing (yielding) after every 128 steps moved (a stage of a thousand steps takes 5-10 ms).
 */
export function* reuseStageInSteps(prior: StageMemo, outline: StageOutline, syntax: DockerfileSyntax, reachable: boolean, layout: number[]): Generator<void, StageMemo, void> {
  const old = prior.stage;
  if (outline === prior.outline && old.reachable === reachable) return prior;
  const oldFrom = old.steps[0];
  const steps: StepMemo[] = [];
  for (let i = 0; i < prior.steps.length; i++) {
    steps.push(relocate(prior.steps[i], syntax.instructions[outline.body[i]], outline.body[i], i + 1));
    if ((i + 1) % RELOCATIONS_PER_PAUSE === 0) yield;
  }
  const fromStep = copyStep(oldFrom as PlanStep, { instructionIndex: outline.fromIndex, range: outline.from.range, variables: outline.fromUses });
  const stage = copyStage(old, {
    nameRange: outline.nameRange,
    range: outline.range,
    reachable,
    steps: [fromStep, ...steps.map((m) => m.step)],
    dependencies: [...baseDependency(outline), ...steps.flatMap((m) => m.dependencies)],
  });
  const instructions = outline.body.map((i) => syntax.instructions[i]);
  return { ...prior, outline, instructions, layout, steps, stage, problems: steps.flatMap((m) => m.problems) };
}

export function bySignature(steps: StepMemo[]): Map<string, StepMemo[]> {
  const map = new Map<string, StepMemo[]>();
  for (const s of steps) {
    const list = map.get(s.signature);
    if (list) list.push(s);
    else map.set(s.signature, [s]);
  }
  return map;
}
