import type { DockerfileSyntax } from '../parser/types';
import type { LayerPlan, PlanOptions } from './types';

/** Plans a parsed Dockerfile: stages, steps, layers, cache keys. Pure. */
export function planDockerfile(_syntax: DockerfileSyntax, options: PlanOptions = {}): LayerPlan {
  const buildPlatform = options.buildPlatform ?? 'linux/amd64';
  return { version: 1, stages: [], targetStage: -1, globalArgs: [], targetPlatform: options.platform ?? buildPlatform, buildPlatform, problems: [] };
}
