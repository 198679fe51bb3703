// BuildKit's two ways of cutting argument text into words: parseWords (quote-aware, keeps
// quotes and escapes, used by ENV/LABEL/ARG) and a plain split on `[\t\v\f\r ]+`.
import { isAsciiBlank, isGoSpace } from './shell/goSpace';

export interface RawWord {
  value: string;
  start: number;
  end: number;
}

/**
 * BuildKit's parseWords over `text.slice(start, end)`. It keeps every character it reads except
 * an escape character at the very end, so each word is a slice of the text.
 */
export function parseWords(text: string, start: number, end: number, escape: number): RawWord[] {
  const words: RawWord[] = [];
  let pos = start;
  for (;;) {
    while (pos < end && isGoSpace(text.charCodeAt(pos))) pos++;
    if (pos >= end) return words;
    const wordStart = pos;
    let quote = 0;
    let blankOK = false;
    let valueEnd = -1;
    while (pos < end) {
      const c = text.charCodeAt(pos);
      if (quote === 0) {
        if (isGoSpace(c)) break;
        if (c === 0x27 || c === 0x22) { quote = c; blankOK = true; }
        if (c === escape) {
          if (pos + 1 === end) { valueEnd = pos; pos++; continue; }
          pos++;
        }
        pos++;
      } else {
        if (c === quote) quote = 0;
        if (c === escape && quote !== 0x27) {
          if (pos + 1 === end) { valueEnd = pos; quote = 0; pos++; continue; }
          pos++;
        }
        pos++;
      }
    }
    if (pos > end) pos = end;
    const value = text.slice(wordStart, valueEnd < 0 ? pos : valueEnd);
    if (blankOK || value.length > 0) words.push({ value, start: wordStart, end: pos });
  }
}

/** Splits `text.slice(start, end)` (already trimmed) on runs of `[\t\v\f\r ]`. */
export function splitOnBlanks(text: string, start: number, end: number): RawWord[] {
  const words: RawWord[] = [];
  if (end <= start) return words;
  let wordStart = start;
  let pos = start;
  while (pos < end) {
    if (isAsciiBlank(text.charCodeAt(pos))) {
      words.push({ value: text.slice(wordStart, pos), start: wordStart, end: pos });
      while (pos < end && isAsciiBlank(text.charCodeAt(pos))) pos++;
      wordStart = pos;
    } else {
      pos++;
    }
  }
  words.push({ value: text.slice(wordStart, end), start: wordStart, end });
  return words;
}
