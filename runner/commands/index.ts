// Every CLI command, by name, loaded only when it runs: `layerlens run` never loads the parser, the
// registry client or the build engine. Each command lives in its own file and exports a `Command`.
// require(), not import(): the bundler (scripts/build.mjs) points each one at a group bundle, and
// Node's ESM loader would cost more than the bundles it loads.
import type { Command } from './command';

export type CommandLoader = () => Command;

export const commands: Record<string, CommandLoader> = {
  pull: () => (require('./pull') as typeof import('./pull')).pullCommand,
  push: () => (require('./push') as typeof import('./push')).pushCommand,
  images: () => (require('./images') as typeof import('./images')).imagesCommand,
  rmi: () => (require('./rmi') as typeof import('./rmi')).rmiCommand,
  tag: () => (require('./tag') as typeof import('./tag')).tagCommand,
  import: () => (require('./import') as typeof import('./import')).importCommand,
  fsck: () => (require('./fsck') as typeof import('./fsck')).fsckCommand,
  prune: () => (require('./prune') as typeof import('./prune')).pruneCommand,
  run: () => (require('./run') as typeof import('./run')).runCommand,
  start: () => (require('./start') as typeof import('./start')).startCommand,
  ps: () => (require('./ps') as typeof import('./ps')).psCommand,
  logs: () => (require('./logs') as typeof import('./logs')).logsCommand,
  stop: () => (require('./stop') as typeof import('./stop')).stopCommand,
  kill: () => (require('./kill') as typeof import('./kill')).killCommand,
  rm: () => (require('./rm') as typeof import('./rm')).rmCommand,
  exec: () => (require('./exec') as typeof import('./exec')).execCommand,
  inspect: () => (require('./inspect') as typeof import('./inspect')).inspectCommand,
  parse: () => (require('./parse') as typeof import('./parse')).parseCommand,
  plan: () => (require('./plan') as typeof import('./plan')).planCommand,
  build: () => (require('./build') as typeof import('./build')).buildCommand,
  lsp: () => (require('./lsp') as typeof import('./lsp')).lspCommand,
  preflight: () => (require('./preflight') as typeof import('./preflight')).preflightCommand,
};
