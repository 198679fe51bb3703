// deb822 control paragraphs (Debian `Packages` indexes, `/var/lib/dpkg/status`): fields are
// `Name: value`, continuation lines start with a space or tab, paragraphs are separated by
// blank lines. Only the requested fields are kept, so a 50 MB index parses without copies.
// A big index can be read in slices of a few milliseconds, yielding to the event loop between.

export type ControlParagraph = Record<string, string>;

/** Reads paragraphs one at a time from `text` (the state between them is the position). */
class ParagraphReader {
  private pos = 0;
  private readonly want: Map<string, string>;

  constructor(private readonly text: string, wanted: readonly string[]) {
    this.want = new Map(wanted.map((w) => [w.toLowerCase(), w]));
  }

  /** The next paragraph with any field, or undefined at the end. */
  next(): ControlParagraph | undefined {
    const text = this.text;
    let fields: ControlParagraph = {};
    let current: string | undefined;
    let any = false;
    while (this.pos <= text.length) {
      let end = text.indexOf('\n', this.pos);
      if (end < 0) end = text.length;
      let line = text.slice(this.pos, end);
      if (line.endsWith('\r')) line = line.slice(0, -1);
      this.pos = end + 1;
      if (line.trim() === '') {
        if (any) return fields;
        fields = {};
        current = undefined;
        if (end >= text.length) break;
        continue;
      }
      if (line[0] === ' ' || line[0] === '\t') {
        if (current !== undefined) fields[current] += '\n' + line.slice(1);
        continue;
      }
      if (line[0] === '#') continue;
      const colon = line.indexOf(':');
      if (colon <= 0) continue;
      any = true;
      const name = this.want.get(line.slice(0, colon).toLowerCase());
      current = name;
      if (name !== undefined) fields[name] = line.slice(colon + 1).trim();
      if (end >= text.length) return fields;
    }
    this.pos = text.length + 1;
    // The text ended inside a paragraph (a continuation line without a newline after it).
    return any ? fields : undefined;
  }
}

/** Calls `onParagraph` for each paragraph with the `wanted` fields (case-insensitive names). */
export function forEachParagraph(text: string, wanted: readonly string[], onParagraph: (fields: ControlParagraph) => void): void {
  const reader = new ParagraphReader(text, wanted);
  for (let p = reader.next(); p; p = reader.next()) onParagraph(p);
}

/** How long one slice of work may hold the event loop by default. */
export const SLICE_MS = 8;

/** A promise that resolves on the next turn of the event loop, after pending I/O. */
export function nextTurn(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

/**
 * `forEachParagraph` in slices: after about `sliceMs` of work (parsing and `onParagraph`
 * together) it waits for the next turn of the event loop. Same paragraphs, same order.
 */
export async function forEachParagraphInSlices(text: string, wanted: readonly string[], onParagraph: (fields: ControlParagraph) => void, sliceMs = SLICE_MS): Promise<void> {
  const reader = new ParagraphReader(text, wanted);
  let sliceStart = performance.now();
  let count = 0;
  for (let p = reader.next(); p; p = reader.next()) {
    onParagraph(p);
    // The clock is read every few paragraphs (a paragraph takes microseconds).
    if (++count % 64 === 0 && performance.now() - sliceStart > sliceMs) {
      await nextTurn();
      sliceStart = performance.now();
    }
  }
}

/** All paragraphs with the wanted fields. */
export function parseParagraphs(text: string, wanted: readonly string[]): ControlParagraph[] {
  const out: ControlParagraph[] = [];
  forEachParagraph(text, wanted, (p) => out.push(p));
  return out;
}
