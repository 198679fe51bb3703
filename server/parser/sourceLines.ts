// Physical lines of the original text, as BuildKit's scanner sees them (split at `\n`,
// trailing `\r`/`\n` trimmed, a UTF-8 byte-order mark skipped on the first line).

export interface SourceLines {
  count: number;
  /** Offset of each line's first character (a typed array: no garbage-collector copying). */
  starts: Int32Array;
  /** The text starts with a byte-order mark (line 0's content starts at offset 1). */
  bom: boolean;
  /** Offset just after each line's content (line ending and trailing `\r` excluded). */
  ends: Int32Array;
}

export function splitSourceLines(text: string): SourceLines {
  let count = 1;
  for (let nl = text.indexOf('\n'); nl >= 0; nl = text.indexOf('\n', nl + 1)) count++;
  const starts = new Int32Array(count);
  const ends = new Int32Array(count);
  const bom = text.charCodeAt(0) === 0xfeff;
  let start = 0;
  for (let line = 0; ; line++) {
    const nl = text.indexOf('\n', start);
    const stop = nl < 0 ? text.length : nl;
    let end = stop;
    while (end > start && text.charCodeAt(end - 1) === 0x0d) end--;
    starts[line] = start;
    ends[line] = end;
    if (nl < 0) break;
    start = nl + 1;
  }
  return { count, starts, ends, bom };
}

/** Where each line of `text` starts: 0, then the offset after each line feed. */
export function lineStartOffsets(text: string): number[] {
  const starts = [0];
  for (let at = text.indexOf('\n'); at >= 0; at = text.indexOf('\n', at + 1)) starts.push(at + 1);
  return starts;
}

/** BuildKit's scanner refuses a line longer than this many UTF-8 bytes. */
export const maxLineBytes = 65535;

/** Whether the line's UTF-8 size exceeds BuildKit's scanner limit. */
export function isLineTooLong(text: string, start: number, end: number): boolean {
  const units = end - start;
  if (units <= maxLineBytes / 3) return false;
  return Buffer.byteLength(text.slice(start, end), 'utf8') > maxLineBytes;
}
