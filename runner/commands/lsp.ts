// `layerlens lsp --stdio`: the same language server the extension uses, for any LSP client.
import * as path from 'path';
import type { Command } from './command';
import { CliError } from './cliError';

export const lspCommand: Command = {
  summary: 'run the Dockerfile language server (--stdio, --node-ipc or --socket=PORT)',
  async run(args) {
    if (!args.some((a) => a === '--stdio' || a === '--node-ipc' || a.startsWith('--socket='))) {
      throw new CliError('say how to talk: --stdio, --node-ipc or --socket=PORT', 2);
    }
    // vscode-languageserver reads the transport from process.argv.
    process.argv = [process.argv[0], process.argv[1], ...args];
    require(path.join(__dirname, 'server.js'));
    return new Promise<number>(() => undefined); // the server owns the process from here
  },
};
