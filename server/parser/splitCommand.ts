// Splits a logical line into keyword, builder flags (`--name=value` words before the arguments)
// and the argument text, as BuildKit's splitCommand/extractBuilderFlags do, keeping offsets.
import { isAsciiBlank, isGoSpace, skipGoSpace, trimGoSpaceEnd } from './shell/goSpace';

export interface RawFlag {
  /** The flag word with quotes and backslash escapes processed (what BuildKit sees). */
  word: string;
  /** Offsets of the flag as written. */
  start: number;
  end: number;
  /**
   * For each character of `word`, its offset in the text (plus one final entry for `end`);
   * undefined when the flag has no quotes or escapes (character i is at `start + i`).
   */
  map?: number[];
}

export interface SplitCommand {
  keywordStart: number;
  keywordEnd: number;
  flags: RawFlag[];
  /** The argument text, trimmed: `text.slice(argsStart, argsEnd)`. */
  argsStart: number;
  argsEnd: number;
}

/** Splits `text.slice(start, end)`, into `reuse` (emptied first) when given. */
export function splitCommand(text: string, start: number, end: number, reuse?: SplitCommand): SplitCommand {
  const from = skipGoSpace(text, start, end);
  const to = trimGoSpaceEnd(text, from, end);
  let k = from;
  while (k < to && !isAsciiBlank(text.charCodeAt(k))) k++;
  let split: SplitCommand;
  if (reuse) {
    split = reuse;
    split.keywordStart = from;
    split.keywordEnd = k;
    if (split.flags.length !== 0) split.flags = []; // a new array is cheaper than setting length
    split.argsStart = to;
    split.argsEnd = to;
  } else {
    split = { keywordStart: from, keywordEnd: k, flags: [], argsStart: to, argsEnd: to };
  }
  let rest = k;
  while (rest < to && isAsciiBlank(text.charCodeAt(rest))) rest++;
  if (rest >= to) return split;
  const argsAt = extractFlags(text, rest, to, split.flags);
  split.argsStart = skipGoSpace(text, argsAt, to);
  split.argsEnd = Math.max(split.argsStart, trimGoSpaceEnd(text, split.argsStart, to));
  return split;
}

/** Reads `--flag` words from `from`; returns where the arguments begin. */
function extractFlags(text: string, from: number, to: number, flags: RawFlag[]): number {
  let pos = from;
  for (;;) {
    while (pos < to && isGoSpace(text.charCodeAt(pos))) pos++;
    if (pos >= to) return to;
    if (text.charCodeAt(pos) !== 0x2d || pos + 1 >= to || text.charCodeAt(pos + 1) !== 0x2d) return pos;
    const start = pos;
    // Fast path: a flag without quotes or backslashes is its own text (no per-character copy).
    let plainEnd = pos;
    for (let c = text.charCodeAt(plainEnd); plainEnd < to && !isGoSpace(c) && c !== 0x27 && c !== 0x22 && c !== 0x5c; c = text.charCodeAt(++plainEnd));
    if (plainEnd >= to || isGoSpace(text.charCodeAt(plainEnd))) {
      pos = plainEnd;
      if (pos - start === 2) return pos; // `--` alone ends the flags
      flags.push({ word: text.slice(start, pos), start, end: pos });
      if (pos >= to) return to;
      continue;
    }
    let word = '';
    const map: number[] = [];
    let quote = 0;
    let blankOK = false;
    while (pos < to) {
      const c = text.charCodeAt(pos);
      if (quote === 0) {
        if (isGoSpace(c)) break;
        if (c === 0x27 || c === 0x22) { quote = c; blankOK = true; pos++; continue; }
        if (c === 0x5c) {
          if (pos + 1 >= to) { pos++; continue; }
          pos++;
        }
        map.push(pos);
        word += text[pos];
        pos++;
      } else {
        if (c === quote) { quote = 0; pos++; continue; }
        if (c === 0x5c) {
          if (pos + 1 >= to) { quote = 0; pos++; continue; }
          pos++;
        }
        map.push(pos);
        word += text[pos];
        pos++;
      }
    }
    if (word === '--') return pos;
    map.push(pos);
    const plain = map.length === pos - start + 1 && map[0] === start;
    if (blankOK || word.length > 0) flags.push(plain ? { word, start, end: pos } : { word, start, end: pos, map });
    if (pos >= to) return to;
  }
}
