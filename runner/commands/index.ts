// Every CLI command, by name. Each lives in its own file and exports a `Command`.
import type { Command } from './command';
import { pullCommand } from './pull';
import { pushCommand } from './push';
import { imagesCommand } from './images';
import { rmiCommand } from './rmi';
import { tagCommand } from './tag';
import { importCommand } from './import';
import { fsckCommand } from './fsck';
import { pruneCommand } from './prune';
import { execCommand } from './exec';
import { inspectCommand } from './inspect';
import { killCommand } from './kill';
import { logsCommand } from './logs';
import { psCommand } from './ps';
import { rmCommand } from './rm';
import { runCommand } from './run';
import { startCommand } from './start';
import { stopCommand } from './stop';
import { lspCommand } from './lsp';
import { parseCommand } from './parse';
import { planCommand } from './plan';
import { buildCommand } from './build';

export const commands: Record<string, Command> = {
  pull: pullCommand,
  push: pushCommand,
  images: imagesCommand,
  rmi: rmiCommand,
  tag: tagCommand,
  import: importCommand,
  fsck: fsckCommand,
  prune: pruneCommand,
  run: runCommand,
  start: startCommand,
  ps: psCommand,
  logs: logsCommand,
  stop: stopCommand,
  kill: killCommand,
  rm: rmCommand,
  exec: execCommand,
  inspect: inspectCommand,
  parse: parseCommand,
  plan: planCommand,
  build: buildCommand,
  lsp: lspCommand,
};
