// Shellcheck in the background: results are cached per script (dialect, exported names, text),
// requests answer at once with what is cached and queue the rest; batches run one at a time and
// listeners hear when more results are ready. Nothing here ever blocks a request.
import { findShellcheck } from './findShellcheck';
import { runShellcheck, type ShellcheckComment, type ShellcheckScript } from './runShellcheck';

const BATCH = 64;
const CACHE_LIMIT = 20000;

export function scriptKey(script: ShellcheckScript): string {
  return `${script.dialect}\u0000${[...script.exported].sort().join(' ')}\u0000${script.text}`;
}

export class ShellcheckService {
  private readonly cache = new Map<string, ShellcheckComment[]>();
  /** Work per owner (a document URI), replaced by each new request of that owner. */
  private readonly pending = new Map<string, Map<string, ShellcheckScript>>();
  private readonly listeners = new Set<(owner: string) => void>();
  private running = false;
  private idleWaiters: (() => void)[] = [];
  lastError?: string;

  /** `binary` null: no shellcheck (checks are absent). */
  constructor(readonly binary: string | null = findShellcheck() ?? null) {}

  get available(): boolean {
    return this.binary !== null;
  }

  /** Cached comments per script (undefined while still queued). Queues what is missing for `owner`. */
  request(owner: string, scripts: readonly ShellcheckScript[]): (ShellcheckComment[] | undefined)[] {
    if (!this.binary) return scripts.map(() => []);
    const missing = new Map<string, ShellcheckScript>();
    const out = scripts.map((s) => {
      const key = scriptKey(s);
      const hit = this.cache.get(key);
      if (hit) {
        // Refresh recency (Map keeps insertion order; the oldest entries are evicted first).
        this.cache.delete(key);
        this.cache.set(key, hit);
        return hit;
      }
      missing.set(key, s);
      return undefined;
    });
    this.pending.delete(owner);
    if (missing.size > 0) this.pending.set(owner, missing);
    this.pump();
    return out;
  }

  /** Drops queued work of an owner (document closed). */
  cancel(owner: string): void {
    this.pending.delete(owner);
  }

  onResults(listener: (owner: string) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Resolves when the queue is empty (tests, benchmarks). */
  idle(): Promise<void> {
    if (!this.running && this.pending.size === 0) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  private pump(): void {
    if (this.running || !this.binary) return;
    const owners = [...this.pending.keys()];
    const owner = owners[owners.length - 1];
    if (owner === undefined) {
      this.idleWaiters.splice(0).forEach((w) => w());
      return;
    }
    const work = this.pending.get(owner) as Map<string, ShellcheckScript>;
    const batch = [...work.entries()].slice(0, BATCH);
    for (const [key] of batch) work.delete(key);
    if (work.size === 0) this.pending.delete(owner);
    this.running = true;
    const binary = this.binary;
    void runShellcheck(binary, batch.map(([, s]) => s))
      .then((results) => {
        batch.forEach(([key], i) => this.remember(key, results[i]));
      })
      .catch((err: unknown) => {
        this.lastError = err instanceof Error ? err.message : String(err);
        for (const [key] of batch) this.remember(key, []);
      })
      .finally(() => {
        this.running = false;
        for (const l of this.listeners) l(owner);
        this.pump();
      });
  }

  private remember(key: string, comments: ShellcheckComment[]): void {
    this.cache.set(key, comments);
    while (this.cache.size > CACHE_LIMIT) {
      const oldest = this.cache.keys().next().value;
      if (oldest === undefined) break;
      this.cache.delete(oldest);
    }
  }
}

let shared: ShellcheckService | undefined;

/** The service every feature of this server shares (created on first use). */
export function sharedShellcheck(): ShellcheckService {
  return (shared ??= new ShellcheckService());
}
