// Plans one stage: its FROM step, then each instruction in order, threading the stage state
// and chaining cache keys. Steps whose instruction and incoming state are unchanged since the
// previous plan are reused as they are (or with shifted ranges), which keeps re-planning cheap.
import type { DockerfileSyntax, InstructionNode, Range } from '../parser/types';
import { cacheKeyOf, mergedKey } from './cacheKey';
import { WordExpander } from './expandWords';
import type { Scope } from './expandWords';
import { fitted } from './fitted';
import { configPlanners } from './planConfig';
import { planCopy } from './planCopy';
import { planRun } from './planRun';
import { runKeyInputs } from './runKeyInputs';
import { referencedStages } from './stageGraph';
import type { StageOutline } from './stageGraph';
import { sharesSettings, sharesSurroundings, withChanges } from './stageState';
import type { StageState } from './stageState';
import type { StageRef, StepContext, StepDraft } from './stepContext';
import { sortedEntries, variableValue } from './variableEntries';
import type { CacheKeyInputs, PlanOptions, PlannedStep, PlanProblem, StageDependency, VariableUse } from './types';

/** What a previous plan remembers about one step. */
export interface StepMemo {
  signature: string;
  inState: StageState;
  depKey: string;
  step: PlannedStep;
  outState: StageState;
  problems: PlanProblem[];
  dependencies: StageDependency[];
  usedBuildArgs: string[];
  /** COPY --link: the cache key leaves the parent out. */
  link: boolean;
  /** A RUN step's variables, whose sorted entries are its cache key's env. */
  envOf?: Readonly<Record<string, string>>;
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
    const depKey = dependencyKey(env, instruction, outline.index);
    const stepIndex = steps.length;
    const reused = findReusable(env.previous, signature, state, depKey);
    let memo: StepMemo;
    if (reused) {
      memo = relocate(reused, instruction, instructionIndex, stepIndex);
    } else {
      // An edit above that changed only the filesystem (a RUN, a COPY, another stage it copies
      // from) re-keys the steps after it: what they drafted still holds.
      const drafted = findRekeyable(env.previous, signature, state, depKey) ?? findRedraftable(env.previous, signature, state, depKey, instruction);
      const moved = drafted ? undefined : findResourceable(env, signature, state, depKey);
      if (drafted) memo = rekey(relocate(drafted, instruction, instructionIndex, stepIndex), state);
      else if (moved) memo = rekey(relocate(moved.memo, instruction, instructionIndex, stepIndex), state, moved.source, depKey);
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

/** Everything a COPY --from / RUN --mount from= step reads from other stages. */
function dependencyKey(env: StageEnvironment, instruction: InstructionNode, stageIndex: number): string {
  if ((instruction.name !== 'COPY' && instruction.name !== 'RUN') || instruction.flags.length === 0) return '';
  let key = String(stageIndex);
  for (const i of referencedStages(instruction, env.byName, env.stageRefs.length)) {
    const ref = env.stageRefs[i];
    key += `|${i}:${ref.name ?? ''}:${ref.resultKey ?? ''}`;
  }
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

/** A stage's result key before and after (what a COPY --from step's key holds of it). */
interface SourceChange {
  from: string;
  to: string;
}

/**
 * A remembered COPY --from step of the same text and settings whose source stage has a new result:
 * its draft holds with the new key in place of the old one (the key is the only thing it read of that stage).
 */
function findResourceable(env: StageEnvironment, signature: string, state: StageState, depKey: string): { memo: StepMemo; source: SourceChange } | undefined {
  const candidates = env.previous?.get(signature);
  if (!candidates) return undefined;
  for (const m of candidates) {
    const d = m.step.details;
    if (d.kind !== 'copy' || d.from.kind !== 'stage' || !sharesSettings(m.inState, state)) continue;
    const from = m.step.cacheKeyInputs.options?.from;
    const to = env.stageRefs[d.from.stageIndex]?.resultKey;
    if (!from || to === undefined || from === `stage${d.from.stageIndex}` || !m.depKey.endsWith(`:${from}`)) continue;
    if (m.depKey.slice(0, -from.length) + to === depKey) return { memo: m, source: { from, to } };
  }
  return undefined;
}

/**
 * `memo`'s step keyed on `state`'s filesystem (and, for a COPY --from, on its source stage's new
 * result): the cache key and the states after it are made again, the rest kept.
 */
function rekey(memo: StepMemo, state: StageState, source?: SourceChange, depKey = memo.depKey): StepMemo {
  const old = memo.step;
  const kept = old.cacheKeyInputs;
  const inputs: CacheKeyInputs = {
    parent: memo.link ? '' : state.stateKey,
    op: kept.op,
    command: kept.command,
    env: memo.envOf ? sortedEntries(state.vars) : kept.env,
    workdir: kept.workdir,
    user: kept.user,
    platform: kept.platform,
    sources: source ? kept.sources?.map((s) => (s.checksum === `stage:${source.from}` ? { ...s, checksum: `stage:${source.to}` } : s)) : kept.sources,
    options: source ? { ...kept.options, from: source.to } : kept.options,
    base: kept.base,
  };
  const cacheKey = cacheKeyOf(inputs);
  const stateKey = !old.createsLayer ? state.stateKey : memo.link ? mergedKey(state.stateKey, cacheKey) : cacheKey;
  const step = copyStep(old, { args: state.args, env: state.env, cacheKey, cacheKeyInputs: memo.envOf ? runKeyInputs(inputs, state.vars) : inputs, stateKey });
  // A step that set nothing hands `state` on; one that did hands its own settings on, newly keyed.
  const settings = sharesSettings(memo.outState, memo.inState) ? state : memo.outState;
  const outState = settings.stateKey === stateKey ? settings : withChanges(settings, { stateKey });
  return copyMemo(memo, { inState: state, depKey, step, outState, envOf: memo.envOf ? state.vars : undefined });
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
  const step = toStep(draft, ctx, instructionIndex);
  const outState = step.stateKey === draft.state.stateKey ? draft.state : withChanges(draft.state, { stateKey: step.stateKey });
  return {
    signature, inState: state, depKey, step, outState,
    problems: problems.length === 0 ? none : fitted(problems),
    dependencies: dependencies.length === 0 ? none : fitted(dependencies),
    usedBuildArgs: used.length === 0 ? none : fitted(used),
    link: draft.link === true,
    envOf: draft.key.envOf,
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

/** The env of steps whose cache key takes none (everything but RUN); shared, never written to. */
const noEnv: string[] = [];

function toStep(draft: StepDraft, ctx: StepContext, instructionIndex: number): PlannedStep {
  const { state } = ctx;
  const inputs = {
    parent: draft.link ? '' : state.stateKey,
    op: draft.key.op,
    command: draft.key.command,
    env: draft.key.env ?? noEnv,
    workdir: state.workdir,
    user: state.user,
    platform: state.platform,
    sources: draft.key.sources,
    options: draft.key.options,
    base: draft.key.base,
  };
  const cacheKey = cacheKeyOf(inputs);
  const keptInputs = draft.key.envOf ? runKeyInputs(inputs, draft.key.envOf) : inputs;
  const stateKey = !draft.createsLayer ? state.stateKey : draft.link ? mergedKey(state.stateKey, cacheKey) : cacheKey;
  const step: PlannedStep = {
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
    cacheKey,
    cacheKeyInputs: keptInputs,
    stateKey,
  };
  if (draft.layerOnlyIfMissing) step.layerOnlyIfMissing = true;
  return step;
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

/**
 * `old` with `changes`, every field written in toStep's order. Spreading a step (`{ ...old, ... }`)
 * takes V8's slow path for the many step shapes and makes a dictionary-mode copy: relocating the
 * steps below an Enter in the 30,000-line file took 13 ms that way.
 */
function copyStep(old: PlannedStep, changes: Partial<PlannedStep>): PlannedStep {
  const step: PlannedStep = {
    index: changes.index ?? old.index,
    stageIndex: old.stageIndex,
    instructionIndex: changes.instructionIndex ?? old.instructionIndex,
    instruction: old.instruction,
    range: changes.range ?? old.range,
    createsLayer: old.createsLayer,
    arguments: old.arguments,
    display: old.display,
    details: old.details,
    args: changes.args ?? old.args,
    env: changes.env ?? old.env,
    workdir: old.workdir,
    user: old.user,
    shell: old.shell,
    variables: changes.variables ?? old.variables,
    cacheKey: changes.cacheKey ?? old.cacheKey,
    cacheKeyInputs: changes.cacheKeyInputs ?? old.cacheKeyInputs,
    stateKey: changes.stateKey ?? old.stateKey,
  };
  if (old.layerOnlyIfMissing) step.layerOnlyIfMissing = true;
  return step;
}

/** `memo` with `changes`, every field written in planFresh's order (see copyStep). */
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
    link: memo.link,
    envOf: 'envOf' in changes ? changes.envOf : memo.envOf,
  };
}

function sameRange(a: Range, b: Range): boolean {
  return a.start.line === b.start.line && a.start.character === b.start.character && a.end.line === b.end.line && a.end.character === b.end.character;
}
