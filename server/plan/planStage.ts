// Plans one stage: its FROM step, then each instruction in order, threading the stage state
// and chaining cache keys. Steps whose instruction and incoming state are unchanged since the
// previous plan are reused as they are (or with shifted ranges), which keeps re-planning cheap.
import type { DockerfileSyntax, InstructionNode, Range } from '../parser/types';
import { WordExpander } from './expandWords';
import type { Scope } from './expandWords';
import { fitted } from './fitted';
import { configPlanners } from './planConfig';
import { planCopy } from './planCopy';
import { planRun } from './planRun';
import { copyStep, makeStep, PlanStep } from './plannedObjects';
import type { StepFields } from './plannedObjects';
import { referencedStages } from './stageGraph';
import type { StageOutline } from './stageGraph';
import { sameState, sharesSettings, sharesSurroundings, withChanges } from './stageState';
import type { StageState } from './stageState';
import type { StageRef, StepContext, StepDraft } from './stepContext';
import { sameKey, sameParts, StepKeys } from './stepKeys';
import type { KeyParts, KeyRef } from './stepKeys';
import { variableValue } from './variableEntries';
import type { PlanOptions, PlannedStep, PlanProblem, StageDependency, VariableUse } from './types';

/** What a previous plan remembers about one step. */
export interface StepMemo {
  signature: string;
  inState: StageState;
  /** The stages the step reads from (index and name) and their results' tokens. */
  depKey: string;
  step: PlanStep;
  outState: StageState;
  problems: PlanProblem[];
  dependencies: StageDependency[];
  usedBuildArgs: string[];
}

export interface StageEnvironment {
  syntax: DockerfileSyntax;
  options: PlanOptions;
  metaArgs: ReadonlyMap<string, string | undefined>;
  stageRefs: StageRef[];
  byName: Map<string, number>;
  usedBuildArgs: Set<string>;
  /** Memo entries of the previous plan for this stage, by signature. */
  previous?: Map<string, StepMemo[]>;
  /** The same, in step order. */
  previousInOrder?: StepMemo[];
}

export interface PlannedStageSteps {
  steps: PlannedStep[];
  memos: StepMemo[];
  problems: PlanProblem[];
  dependencies: StageDependency[];
  final: StageState;
}

/**
 * A text that changes whenever anything the step depends on in its instruction changes, or where
 * its pieces sit relative to its first line: a reused step's positions are moved as a whole (see
 * relocate), so a line split, joined or inserted inside a continued instruction makes another step.
 */
export function signatureOf(instruction: InstructionNode): string {
  const layout = instruction.endLine === instruction.line ? '' : piecesOf(instruction);
  if (instruction.heredocs.length === 0) return layout === '' ? instruction.text : instruction.text + layout;
  return instruction.text + layout + instruction.heredocs.map((h) => `\u0000${h.name}\u0000${h.content}`).join('');
}

/** Where each piece of a multi-line instruction's text starts: offset, length, line after the first, column. */
function piecesOf(instruction: InstructionNode): string {
  const { packed, packedAt: at = 0, lineShift = 0 } = instruction as { packed?: Int32Array; packedAt?: number; lineShift?: number };
  let out = `\u0001${instruction.endLine - instruction.line}`;
  if (packed) {
    const first = instruction.line - lineShift;
    for (let i = 0, q = at + 1; i < packed[at]; i++, q += 4) out += `,${packed[q]}:${packed[q + 1]}:${packed[q + 2] - first}:${i === 0 ? '' : packed[q + 3]}`;
    return out;
  }
  for (const [i, g] of instruction.segments.entries()) out += `,${g.offset}:${g.length}:${g.line - instruction.line}:${i === 0 ? '' : g.character}`;
  return out;
}

/** Instructions planned between two pauses of `planStageStepsInSteps`. */
const STEPS_PER_PAUSE = 64;

/** Plans a stage's steps, pausing (yielding) after every few dozen instructions. */
export function* planStageStepsInSteps(env: StageEnvironment, outline: StageOutline, fromStep: PlannedStep, entry: StageState): Generator<void, PlannedStageSteps, void> {
  const steps: PlannedStep[] = [fromStep];
  const memos: StepMemo[] = [];
  const problems: PlanProblem[] = [];
  const dependencies: StageDependency[] = [];
  let state = entry;
  for (const instructionIndex of outline.body) {
    const instruction = env.syntax.instructions[instructionIndex];
    const signature = signatureOf(instruction);
    const reads = stagesRead(env, instruction);
    const names = reads ? dependencyNames(env.stageRefs, reads, outline.index) : '';
    const depKey = reads ? names + resultTokens(env.stageRefs, reads) : '';
    const stepIndex = steps.length;
    const reused = findReusable(env.previous, signature, state, depKey);
    let memo: StepMemo;
    if (reused) {
      memo = relocate(reused, instruction, instructionIndex, stepIndex);
    } else {
      // An edit above that changed only the filesystem (a RUN, a COPY, another stage it copies
      // from) re-keys the steps after it: what they drafted still holds.
      const drafted = findRekeyable(env.previous, signature, state, depKey) ?? findRedraftable(env.previous, signature, state, depKey, instruction);
      const moved = drafted || !reads ? undefined : findResourceable(env, signature, state, names);
      if (drafted) memo = rekey(relocate(drafted, instruction, instructionIndex, stepIndex), state);
      else if (moved) memo = rekey(relocate(moved, instruction, instructionIndex, stepIndex), state, env.stageRefs, depKey);
      else memo = planFresh(env, outline, instruction, instructionIndex, stepIndex, state, signature, depKey);
    }
    steps.push(memo.step);
    memos.push(memo);
    problems.push(...memo.problems);
    dependencies.push(...memo.dependencies);
    for (const a of memo.usedBuildArgs) env.usedBuildArgs.add(a);
    state = memo.outState;
    if (memos.length % STEPS_PER_PAUSE === 0) yield;
  }
  return { steps, memos, problems, dependencies, final: state };
}

/** The stages a COPY --from / RUN --mount from= step reads from, if it can read any. */
function stagesRead(env: StageEnvironment, instruction: InstructionNode): number[] | undefined {
  if ((instruction.name !== 'COPY' && instruction.name !== 'RUN') || instruction.flags.length === 0) return undefined;
  return referencedStages(instruction, env.byName, env.stageRefs.length);
}

/** Everything a step or a stage (`stageIndex`) reads from the stages `reads`: their indices, names and results (by token). */
export function dependencyKey(refs: readonly StageRef[], reads: readonly number[], stageIndex: number): string {
  return dependencyNames(refs, reads, stageIndex) + resultTokens(refs, reads);
}

/** The start of `dependencyKey`, without the results: what a step's draft reads of other stages. */
function dependencyNames(refs: readonly StageRef[], reads: readonly number[], stageIndex: number): string {
  let key = String(stageIndex);
  for (const i of reads) key += `|${i}:${refs[i].name ?? ''}`;
  return key + '\u0000';
}

function resultTokens(refs: readonly StageRef[], reads: readonly number[]): string {
  let key = '';
  for (const i of reads) key += `${refs[i].result?.token ?? ''}|`;
  return key;
}

function findReusable(previous: Map<string, StepMemo[]> | undefined, signature: string, state: StageState, depKey: string): StepMemo | undefined {
  const candidates = previous?.get(signature);
  if (!candidates) return undefined;
  return candidates.find((m) => m.inState === state && m.depKey === depKey);
}

/** A remembered step drafted in the same variables, directory, user, shell and platform, after another filesystem. */
function findRekeyable(previous: Map<string, StepMemo[]> | undefined, signature: string, state: StageState, depKey: string): StepMemo | undefined {
  const candidates = previous?.get(signature);
  if (!candidates) return undefined;
  return candidates.find((m) => m.depKey === depKey && sharesSettings(m.inState, state));
}

/**
 * A remembered step that changes nothing but the filesystem, drafted in the same directory, user,
 * shell and platform, whose every variable read gives what it gave then: a typed ENV above it
 * changed other variables (or their objects). Its draft holds; its key takes the new variables.
 * Heredocs are left out: a COPY heredoc's body is expanded without recording what it reads.
 */
function findRedraftable(previous: Map<string, StepMemo[]> | undefined, signature: string, state: StageState, depKey: string, instruction: InstructionNode): StepMemo | undefined {
  if (instruction.heredocs.length > 0) return undefined;
  const candidates = previous?.get(signature);
  if (!candidates) return undefined;
  return candidates.find((m) => m.depKey === depKey && sharesSurroundings(m.inState, state) && sharesSettings(m.outState, m.inState) && sameReads(m.step.variables, m.inState, state));
}

/** Whether every variable `uses` names has the same value and source in both states (as scopeOf gives them). */
function sameReads(uses: readonly VariableUse[], a: StageState, b: StageState): boolean {
  for (const use of uses) {
    const n = use.name;
    const value = variableValue(a.vars, n);
    if (value !== variableValue(b.vars, n) || envHolds(a, n) !== envHolds(b, n)) return false;
  }
  return true;
}

function envHolds(state: StageState, name: string): boolean {
  return Object.prototype.hasOwnProperty.call(state.env, name) && state.env[name] === state.vars[name];
}

/**
 * A remembered step of the same text and settings that reads the same stages (by index and name)
 * whose results are new: its draft holds, and its key reads the new results.
 */
function findResourceable(env: StageEnvironment, signature: string, state: StageState, names: string): StepMemo | undefined {
  const candidates = env.previous?.get(signature);
  if (!candidates) return undefined;
  return candidates.find((m) => PlanStep.keysOf(m.step).parts.reads !== undefined && m.depKey.startsWith(names) && sharesSettings(m.inState, state));
}

/**
 * `memo`'s step keyed on `state`'s filesystem (and, with `refs`, on the stages' current results):
 * its keys and the states after it are made again, the rest kept. The keys are worked out when read.
 */
function rekey(memo: StepMemo, state: StageState, refs?: readonly StageRef[], depKey = memo.depKey): StepMemo {
  const old = PlanStep.keysOf(memo.step);
  const reads = refs && old.parts.reads ? old.parts.reads.stages.map((i) => refs[i]?.result) : old.reads;
  // Inputs known to be the same (by token, see sameKey) make the same keys: kept, so the states after keep theirs.
  const same = sameKey(state.fs, memo.inState.fs) && (!old.vars || old.vars === state.vars) && sameResults(reads, old.reads);
  const keys = same ? old : new StepKeys(state.fs, old.parts, old.keying, old.vars ? state.vars : undefined, reads);
  const fs = old.keying === 'parent' ? state.fs : keys;
  const step = copyStep(memo.step, { args: state.args, env: state.env }, keys);
  // A step that set nothing hands `state` on; one that did hands its own settings on, newly keyed.
  const settings = sharesSettings(memo.outState, memo.inState) ? state : memo.outState;
  const outState = settings.fs === fs ? settings : withChanges(settings, { fs });
  return copyMemo(memo, { inState: state, depKey, step, outState });
}

function sameResults(a: readonly (KeyRef | undefined)[] | undefined, b: readonly (KeyRef | undefined)[] | undefined): boolean {
  if (a === b) return true;
  if (!a || !b || a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) {
    const x = a[i];
    const y = b[i];
    if (x !== y && (!x || !y || !sameKey(x, y))) return false;
  }
  return true;
}

function planFresh(
  env: StageEnvironment, outline: StageOutline, instruction: InstructionNode, instructionIndex: number,
  stepIndex: number, state: StageState, signature: string, depKey: string,
): StepMemo {
  const expander = new WordExpander(instruction, env.syntax.escapeChar);
  const problems: PlanProblem[] = [];
  const dependencies: StageDependency[] = [];
  const used: string[] = [];
  const lookups = stageLookups(env);
  const ctx: StepContext = {
    instruction, stageIndex: outline.index, stageName: outline.name, stepIndex, state, scope: scopeOf(state), expander,
    escapeChar: env.syntax.escapeChar, options: env.options,
    stageByName: lookups.stageByName,
    stageByIndex: lookups.stageByIndex,
    metaArgs: env.metaArgs, problems, dependencies, usedBuildArgs: used,
  };
  const draft = draftStep(ctx);
  for (const p of expander.problems) problems.push(p);
  const drafted = keysOf(draft, state, env.stageRefs);
  const before = env.previousInOrder?.[stepIndex - 1];
  const keys = keysKept(before, drafted, state) ?? drafted;
  const step = makeStep(stepFields(draft, ctx, instructionIndex), keys);
  const fs = keys.keying === 'parent' ? state.fs : keys;
  const draftedState = draft.state.fs === fs ? draft.state : withChanges(draft.state, { fs });
  // The state the step here handed on last time, when it holds the same values (an edit that
  // changed no value, such as spacing in an ENV): the steps after it are then reused as they are.
  const outState = before && sameState(before.outState, draftedState) ? before.outState : draftedState;
  return {
    signature, inState: state, depKey, step, outState,
    problems: problems.length === 0 ? none : fitted(problems),
    dependencies: dependencies.length === 0 ? none : fitted(dependencies),
    usedBuildArgs: used.length === 0 ? none : fitted(used),
  };
}

/** Shared by every memo that has no problems, dependencies or used build args (most steps). */
const none: never[] = [];

/** The variables a step sees, as expansion asks for them; the last one is kept (consecutive steps mostly share a state). */
let lastState: StageState | undefined;
let lastScope: Scope | undefined;

function scopeOf(state: StageState): Scope {
  if (state === lastState && lastScope) return lastScope;
  lastState = state;
  return (lastScope = {
    lookup: (n) => variableValue(state.vars, n),
    sourceOf: (n) => (Object.prototype.hasOwnProperty.call(state.env, n) && state.env[n] === state.vars[n] ? 'env' : 'arg'),
  });
}

type StageLookups = Pick<StepContext, 'stageByName' | 'stageByIndex'>;

/** Stage lookups by name and index; one pair per planning run (the last one is kept). */
let lastRefs: StageRef[] | undefined;
let lastLookups: StageLookups | undefined;

function stageLookups(env: StageEnvironment): StageLookups {
  if (env.stageRefs === lastRefs && lastLookups) return lastLookups;
  const { byName, stageRefs } = env;
  lastRefs = stageRefs;
  return (lastLookups = {
    stageByName: (name) => {
      const i = byName.get(name.toLowerCase());
      return i === undefined ? undefined : stageRefs[i];
    },
    stageByIndex: (i) => stageRefs[i],
  });
}

function draftStep(ctx: StepContext): StepDraft {
  const name = ctx.instruction.name;
  if (name === 'RUN') return planRun(ctx);
  if (name === 'COPY' || name === 'ADD') return planCopy(ctx);
  return (configPlanners[name] ?? configPlanners.UNKNOWN)(ctx);
}

/** A drafted step's keys, chained to `state`'s filesystem; worked out when first read. */
function keysOf(draft: StepDraft, state: StageState, refs: readonly StageRef[]): StepKeys {
  const { envOf, reads, ...key } = draft.key;
  const parts: KeyParts = {
    op: key.op,
    command: key.command,
    workdir: state.workdir,
    user: state.user,
    platform: state.platform,
    env: key.env,
    sources: key.sources,
    options: key.options,
    base: key.base,
    reads,
  };
  const keying = !draft.createsLayer ? 'parent' : draft.link ? 'merged' : 'own';
  return new StepKeys(state.fs, parts, keying, envOf, reads?.stages.map((i) => refs[i]?.result));
}

/**
 * The keys of the step planned before in this place, when `drafted` would make the same ones: so
 * the steps after it, and the stages that read this one, keep theirs (identity stands for a key).
 */
function keysKept(before: StepMemo | undefined, drafted: StepKeys, state: StageState): StepKeys | undefined {
  if (!before || !sameKey(before.inState.fs, state.fs)) return undefined;
  const old = PlanStep.keysOf(before.step);
  const same = old.keying === drafted.keying && old.vars === drafted.vars && sameResults(old.reads, drafted.reads) && sameParts(old.parts, drafted.parts);
  return same ? old : undefined;
}

function stepFields(draft: StepDraft, ctx: StepContext, instructionIndex: number): StepFields {
  const { state } = ctx;
  const fields: StepFields = {
    index: ctx.stepIndex,
    stageIndex: ctx.stageIndex,
    instructionIndex,
    instruction: ctx.instruction.name,
    range: ctx.instruction.range,
    createsLayer: draft.createsLayer,
    arguments: draft.arguments,
    display: draft.display,
    details: draft.details,
    args: state.args,
    env: state.env,
    workdir: state.workdir,
    user: state.user,
    shell: state.shell as string[],
    variables: fitted(ctx.expander.uses),
  };
  if (draft.layerOnlyIfMissing) fields.layerOnlyIfMissing = true;
  return fields;
}

/** Reuses a remembered step for an instruction that may have moved. */
export function relocate(memo: StepMemo, instruction: InstructionNode, instructionIndex: number, stepIndex: number): StepMemo {
  const old = memo.step;
  const delta = instruction.range.start.line - old.range.start.line;
  if (delta === 0 && old.instructionIndex === instructionIndex && old.index === stepIndex && sameRange(old.range, instruction.range)) return memo;
  // Same text, so only the first line can have moved sideways (indentation before the keyword).
  const firstLine = old.range.start.line;
  const sideways = instruction.range.start.character - old.range.start.character;
  // Most steps have no variables, problems or dependencies: their (shared) empty lists are kept, and
  // no function is made for them (this runs for every step below an inserted line).
  const variables = old.variables.length === 0 ? old.variables : old.variables.map((v) => ({ ...v, range: shiftedRange(v.range, delta, firstLine, sideways) }));
  const step = copyStep(old, { index: stepIndex, instructionIndex, range: instruction.range, variables });
  return copyMemo(memo, {
    step,
    problems: memo.problems.length === 0 ? memo.problems : memo.problems.map((p) => ({ ...p, range: shiftedRange(p.range, delta, firstLine, sideways) })),
    dependencies: memo.dependencies.length === 0 ? memo.dependencies : memo.dependencies.map((d) => ({ ...d, stepIndex, range: shiftedRange(d.range, delta, firstLine, sideways) })),
  });
}

/** `r` moved down `delta` lines, and `sideways` characters on `firstLine` (the line it was on). */
function shiftedRange(r: Range, delta: number, firstLine: number, sideways: number): Range {
  return { start: shiftedPosition(r.start, delta, firstLine, sideways), end: shiftedPosition(r.end, delta, firstLine, sideways) };
}

function shiftedPosition(p: Range['start'], delta: number, firstLine: number, sideways: number): Range['start'] {
  return { line: p.line + delta, character: p.line === firstLine ? p.character + sideways : p.character };
}

/** `memo` with `changes`, every field written in planFresh's order (one hidden class). */
function copyMemo(memo: StepMemo, changes: Partial<StepMemo>): StepMemo {
  return {
    signature: memo.signature,
    inState: changes.inState ?? memo.inState,
    depKey: changes.depKey ?? memo.depKey,
    step: changes.step ?? memo.step,
    outState: changes.outState ?? memo.outState,
    problems: changes.problems ?? memo.problems,
    dependencies: changes.dependencies ?? memo.dependencies,
    usedBuildArgs: memo.usedBuildArgs,
  };
}

function sameRange(a: Range, b: Range): boolean {
  return a.start.line === b.start.line && a.start.character === b.start.character && a.end.line === b.end.line && a.end.character === b.end.character;
}
