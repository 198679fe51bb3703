// Public entry of the layer plan: syntax tree -> stages, steps, cache keys.
export * from './types';
export { planDockerfile, planDockerfileInSteps } from './planDockerfile';
export { explainCacheMiss } from './explainCacheMiss';
export { findStepAt } from './findStepAt';
export { formatPlan } from './formatPlan';
export { hostPlatform } from './platform';
