// Starts the language server as a separate Node process over IPC; restarts it when it dies.
import * as vscode from 'vscode';
import {
  CloseAction, ErrorAction, LanguageClient, TransportKind,
  type ErrorHandler, type LanguageClientOptions, type ServerOptions,
} from 'vscode-languageclient/node';

const MAX_RESTARTS = 5;
const RESTART_WINDOW_MS = 3 * 60 * 1000;

export function createLanguageClient(context: vscode.ExtensionContext, output: vscode.LogOutputChannel): LanguageClient {
  const module = context.asAbsolutePath('dist/server.js');
  const serverOptions: ServerOptions = {
    run: { module, transport: TransportKind.ipc },
    debug: { module, transport: TransportKind.ipc, options: { execArgv: ['--nolazy', '--inspect=6010'] } },
  };
  const clientOptions: LanguageClientOptions = {
    documentSelector: [{ language: 'dockerfile' }],
    outputChannel: output,
    errorHandler: restartingErrorHandler(output),
    synchronize: { configurationSection: 'layerlens' },
  };
  return new LanguageClient('layerlens', 'Layerlens language server', serverOptions, clientOptions);
}

/** Restarts a crashed server, up to MAX_RESTARTS times in RESTART_WINDOW_MS. */
function restartingErrorHandler(output: vscode.LogOutputChannel): ErrorHandler {
  const restarts: number[] = [];
  return {
    error: () => ({ action: ErrorAction.Continue }),
    closed: () => {
      const now = Date.now();
      while (restarts.length && now - restarts[0] > RESTART_WINDOW_MS) restarts.shift();
      if (restarts.length >= MAX_RESTARTS) {
        const message = `The Layerlens language server stopped ${MAX_RESTARTS} times in 3 minutes and will not be restarted. See the "Layerlens" output.`;
        return { action: CloseAction.DoNotRestart, message };
      }
      restarts.push(now);
      output.appendLine(`language server stopped; restarting (${restarts.length}/${MAX_RESTARTS})`);
      return { action: CloseAction.Restart, handled: true };
    },
  };
}
