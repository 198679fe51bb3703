// A full garbage collection once the server has gone quiet after a burst of work (opening or
// editing a large file). V8 collects the old generation only when the heap reaches a limit it sets
// at up to ~4x the live size, and nothing in Node tells it the process is idle, so after the
// opening work the heap (and resident memory) stayed at its peak: on bench/lsp's 30,000-line file
// 220-250 MiB of heap for ~150 MiB live, 350-360 MiB resident. Collecting when quiet gives the
// garbage back (resident 280-310 MiB) without the cost of a tighter heap limit, which made V8 mark
// during the next edit (that edit's diagnostics ~80 ms later with --heap-growing-percent=30).
import { performance } from 'perf_hooks';
import * as v8 from 'v8';
import * as vm from 'vm';

export interface IdleCollectionOptions {
  /** How long the event loop must have been (nearly) idle. */
  quietMs: number;
  /** How often it is looked at. */
  checkMs: number;
  /** Event loop utilization under which a check counts as quiet. */
  quietUtilization: number;
  /** Growth of the heap since the last collection that makes one worth it: at least this... */
  minGrowthBytes: number;
  /** ...and this share of what was live after it. */
  minGrowthShare: number;
  /**
   * Quiet time after which one more collection is made if the young generation is still large:
   * V8 shrinks it (16 MiB semi-spaces, both resident, back to 1 MiB) only in a collection made
   * when little has been allocated over the last ~5 s, which the first one, right after the work, is not.
   */
  shrinkYoungAfterMs: number;
  /** Told of each collection (heap used before and after, pause in ms). */
  onCollected?(before: number, after: number, ms: number): void;
}

// Only once the user has left the server alone for a while: the edit after a collection pays for it
// (V8 grows its young generation back, scavenging often meanwhile; on bench/lsp's 30,000-line file
// such an edit took 210-290 ms instead of 105-160). After 1.5 s of quiet, one edit in three did.
const defaults: IdleCollectionOptions = { quietMs: 20000, checkMs: 250, quietUtilization: 0.05, minGrowthBytes: 32 * 1048576, minGrowthShare: 0.25, shrinkYoungAfterMs: 40000 };

/** Young generation size above which the quiet collection is worth making to shrink it. */
const LARGE_YOUNG_BYTES = 4 * 1048576;

function youngGenerationBytes(): number {
  return v8.getHeapSpaceStatistics().find((s) => s.space_name === 'new_space')?.space_size ?? 0;
}

/** Node's `gc` without starting the process with --expose-gc: a new context made while the flag is on has it. */
export function garbageCollector(): () => void {
  const exposed = (globalThis as { gc?: () => void }).gc;
  if (exposed) return exposed;
  v8.setFlagsFromString('--expose-gc');
  const gc = vm.runInNewContext('gc') as () => void;
  v8.setFlagsFromString('--no-expose-gc');
  return gc;
}

let collector: ((options?: { type: 'minor' | 'major' }) => void) | undefined;

/**
 * A young-generation collection now (a millisecond or so on a small heap): memory handed back by
 * detaching buffers (see packageRecords' release) is freed in the next one, which an idle server
 * may not make for minutes.
 */
export function collectYoungGeneration(): void {
  collector ??= garbageCollector() as (options?: { type: 'minor' | 'major' }) => void;
  collector({ type: 'minor' });
}

/** Starts watching; returns a function that stops it. The timer never keeps the process alive. */
export function collectGarbageWhenIdle(options: Partial<IdleCollectionOptions> = {}): () => void {
  const { quietMs, checkMs, quietUtilization, minGrowthBytes, minGrowthShare, shrinkYoungAfterMs, onCollected } = { ...defaults, ...options };
  let gc: (() => void) | undefined;
  let live = process.memoryUsage().heapUsed;
  let quietSince = performance.now();
  /** The young generation's collection was made since the last collection for growth (once, whatever it gave). */
  let shrinkTried = false;
  let last = performance.eventLoopUtilization();
  const timer = setInterval(() => {
    const now = performance.eventLoopUtilization();
    const busy = performance.eventLoopUtilization(now, last).utilization > quietUtilization;
    last = now;
    const at = performance.now();
    if (busy) {
      quietSince = at;
      return;
    }
    if (at - quietSince < quietMs) return;
    const used = process.memoryUsage().heapUsed;
    const grown = used >= live + Math.max(minGrowthBytes, live * minGrowthShare);
    const shrinkYoung = !grown && !shrinkTried && at - quietSince >= shrinkYoungAfterMs && youngGenerationBytes() > LARGE_YOUNG_BYTES;
    if (!grown && !shrinkYoung) return;
    shrinkTried = shrinkYoung;
    gc ??= garbageCollector();
    gc();
    live = process.memoryUsage().heapUsed;
    onCollected?.(used, live, performance.now() - at);
    // The collection itself is not work that should hold off the next quiet period's check.
    quietSince = performance.now();
    last = performance.eventLoopUtilization();
  }, checkMs);
  timer.unref();
  return () => clearInterval(timer);
}
