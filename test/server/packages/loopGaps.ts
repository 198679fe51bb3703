// Measures how long the event loop waits between turns while some asynchronous work runs.

/** Runs `work` and reports how often the loop turned meanwhile and the longest wait between turns. */
export async function loopGapsDuring(work: () => Promise<unknown>): Promise<{ turns: number; longestMs: number }> {
  let last = performance.now();
  let longestMs = 0;
  let turns = 0;
  let running = true;
  const tick = (): void => {
    const now = performance.now();
    longestMs = Math.max(longestMs, now - last);
    last = now;
    turns++;
    if (running) setImmediate(tick);
  };
  setImmediate(tick);
  try {
    await work();
  } finally {
    running = false;
  }
  return { turns, longestMs };
}
