// Work written as a generator (one `yield` per small step) runs either at once or in turns: the
// event loop gets a turn every TURN_SLICE_MS, so requests and edits are served in between.
import { nextTurn, TURN_SLICE_MS } from '../turns';

/** Runs every step at once and returns the result. */
export function runAllSteps<T>(steps: Generator<void, T>): T {
  for (;;) {
    const next = steps.next();
    if (next.done) return next.value;
  }
}

/**
 * Runs the steps, giving the event loop a turn whenever a slice has taken `sliceMs`; resolves
 * undefined (the rest left undone) once `current()` turns false after a turn.
 */
export async function runStepsInTurns<T>(steps: Generator<void, T>, current: () => boolean, sliceMs = TURN_SLICE_MS): Promise<T | undefined> {
  let sliceStart = performance.now();
  for (;;) {
    const next = steps.next();
    if (next.done) return next.value;
    if (performance.now() - sliceStart < sliceMs) continue;
    await nextTurn();
    if (!current()) {
      steps.return(undefined as T);
      return undefined;
    }
    sliceStart = performance.now();
  }
}
