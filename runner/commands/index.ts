// Every CLI command, by name. Each lives in its own file and exports a `Command`.
import type { Command } from './command';
import { lspCommand } from './lsp';

export const commands: Record<string, Command> = {
  lsp: lspCommand,
};
