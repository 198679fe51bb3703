// deb822 control paragraphs (Debian `Packages` indexes, `/var/lib/dpkg/status`): fields are
// `Name: value`, continuation lines start with a space or tab, paragraphs are separated by
// blank lines. The bytes are read as they arrive (a stream's chunks or one buffer); only the
// requested fields are kept, their bytes copied out of the chunk, so nothing keeps the 50 MB text.
// A big index can be read in slices of a few milliseconds, yielding to the event loop between.

import { copyBytes } from './copyBytes';

export type ControlParagraph = Record<string, string>;

const NL = 0x0a;
const CR = 0x0d;
const SPACE = 0x20;
const TAB = 0x09;
const COLON = 0x3a;
const HASH = 0x23;

/**
 * The wanted fields of one paragraph as bytes: field `i` (in the order asked for) is
 * `bytes[starts[i]..ends[i])`, or absent when `starts[i]` is -1. Continuation lines are joined with
 * a newline. Valid until the reader reads on.
 */
export interface ControlFields {
  readonly bytes: Buffer;
  readonly starts: Int32Array;
  readonly ends: Int32Array;
  /** The present fields in the order they first appear. */
  readonly order: Int32Array;
  readonly present: number;
}

/** The text of field `i`, or undefined when the paragraph lacks it. */
export function fieldText(fields: ControlFields, i: number): string | undefined {
  const start = fields.starts[i];
  return start < 0 ? undefined : fields.bytes.toString('utf8', start, fields.ends[i]);
}

/** Reads paragraphs from chunks of bytes; a line split between chunks is carried over. */
export class ControlFieldReader implements ControlFields {
  /** Wanted names in lower case, as bytes. */
  private readonly names: Buffer[];
  bytes = Buffer.allocUnsafe(4096);
  readonly starts: Int32Array;
  readonly ends: Int32Array;
  readonly order: Int32Array;
  present = 0;
  /** Bytes of `bytes` in use by the paragraph read so far. */
  private used = 0;
  /** The field a continuation line adds to (-1: none, or not wanted). */
  private current = -1;
  private any = false;
  /** The start of a line the previous chunk ended in. */
  private carry: Buffer | undefined;

  constructor(wanted: readonly string[], private readonly onParagraph: (fields: ControlFields) => void) {
    this.names = wanted.map((w) => Buffer.from(w.toLowerCase(), 'latin1'));
    this.starts = new Int32Array(wanted.length).fill(-1);
    this.ends = new Int32Array(wanted.length);
    this.order = new Int32Array(wanted.length);
  }

  /** Reads the complete lines of `chunk` (and of the carried line it completes). */
  push(chunk: Buffer): void {
    let pos = 0;
    if (this.carry) {
      const nl = chunk.indexOf(NL);
      if (nl < 0) {
        this.carry = Buffer.concat([this.carry, chunk]);
        return;
      }
      const line = Buffer.concat([this.carry, chunk.subarray(0, nl)]);
      this.carry = undefined;
      this.line(line, 0, line.length);
      pos = nl + 1;
    }
    const length = chunk.length;
    while (pos < length) {
      const nl = chunk.indexOf(NL, pos);
      if (nl < 0) {
        // A copy: the carry must not keep the whole chunk alive.
        this.carry = Buffer.from(chunk.subarray(pos));
        return;
      }
      this.line(chunk, pos, nl);
      pos = nl + 1;
    }
  }

  /** The end of the text: a last line without a newline, and the paragraph it ends. */
  end(): void {
    if (this.carry) {
      const line = this.carry;
      this.carry = undefined;
      this.line(line, 0, line.length);
    }
    this.blank();
  }

  private blank(): void {
    if (this.any) this.onParagraph(this);
    this.starts.fill(-1);
    this.present = 0;
    this.used = 0;
    this.current = -1;
    this.any = false;
  }

  /** Appends `buf[from..to)` (after a newline when `newline`) to the paragraph's bytes. */
  private append(buf: Buffer, from: number, to: number, newline: boolean): void {
    const needed = this.used + (to - from) + 1;
    if (needed > this.bytes.length) {
      const grown = Buffer.allocUnsafe(Math.max(needed, this.bytes.length * 2));
      this.bytes.copy(grown, 0, 0, this.used);
      this.bytes = grown;
    }
    if (newline) this.bytes[this.used++] = NL;
    this.used += copyBytes(buf, from, to, this.bytes, this.used);
  }

  /** The wanted field named `buf[from..to)` (ASCII case-insensitive), or -1. */
  private fieldNamed(buf: Buffer, from: number, to: number): number {
    const length = to - from;
    search: for (let i = 0; i < this.names.length; i++) {
      const name = this.names[i];
      if (name.length !== length) continue;
      for (let k = 0; k < length; k++) {
        const b = buf[from + k];
        if ((b >= 0x41 && b <= 0x5a ? b | 0x20 : b) !== name[k]) continue search;
      }
      return i;
    }
    return -1;
  }

  private line(buf: Buffer, start: number, end: number): void {
    if (end > start && buf[end - 1] === CR) end--;
    const c = buf[start];
    if (start === end || c === SPACE || c === TAB || c === CR) {
      let first = start;
      while (first < end && (buf[first] === SPACE || buf[first] === TAB || buf[first] === CR)) first++;
      if (first === end) return this.blank();
      if (c === CR) return this.field(buf, start, end);
      const current = this.current;
      if (current >= 0) {
        this.append(buf, start + 1, end, true);
        this.ends[current] = this.used;
      }
      return;
    }
    if (c === HASH) return;
    this.field(buf, start, end);
  }

  private field(buf: Buffer, start: number, end: number): void {
    const colon = buf.indexOf(COLON, start);
    if (colon <= start || colon >= end) return;
    this.any = true;
    const i = this.fieldNamed(buf, start, colon);
    this.current = i;
    if (i < 0) return;
    let from = colon + 1;
    let to = end;
    while (from < to && (buf[from] === SPACE || buf[from] === TAB)) from++;
    while (to > from && (buf[to - 1] === SPACE || buf[to - 1] === TAB)) to--;
    if (this.starts[i] < 0) this.order[this.present++] = i;
    this.starts[i] = this.used;
    this.append(buf, from, to, false);
    this.ends[i] = this.used;
  }
}

/** Reads paragraphs as strings (the wanted fields each present by their name as asked for). */
export class ControlParser {
  private readonly reader: ControlFieldReader;

  constructor(wanted: readonly string[], onParagraph: (fields: ControlParagraph) => void) {
    this.reader = new ControlFieldReader(wanted, (fields) => {
      const paragraph: ControlParagraph = {};
      for (let k = 0; k < fields.present; k++) {
        const i = fields.order[k];
        paragraph[wanted[i]] = fieldText(fields, i) as string;
      }
      onParagraph(paragraph);
    });
  }

  push(chunk: Buffer): void {
    this.reader.push(chunk);
  }

  end(): void {
    this.reader.end();
  }
}

function bytesOf(text: string | Buffer): Buffer {
  return typeof text === 'string' ? Buffer.from(text, 'utf8') : text;
}

/** Calls `onParagraph` for each paragraph with the `wanted` fields (case-insensitive names). */
export function forEachParagraph(text: string | Buffer, wanted: readonly string[], onParagraph: (fields: ControlParagraph) => void): void {
  const parser = new ControlParser(wanted, onParagraph);
  parser.push(bytesOf(text));
  parser.end();
}

/** How long one slice of work may hold the event loop by default. */
export const SLICE_MS = 8;

/** Bytes read between looks at the clock (about a millisecond of parsing). */
const STEP_BYTES = 64 * 1024;

/** A promise that resolves on the next turn of the event loop, after pending I/O. */
export function nextTurn(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

/** What reads chunks of a control file. */
export interface ChunkReader {
  push(chunk: Buffer): void;
  end(): void;
}

/** Pushes `chunk` into `parser` in steps, waiting for the next turn after about `sliceMs` of work. */
export class SlicedFeeder {
  private sliceStart = performance.now();

  constructor(private readonly parser: ChunkReader, private readonly sliceMs = SLICE_MS) {}

  async push(chunk: Buffer): Promise<void> {
    for (let pos = 0; pos < chunk.length; pos += STEP_BYTES) {
      this.parser.push(chunk.subarray(pos, Math.min(chunk.length, pos + STEP_BYTES)));
      if (performance.now() - this.sliceStart > this.sliceMs) {
        await nextTurn();
        this.sliceStart = performance.now();
      }
    }
  }

  end(): void {
    this.parser.end();
  }
}

/**
 * `forEachParagraph` in slices: after about `sliceMs` of work (parsing and `onParagraph`
 * together) it waits for the next turn of the event loop. Same paragraphs, same order.
 */
export async function forEachParagraphInSlices(text: string | Buffer, wanted: readonly string[], onParagraph: (fields: ControlParagraph) => void, sliceMs = SLICE_MS): Promise<void> {
  const feeder = new SlicedFeeder(new ControlParser(wanted, onParagraph), sliceMs);
  await feeder.push(bytesOf(text));
  feeder.end();
}

/** All paragraphs with the wanted fields. */
export function parseParagraphs(text: string | Buffer, wanted: readonly string[]): ControlParagraph[] {
  const out: ControlParagraph[] = [];
  forEachParagraph(text, wanted, (p) => out.push(p));
  return out;
}
