// Custom requests the client and the server agree on, in one typed file. Plain method names and
// types (no RequestType objects), so both sides stay independent of each other's protocol version.
import type { LayerPlan } from './plan';

export interface LayerPlanParams {
  uri: string;
}

/** What the views show next to a step besides the plan itself. */
export interface StepFigures {
  /** Image size after this step (a lower bound when `cumulativeComplete` is false). */
  cumulativeBytes: number;
  cumulativeComplete: boolean;
  /** Whether the local build cache holds this step. */
  cache: 'cached' | 'will build' | 'metadata';
  /**
   * For 'will build': why, one sentence per cause. What changed since the step was last seen cached
   * in this session (explainCacheMiss), else which earlier step misses first, else that the build
   * cache has never held these inputs.
   */
  missReasons?: string[];
}

export interface LayerPlanResult {
  uri: string;
  version: number;
  plan: LayerPlan;
  /** Figures per step, keyed `stageIndex:stepIndex`. */
  figures: Record<string, StepFigures>;
}

/** `layerlens/layerPlan`: the layer plan of an open Dockerfile, as the server last computed it. */
export const layerPlanMethod = 'layerlens/layerPlan';
