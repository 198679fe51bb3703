// deb822 control paragraphs (Debian `Packages` indexes, `/var/lib/dpkg/status`): fields are
// `Name: value`, continuation lines start with a space or tab, paragraphs are separated by
// blank lines. The bytes are read as they arrive (a stream's chunks or one buffer); only the
// requested fields are decoded, each into a string of its own, so nothing keeps the 50 MB text.
// A big index can be read in slices of a few milliseconds, yielding to the event loop between.

export type ControlParagraph = Record<string, string>;

const NL = 0x0a;
const CR = 0x0d;
const SPACE = 0x20;
const TAB = 0x09;
const COLON = 0x3a;
const HASH = 0x23;

/** Reads paragraphs from chunks of bytes; a line split between chunks is carried over. */
export class ControlParser {
  private readonly want: Map<string, string>;
  private fields: ControlParagraph = {};
  private current: string | undefined;
  private any = false;
  /** The start of a line the previous chunk ended in. */
  private carry: Buffer | undefined;

  constructor(wanted: readonly string[], private readonly onParagraph: (fields: ControlParagraph) => void) {
    this.want = new Map(wanted.map((w) => [w.toLowerCase(), w]));
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
    if (this.any) this.onParagraph(this.fields);
    this.fields = {};
    this.current = undefined;
    this.any = false;
  }

  private line(buf: Buffer, start: number, end: number): void {
    if (end > start && buf[end - 1] === CR) end--;
    let first = start;
    while (first < end && (buf[first] === SPACE || buf[first] === TAB || buf[first] === CR)) first++;
    if (first === end) return this.blank();
    const c = buf[start];
    if (c === SPACE || c === TAB) {
      if (this.current !== undefined) this.fields[this.current] += '\n' + buf.toString('utf8', start + 1, end);
      return;
    }
    if (c === HASH) return;
    const colon = buf.indexOf(COLON, start);
    if (colon <= start || colon >= end) return;
    this.any = true;
    const name = this.want.get(buf.toString('latin1', start, colon).toLowerCase());
    this.current = name;
    if (name === undefined) return;
    let from = colon + 1;
    let to = end;
    while (from < to && (buf[from] === SPACE || buf[from] === TAB)) from++;
    while (to > from && (buf[to - 1] === SPACE || buf[to - 1] === TAB)) to--;
    this.fields[name] = buf.toString('utf8', from, to);
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

/** Pushes `chunk` into `parser` in steps, waiting for the next turn after about `sliceMs` of work. */
export class SlicedFeeder {
  private sliceStart = performance.now();

  constructor(private readonly parser: ControlParser, private readonly sliceMs = SLICE_MS) {}

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
