// One language server process under measurement: spawned over stdio, spoken to with vscode-jsonrpc,
// with timing helpers for requests and for the next diagnostics of a document.
import { spawn, type ChildProcessWithoutNullStreams } from 'child_process';
import * as fs from 'fs';
import { createMessageConnection, StreamMessageReader, StreamMessageWriter, type MessageConnection } from 'vscode-jsonrpc/node';

interface Published { uri: string; version?: number | null; diagnostics: unknown[] }
/** What is kept of a publication: when, and which document and version. */
interface Publication { at: number; uri: string; version?: number | null }

export class LspProcess {
  readonly connection: MessageConnection;
  private readonly child: ChildProcessWithoutNullStreams;
  // Only a summary of each publication is kept: an editor replaces a document's diagnostics, and
  // hoarding every list of a 30,000-line file would slow this client's own JSON parsing (GC).
  private readonly published: Publication[] = [];
  private readonly waiters: (() => void)[] = [];
  /** When the last chunk of the server's output was read (before the client decodes it). */
  private lastOutputAt = 0;
  stderr = '';

  constructor(readonly name: string, command: string, args: string[]) {
    this.child = spawn(command, args, { stdio: 'pipe' });
    this.child.stderr.on('data', (d: Buffer) => { this.stderr += d; });
    this.child.stdout.on('data', () => { this.lastOutputAt = performance.now(); });
    this.connection = createMessageConnection(new StreamMessageReader(this.child.stdout), new StreamMessageWriter(this.child.stdin));
    this.connection.onNotification('textDocument/publishDiagnostics', (params: Published) => {
      this.published.push({ at: performance.now(), uri: params.uri, version: params.version });
      this.waiters.splice(0).forEach((w) => w());
    });
    // Answer what a server may ask of the editor, as VS Code would without settings.
    this.connection.onRequest('workspace/configuration', (p: { items: unknown[] }) => p.items.map(() => null));
    this.connection.onRequest(() => null);
    this.connection.onNotification(() => undefined);
    this.connection.listen();
  }

  get pid(): number {
    return this.child.pid ?? -1;
  }

  async initialize(): Promise<void> {
    await this.connection.sendRequest('initialize', {
      processId: process.pid, rootUri: null,
      capabilities: {
        textDocument: {
          hover: { contentFormat: ['markdown', 'plaintext'] },
          completion: { completionItem: { snippetSupport: true, documentationFormat: ['markdown'] } },
          documentSymbol: { hierarchicalDocumentSymbolSupport: true },
          publishDiagnostics: { versionSupport: true },
        },
      },
    });
    await this.connection.sendNotification('initialized', {});
  }

  /**
   * Sends `notify`, then resolves with the milliseconds until the next diagnostics for `uri` of at
   * least `version` (a server that does not say which version it validated is taken at its word).
   */
  async timeToDiagnostics(uri: string, version: number, notify: () => Promise<void>, timeoutMs = 120000): Promise<number> {
    const seen = this.published.length;
    const started = performance.now();
    await notify();
    const deadline = started + timeoutMs;
    for (;;) {
      const hit = this.published.slice(seen).find((p) => p.uri === uri && (p.version === undefined || p.version === null || p.version >= version));
      if (hit) return hit.at - started;
      if (performance.now() > deadline) throw new Error(`${this.name}: no diagnostics for ${uri} within ${timeoutMs} ms; stderr: ${this.stderr.slice(-500)}`);
      await new Promise<void>((resolve) => { this.waiters.push(resolve); setTimeout(resolve, 50); });
    }
  }

  /**
   * Resolves once no diagnostics have been published for `quietMs` and the server (with its child
   * processes) has used under 5% of a core over the last 500 ms (its background work done); returns the wait.
   */
  async settle(quietMs = 1000, timeoutMs = 120000): Promise<number> {
    const started = performance.now();
    const cpu: { at: number; ms: number }[] = [];
    for (;;) {
      const now = performance.now();
      const used = this.cpuMs();
      cpu.push({ at: now, ms: used ?? 0 });
      while (cpu.length > 1 && now - cpu[1].at >= 500) cpu.shift();
      const window = now - cpu[0].at;
      const idle = used === undefined || (window >= 500 && (used - cpu[0].ms) / window < 0.05);
      const last = this.published.length ? this.published[this.published.length - 1].at : 0;
      if ((now - Math.max(last, started) >= quietMs && idle) || now - started > timeoutMs) return now - started;
      await new Promise((r) => setTimeout(r, 100));
    }
  }

  /**
   * CPU time the server has used (user + system), its child processes included (shellcheck runs as
   * one): /proc/PID/stat of the server, of its live children, and what its ended children used.
   */
  cpuMs(): number | undefined {
    const ticks = (pid: number, withChildren: boolean): number => {
      const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      const own = Number(fields[11]) + Number(fields[12]);
      return withChildren ? own + Number(fields[13]) + Number(fields[14]) : own;
    };
    try {
      let total = ticks(this.pid, true);
      for (const task of fs.readdirSync(`/proc/${this.pid}/task`)) {
        for (const child of fs.readFileSync(`/proc/${this.pid}/task/${task}/children`, 'utf8').split(' ').filter(Boolean)) {
          try {
            total += ticks(Number(child), true);
          } catch { /* ended meanwhile */ }
        }
      }
      return (total * 1000) / 100;
    } catch {
      return undefined;
    }
  }

  /** A mark in the publications so far, for versionsPublishedSince. */
  publicationMark(): number {
    return this.published.length;
  }

  /** How many times diagnostics of `uri` were published since `mark` (`versioned`: only those saying which version). */
  publicationsSince(mark: number, uri: string, versioned = false): number {
    return this.published.slice(mark).filter((p) => p.uri === uri && (!versioned || typeof p.version === 'number')).length;
  }

  /**
   * Round-trip milliseconds of one request, and when its answer's last byte was read (`receivedMs`):
   * what is left is the client decoding it. Only meaningful while the server sends nothing else.
   */
  async time(method: string, params: unknown): Promise<{ ms: number; receivedMs: number; result: unknown }> {
    const started = performance.now();
    const result = await this.connection.sendRequest(method, params);
    return { ms: performance.now() - started, receivedMs: this.lastOutputAt - started, result };
  }

  open(uri: string, text: string): Promise<void> {
    return this.connection.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'dockerfile', version: 1, text } });
  }

  replaceLine(uri: string, version: number, line: number, oldLength: number, text: string): Promise<void> {
    return this.connection.sendNotification('textDocument/didChange', {
      textDocument: { uri, version },
      contentChanges: [{ range: { start: { line, character: 0 }, end: { line, character: oldLength } }, text }],
    });
  }

  /** Adds a space at the end of `line` (whose text is `text`) when `add`, else removes that space again. */
  toggleTrailingSpace(uri: string, version: number, line: number, text: string, add: boolean): Promise<void> {
    return add ? this.replaceLine(uri, version, line, text.length, `${text} `) : this.replaceLine(uri, version, line, text.length + 1, text);
  }

  /** Presses Enter at the end of `line` (whose text is `text`) when `add`, else removes that line break again. */
  toggleLineBreak(uri: string, version: number, line: number, text: string, add: boolean): Promise<void> {
    const end = { line, character: text.length };
    return this.change(uri, version, add ? { start: end, end } : { start: end, end: { line: line + 1, character: 0 } }, add ? '\n' : '');
  }

  /** Replaces `range` of the document with `text` (an incremental change). */
  change(uri: string, version: number, range: { start: { line: number; character: number }; end: { line: number; character: number } }, text: string): Promise<void> {
    return this.connection.sendNotification('textDocument/didChange', { textDocument: { uri, version }, contentChanges: [{ range, text }] });
  }

  close(uri: string): Promise<void> {
    return this.connection.sendNotification('textDocument/didClose', { textDocument: { uri } });
  }

  /** Resident set size in bytes, from /proc/PID/status (VmRSS). */
  residentBytes(): number | undefined {
    try {
      const status = fs.readFileSync(`/proc/${this.pid}/status`, 'utf8');
      const kb = /^VmRSS:\s+(\d+) kB/m.exec(status);
      return kb ? Number(kb[1]) * 1024 : undefined;
    } catch {
      return undefined;
    }
  }

  async stop(): Promise<void> {
    try {
      await Promise.race([this.connection.sendRequest('shutdown'), new Promise((r) => setTimeout(r, 5000))]);
      await this.connection.sendNotification('exit');
    } catch { /* already gone */ }
    await Promise.race([new Promise((r) => this.child.once('exit', r)), new Promise((r) => setTimeout(r, 5000))]);
    this.connection.dispose();
    if (this.child.exitCode === null) this.child.kill();
  }
}
