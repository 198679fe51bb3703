// Small text helpers shared by rules: sub-ranges of words, case matching, edits.
import type { FlagNode, InstructionNode, Position, Range, WordNode } from '../parser/types';
import { rangeOfOffsets } from '../parser/textSegments';
import type { TextEdit } from './types';

/** Whether `word.value` is the instruction text at its offsets (so offsets inside it map exactly). */
export function isVerbatim(instruction: InstructionNode, word: WordNode): boolean {
  return instruction.text.slice(word.start, word.end) === word.value;
}

/** Document range of `word.value.slice(from, to)`; the whole word when it is not verbatim. */
export function rangeInWord(instruction: InstructionNode, word: WordNode, from: number, to: number): Range {
  if (!isVerbatim(instruction, word)) return word.range;
  return rangeOfOffsets(instruction.segments, word.start + from, word.start + to);
}

/** Document range of part of a flag value (flag values sit on one line unless continued). */
export function rangeInFlagValue(flag: FlagNode, from: number, to: number): Range {
  const r = flag.valueRange;
  if (!r || flag.value === undefined) return flag.range;
  if (r.start.line !== r.end.line || r.end.character - r.start.character !== flag.value.length) return r;
  return { start: { line: r.start.line, character: r.start.character + from }, end: { line: r.start.line, character: r.start.character + to } };
}

/** `text` in the case of `model`: lower when `model` is all lower-case, else upper. */
export function matchCase(model: string, text: string): string {
  return model === model.toLowerCase() ? text.toLowerCase() : text.toUpperCase();
}

export function isLowerOrUpper(text: string): boolean {
  return !/[a-z]/.test(text) || !/[A-Z]/.test(text);
}

export function replace(range: Range, newText: string): TextEdit {
  return { range, newText };
}

export function insert(position: Position, newText: string): TextEdit {
  return { range: { start: position, end: position }, newText };
}

/** The range of whole lines `[first, last]` (for deleting an instruction). */
export function wholeLines(first: number, last: number): Range {
  return { start: { line: first, character: 0 }, end: { line: last + 1, character: 0 } };
}

/** Go's %q for simple strings (what BuildKit messages print). */
export function goQuote(text: string): string {
  return JSON.stringify(text);
}
