// An array built by `push` (or `[...a, b]`, `filter`, `flatMap`) keeps room for about 16 more
// elements, ~130 bytes that a plan holding ~40,000 such arrays keeps for as long as it lives.

/** `list` with no spare room: a copy when it has elements (an empty array has no storage to spare). */
export function fitted<T>(list: T[]): T[] {
  return list.length === 0 ? list : list.slice();
}
