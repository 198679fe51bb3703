// Every LSP feature the server offers, in registration order. One file per feature.
import { diagnosticsFeature } from './diagnostics';
import type { Feature } from './feature';
import { hoverFeature } from './hover';
import { layerPlanFeature } from './layerPlanRequest';

export const features: Feature[] = [
  diagnosticsFeature,
  hoverFeature,
  layerPlanFeature,
];
