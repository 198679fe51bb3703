// Work written as a generator, one `yield` per small step, so a caller can run it at once or give
// the event loop turns in between (server/turns.ts: runStepsInTurns). Pure: no timers, no I/O.

/** Runs every step at once and returns the result. */
export function runAllSteps<T>(steps: Generator<void, T>): T {
  for (;;) {
    const next = steps.next();
    if (next.done) return next.value;
  }
}
