// Records keyed by variable names (ENV, ARG): any name is a plain own key, `__proto__` included.

/** Sets `record[key]` as an own property (plain assignment would change the prototype for `__proto__`). */
export function setOwn<T>(record: Record<string, T>, key: string, value: T): void {
  if (key === '__proto__') Object.defineProperty(record, key, { value, enumerable: true, writable: true, configurable: true });
  else record[key] = value;
}

/**
 * A copy of `record` with `changes` set in order: the same keys in the same order as copying key by
 * key and then setting each change (a changed key keeps its place, a new one goes last).
 * Spread and defineProperty keep the copy in V8's fast mode (one slot per key, the hidden class
 * shared with the stage's earlier copies); setting more than a dozen keys by `copy[key] = value`
 * turns it into a hash table several times that size (a stage's ENV copies were ~25 MB).
 */
export function copyRecord<T>(record: Readonly<Record<string, T>>, changes: Iterable<readonly [string, T]> = []): Record<string, T> {
  const copy = { ...record };
  for (const [key, value] of changes) Object.defineProperty(copy, key, { value, enumerable: true, writable: true, configurable: true });
  return copy;
}
