// syntax tree -> layer plan. Pure: file-system and registry knowledge only arrive through the
// readers in PlanOptions. Re-planning with `options.previous` takes unchanged stages over as
// they are and reuses unchanged steps inside edited stages, so a keystroke costs little.
import type { DockerfileSyntax } from '../parser/types';
import { runAllSteps } from '../steps';
import { globalInstructions, outlineIncrementallyInSteps } from './incrementalOutline';
import type { GraphMemo } from './incrementalOutline';
import { resolveMetaArgs } from './metaArgs';
import type { MetaArgs } from './metaArgs';
import { defaultPlatform, formatPlatform, parsePlatform, platformArgs } from './platform';
import type { Platform } from './platform';
import { planStageStepsInSteps } from './planStage';
import type { StageEnvironment } from './planStage';
import { emptyConfig, foldConfig } from './stageConfig';
import { PlanStage, resultOf } from './plannedObjects';
import type { StageFields } from './plannedObjects';
import { entryState, fromKeys, fromStateKey, fromStepOf, handoverKeyOf } from './stageEntry';
import { findTarget, outlineStages, reachableStages } from './stageGraph';
import type { StageOutline } from './stageGraph';
import { baseDependency, bySignature, fromKeyOf, layoutOf, reuseStageInSteps, sameBody, stageDependencyKey } from './stageReuse';
import type { StageMemo } from './stageReuse';
import { sameSettings, sameState, withChanges } from './stageState';
import type { StageState } from './stageState';
import type { StageRef } from './stepContext';
import { sameKey } from './stepKeys';
import type { KeyRef } from './stepKeys';
import type { Range } from '../parser/types';
import type { LayerPlan, PlanOptions, PlannedStage, PlanProblem } from './types';

interface PlanMemo extends GraphMemo {
  signature: string;
  context: PlanOptions['context'];
  images: PlanOptions['images'];
  meta: MetaArgs;
  metaProblems: PlanProblem[];
  metaUsed: string[];
  /** Per stage: whether the target needs it, its result's key, whether it reported problems. */
  reachable: boolean[];
  results: KeyRef[];
  hadProblems: Uint8Array;
  /** The planned stages, by index. */
  planned: PlannedStage[];
}

const memos = new WeakMap<LayerPlan, PlanMemo>();
const proxyArgs = new Set(['HTTP_PROXY', 'HTTPS_PROXY', 'FTP_PROXY', 'NO_PROXY', 'ALL_PROXY', 'http_proxy', 'https_proxy', 'ftp_proxy', 'no_proxy', 'all_proxy']);
const zero: Range = { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } };

/** Plans a parsed Dockerfile: stages, steps, layers, cache keys. Pure; never throws. */
export function planDockerfile(syntax: DockerfileSyntax, options: PlanOptions = {}): LayerPlan {
  return runAllSteps(planDockerfileInSteps(syntax, options));
}

/**
 * `planDockerfile` in steps: pauses (yields) after the stage graph, after every stage and every few
 * dozen steps it plans, so a caller can give the event loop turns in between. Returns the plan `planDockerfile` gives.
 */
export function* planDockerfileInSteps(syntax: DockerfileSyntax, options: PlanOptions = {}): Generator<void, LayerPlan, void> {
  const problems: PlanProblem[] = [];
  const platform = (spec: string | undefined, fallback: Platform, what: string): Platform => {
    if (spec === undefined) return fallback;
    const parsed = parsePlatform(spec);
    if (typeof parsed !== 'string') return parsed;
    problems.push({ range: zero, message: `invalid ${what} platform: ${parsed}`, code: 'invalid-platform', severity: 'error' });
    return fallback;
  };
  const buildPlatform = platform(options.buildPlatform, defaultPlatform, 'build');
  const targetPlatform = platform(options.platform, buildPlatform, 'target');
  const target = formatPlatform(targetPlatform);
  const platformValues = platformArgs(buildPlatform, targetPlatform);
  const signature = JSON.stringify([options.buildArgs ?? {}, options.target ?? '', target, formatPlatform(buildPlatform), syntax.escapeChar]);
  const previous = options.previous ? memos.get(options.previous) : undefined;
  const usable = previous && previous.signature === signature && previous.context === options.context && previous.images === options.images ? previous : undefined;

  // The stage graph: taken over from the previous plan when no FROM or global ARG changed.
  const incremental = usable ? yield* outlineIncrementallyInSteps(syntax, usable, usable.meta) : undefined;
  let meta: MetaArgs;
  let metaProblems: PlanProblem[];
  let metaUsed: string[];
  let outlines: StageOutline[];
  let byName: Map<string, number>;
  let layouts: number[][] | undefined;
  let sameBodies: Uint8Array | undefined;
  let fromIndices: number[];
  const graphProblems: PlanProblem[] = [];
  if (incremental && usable) {
    ({ meta, metaProblems, metaUsed, byName } = usable);
    outlines = incremental.outlines;
    layouts = incremental.layouts;
    sameBodies = incremental.sameBodies;
    fromIndices = incremental.fromIndices;
  } else {
    metaProblems = [];
    const used = new Set<string>();
    meta = resolveMetaArgs(syntax, platformValues, options, metaProblems, used);
    metaUsed = [...used];
    const graph = outlineStages(syntax, meta, undefined, graphProblems);
    outlines = graph.stages;
    byName = graph.byName;
    fromIndices = outlines.map((o) => o.fromIndex);
  }
  yield;
  const targetIndex = findTarget(outlines, options.target, graphProblems);
  const reachable = reachableStages(outlines, targetIndex);

  const usedBuildArgs = new Set<string>(metaUsed);
  const stageRefs: StageRef[] = outlines.map((s) => ({ index: s.index, name: s.name }));
  const stages: PlannedStage[] = [];
  const stageMemos: StageMemo[] = [];
  const env = { syntax, options, metaArgs: meta.values, stageRefs, byName, usedBuildArgs };
  const stageProblems: PlanProblem[] = [];
  const results: KeyRef[] = new Array<KeyRef>(outlines.length);
  const hadProblems = new Uint8Array(outlines.length);
  // Stages whose result or name differs from the previous plan's: the stages they feed are redone.
  const changed = new Uint8Array(outlines.length);
  let anyChanged = false;
  const stageLayouts: number[][] = [];
  // Build args are only counted when some are given (no stage uses any otherwise).
  const countArgs = options.buildArgs !== undefined;
  // A global ARG's value reaches steps through `ARG NAME` in a stage, which no state identity shows.
  // Stages other stages are built FROM: what their config hands on matters as well as their result.
  const isBase = new Uint8Array(outlines.length);
  for (const o of outlines) if (o.base.kind === 'stage') isBase[o.base.stageIndex] = 1;
  const priorStages = usable && (incremental || sameValues(usable.meta.values, meta.values)) ? usable.stages : undefined;
  for (let i = 0; i < outlines.length; i++) {
    const outline = outlines[i];
    const prior = priorStages?.[i];
    if (prior && usable && outline === usable.outlines[i] && usable.reachable[i] === reachable[i] && (!anyChanged || inputsUnchanged(outline, changed))) {
      // Same instructions, same stages feeding it: nothing to redo (and only flat lists read).
      if (usable.hadProblems[i] === 1) {
        stageProblems.push(...outline.problems, ...prior.problems);
        hadProblems[i] = 1;
      }
      if (countArgs) for (const a of prior.usedBuildArgs) usedBuildArgs.add(a);
      results[i] = usable.results[i];
      stageRefs[i].result = usable.results[i];
      stageLayouts.push(usable.layouts[i]);
      stages.push(usable.planned[i]);
      stageMemos.push(prior);
      continue;
    }
    let memo: StageMemo;
    {
      const layout = layouts?.[i] ?? layoutOf(syntax, outline.fromIndex, outline.body);
      const fromKey = fromKeyOf(outline, stages, target);
      const depKey = stageDependencyKey(outline, stageRefs);
      const sameText = prior !== undefined && (outline === prior.outline || sameBodies?.[i] === 1 || sameBody(prior.body, outline.body, syntax));
      const kept = prior && sameText && prior.fromKey === fromKey && prior.depKey === depKey ? yield* reuseStageInSteps(prior, outline, syntax, reachable[i], layout) : undefined;
      memo = kept ?? (yield* planStage(env, outline, stages, prior, target, fromKey, depKey, layout, reachable[i]));
    }
    for (const a of memo.usedBuildArgs) usedBuildArgs.add(a);
    const result = resultOf(memo.stage);
    results[i] = result;
    stageRefs[i].result = result;
    const sameHandover = isBase[i] === 0 || memo.stage === prior?.stage || (prior !== undefined && handoverKeyOf(memo.stage) === handoverKeyOf(prior.stage));
    if (!(usable && prior && sameKey(result, usable.results[i]) && outline.name === prior.outline.name && sameHandover)) {
      changed[i] = 1;
      anyChanged = true;
    }
    if (outline.problems.length > 0 || memo.problems.length > 0) {
      stageProblems.push(...outline.problems, ...memo.problems);
      hadProblems[i] = 1;
    }
    stageLayouts.push(memo.layout);
    stages.push(memo.stage);
    stageMemos.push(memo);
    yield;
  }
  const reported = [...problems, ...metaProblems, ...graphProblems, ...stageProblems.map((p) => downgradeIfUnreachable(p, outlines, reachable))];
  for (const name of Object.keys(options.buildArgs ?? {})) {
    if (!usedBuildArgs.has(name) && !(name in platformValues) && !proxyArgs.has(name)) {
      reported.push({ range: zero, message: `build-arg ${name} was not consumed by any ARG`, code: 'unused-build-arg', severity: 'warning' });
    }
  }
  const plan: LayerPlan = {
    version: 1,
    stages,
    targetStage: targetIndex,
    globalArgs: meta.globalArgs,
    platformArgs: platformValues,
    targetPlatform: target,
    buildPlatform: formatPlatform(buildPlatform),
    problems: reported,
  };
  memos.set(plan, {
    signature, context: options.context, images: options.images, meta, metaProblems, metaUsed,
    globals: globalInstructions(syntax), byName, stages: stageMemos, instructions: syntax.instructions, fromIndices,
    reachable, results, hadProblems, outlines, layouts: stageLayouts, planned: stages,
  });
  return plan;
}

function sameValues(a: ReadonlyMap<string, string | undefined>, b: ReadonlyMap<string, string | undefined>): boolean {
  if (a.size !== b.size) return false;
  for (const [k, v] of a) if (b.get(k) !== v || !b.has(k)) return false;
  return true;
}

/** None of the stages feeding `outline` (its base and the earlier ones it copies or mounts from) changed. */
function inputsUnchanged(outline: StageOutline, changed: Uint8Array): boolean {
  if (outline.base.kind === 'stage' && (outline.base.stageIndex >= outline.index || changed[outline.base.stageIndex] === 1)) return false;
  for (const r of outline.references) if (r < outline.index && changed[r] === 1) return false;
  return true;
}

/** Plans a stage, reusing what it can of the previous plan's steps; pauses every few dozen steps. */
function* planStage(
  env: Omit<StageEnvironment, 'previous'>, outline: StageOutline, stages: PlannedStage[], prior: StageMemo | undefined,
  targetPlatform: string, fromKey: string, depKey: string, layout: number[], reachable: boolean,
): Generator<void, StageMemo, void> {
  const base = entryState(outline, stages, env.options, targetPlatform);
  const from = fromKeys(outline, stages, base, env.options);
  let entry: StageState = Object.freeze({ ...base, fs: fromStateKey(outline, stages, from) });
  // The previous entry's objects when they hold the same values: its steps are then reused, or
  // re-keyed only when the filesystem below them changed.
  if (prior && sameState(prior.entry, entry)) entry = prior.entry;
  else if (prior && sameSettings(prior.entry, entry)) entry = withChanges(prior.entry, { fs: entry.fs });
  const fromStep = fromStepOf(outline, entry, from);
  const previousInOrder = prior && prior.stage.name === outline.name ? prior.steps : undefined;
  const previous = previousInOrder ? bySignature(previousInOrder) : undefined;
  const planned = yield* planStageStepsInSteps({ ...env, previous, previousInOrder }, outline, fromStep, entry);
  const baseConfig = outline.base.kind === 'stage' ? stages[outline.base.stageIndex]?.config ?? emptyConfig(entry) : emptyConfig(entry);
  const fields: StageFields = {
    index: outline.index,
    name: outline.name,
    nameRange: outline.nameRange,
    range: outline.range,
    base: outline.base,
    platform: entry.platform,
    dependencies: [...baseDependency(outline), ...planned.dependencies],
    reachable,
    steps: planned.steps,
    config: foldConfig(baseConfig, planned.steps, planned.final),
  };
  const stage = new PlanStage(fields, planned.final.fs);
  const instructions = outline.body.map((i) => env.syntax.instructions[i]);
  const body = planned.memos.map((m) => m.signature);
  const usedBuildArgs = planned.memos.some((m) => m.usedBuildArgs.length > 0) ? [...new Set(planned.memos.flatMap((m) => m.usedBuildArgs))] : [];
  return { outline, instructions, usedBuildArgs, fromKey, body, layout, depKey, entry, steps: planned.memos, stage, problems: planned.problems };
}

/** BuildKit does not dispatch stages the target does not need, so their errors do not fail the build. */
function downgradeIfUnreachable(problem: PlanProblem, outlines: StageOutline[], reachable: boolean[]): PlanProblem {
  if (problem.severity !== 'error') return problem;
  const line = problem.range.start.line;
  const stage = outlines.find((s) => !reachable[s.index] && s.range.start.line < line && line <= s.range.end.line);
  if (!stage) return problem;
  return { ...problem, severity: 'warning', message: `${problem.message} (stage ${stage.name ?? stage.index} is not needed for the target, so the build does not fail)` };
}
