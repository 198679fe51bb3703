// An asynchronous lookup cache that never blocks: `get` answers from memory (known, pending or
// unknown) and starts the load on a miss; when a load settles, `onSettled` runs (the server
// re-plans). Loads time out; failures are remembered for `retryAfterMs` and then retried in the
// background, the failure still answering until the retry ends.
import type { Lookup } from '../plan/size/sizeReaders';

export interface LookupCacheOptions {
  timeoutMs?: number;
  retryAfterMs?: number;
  onSettled?: () => void;
  /** Call `onSettled` only when the answer differs from the one before (a retry failing the same way stays quiet). */
  quietRepeats?: boolean;
  /**
   * Start each load on a later turn of the event loop instead of inside `get`: a process's first
   * network request costs 50-100 ms before its first await (fetch's client loaded, TLS set up), which
   * landed inside whatever asked (a hover predicting sizes on bench/lsp's CI toolbox: 255 ms).
   */
  startLater?: boolean;
  /** Clock, for tests. */
  now?: () => number;
}

/**
 * How much later: past the answer to the request that asked (its response is written a few
 * turns after the handler returns).
 */
const START_LATER_MS = 20;

type Failed = { state: 'failed'; reason: string; at: number; retrying?: boolean };
type Entry<T> = { state: 'pending'; since: number } | { state: 'known'; value: T } | Failed;

export class LookupCache<T> {
  private readonly entries = new Map<string, Entry<T>>();
  private readonly inFlight = new Set<Promise<void>>();
  private changes = 0;

  constructor(private readonly options: LookupCacheOptions = {}) {}

  get(key: string, load: () => Promise<T>, describe = key): Lookup<T> {
    const now = (this.options.now ?? Date.now)();
    const entry = this.entries.get(key);
    if (entry?.state === 'known') return { state: 'known', value: entry.value };
    if (entry?.state === 'pending') return { state: 'pending', reason: `looking up ${describe}` };
    if (entry?.state === 'failed') {
      // A retry runs in the background and the failure stands until it settles: an answer (and
      // the version) changes only when the retry ends differently.
      if (!entry.retrying && now - entry.at >= (this.options.retryAfterMs ?? 60_000)) {
        entry.retrying = true;
        this.load(key, load, entry);
      }
      return { state: 'unknown', reason: entry.reason };
    }
    this.entries.set(key, { state: 'pending', since: now });
    this.changes++;
    this.load(key, load, undefined);
    return { state: 'pending', reason: `looking up ${describe}` };
  }

  private load(key: string, load: () => Promise<T>, previous: Failed | undefined): void {
    const timeout = this.options.timeoutMs ?? 10_000;
    let timer: NodeJS.Timeout | undefined;
    const started = this.options.startLater ? new Promise<void>((resolve) => setTimeout(resolve, START_LATER_MS)).then(load) : load();
    const run = Promise.race([
      started,
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`timed out after ${timeout} ms`)), timeout);
      }),
    ])
      .then(
        (value) => this.entries.set(key, { state: 'known', value }),
        (error: unknown) => this.entries.set(key, { state: 'failed', reason: error instanceof Error ? error.message : String(error), at: (this.options.now ?? Date.now)() }),
      )
      .then(() => {
        clearTimeout(timer);
        this.inFlight.delete(run);
        const settled = this.entries.get(key);
        const repeated = previous !== undefined && settled?.state === 'failed' && settled.reason === previous.reason;
        if (!repeated) this.changes++;
        if (!(this.options.quietRepeats && repeated)) this.options.onSettled?.();
      });
    this.inFlight.add(run);
  }

  /** The answer known now, without starting a load. */
  peek(key: string): Lookup<T> | undefined {
    const entry = this.entries.get(key);
    if (entry?.state === 'known') return { state: 'known', value: entry.value };
    if (entry?.state === 'failed') return { state: 'unknown', reason: entry.reason };
    return entry ? { state: 'pending', reason: 'looking up' } : undefined;
  }

  /** Stores a value directly (e.g. from a build). */
  set(key: string, value: T): void {
    this.entries.set(key, { state: 'known', value });
    this.changes++;
  }

  /** Changes whenever `get` or `peek` may answer differently (a first load started, a load settled with a new answer, a value was set). */
  version(): number {
    return this.changes;
  }

  /** Resolves when nothing is loading (tests, CLI). */
  async settled(): Promise<void> {
    while (this.inFlight.size > 0) await Promise.all([...this.inFlight]);
  }
}
