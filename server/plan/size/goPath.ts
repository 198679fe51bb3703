// Go's path rules as BuildKit applies them (path.Clean, strings.TrimSpace), for exact matching.

const GO_SPACE = /^[\t\n\v\f\r \u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]$/u;

/** Go's `unicode.IsSpace` (JavaScript's `trim` also strips U+FEFF, Go does not). */
export function isGoSpace(ch: string): boolean {
  return GO_SPACE.test(ch);
}

/** Go's `strings.TrimSpace`. */
export function trimGoSpace(text: string): string {
  const chars = Array.from(text);
  let start = 0;
  let end = chars.length;
  while (start < end && isGoSpace(chars[start])) start++;
  while (end > start && isGoSpace(chars[end - 1])) end--;
  return chars.slice(start, end).join('');
}

/** A path `path.Clean` would change (besides a trailing slash): `//`, `.` or `..` elements. */
const NOT_CLEAN = /\/\/|(^|\/)\.\.?(\/|$)/;

/** Go's `path.Clean` (slash-separated): the shortest equivalent path, purely lexical. */
export function cleanGoPath(path: string): string {
  if (path === '') return '.';
  if (path === '/' || (!path.endsWith('/') && !NOT_CLEAN.test(path))) return path;
  // Common cases without splitting: trailing slashes and `/.` (`COPY . .`, `./` destinations).
  let end = path.length;
  for (;;) {
    while (end > 1 && path.charCodeAt(end - 1) === 47) end--;
    if (end > 2 && path.charCodeAt(end - 1) === 46 && path.charCodeAt(end - 2) === 47) end--;
    else break;
  }
  const trimmed = path.slice(0, end);
  if (trimmed !== '.' && !NOT_CLEAN.test(trimmed)) return trimmed;
  const rooted = path.startsWith('/');
  const out: string[] = [];
  for (const part of path.split('/')) {
    if (part === '' || part === '.') continue;
    if (part === '..') {
      if (out.length > 0 && out[out.length - 1] !== '..') out.pop();
      else if (!rooted) out.push('..');
      continue;
    }
    out.push(part);
  }
  const joined = out.join('/');
  if (rooted) return '/' + joined;
  return joined === '' ? '.' : joined;
}

/** Joins and cleans like Go's `path.Join` (empty elements ignored). */
export function joinGoPath(...parts: string[]): string {
  const nonEmpty = parts.filter((p) => p !== '');
  return nonEmpty.length === 0 ? '' : cleanGoPath(nonEmpty.join('/'));
}

/** Go's `path.Dir`. */
export function dirGoPath(path: string): string {
  const slash = path.lastIndexOf('/');
  return cleanGoPath(slash < 0 ? '' : path.slice(0, slash + 1));
}

/** Go's `path.Base`. */
export function baseGoPath(path: string): string {
  if (path === '') return '.';
  let p = path;
  while (p.length > 0 && p.endsWith('/')) p = p.slice(0, -1);
  if (p === '') return '/';
  return p.slice(p.lastIndexOf('/') + 1);
}
