// The plan's steps and stages as the planner makes them: plain fields, and cache keys read through
// getters from keys worked out on first read (stepKeys.ts). `toJSON` gives the plain, documented
// shape. Copy them with `copyStep`/`copyStage`, not by spreading: a spread leaves the keys out.
import { knownKey } from './stepKeys';
import type { KeyRef, StepKeys } from './stepKeys';
import type { Range } from '../parser/types';
import type { CacheKeyInputs, PlannedImageConfig, PlannedStage, PlannedStep, StageBase, StageDependency, StepDetails, StepSizes, VariableUse } from './types';

/** The fields of a step other than its keys and sizes. */
export type StepFields = Omit<PlannedStep, 'cacheKey' | 'cacheKeyInputs' | 'stateKey' | keyof StepSizes>;

export class PlanStep implements PlannedStep {
  declare index: number;
  declare stageIndex: number;
  declare instructionIndex: number;
  declare instruction: string;
  declare range: Range;
  declare createsLayer: boolean;
  declare arguments: string[];
  declare display: string;
  declare details: StepDetails;
  declare args: Record<string, string | undefined>;
  declare env: Record<string, string>;
  declare workdir: string;
  declare user: string;
  declare shell: string[];
  declare variables: VariableUse[];
  declare layerOnlyIfMissing?: boolean;
  declare predictedBytes?: number;
  declare measuredBytes?: number;
  declare basis?: string;
  declare confidence?: StepSizes['confidence'];
  declare wastedBytes?: number;
  readonly #keys: StepKeys;

  /** `f`'s fields with `changes`, keyed by `keys`; every field written here, in one order (one hidden class, stored in the object). */
  constructor(f: StepFields, keys: StepKeys, changes?: Partial<StepFields>) {
    this.#keys = keys;
    this.index = changes?.index ?? f.index;
    this.stageIndex = f.stageIndex;
    this.instructionIndex = changes?.instructionIndex ?? f.instructionIndex;
    this.instruction = f.instruction;
    this.range = changes?.range ?? f.range;
    this.createsLayer = f.createsLayer;
    this.arguments = f.arguments;
    this.display = f.display;
    this.details = f.details;
    this.args = changes?.args ?? f.args;
    this.env = changes?.env ?? f.env;
    this.workdir = f.workdir;
    this.user = f.user;
    this.shell = f.shell;
    this.variables = changes?.variables ?? f.variables;
    if (f.layerOnlyIfMissing) this.layerOnlyIfMissing = true;
  }

  get cacheKey(): string {
    return this.#keys.cacheKey;
  }

  get cacheKeyInputs(): CacheKeyInputs {
    return this.#keys.cacheKeyInputs;
  }

  get stateKey(): string {
    return this.#keys.value;
  }

  /** The keys behind the getters (the planner re-keys a step from them). */
  static keysOf(step: PlanStep): StepKeys {
    return step.#keys;
  }

  toJSON(): PlannedStep {
    const out: PlannedStep = {
      index: this.index,
      stageIndex: this.stageIndex,
      instructionIndex: this.instructionIndex,
      instruction: this.instruction,
      range: this.range,
      createsLayer: this.createsLayer,
      arguments: this.arguments,
      display: this.display,
      details: this.details,
      args: this.args,
      env: this.env,
      workdir: this.workdir,
      user: this.user,
      shell: this.shell,
      variables: this.variables,
      cacheKey: this.cacheKey,
      cacheKeyInputs: this.cacheKeyInputs,
      stateKey: this.stateKey,
    };
    for (const key of extraKeys) if (this[key] !== undefined) (out as unknown as Record<string, unknown>)[key] = this[key];
    return out;
  }
}

/** Fields after the keys, in the order they are written (layerOnlyIfMissing by the planner, the sizes by size prediction). */
const extraKeys = ['layerOnlyIfMissing', 'confidence', 'basis', 'predictedBytes', 'measuredBytes', 'wastedBytes'] as const;

/** A step with `fields` keyed by `keys`. */
export function makeStep(fields: StepFields, keys: StepKeys): PlanStep {
  return new PlanStep(fields, keys);
}

/** `old` with `changes` (and new keys when given); its sizes are left behind. */
export function copyStep(old: PlanStep, changes: Partial<StepFields>, keys = PlanStep.keysOf(old)): PlanStep {
  return new PlanStep(old, keys, changes);
}

/** `step` (any plan's) with `sizes`, keys kept as they are (not worked out). */
export function withSizes(step: PlannedStep, sizes: StepSizes): PlannedStep {
  const sized: PlannedStep = step instanceof PlanStep ? copyStep(step, {}) : { ...step };
  if ('confidence' in sizes) sized.confidence = sizes.confidence;
  if ('basis' in sizes) sized.basis = sizes.basis;
  if ('predictedBytes' in sizes) sized.predictedBytes = sizes.predictedBytes;
  if ('measuredBytes' in sizes) sized.measuredBytes = sizes.measuredBytes;
  if ('wastedBytes' in sizes) sized.wastedBytes = sizes.wastedBytes;
  return sized;
}

/** The fields of a stage other than its result key. */
export type StageFields = Omit<PlannedStage, 'resultKey'>;

export class PlanStage implements PlannedStage {
  declare index: number;
  declare name?: string;
  declare nameRange?: Range;
  declare range: Range;
  declare base: StageBase;
  declare platform: string;
  declare dependencies: StageDependency[];
  declare reachable: boolean;
  declare steps: PlannedStep[];
  declare config: PlannedImageConfig;
  readonly #result: KeyRef;

  /** `f`'s fields with `changes`, its result keyed by `result`. */
  constructor(f: StageFields, result: KeyRef, changes?: Partial<StageFields>) {
    this.#result = result;
    this.index = f.index;
    this.name = f.name;
    this.nameRange = changes && 'nameRange' in changes ? changes.nameRange : f.nameRange;
    this.range = changes?.range ?? f.range;
    this.base = f.base;
    this.platform = f.platform;
    this.dependencies = changes?.dependencies ?? f.dependencies;
    this.reachable = changes?.reachable ?? f.reachable;
    this.steps = changes?.steps ?? f.steps;
    this.config = f.config;
  }

  get resultKey(): string {
    return this.#result.value;
  }

  toJSON(): PlannedStage {
    return {
      index: this.index,
      name: this.name,
      nameRange: this.nameRange,
      range: this.range,
      base: this.base,
      platform: this.platform,
      dependencies: this.dependencies,
      reachable: this.reachable,
      steps: this.steps,
      resultKey: this.resultKey,
      config: this.config,
    };
  }

  static resultOf(stage: PlanStage): KeyRef {
    return stage.#result;
  }
}

/** The key of a stage's result, not worked out (a stage from elsewhere: its key as text). */
export function resultOf(stage: PlannedStage): KeyRef {
  return stage instanceof PlanStage ? PlanStage.resultOf(stage) : knownKey(stage.resultKey);
}

/** `old` with `changes`, its result key kept as it is. */
export function copyStage(old: PlannedStage, changes: Partial<StageFields>): PlannedStage {
  return new PlanStage(old, resultOf(old), changes);
}
