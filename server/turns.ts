// Work that runs in turns on large files (rules, shellcheck requests, size prediction) gives the
// event loop a turn after this many milliseconds, so a request waits about one slice of each such
// task (requests are dispatched through setImmediate too, one round of slices at most).
export const TURN_SLICE_MS = 4;

/** Resolves on the next turn of the event loop, after the I/O and requests queued meanwhile. */
export function nextTurn(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}
