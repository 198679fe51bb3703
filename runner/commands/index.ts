// Every CLI command, by name. Each lives in its own file and exports a `Command`.
import type { Command } from './command';
import { lspCommand } from './lsp';
import { parseCommand } from './parse';
import { planCommand } from './plan';

export const commands: Record<string, Command> = {
  parse: parseCommand,
  plan: planCommand,
  lsp: lspCommand,
};
