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
  if (text.charCodeAt(start) !== 0x5b /* [ */) return { kind: 'not-json' };
  let parsed: unknown;
  try {
    parsed = JSON.parse(text.slice(start, end));
  } catch {
    return { kind: 'not-json' };
  }
  if (!Array.isArray(parsed)) return { kind: 'not-json' };
  if (!parsed.every((v): v is string => typeof v === 'string')) return { kind: 'not-strings' };
  return { kind: 'strings', items: locate ? locateStrings(text, start, end, parsed) : [] };
}

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
