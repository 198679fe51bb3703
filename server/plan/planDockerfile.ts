// syntax tree -> layer plan. Pure: file-system and registry knowledge only arrive through the
// readers in PlanOptions. Re-planning with `options.previous` reuses unchanged steps.
import type { DockerfileSyntax } from '../parser/types';
import { cacheKeyOf } from './cacheKey';
import { resolveMetaArgs } from './metaArgs';
import { defaultPlatform, formatPlatform, parsePlatform, platformArgs } from './platform';
import type { Platform } from './platform';
import { outlineStages } from './stageGraph';
import type { StageOutline } from './stageGraph';
import { emptyConfig, foldConfig } from './stageConfig';
import { planStageSteps } from './planStage';
import type { StepMemo } from './planStage';
import { defaultPath, defaultShell, sameState } from './stageState';
import type { StageState } from './stageState';
import type { StageRef } from './stepContext';
import type { LayerPlan, PlanOptions, PlannedStage, PlannedStep, PlanProblem } from './types';

interface PlanMemo {
  signature: string;
  context: PlanOptions['context'];
  images: PlanOptions['images'];
  stages: { entry: StageState; name?: string; steps: StepMemo[] }[];
}

const memos = new WeakMap<LayerPlan, PlanMemo>();
const proxyArgs = new Set(['HTTP_PROXY', 'HTTPS_PROXY', 'FTP_PROXY', 'NO_PROXY', 'ALL_PROXY', 'http_proxy', 'https_proxy', 'ftp_proxy', 'no_proxy', 'all_proxy']);

/** Plans a parsed Dockerfile: stages, steps, layers, cache keys. Pure; never throws. */
export function planDockerfile(syntax: DockerfileSyntax, options: PlanOptions = {}): LayerPlan {
  const problems: PlanProblem[] = [];
  const zero = { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } };
  const platform = (spec: string | undefined, fallback: Platform, what: string): Platform => {
    if (spec === undefined) return fallback;
    const parsed = parsePlatform(spec);
    if (typeof parsed !== 'string') return parsed;
    problems.push({ range: zero, message: `invalid ${what} platform: ${parsed}`, code: 'invalid-platform', severity: 'error' });
    return fallback;
  };
  const buildPlatform = platform(options.buildPlatform, defaultPlatform, 'build');
  const targetPlatform = platform(options.platform, buildPlatform, 'target');
  const platformValues = platformArgs(buildPlatform, targetPlatform);
  const usedBuildArgs = new Set<string>();
  const meta = resolveMetaArgs(syntax, platformValues, options, problems, usedBuildArgs);
  const graph = outlineStages(syntax, meta, options.target, problems);

  const signature = JSON.stringify([options.buildArgs ?? {}, options.target ?? '', formatPlatform(targetPlatform), formatPlatform(buildPlatform), syntax.escapeChar, [...meta.values]]);
  const previous = options.previous ? memos.get(options.previous) : undefined;
  const usable = previous && previous.signature === signature && previous.context === options.context && previous.images === options.images ? previous : undefined;

  const stageRefs: StageRef[] = graph.stages.map((s) => ({ index: s.index, name: s.name }));
  const stages: PlannedStage[] = [];
  const memo: PlanMemo = { signature, context: options.context, images: options.images, stages: [] };
  for (const outline of graph.stages) {
    const prior = usable?.stages[outline.index];
    const base = entryState(outline, stages, options, formatPlatform(targetPlatform));
    const from = fromKeys(outline, stages, base, options);
    let entry: StageState = Object.freeze({ ...base, stateKey: from.stateKey });
    if (prior && sameState(prior.entry, entry)) entry = prior.entry;
    const fromStep = fromStepOf(outline, entry, from);
    const previousSteps = prior && prior.name === outline.name ? bySignature(prior.steps) : undefined;
    const planned = planStageSteps(
      { syntax, options, metaArgs: meta.values, stageRefs, byName: graph.byName, usedBuildArgs, previous: previousSteps },
      outline, fromStep, entry,
    );
    stageRefs[outline.index].resultKey = planned.final.stateKey;
    problems.push(...planned.problems);
    const baseConfig = outline.base.kind === 'stage' ? stages[outline.base.stageIndex]?.config ?? emptyConfig(entry) : emptyConfig(entry);
    stages.push({
      index: outline.index,
      name: outline.name,
      nameRange: outline.nameRange,
      range: outline.range,
      base: outline.base,
      platform: entry.platform,
      dependencies: [...(outline.base.kind === 'stage' ? [{ stageIndex: outline.base.stageIndex, via: 'from' as const, range: outline.from.image?.range ?? outline.from.range }] : []), ...planned.dependencies],
      reachable: outline.reachable,
      steps: planned.steps,
      resultKey: planned.final.stateKey,
      config: foldConfig(baseConfig, planned.steps, planned.final),
    });
    memo.stages.push({ entry, name: outline.name, steps: planned.memos });
  }
  downgradeUnreachable(problems, graph.stages);
  for (const name of Object.keys(options.buildArgs ?? {})) {
    if (!usedBuildArgs.has(name) && !(name in platformValues) && !proxyArgs.has(name)) {
      problems.push({ range: zero, message: `build-arg ${name} was not consumed by any ARG`, code: 'unused-build-arg', severity: 'warning' });
    }
  }
  const plan: LayerPlan = {
    version: 1,
    stages,
    targetStage: graph.target,
    globalArgs: meta.globalArgs,
    platformArgs: platformValues,
    targetPlatform: formatPlatform(targetPlatform),
    buildPlatform: formatPlatform(buildPlatform),
    problems,
  };
  memos.set(plan, memo);
  return plan;
}

function bySignature(steps: StepMemo[]): Map<string, StepMemo[]> {
  const map = new Map<string, StepMemo[]>();
  for (const s of steps) {
    const list = map.get(s.signature);
    if (list) list.push(s);
    else map.set(s.signature, [s]);
  }
  return map;
}

function entryState(outline: StageOutline, stages: PlannedStage[], options: PlanOptions, targetPlatform: string): StageState {
  if (outline.base.kind === 'stage') {
    const base = stages[outline.base.stageIndex];
    const last = base.steps[base.steps.length - 1];
    return Object.freeze({
      stateKey: base.resultKey,
      env: base.config.env,
      vars: Object.freeze({ ...base.config.env, ...varsAfter(last) }),
      args: argsAfter(last),
      workdir: base.config.workdir,
      workdirSet: base.steps.some((s) => s.details.kind === 'workdir'),
      user: base.config.user,
      shell: Object.freeze([...base.config.shell]),
      platform: base.platform,
    });
  }
  const platform = outline.platform ?? targetPlatform;
  const config = outline.base.kind === 'image' ? options.images?.config?.(outline.base.ref, platform) : undefined;
  const env: Record<string, string> = {};
  for (const entry of config?.env ?? []) {
    const eq = entry.indexOf('=');
    env[eq < 0 ? entry : entry.slice(0, eq)] = eq < 0 ? '' : entry.slice(eq + 1);
  }
  if (!('PATH' in env)) env.PATH = defaultPath;
  const frozen = Object.freeze(env);
  return Object.freeze({
    stateKey: '',
    env: frozen,
    vars: frozen,
    args: Object.freeze({}),
    workdir: config?.workingDir || '/',
    workdirSet: false,
    user: config?.user ?? '',
    shell: config?.shell && config.shell.length > 0 ? Object.freeze([...config.shell]) : defaultShell,
    platform,
  });
}

/** The variables and args in force after a stage's last step. */
function varsAfter(step: PlannedStep): Record<string, string> {
  const vars: Record<string, string> = { ...step.env };
  for (const [k, v] of Object.entries(step.args)) if (v !== undefined) vars[k] = v;
  if (step.details.kind === 'env') for (const p of step.details.pairs) vars[p.key] = p.value;
  if (step.details.kind === 'arg') for (const a of step.details.args) if (a.value !== undefined) vars[a.name] = a.value;
  return vars;
}

function argsAfter(step: PlannedStep): Readonly<Record<string, string | undefined>> {
  if (step.details.kind !== 'arg') return step.args;
  const args = { ...step.args };
  for (const a of step.details.args) args[a.name] = a.value;
  return Object.freeze(args);
}

interface FromKeys {
  cacheKey: string;
  stateKey: string;
  inputs: PlannedStep['cacheKeyInputs'];
}

/** The FROM step's cache key: the base image (digest when known), scratch, or the base stage's result. */
function fromKeys(outline: StageOutline, stages: PlannedStage[], entry: StageState, options: PlanOptions): FromKeys {
  const base = outline.base;
  const digest = base.kind === 'image' ? options.images?.digest(base.ref, entry.platform) : undefined;
  if (base.kind === 'image' && digest) base.digest = digest;
  const inputs = {
    parent: base.kind === 'stage' ? stages[base.stageIndex].resultKey : '',
    op: 'FROM',
    command: `FROM ${outline.baseName}`,
    env: [],
    workdir: '/',
    user: '',
    platform: entry.platform,
    base: base.kind === 'image' ? { ref: base.ref, digest: digest ?? 'unknown' } : base.kind === 'scratch' ? { ref: 'scratch', digest: '' } : undefined,
  };
  const cacheKey = cacheKeyOf(inputs);
  return { cacheKey, stateKey: base.kind === 'stage' ? inputs.parent : cacheKey, inputs };
}

function fromStepOf(outline: StageOutline, entry: StageState, keys: FromKeys): PlannedStep {
  return {
    index: 0,
    stageIndex: outline.index,
    instructionIndex: outline.fromIndex,
    instruction: 'FROM',
    range: outline.from.range,
    createsLayer: false,
    arguments: [outline.baseName],
    display: `FROM ${outline.baseName}${outline.name ? ` AS ${outline.name}` : ''}`,
    details: { kind: 'from' },
    args: entry.args,
    env: entry.env,
    workdir: entry.workdir,
    user: entry.user,
    shell: entry.shell as string[],
    variables: outline.fromUses,
    cacheKey: keys.cacheKey,
    cacheKeyInputs: keys.inputs,
    stateKey: keys.stateKey,
  };
}

function downgradeUnreachable(problems: PlanProblem[], stages: StageOutline[]): void {
  for (const p of problems) {
    if (p.severity !== 'error') continue;
    const stage = stages.find((s) => !s.reachable && s.range.start.line <= p.range.start.line && p.range.start.line <= s.range.end.line && s.from.range.start.line !== p.range.start.line);
    if (stage) {
      p.severity = 'warning';
      p.message += ` (stage ${stage.name ?? stage.index} is not needed for the target, so the build does not fail)`;
    }
  }
}
