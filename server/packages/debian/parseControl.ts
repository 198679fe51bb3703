// deb822 control paragraphs (Debian `Packages` indexes, `/var/lib/dpkg/status`): fields are
// `Name: value`, continuation lines start with a space or tab, paragraphs are separated by
// blank lines. Only the requested fields are kept, so a 50 MB index parses without copies.

export type ControlParagraph = Record<string, string>;

/** Calls `onParagraph` for each paragraph with the `wanted` fields (case-insensitive names). */
export function forEachParagraph(text: string, wanted: readonly string[], onParagraph: (fields: ControlParagraph) => void): void {
  const want = new Map(wanted.map((w) => [w.toLowerCase(), w]));
  let fields: ControlParagraph = {};
  let current: string | undefined;
  let any = false;
  let pos = 0;
  while (pos <= text.length) {
    let end = text.indexOf('\n', pos);
    if (end < 0) end = text.length;
    let line = text.slice(pos, end);
    if (line.endsWith('\r')) line = line.slice(0, -1);
    pos = end + 1;
    if (line.trim() === '') {
      if (any) onParagraph(fields);
      fields = {};
      current = undefined;
      any = false;
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
    const name = want.get(line.slice(0, colon).toLowerCase());
    current = name;
    if (name !== undefined) fields[name] = line.slice(colon + 1).trim();
    if (end >= text.length) {
      onParagraph(fields);
      break;
    }
  }
}

/** All paragraphs with the wanted fields. */
export function parseParagraphs(text: string, wanted: readonly string[]): ControlParagraph[] {
  const out: ControlParagraph[] = [];
  forEachParagraph(text, wanted, (p) => out.push(p));
  return out;
}
