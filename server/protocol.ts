// Custom requests the client and the server agree on, in one typed file. Plain method names and
// types (no RequestType objects), so both sides stay independent of each other's protocol version.
import type { LayerPlan } from './plan';

export interface LayerPlanParams {
  uri: string;
}

export interface LayerPlanResult {
  uri: string;
  version: number;
  plan: LayerPlan;
}

/** `layerlens/layerPlan`: the layer plan of an open Dockerfile, as the server last computed it. */
export const layerPlanMethod = 'layerlens/layerPlan';
