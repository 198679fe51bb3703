// Buffer#copy makes a typed-array view per call (Node 20): copying a package index's 700,000
// short fields that way allocated ~130 MB of views, so short runs are copied byte by byte.

/** Runs shorter than this are copied in a loop. */
const LOOP_BELOW = 64;

/** Copies `source[start..end)` to `target` at `at`; returns the count. */
export function copyBytes(source: Uint8Array, start: number, end: number, target: Uint8Array, at: number): number {
  const count = end - start;
  if (count >= LOOP_BELOW) return Buffer.prototype.copy.call(source, target, at, start, end);
  for (let i = 0; i < count; i++) target[at + i] = source[start + i];
  return count;
}
