// Where size prediction in steps may pause: after any step or stage, once a slice of work has run.
// A pause is a `yield` for the caller to give the event loop a turn; reader answers that changed
// meanwhile are noted, since what was predicted before the pause may have read the older ones.
import type { SizeReaders } from './sizeReaders';

/**
 * The reader objects and their versions: equal stamps mean equal answers. Measured sizes are left
 * out: the language server re-reads them every few seconds into a new reader, so a prediction taken
 * over looks each layer's measured size up again instead (one lookup by cache key).
 */
export type ReaderStamp = readonly unknown[];

export function readerStamp(readers: SizeReaders): ReaderStamp {
  const { context, images, downloads, packages } = readers;
  return [context, context?.version?.(), images, images?.version?.(), downloads, downloads?.version?.(), packages, packages?.version?.()];
}

export function sameStamp(a: ReaderStamp, b: ReaderStamp): boolean {
  return a.length === b.length && a.every((v, i) => v === b[i]);
}

export class PausePoints {
  private resumedAt = performance.now();
  /** Whether a reader's answers changed during a pause. */
  answersChanged = false;

  /** Pauses once `sliceMs` have passed since the work last resumed (0: at every pause point). */
  constructor(private readonly readers: SizeReaders, private readonly sliceMs: number) {}

  /** Whether the slice is used up: the caller then pauses (`yield* pause()`). */
  due(): boolean {
    return performance.now() - this.resumedAt >= this.sliceMs;
  }

  *pause(): Generator<void, void> {
    const before = readerStamp(this.readers);
    yield;
    if (!sameStamp(before, readerStamp(this.readers))) this.answersChanged = true;
    this.resumedAt = performance.now();
  }
}
