// Shellcheck in the background: results are cached per script (dialect, exported names, text),
// requests answer at once with what is cached and queue the rest; batches run one at a time and
// listeners hear when more results are ready. Nothing here ever blocks a request. Work is capped
// per document: at most `scriptBudget` scripts wait at once, scripts new since the document's last
// request (the ones just edited) first; scripts beyond the cap are not checked (answered empty).
import { findShellcheck } from './findShellcheck';
import { runShellcheck, type ShellcheckComment, type ShellcheckScript } from './runShellcheck';

const BATCH = 64;
/** Results kept per generation; at most twice this many are kept. */
const GENERATION = 10000;
/** Scripts a document may have queued at once; the rest of a huge Dockerfile is not checked. */
export const DEFAULT_SCRIPT_BUDGET = 1000;

const keys = new WeakMap<ShellcheckScript, string>();
/** Exported names joined once per list (a script mentioning every name in scope shares its step's list). */
const exportedParts = new WeakMap<readonly string[], string>();

export function scriptKey(script: ShellcheckScript): string {
  let key = keys.get(script);
  if (key === undefined) keys.set(script, (key = `${script.dialect}\u0000${exportedPart(script.exported)}\u0000${script.text}`));
  return key;
}

function exportedPart(names: readonly string[]): string {
  let part = exportedParts.get(names);
  if (part === undefined) exportedParts.set(names, (part = (isSorted(names) ? names : [...names].sort()).join(' ')));
  return part;
}

function isSorted(names: readonly string[]): boolean {
  for (let i = 1; i < names.length; i++) if (names[i - 1] > names[i]) return false;
  return true;
}

interface OwnerState {
  /** Keys of the owner's last request: a key not among them (nor in `answered`) is new (edited). */
  requested: Set<string>;
  /** Keys left unchecked because the budget was spent (and those of `answered`). */
  skipped: Set<string>;
  /** The parts of the owner's last request answered as before, without a lookup. */
  answered: readonly AnsweredPart[];
}

/** A part of a request whose every script was answered from the cache or left unchecked: answered alike again. */
interface AnsweredPart {
  answers: ShellcheckComment[][];
  keys: ReadonlySet<string>;
  skipped: ReadonlySet<string>;
}

const none: readonly AnsweredPart[] = [];

export class ShellcheckService {
  // Results in two generations, a cheap least-recently-used cache: a hit in the old generation
  // moves to the young one; when the young one is full it becomes the old one, and what was not
  // used during a whole generation is dropped.
  private young = new Map<string, ShellcheckComment[]>();
  private old = new Map<string, ShellcheckComment[]>();
  /** Work per owner (a document URI), replaced by each new request of that owner. */
  private readonly pending = new Map<string, Map<string, ShellcheckScript>>();
  private readonly owners = new Map<string, OwnerState>();
  /** Keys of the batch being checked now. */
  private readonly inFlight = new Set<string>();
  /**
   * Owners that asked for a script of the running batch (queued for another owner): they hear of
   * its results too, else a document opened with another's scripts in flight would never show them.
   */
  private readonly waiting = new Map<string, Set<string>>();
  private readonly listeners = new Set<(owner: string) => void>();
  /** Parts (by identity) whose every script was answered from the cache: the answers are final. */
  private readonly answeredParts = new WeakMap<readonly ShellcheckScript[], AnsweredPart>();
  private running = false;
  private idleWaiters: (() => void)[] = [];
  lastError?: string;

  /** `binary` null: no shellcheck (checks are absent). */
  constructor(
    readonly binary: string | null = findShellcheck() ?? null,
    readonly scriptBudget = DEFAULT_SCRIPT_BUDGET,
    private readonly generation = GENERATION,
  ) {}

  get available(): boolean {
    return this.binary !== null;
  }

  /**
   * Cached comments per script; undefined while queued or running; empty when not checked (over
   * the budget). Queues what is missing for `owner`, replacing its earlier queue.
   */
  request(owner: string, scripts: readonly ShellcheckScript[]): (ShellcheckComment[] | undefined)[] {
    return this.answer(owner, scripts).results;
  }

  /**
   * `request` for a document's scripts in parts (one per stage), with the same answers. A part
   * (by identity) whose every script was answered from the cache or left unchecked is answered
   * with the same array again, without a lookup: a lint after an edit asks again for thousands of
   * unchanged scripts. Such a part queues nothing and counts as requested (and its unchecked
   * scripts as left unchecked) for the owner's next request, as with `request`.
   */
  requestParts(owner: string, parts: readonly (readonly ShellcheckScript[])[]): (readonly (ShellcheckComment[] | undefined)[])[] {
    if (!this.binary) return parts.map((part) => part.map(() => []));
    const out: (readonly (ShellcheckComment[] | undefined)[])[] = new Array(parts.length);
    const asked: ShellcheckScript[] = [];
    const unanswered: number[] = [];
    const answered: AnsweredPart[] = [];
    for (let k = 0; k < parts.length; k++) {
      const known = this.answeredParts.get(parts[k]);
      if (known) {
        out[k] = known.answers;
        answered.push(known);
      } else {
        unanswered.push(k);
        for (const s of parts[k]) asked.push(s);
      }
    }
    const { results, hits, skipped } = this.answer(owner, asked, answered);
    let at = 0;
    for (const k of unanswered) {
      const part = parts[k];
      const answers = results.slice(at, at + part.length);
      let complete = true;
      for (let j = 0; j < part.length && complete; j++) complete = hits[at + j] || skipped.has(scriptKey(part[j]));
      if (complete) {
        const keys = new Set(part.map(scriptKey));
        this.answeredParts.set(part, { answers: answers as ShellcheckComment[][], keys, skipped: new Set([...keys].filter((key) => skipped.has(key))) });
      }
      out[k] = answers;
      at += part.length;
    }
    return out;
  }

  /**
   * `request`'s answers, for each script whether it was answered from the cache, and the keys
   * left unchecked. `answered`: parts of the same request answered without a lookup.
   */
  private answer(owner: string, scripts: readonly ShellcheckScript[], answered = none): { results: (ShellcheckComment[] | undefined)[]; hits: boolean[]; skipped: Set<string> } {
    const hits: boolean[] = new Array(scripts.length).fill(false);
    if (!this.binary) return { results: scripts.map(() => []), hits, skipped: new Set() };
    const state = this.owners.get(owner) ?? { requested: new Set<string>(), skipped: new Set<string>(), answered: none };
    const first = !this.owners.has(owner);
    const wasRequested = (key: string) => state.requested.has(key) || state.answered.some((p) => p.keys.has(key));
    const wasSkipped = (key: string) => state.skipped.has(key) || state.answered.some((p) => p.skipped.has(key));
    const before = this.pending.get(owner);
    const requested = new Set<string>();
    const skipped = new Set<string>();
    const fresh: [string, ShellcheckScript][] = [];
    const rest: [string, ShellcheckScript][] = [];
    const out = scripts.map((s, i) => {
      const key = scriptKey(s);
      requested.add(key);
      const hit = this.cached(key);
      if (hit) {
        hits[i] = true;
        return hit;
      }
      if (this.inFlight.has(key)) {
        const owners = this.waiting.get(key);
        if (owners) owners.add(owner);
        else this.waiting.set(key, new Set([owner]));
        return undefined;
      }
      if (before?.has(key)) rest.push([key, s]);
      else if (first || !wasRequested(key)) fresh.push([key, s]);
      else if (!wasSkipped(key)) rest.push([key, s]);
      else skipped.add(key);
      return undefined;
    });
    // Edited scripts first, then what was already waiting; the budget bounds the queue.
    const queue = new Map<string, ShellcheckScript>();
    for (const [key, s] of [...fresh, ...rest]) {
      if (queue.size < this.scriptBudget) queue.set(key, s);
      else skipped.add(key);
    }
    this.owners.set(owner, { requested, skipped, answered });
    this.pending.delete(owner);
    if (queue.size > 0) this.pending.set(owner, queue);
    this.pump();
    return { results: out.map((comments, i) => (comments === undefined && skipped.has(scriptKey(scripts[i])) ? [] : comments)), hits, skipped };
  }

  /** How many scripts of the owner's last request were left unchecked (over the budget). */
  skippedCount(owner: string): number {
    const state = this.owners.get(owner);
    if (!state || state.answered.length === 0) return state?.skipped.size ?? 0;
    const all = new Set(state.skipped);
    for (const part of state.answered) for (const key of part.skipped) all.add(key);
    return all.size;
  }

  /** Drops queued work of an owner (document closed). */
  cancel(owner: string): void {
    this.pending.delete(owner);
    this.owners.delete(owner);
  }

  onResults(listener: (owner: string) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Whether a batch is running or scripts are queued. */
  get busy(): boolean {
    return this.running || (this.binary !== null && this.pending.size > 0);
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
    for (const [key] of batch) this.inFlight.add(key);
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
        const told = new Set([owner]);
        for (const [key] of batch) {
          this.inFlight.delete(key);
          for (const other of this.waiting.get(key) ?? []) told.add(other);
          this.waiting.delete(key);
        }
        this.running = false;
        for (const l of this.listeners) for (const o of told) l(o);
        this.pump();
      });
  }

  private cached(key: string): ShellcheckComment[] | undefined {
    const young = this.young.get(key);
    if (young) return young;
    const old = this.old.get(key);
    if (old) {
      this.old.delete(key);
      this.remember(key, old);
    }
    return old;
  }

  private remember(key: string, comments: ShellcheckComment[]): void {
    this.young.set(key, comments);
    if (this.young.size >= this.generation) {
      this.old = this.young;
      this.young = new Map();
    }
  }
}

let shared: ShellcheckService | undefined;

/** The service every feature of this server shares (created on first use). */
export function sharedShellcheck(): ShellcheckService {
  return (shared ??= new ShellcheckService());
}
