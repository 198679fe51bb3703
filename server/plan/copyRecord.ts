// Records keyed by variable names (ENV, ARG): any name is a plain own key, `__proto__` included.

/** Sets `record[key]` as an own property (plain assignment would change the prototype for `__proto__`). */
export function setOwn<T>(record: Record<string, T>, key: string, value: T): void {
  if (key === '__proto__') Object.defineProperty(record, key, { value, enumerable: true, writable: true, configurable: true });
  else record[key] = value;
}

// A shallow copy of a record with the same own keys in the same order. Spreading a large
// record (a stage's ENV after hundreds of variables) costs several times this key-by-key copy.
export function copyRecord<T>(record: Readonly<Record<string, T>>): Record<string, T> {
  const copy: Record<string, T> = {};
  const keys = Object.keys(record);
  for (let i = 0; i < keys.length; i++) setOwn(copy, keys[i], record[keys[i]]);
  return copy;
}
