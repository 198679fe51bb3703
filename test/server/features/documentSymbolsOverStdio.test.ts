// The outline of a large document over stdio, where the server keeps its JSON per parse and splices
// it into each response (server/encodedResults.ts): what arrives is always the outline of the
// current version, and every answer is the one the same server gives over IPC (nothing kept there).
import * as assert from 'assert';
import { spawn, type ChildProcess } from 'child_process';
import { createMessageConnection, IPCMessageReader, IPCMessageWriter, type MessageConnection } from 'vscode-jsonrpc/node';
import type { DocumentSymbol } from 'vscode-languageserver-protocol';
import { computeDocumentSymbols } from '../../../server/features/documentSymbols';
import { isLargeDocument } from '../../../server/documentModels';
import { parseDockerfile } from '../../../server/parser';
import { CLI, LspClient, stopServer } from '../lspClient';

/** `stages` stages of `perStage` instructions: continuations, non-ASCII names and text, every kind of symbol. */
function largeDockerfile(stages: number, perStage: number, suffix = ''): string {
  const lines = ['# syntax=docker/dockerfile:1', 'ARG BASE=alpine:3.20'];
  for (let s = 0; s < stages; s++) {
    lines.push(s === 0 ? `FROM \${BASE} AS bühne-0${suffix}` : `FROM bühne-${s - 1}${suffix} AS bühne-${s}${suffix}`);
    for (let i = 0; i < perStage; i++) {
      switch (i % 6) {
        case 0: lines.push(`RUN echo "${s}.${i} “quoted” ✓" \\`, `    && echo 🐳 > /tmp/${s}-${i}`); break;
        case 1: lines.push(`ENV KEY_${i}=value-${s} OTHER_${i}="with space"`); break;
        case 2: lines.push(`COPY --chmod=644 src/${i}.txt /app/${i}.txt`); break;
        case 3: lines.push(`WORKDIR /work/${s}/${i}`); break;
        case 4: lines.push(`LABEL org.example.step${i}="${s}"`); break;
        default: lines.push(`EXPOSE ${1000 + i}`);
      }
    }
  }
  return lines.join('\n') + '\n';
}

function outlineOf(text: string): DocumentSymbol[] {
  return computeDocumentSymbols(parseDockerfile(text));
}

const hierarchical = { textDocument: { documentSymbol: { hierarchicalDocumentSymbolSupport: true } } };

/** The same server over Node IPC (the transport VS Code used): messages serialized by Node, nothing kept. */
class IpcClient {
  readonly connection: MessageConnection;
  private readonly child: ChildProcess;

  constructor() {
    this.child = spawn(process.execPath, [CLI, 'lsp', '--node-ipc'], { stdio: ['ignore', 'ignore', 'ignore', 'ipc'] });
    this.connection = createMessageConnection(new IPCMessageReader(this.child), new IPCMessageWriter(this.child));
    this.connection.onRequest(() => null);
    this.connection.listen();
  }

  stop(): Promise<void> {
    return stopServer(this.connection, this.child);
  }
}

describe('document symbols over stdio (kept encoded per version)', () => {
  const uri = 'file:///tmp/symbols-large/Dockerfile';
  const first = largeDockerfile(40, 100);
  let client: LspClient;
  before(async () => {
    client = new LspClient();
    await client.connection.sendRequest('initialize', { processId: process.pid, rootUri: null, capabilities: hierarchical });
    await client.connection.sendNotification('initialized', {});
  });
  after(() => client.stop());

  it('answers the outline of a large document, the same again when asked again', async () => {
    assert.ok(isLargeDocument({ syntax: parseDockerfile(first) }), 'the document is large (compact outline)');
    await client.open(uri, first);
    const expected = outlineOf(first);
    const once = await client.request<DocumentSymbol[]>('textDocument/documentSymbol', { textDocument: { uri } });
    const again = await client.request<DocumentSymbol[]>('textDocument/documentSymbol', { textDocument: { uri } });
    assert.strictEqual(once.length, 41);
    assert.deepStrictEqual(once, expected);
    assert.deepStrictEqual(again, expected);
  });

  it('answers each new version with its own outline, never a kept one of an earlier version', async () => {
    // Same number of symbols, other names and ranges: a stale encoding would have the same shape.
    const second = largeDockerfile(40, 100, '-x');
    await client.change(uri, second, 2);
    const afterEdit = await client.request<DocumentSymbol[]>('textDocument/documentSymbol', { textDocument: { uri } });
    assert.deepStrictEqual(afterEdit, outlineOf(second));
    assert.notDeepStrictEqual(afterEdit, outlineOf(first));
    await client.change(uri, first, 3);
    assert.deepStrictEqual(await client.request('textDocument/documentSymbol', { textDocument: { uri } }), outlineOf(first));
    await client.change(uri, second, 4);
    assert.deepStrictEqual(await client.request('textDocument/documentSymbol', { textDocument: { uri } }), outlineOf(second));
  });

  it('gives every answer exactly as the same server over IPC does', async () => {
    const ipc = new IpcClient();
    try {
      await ipc.connection.sendRequest('initialize', { processId: process.pid, rootUri: null, capabilities: hierarchical });
      await ipc.connection.sendNotification('initialized', {});
      const other = 'file:///tmp/symbols-compare/Dockerfile';
      const text = largeDockerfile(40, 100);
      await client.open(other, text);
      await ipc.connection.sendNotification('textDocument/didOpen', { textDocument: { uri: other, languageId: 'dockerfile', version: 1, text } });
      const requests: [string, object][] = [
        ['textDocument/documentSymbol', { textDocument: { uri: other } }],
        ['textDocument/documentSymbol', { textDocument: { uri: other } }],
        ['textDocument/foldingRange', { textDocument: { uri: other } }],
        ['textDocument/semanticTokens/full', { textDocument: { uri: other } }],
        ['textDocument/definition', { textDocument: { uri: other }, position: { line: 3, character: 8 } }],
        ['textDocument/documentHighlight', { textDocument: { uri: other }, position: { line: 2, character: 20 } }],
        ['textDocument/completion', { textDocument: { uri: other }, position: { line: 3, character: 0 } }],
        ['textDocument/unknownMethod', {}],
      ];
      for (const [method, params] of requests) {
        const overStdio = await client.request(method, params).catch((err: unknown) => err);
        const overIpc = await ipc.connection.sendRequest(method, params).catch((err: unknown) => err);
        assert.deepStrictEqual(overStdio, overIpc, method);
      }
    } finally {
      await ipc.stop();
    }
  });
});
