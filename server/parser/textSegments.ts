// Offsets in an instruction's logical text (continuations joined) mapped back to positions
// in the original document.
import type { InstructionNode, Position, Range, TextSegment } from './types';

/**
 * The segments of a parse's continued instructions, four numbers each (offset, length, line,
 * character) after a count, in typed arrays: no object per segment for the collector to copy.
 * Arrays are chunks that double up to 16 KB (a re-parse of a few lines keeps a small one); an
 * instruction keeps the chunk it was written to.
 */
export class SegmentStore {
  data = new Int32Array(64);
  used = 0;
  /** The segments of the instruction being built. */
  scratch = new Int32Array(64);

  /** Room for segment `index` in `scratch`. */
  grow(index: number): Int32Array {
    if (index * 4 + 4 > this.scratch.length) {
      const grown = new Int32Array(this.scratch.length * 2);
      grown.set(this.scratch);
      this.scratch = grown;
    }
    return this.scratch;
  }

  /** Copies `count` segments from `scratch` into a chunk; returns where their count is. */
  commit(count: number): number {
    const size = 1 + count * 4;
    if (this.used + size > this.data.length) {
      this.data = new Int32Array(Math.max(size, Math.min(this.data.length * 2, 4096)));
      this.used = 0;
    }
    const at = this.used;
    const data = this.data;
    const scratch = this.scratch;
    data[at] = count;
    for (let i = 0; i < count * 4; i++) data[at + 1 + i] = scratch[i];
    this.used = at + size;
    return at;
  }
}

/** Where an instruction's logical text comes from: its first position and, for several lines, its segments. */
export interface MapOrigin {
  readonly firstLine: number;
  readonly firstCharacter: number;
  readonly packed?: Int32Array;
  readonly packedAt: number;
  /** Lines to add to the packed segments' lines (0 unless moved; see TextMap). */
  readonly lineShift?: number;
}

/**
 * The segment map of one instruction: one segment (the common single-line case) from the first
 * position alone, several from a SegmentStore. The object form (`segments`) is built on each read
 * (nothing cached per instruction: a 30,000-line file holds 17,000 of these).
 */
export class TextMap implements MapOrigin {
  constructor(
    readonly firstLine: number,
    readonly firstCharacter: number,
    /** The logical text the offsets index. */
    readonly text: string,
    /** For several segments: the store's chunk and where their count is. */
    readonly packed?: Int32Array,
    readonly packedAt = 0,
    /**
     * Lines to add to the packed segments' lines: a map moved with its instruction (lines inserted
     * or removed above it) shares the chunk it was parsed into instead of copying it.
     */
    readonly lineShift = 0,
  ) {}

  get segments(): TextSegment[] {
    return this.packed ? unpack(this.packed, this.packedAt, this.lineShift) : [{ offset: 0, length: this.text.length, line: this.firstLine, character: this.firstCharacter }];
  }

  rangeOf(start: number, end: number): Range {
    const from = this.positionAt(start, false);
    if (end <= start) return { start: from, end: { line: from.line, character: from.character } };
    return { start: from, end: this.positionAt(end, true) };
  }

  /** Like positionAtOffset over `segments`, without building them. */
  positionAt(offset: number, preferEarlier: boolean): Position {
    const p = this.packed;
    if (!p) return { line: this.firstLine, character: this.firstCharacter + Math.max(0, Math.min(offset, this.text.length)) };
    const at = this.packedAt;
    if (p[at] === 0) return { line: 0, character: 0 };
    let lo = 0;
    let hi = p[at] - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      const o = p[at + 1 + mid * 4];
      if (preferEarlier ? o < offset : o <= offset) lo = mid;
      else hi = mid - 1;
    }
    const q = at + 1 + lo * 4;
    return { line: p[q + 2] + this.lineShift, character: p[q + 3] + Math.max(0, Math.min(offset - p[q], p[q + 1])) };
  }
}

function unpack(p: Int32Array, at: number, lineShift: number): TextSegment[] {
  const out = new Array<TextSegment>(p[at]);
  for (let i = 0; i < out.length; i++) {
    const q = at + 1 + i * 4;
    out[i] = { offset: p[q], length: p[q + 1], line: p[q + 2] + lineShift, character: p[q + 3] };
  }
  return out;
}

/**
 * Builds the logical text of one instruction (joined once, no chain of concatenations) and its
 * segments; one builder serves a whole parse (`start` before each instruction).
 */
export class LogicalTextBuilder implements MapOrigin {
  private pieces: string[] = [];
  private length = 0;
  private count = 0;
  firstLine = 0;
  firstCharacter = 0;
  /** After finish: the chunk and the place of the segments. */
  packed: Int32Array | undefined = undefined;
  packedAt = 0;

  constructor(private readonly store: SegmentStore) {}

  start(firstLine: number, firstCharacter: number): void {
    this.firstLine = firstLine;
    this.firstCharacter = firstCharacter;
    this.pieces = []; // cheaper than setting length
    this.length = 0;
    this.count = 0;
    this.packed = undefined;
  }

  append(source: string, start: number, end: number, line: number, character: number): void {
    if (end <= start) return;
    const scratch = this.store.grow(this.count);
    const q = this.count * 4;
    scratch[q] = this.length;
    scratch[q + 1] = end - start;
    scratch[q + 2] = line;
    scratch[q + 3] = character;
    this.count++;
    this.length += end - start;
    this.pieces.push(source.slice(start, end));
  }

  /** The logical text; the segments go to the store. */
  finish(): string {
    this.packedAt = this.store.commit(this.count);
    this.packed = this.store.data;
    return this.pieces.length === 1 ? this.pieces[0] : this.pieces.join('');
  }
}

/** A MapOrigin for single-line instructions, reused (no object per instruction). */
export class SingleLineOrigin implements MapOrigin {
  firstLine = 0;
  firstCharacter = 0;
  readonly packed = undefined;
  readonly packedAt = 0;
}

function segmentIndex(segments: readonly TextSegment[], offset: number, preferEarlier: boolean): number {
  let lo = 0;
  let hi = segments.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    const s = segments[mid];
    if (preferEarlier ? s.offset < offset : s.offset <= offset) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

/**
 * The document position of `offset` in the logical text. `end` bias maps an offset at a
 * segment boundary to the end of the earlier segment (for exclusive range ends).
 */
export function positionAtOffset(segments: readonly TextSegment[], offset: number, bias: 'start' | 'end' = 'start'): Position {
  if (segments.length === 0) return { line: 0, character: 0 };
  const s = segments[segmentIndex(segments, offset, bias === 'end')];
  const delta = Math.max(0, Math.min(offset - s.offset, s.length));
  return { line: s.line, character: s.character + delta };
}

/** `range` moved `lines` lines down (up when negative), columns kept: lines inserted or removed above it. */
export function movedRange(range: Range, lines: number): Range {
  return { start: { line: range.start.line + lines, character: range.start.character }, end: { line: range.end.line + lines, character: range.end.character } };
}

/** The document range of `[start, end)` in the logical text. */
export function rangeOfOffsets(segments: readonly TextSegment[], start: number, end: number): Range {
  const from = positionAtOffset(segments, start, 'start');
  if (end <= start) return { start: from, end: { line: from.line, character: from.character } };
  return { start: from, end: positionAtOffset(segments, end, 'end') };
}

/** The document range of `[start, end)` in an instruction's text (without building its segments when it is a parsed one). */
export function rangeInInstruction(instruction: Pick<InstructionNode, 'segments'>, start: number, end: number): Range {
  return instruction instanceof TextMap ? instruction.rangeOf(start, end) : rangeOfOffsets(instruction.segments, start, end);
}

/** The document position of an offset into `instruction.text`. */
export function positionInInstruction(instruction: Pick<InstructionNode, 'segments'>, offset: number): Position {
  return positionAtOffset(instruction.segments, offset);
}
