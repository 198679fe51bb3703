// Starts the language server as a separate Node process over stdio; restarts it when it dies.
// stdio rather than IPC: Node's IPC channel stringifies every message itself, while the server's
// stdio writer sends a kept encoding of an unchanged result (the outline of a large file, 3.8 MB).
import * as vscode from 'vscode';
import {
  CloseAction, ErrorAction, LanguageClient, TransportKind,
  type ErrorHandler, type LanguageClientOptions, type ServerOptions,
} from 'vscode-languageclient/node';

const MAX_RESTARTS = 5;
const RESTART_WINDOW_MS = 3 * 60 * 1000;

/**
 * The server's environment: the `layerlens.store.path` setting becomes LAYERLENS_STORE, so the
 * plan's cache states and image sizes come from the store the views list. Read at each (re)start.
 */
export const serverEnvironment: NodeJS.ProcessEnv = { ...process.env };

/** Points the server at the configured store; true when that changed (restart the server). */
export function updateServerStore(): boolean {
  const store = vscode.workspace.getConfiguration('layerlens').get<string>('store.path') || process.env.LAYERLENS_STORE;
  if (serverEnvironment.LAYERLENS_STORE === store) return false;
  if (store) serverEnvironment.LAYERLENS_STORE = store;
  else delete serverEnvironment.LAYERLENS_STORE;
  return true;
}

export function createLanguageClient(context: vscode.ExtensionContext, output: vscode.LogOutputChannel): LanguageClient {
  const module = context.asAbsolutePath('dist/server.js');
  updateServerStore();
  const serverOptions: ServerOptions = {
    run: { module, transport: TransportKind.stdio, options: { env: serverEnvironment } },
    debug: { module, transport: TransportKind.stdio, options: { env: serverEnvironment, execArgv: ['--nolazy', '--inspect=6010'] } },
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
