// What a step planner gets (the instruction, the state before it, the stage graph) and what it
// returns (the step's details and the state after it).
import type { InstructionNode } from '../parser/types';
import type { WordExpander, Scope } from './expandWords';
import type { StageState } from './stageState';
import type { KeyRef, StageReads } from './stepKeys';
import type { CacheKeyInputs, PlanOptions, PlanProblem, StageDependency, StepDetails } from './types';

/** A stage as other stages see it while planning. */
export interface StageRef {
  index: number;
  name?: string;
  /** The key of its result, filled once the stage is planned (not worked out: see stepKeys.ts). */
  result?: KeyRef;
}

export interface StepContext {
  instruction: InstructionNode;
  stageIndex: number;
  stageName?: string;
  stepIndex: number;
  state: StageState;
  scope: Scope;
  expander: WordExpander;
  escapeChar: string;
  options: PlanOptions;
  /** Stage lookup by the final name map (COPY --from, RUN --mount from=). */
  stageByName(name: string): StageRef | undefined;
  stageByIndex(index: number): StageRef | undefined;
  /** Global ARG and platform arg values (for ARG without default inside a stage). */
  metaArgs: ReadonlyMap<string, string | undefined>;
  problems: PlanProblem[];
  dependencies: StageDependency[];
  /** Build args that some ARG consumed (each once, in order). */
  usedBuildArgs: string[];
}

/** A step planner's answer. */
export interface StepDraft {
  createsLayer: boolean;
  layerOnlyIfMissing?: boolean;
  arguments: string[];
  display: string;
  details: StepDetails;
  /** The operation-specific part of the cache key inputs (parent, workdir, user, platform are added). */
  key: Pick<CacheKeyInputs, 'op' | 'command'> & Partial<Pick<CacheKeyInputs, 'env' | 'sources' | 'options' | 'base'>> & {
    /** A RUN's variables: its key's `env` is their sorted entries, made when the key is worked out. */
    envOf?: Readonly<Record<string, string>>;
    /** Other stages' results the key reads, rendered into its sources and options when it is worked out. */
    reads?: StageReads;
  };
  /** COPY --link: the layer does not depend on its parent. */
  link?: boolean;
  /** The state after the step (the same object when nothing changed). */
  state: StageState;
}
