// Line continuation: the escape character as the last non-blank (space/tab) character of a line,
// unless it is itself escaped (BuildKit: `([^E])E[ \t]*$|^E[ \t]*$`).

/** Where the content of a continued line ends, or -1 when the line does not continue. */
export function continuationEnd(text: string, start: number, end: number, escape: number): number {
  let p = end;
  while (p > start) {
    const c = text.charCodeAt(p - 1);
    if (c !== 0x20 && c !== 0x09) break;
    p--;
  }
  if (p === start || text.charCodeAt(p - 1) !== escape) return -1;
  if (p - 1 > start && text.charCodeAt(p - 2) === escape) return -1;
  return p - 1;
}
