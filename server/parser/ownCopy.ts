// A string that shares no storage with the text it was cut from. V8 makes `text.slice(a, b)` (13
// characters or more) a view that keeps all of `text` alive. Nodes of a re-parse outlive the text
// of their version (the next edit takes them over), so each edited version's whole document stayed
// in memory for as long as one node of it did: ~0.3 MiB per edit on a 1 MB file, without end.

/** `s` copied out of whatever larger string it is a view of (short strings are copies already). */
export function ownCopy(s: string): string {
  // The concatenation is flattened into a string of its own by slice, which then views that one.
  return s.length < 13 ? s : (' ' + s).slice(1);
}
