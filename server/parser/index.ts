// Public entry of the Dockerfile parser: text -> syntax tree (never throws, linear time).
export * from './types';
export { parseDockerfile } from './parseDockerfile';
