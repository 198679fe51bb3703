// `layerlens lsp --stdio` as any editor (Neovim, Helix, Emacs) starts it: the installed command,
// spoken to byte by byte (Content-Length framing written and parsed here, no LSP library), with
// an editor's capabilities, incremental edits, non-ASCII text, server-to-client requests answered,
// an unknown method, and a clean shutdown/exit.
import * as assert from 'assert';
import { spawn, type ChildProcessWithoutNullStreams } from 'child_process';
import * as path from 'path';

const LAYERLENS = path.resolve(__dirname, '..', '..', '..', '..', 'bin', 'layerlens');

interface Message { jsonrpc: string; id?: number | string; method?: string; params?: unknown; result?: unknown; error?: { code: number; message: string } }

/** A JSON-RPC peer over a child's stdio that frames and unframes messages itself and checks every byte. */
class RawSession {
  readonly process: ChildProcessWithoutNullStreams;
  readonly received: Message[] = [];
  readonly framingErrors: string[] = [];
  private buffer = Buffer.alloc(0);
  private nextId = 1;
  private readonly listeners: (() => void)[] = [];
  stderr = '';

  constructor(command: string, args: string[]) {
    this.process = spawn(command, args);
    this.process.stderr.on('data', (d: Buffer) => { this.stderr += d; });
    this.process.stdout.on('data', (chunk: Buffer) => this.onData(chunk));
  }

  private onData(chunk: Buffer): void {
    this.buffer = Buffer.concat([this.buffer, chunk]);
    for (;;) {
      const end = this.buffer.indexOf('\r\n\r\n');
      if (end < 0) return;
      const header = this.buffer.subarray(0, end).toString('ascii');
      const length = /^Content-Length: (\d+)(\r\nContent-Type: [^\r\n]+)?$/i.exec(header);
      if (!length) {
        this.framingErrors.push(`bad header ${JSON.stringify(header)}`);
        this.buffer = Buffer.alloc(0);
        return;
      }
      const size = Number(length[1]);
      if (this.buffer.length < end + 4 + size) return;
      const body = this.buffer.subarray(end + 4, end + 4 + size).toString('utf8');
      this.buffer = this.buffer.subarray(end + 4 + size);
      try {
        const message = JSON.parse(body) as Message;
        this.received.push(message);
        this.answerServerRequest(message);
      } catch {
        this.framingErrors.push(`body is not JSON: ${body.slice(0, 80)}`);
      }
      this.listeners.splice(0).forEach((l) => l());
    }
  }

  /** Answers what the server asks of the editor, as an editor with no special configuration does. */
  private answerServerRequest(message: Message): void {
    if (message.method === undefined || message.id === undefined) return;
    const items = (message.params as { items?: unknown[] } | undefined)?.items;
    this.write({ jsonrpc: '2.0', id: message.id, result: message.method === 'workspace/configuration' ? (items ?? []).map(() => null) : null });
  }

  write(message: object): void {
    const body = Buffer.from(JSON.stringify(message), 'utf8');
    this.process.stdin.write(Buffer.concat([Buffer.from(`Content-Length: ${body.length}\r\n\r\n`, 'ascii'), body]));
  }

  notify(method: string, params: unknown): void {
    this.write({ jsonrpc: '2.0', method, params });
  }

  async request<T>(method: string, params?: unknown): Promise<T> {
    const id = this.nextId++;
    this.write(params === undefined ? { jsonrpc: '2.0', id, method } : { jsonrpc: '2.0', id, method, params });
    const reply = await this.waitFor((m) => m.id === id && m.method === undefined, `${method} reply`);
    if (reply.error) throw Object.assign(new Error(reply.error.message), { code: reply.error.code });
    return reply.result as T;
  }

  waitFor(match: (m: Message) => boolean, what: string, ms = 10000): Promise<Message> {
    const deadline = Date.now() + ms;
    return new Promise((resolve, reject) => {
      const check = () => {
        const found = this.received.find(match);
        if (found) return resolve(found);
        if (this.process.exitCode !== null) return reject(new Error(`the server exited with status ${this.process.exitCode} before sending ${what}; stderr: ${this.stderr}`));
        if (Date.now() > deadline) return reject(new Error(`no ${what} within ${ms} ms; stderr: ${this.stderr}`));
        this.listeners.push(check);
        setTimeout(check, 100);
      };
      check();
    });
  }

  exited(ms = 5000): Promise<number | null> {
    if (this.process.exitCode !== null) return Promise.resolve(this.process.exitCode);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('the server did not exit')), ms);
      this.process.once('exit', (code) => { clearTimeout(timer); resolve(code); });
    });
  }
}

/** What Neovim 0.10 announces, trimmed to the parts that change server behaviour. */
const EDITOR_CAPABILITIES = {
  general: { positionEncodings: ['utf-16'] },
  textDocument: {
    synchronization: { didSave: true, dynamicRegistration: false },
    hover: { contentFormat: ['markdown', 'plaintext'] },
    completion: { completionItem: { snippetSupport: false }, contextSupport: false },
    signatureHelp: { signatureInformation: { parameterInformation: { labelOffsetSupport: true } } },
    publishDiagnostics: { relatedInformation: true, versionSupport: true },
    inlayHint: { dynamicRegistration: true },
    codeLens: { dynamicRegistration: false },
  },
  workspace: { configuration: true, workspaceFolders: true, didChangeConfiguration: { dynamicRegistration: false } },
  window: { workDoneProgress: true },
};

describe('layerlens lsp --stdio with any editor', () => {
  let session: RawSession;
  const uri = 'file:///tmp/any-editor/Dockerfile';
  const text = 'FROM busybox\n# Ünïcödé comment 🐳\nRUN echo "🐳" $HOME\n';

  before(() => {
    session = new RawSession(LAYERLENS, ['lsp', '--stdio']);
  });
  after(() => {
    if (session.process.exitCode === null) session.process.kill();
  });

  it('initializes with an editor\'s capabilities and declares every feature', async () => {
    const result = await session.request<{ capabilities: Record<string, unknown>; serverInfo?: { name: string } }>('initialize', {
      processId: process.pid, clientInfo: { name: 'Neovim', version: '0.10.0' }, rootUri: 'file:///tmp/any-editor',
      workspaceFolders: [{ uri: 'file:///tmp/any-editor', name: 'any-editor' }], capabilities: EDITOR_CAPABILITIES,
    });
    assert.strictEqual(result.serverInfo?.name, 'layerlens');
    for (const provider of ['hoverProvider', 'completionProvider', 'signatureHelpProvider', 'documentLinkProvider', 'codeLensProvider', 'inlayHintProvider']) {
      assert.ok(result.capabilities[provider], `${provider} declared`);
    }
    session.notify('initialized', {});
  });

  it('publishes diagnostics for an opened file', async () => {
    session.notify('textDocument/didOpen', { textDocument: { uri, languageId: 'dockerfile', version: 1, text } });
    const published = await session.waitFor((m) => m.method === 'textDocument/publishDiagnostics' && (m.params as { uri: string }).uri === uri, 'diagnostics');
    assert.ok(Array.isArray((published.params as { diagnostics: unknown[] }).diagnostics));
  });

  it('counts positions in UTF-16 code units after non-ASCII text', async () => {
    const line = 'RUN echo "🐳" $HOME';
    const character = line.indexOf('$HOME') + 2; // '🐳' is two UTF-16 units, four UTF-8 bytes
    const hover = await session.request<{ contents: { value: string }; range: { start: { character: number }; end: { character: number } } }>('textDocument/hover', {
      textDocument: { uri }, position: { line: 2, character },
    });
    assert.match(hover.contents.value, /`HOME`/);
    assert.deepStrictEqual([hover.range.start.character, hover.range.end.character], [line.indexOf('$HOME'), line.length]);
  });

  it('follows incremental edits and completes without snippets for a client that has none', async () => {
    session.notify('textDocument/didChange', {
      textDocument: { uri, version: 2 },
      contentChanges: [{ range: { start: { line: 3, character: 0 }, end: { line: 3, character: 0 } }, text: 'COPY --\n' }],
    });
    const list = await session.request<{ items: { label: string; insertTextFormat?: number }[] }>('textDocument/completion', {
      textDocument: { uri }, position: { line: 3, character: 7 },
    });
    assert.deepStrictEqual(list.items.map((i) => i.label), ['--from', '--chown', '--chmod', '--link', '--parents', '--exclude']);
    const keywords = await session.request<{ items: { label: string; insertTextFormat?: number }[] }>('textDocument/completion', {
      textDocument: { uri }, position: { line: 4, character: 0 },
    });
    assert.ok(keywords.items.some((i) => i.label === 'RUN'));
    assert.ok(keywords.items.every((i) => i.insertTextFormat !== 2), 'no snippets for a client without snippetSupport');
  });

  it('answers signature help, links, lenses and inlay hints', async () => {
    const help = await session.request<{ signatures: { label: string }[] }>('textDocument/signatureHelp', { textDocument: { uri }, position: { line: 2, character: 5 } });
    assert.match(help.signatures[0].label, /^RUN /);
    const links = await session.request<{ target: string }[]>('textDocument/documentLink', { textDocument: { uri } });
    assert.deepStrictEqual(links.map((l) => l.target), ['https://hub.docker.com/_/busybox']);
    const lenses = await session.request<{ range: { start: { line: number } } }[]>('textDocument/codeLens', { textDocument: { uri } });
    assert.deepStrictEqual(lenses.map((l) => l.range.start.line), [0, 2, 3]); // FROM busybox, RUN, and the COPY typed above
    const hints = await session.request<unknown[]>('textDocument/inlayHint', { textDocument: { uri }, range: { start: { line: 0, character: 0 }, end: { line: 5, character: 0 } } });
    assert.strictEqual(hints.length, 3);
  });

  it('rejects an unknown method with MethodNotFound and keeps serving', async () => {
    await assert.rejects(session.request('layerlens/noSuchMethod', {}), (err: { code?: number }) => err.code === -32601);
    const hover = await session.request<unknown>('textDocument/hover', { textDocument: { uri }, position: { line: 0, character: 1 } });
    assert.ok(hover);
  });

  it('shuts down and exits with status 0, having written nothing but well-formed messages', async () => {
    assert.strictEqual(await session.request('shutdown'), null);
    session.notify('exit', undefined);
    assert.strictEqual(await session.exited(), 0);
    assert.deepStrictEqual(session.framingErrors, []);
  });
});
