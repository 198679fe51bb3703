// The exec (JSON array) form. BuildKit tries JSON when the arguments start with `[`: valid JSON
// arrays of strings become exec form, arrays with other values are an error, and anything that
// is not valid JSON silently stays shell form.
import type { RawWord } from './wordSplitting';

export type JsonArrayResult =
  | { kind: 'strings'; items: RawWord[] }
  | { kind: 'not-json' }
  | { kind: 'not-strings' };

/**
 * Tries `text.slice(start, end)` (already trimmed) as a JSON array of strings. Without `locate`,
 * a string array's items are left empty (for callers that only need the form).
 */
export function parseJsonArray(text: string, start: number, end: number, locate = true): JsonArrayResult {
  if (text.charCodeAt(start) !== 0x5b /* [ */) return notJson;
  let parsed: unknown;
  try {
    parsed = JSON.parse(text.slice(start, end));
  } catch {
    return notJson;
  }
  if (!Array.isArray(parsed)) return notJson;
  if (!parsed.every((v): v is string => typeof v === 'string')) return notStrings;
  return locate ? { kind: 'strings', items: locateStrings(text, start, end, parsed) } : unlocatedStrings;
}

// Shared answers (frozen): most instructions are not JSON, and a parse asks for every one.
const notJson: JsonArrayResult = Object.freeze({ kind: 'not-json' });
const notStrings: JsonArrayResult = Object.freeze({ kind: 'not-strings' });
const unlocatedStrings: JsonArrayResult = Object.freeze({ kind: 'strings', items: Object.freeze([]) as unknown as RawWord[] });

/** Finds the string literals of a valid JSON array of strings. */
function locateStrings(text: string, start: number, end: number, values: string[]): RawWord[] {
  const items: RawWord[] = [];
  let pos = start + 1;
  for (const value of values) {
    while (pos < end && text.charCodeAt(pos) !== 0x22) pos++;
    const literalStart = pos;
    pos++;
    while (pos < end) {
      const c = text.charCodeAt(pos);
      if (c === 0x5c) { pos += 2; continue; }
      pos++;
      if (c === 0x22) break;
    }
    items.push({ value, start: literalStart, end: pos });
  }
  return items;
}
