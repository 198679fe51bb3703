// A minimal real LSP client: starts `layerlens lsp --stdio` (dist/cli.js) and talks JSON-RPC over its pipes.
import { spawn, type ChildProcessWithoutNullStreams } from 'child_process';
import * as path from 'path';
import { createMessageConnection, StreamMessageReader, StreamMessageWriter, type MessageConnection } from 'vscode-jsonrpc/node';
import type { Diagnostic, PublishDiagnosticsParams, TextDocumentContentChangeEvent } from 'vscode-languageserver-protocol';

export const CLI = path.resolve(__dirname, '..', '..', '..', 'dist', 'cli.js');

export class LspClient {
  readonly connection: MessageConnection;
  private readonly process: ChildProcessWithoutNullStreams;
  private readonly diagnostics = new Map<string, PublishDiagnosticsParams>();
  private readonly waiters: (() => void)[] = [];
  stderr = '';

  constructor() {
    this.process = spawn(process.execPath, [CLI, 'lsp', '--stdio']);
    this.process.stderr.on('data', (d: Buffer) => { this.stderr += d; });
    this.connection = createMessageConnection(new StreamMessageReader(this.process.stdout), new StreamMessageWriter(this.process.stdin));
    this.connection.onNotification('textDocument/publishDiagnostics', (params: PublishDiagnosticsParams) => {
      this.diagnostics.set(params.uri, params);
      this.waiters.splice(0).forEach((w) => w());
    });
    this.connection.listen();
  }

  async initialize(): Promise<unknown> {
    const result = await this.connection.sendRequest('initialize', { processId: process.pid, rootUri: null, capabilities: {} });
    await this.connection.sendNotification('initialized', {});
    return result;
  }

  open(uri: string, text: string, version = 1): Promise<void> {
    return this.connection.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'dockerfile', version, text } });
  }

  change(uri: string, text: string, version: number): Promise<void> {
    return this.connection.sendNotification('textDocument/didChange', { textDocument: { uri, version }, contentChanges: [{ text }] });
  }

  /** An incremental change: ranged content changes, applied in order (as VS Code sends them). */
  changeRanges(uri: string, version: number, contentChanges: readonly TextDocumentContentChangeEvent[]): Promise<void> {
    return this.connection.sendNotification('textDocument/didChange', { textDocument: { uri, version }, contentChanges });
  }

  close(uri: string): Promise<void> {
    return this.connection.sendNotification('textDocument/didClose', { textDocument: { uri } });
  }

  /** The last diagnostics published for `uri` (undefined before any). */
  lastDiagnostics(uri: string): PublishDiagnosticsParams | undefined {
    return this.diagnostics.get(uri);
  }

  /** Resolves with the diagnostics of `uri` once the server published them for `version` (or any version). */
  async diagnosticsFor(uri: string, version?: number, ms = 10000): Promise<Diagnostic[]> {
    const deadline = Date.now() + ms;
    for (;;) {
      const got = this.diagnostics.get(uri);
      if (got && (version === undefined || got.version === version)) return got.diagnostics;
      if (Date.now() > deadline) throw new Error(`no diagnostics for ${uri} v${version} within ${ms} ms; stderr: ${this.stderr}`);
      await new Promise<void>((resolve) => { this.waiters.push(resolve); setTimeout(resolve, 200); });
    }
  }

  request<R>(method: string, params: unknown): Promise<R> {
    return this.connection.sendRequest(method, params) as Promise<R>;
  }

  get alive(): boolean {
    return this.process.exitCode === null && this.process.signalCode === null;
  }

  stop(): Promise<void> {
    return stopServer(this.connection, this.process);
  }
}

/** Asks a server to shut down and exit (2 s at most), then closes the connection and kills the process. */
export async function stopServer(connection: MessageConnection, child: { kill(): boolean }): Promise<void> {
  try {
    await Promise.race([connection.sendRequest('shutdown'), new Promise((r) => setTimeout(r, 2000))]);
    await connection.sendNotification('exit');
  } catch { /* already gone */ }
  connection.dispose();
  child.kill();
}
