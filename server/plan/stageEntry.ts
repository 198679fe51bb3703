// How a stage starts: the state its first step sees (from a base image's config, scratch, or
// the final state of an earlier stage) and its FROM step with the base's cache key.
import { setOwn } from './copyRecord';
import { makeStep, resultOf } from './plannedObjects';
import { emptyKey, knownKey, StepKeys } from './stepKeys';
import type { KeyRef } from './stepKeys';
import type { StageOutline } from './stageGraph';
import { defaultPath, defaultShell } from './stageState';
import type { StageState } from './stageState';
import type { PlanOptions, PlannedStage, PlannedStep } from './types';

export function entryState(outline: StageOutline, stages: PlannedStage[], options: PlanOptions, targetPlatform: string): StageState {
  if (outline.base.kind === 'stage') return handoverOf(stages[outline.base.stageIndex]);
  const platform = outline.platform ?? targetPlatform;
  const config = outline.base.kind === 'image' ? options.images?.config?.(outline.base.ref, platform) : undefined;
  const env: Record<string, string> = {};
  for (const entry of config?.env ?? []) {
    const eq = entry.indexOf('=');
    setOwn(env, eq < 0 ? entry : entry.slice(0, eq), eq < 0 ? '' : entry.slice(eq + 1));
  }
  if (!Object.prototype.hasOwnProperty.call(env, 'PATH')) env.PATH = defaultPath;
  const frozen = Object.freeze(env);
  return Object.freeze({
    fs: emptyKey,
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

/** The state a stage built FROM `base` starts in: its result and what its config and last step leave. */
function handoverOf(base: PlannedStage): StageState {
  const last = base.steps[base.steps.length - 1];
  return Object.freeze({
    fs: resultOf(base),
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

const handoverKeys = new WeakMap<PlannedStage, string>();

/** What `stage` hands the stages built FROM it besides its filesystem (variables, directory, user, shell, image config), as text. */
export function handoverKeyOf(stage: PlannedStage): string {
  let key = handoverKeys.get(stage);
  if (key === undefined) {
    const s = handoverOf(stage);
    // The config a derived stage's own config starts from (labels, ports, CMD, ...; not ONBUILD).
    const c = stage.config;
    // Args as entries: JSON leaves out an object's undefined values, and an ARG declared without one is handed on too.
    key = JSON.stringify([s.env, s.vars, Object.entries(s.args), s.workdir, s.workdirSet, s.user, s.shell, s.platform, c.labels, c.exposedPorts, c.volumes, c.cmd, c.entrypoint, c.stopSignal, c.healthcheck, c.maintainer]);
    handoverKeys.set(stage, key);
  }
  return key;
}

/** The variables and args in force after a stage's last step. */
function varsAfter(step: PlannedStep): Record<string, string> {
  const vars: Record<string, string> = { ...step.env };
  for (const [k, v] of Object.entries(step.args)) if (v !== undefined) setOwn(vars, k, v);
  if (step.details.kind === 'env') for (const p of step.details.pairs) setOwn(vars, p.key, p.value);
  if (step.details.kind === 'arg') for (const a of step.details.args) if (a.value !== undefined) setOwn(vars, a.name, a.value);
  return vars;
}

function argsAfter(step: PlannedStep): Readonly<Record<string, string | undefined>> {
  if (step.details.kind !== 'arg') return step.args;
  const args = { ...step.args };
  for (const a of step.details.args) args[a.name] = a.value;
  return Object.freeze(args);
}

/**
 * The FROM step's keys: on the base image (digest when known) or scratch, which fromStateKey works
 * out at once (one hash; a re-planned stage's entry compares by its text), or on the base stage's
 * result, which stays unread.
 */
export function fromKeys(outline: StageOutline, stages: PlannedStage[], entry: StageState, options: PlanOptions): StepKeys {
  const base = outline.base;
  const digest = base.kind === 'image' ? options.images?.digest(base.ref, entry.platform) : undefined;
  if (base.kind === 'image' && digest) base.digest = digest;
  const parts = {
    op: 'FROM',
    command: `FROM ${outline.baseName}`,
    env: [],
    workdir: '/',
    user: '',
    platform: entry.platform,
    base: base.kind === 'image' ? { ref: base.ref, digest: digest ?? 'unknown' } : base.kind === 'scratch' ? { ref: 'scratch', digest: '' } : undefined,
  };
  if (base.kind === 'stage') return new StepKeys(resultOf(stages[base.stageIndex]), parts, 'parent', undefined, undefined);
  return new StepKeys(emptyKey, parts, 'own', undefined, undefined);
}

/**
 * The key of the state a FROM step leaves: the base stage's result (the same object while that
 * stage is unchanged), or the FROM key as known text (equal texts compare equal).
 */
export function fromStateKey(outline: StageOutline, stages: PlannedStage[], keys: StepKeys): KeyRef {
  return outline.base.kind === 'stage' ? resultOf(stages[outline.base.stageIndex]) : knownKey(keys.value);
}

export function fromStepOf(outline: StageOutline, entry: StageState, keys: StepKeys): PlannedStep {
  const fields = {
    index: 0,
    stageIndex: outline.index,
    instructionIndex: outline.fromIndex,
    instruction: 'FROM',
    range: outline.from.range,
    createsLayer: false,
    arguments: [outline.baseName],
    display: `FROM ${outline.baseName}${outline.name ? ` AS ${outline.name}` : ''}`,
    details: { kind: 'from' } as const,
    args: entry.args,
    env: entry.env,
    workdir: entry.workdir,
    user: entry.user,
    shell: entry.shell as string[],
    variables: outline.fromUses,
  };
  return makeStep(fields, keys);
}
