// Offsets in an instruction's logical text (continuations joined) mapped back to positions
// in the original document.
import type { InstructionNode, Position, Range, TextSegment } from './types';

/**
 * The segment map of one instruction, built on first use for the common single-line case
 * (one segment) so that parsing allocates as little as possible.
 */
export class TextMap {
  protected built: TextSegment[] | undefined;

  constructor(readonly firstLine: number, readonly firstCharacter: number, readonly textLength: number, segments?: TextSegment[]) {
    this.built = segments;
  }

  get segments(): TextSegment[] {
    return (this.built ??= [{ offset: 0, length: this.textLength, line: this.firstLine, character: this.firstCharacter }]);
  }

  /** The segments when they were given (several lines), undefined for a single line. */
  get givenSegments(): TextSegment[] | undefined {
    return this.built;
  }

  rangeOf(start: number, end: number): Range {
    return rangeOfOffsets(this.segments, start, end);
  }
}

/** Builds the logical text of one instruction and its segment map. */
export class LogicalTextBuilder {
  text = '';
  readonly segments: TextSegment[] = [];

  append(source: string, start: number, end: number, line: number, character: number): void {
    if (end <= start) return;
    this.segments.push({ offset: this.text.length, length: end - start, line, character });
    this.text += source.slice(start, end);
  }
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

/** The document range of `[start, end)` in the logical text. */
export function rangeOfOffsets(segments: readonly TextSegment[], start: number, end: number): Range {
  const from = positionAtOffset(segments, start, 'start');
  if (end <= start) return { start: from, end: { line: from.line, character: from.character } };
  return { start: from, end: positionAtOffset(segments, end, 'end') };
}

/** The document position of an offset into `instruction.text`. */
export function positionInInstruction(instruction: Pick<InstructionNode, 'segments'>, offset: number): Position {
  return positionAtOffset(instruction.segments, offset);
}
