// Work that runs in turns on large files (rules, shellcheck requests, size prediction) gives the
// event loop a turn after this many milliseconds, so a request waits about one slice of each such
// task (requests are dispatched through setImmediate too, one round of slices at most).
export const TURN_SLICE_MS = 4;

/**
 * After a request is answered, the next turn of background work waits this long (once per turn):
 * clients send requests in bursts (hover, highlights, code actions; a bench's loop), and the next
 * one is then answered without waiting behind a slice. Background work still moves on every turn.
 */
export const REQUEST_QUIET_MS = 25;

let lastRequestAt = Number.NEGATIVE_INFINITY;

/** Called when a request was answered (see requestRunner.ts). */
export function requestAnswered(): void {
  lastRequestAt = performance.now();
}

/** Resolves on a later turn of the event loop, after the I/O and requests queued meanwhile. */
export function nextTurn(): Promise<void> {
  const quiet = lastRequestAt + REQUEST_QUIET_MS - performance.now();
  if (quiet > 0) return new Promise((resolve) => setTimeout(() => setImmediate(resolve), quiet));
  return new Promise((resolve) => setImmediate(resolve));
}
