// Go's unicode.IsSpace, which BuildKit uses to split words and trim lines.

/** True for the characters Go's unicode.IsSpace accepts. */
export function isGoSpace(code: number): boolean {
  if (code <= 0x20) return code === 0x20 || (code >= 0x09 && code <= 0x0d);
  if (code < 0x85) return false;
  return (
    code === 0x85 || code === 0xa0 || code === 0x1680 || (code >= 0x2000 && code <= 0x200a) ||
    code === 0x2028 || code === 0x2029 || code === 0x202f || code === 0x205f || code === 0x3000
  );
}

/** The characters of BuildKit's `[\t\v\f\r ]+` whitespace regex. */
export function isAsciiBlank(code: number): boolean {
  return code === 0x20 || code === 0x09 || code === 0x0b || code === 0x0c || code === 0x0d;
}

/** Index of the first character at or after `from` that is not a Go space. */
export function skipGoSpace(text: string, from: number, to = text.length): number {
  let i = from;
  while (i < to && isGoSpace(text.charCodeAt(i))) i++;
  return i;
}

/** Index just after the last character before `to` that is not a Go space. */
export function trimGoSpaceEnd(text: string, from: number, to: number): number {
  let i = to;
  while (i > from && isGoSpace(text.charCodeAt(i - 1))) i--;
  return i;
}
