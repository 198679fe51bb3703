// Go's `path.Match` (what BuildKit uses for COPY source wildcards), and its syntax check.

/** Thrown for a malformed pattern (Go's `ErrBadPattern`). */
export class BadPatternError extends Error {
  constructor(pattern: string, detail: string) {
    super(`syntax error in pattern ${JSON.stringify(pattern)}: ${detail}`);
  }
}

interface Chunk {
  star: boolean;
  chunk: string[];
}

function scanChunks(pattern: string[]): Chunk[] {
  const chunks: Chunk[] = [];
  let i = 0;
  while (i < pattern.length) {
    let star = false;
    while (i < pattern.length && pattern[i] === '*') {
      star = true;
      i++;
    }
    let inRange = false;
    const start = i;
    scan: for (; i < pattern.length; i++) {
      switch (pattern[i]) {
        case '\\':
          if (i + 1 < pattern.length) i++;
          break;
        case '[':
          inRange = true;
          break;
        case ']':
          inRange = false;
          break;
        case '*':
          if (!inRange) break scan;
          break;
      }
    }
    chunks.push({ star, chunk: pattern.slice(start, i) });
  }
  return chunks;
}

/** Reads one (possibly escaped) class character; throws on what Go rejects. */
function getEsc(chunk: string[], at: number, whole: string): [string, number] {
  if (at >= chunk.length || chunk[at] === '-' || chunk[at] === ']') throw new BadPatternError(whole, 'bad character class');
  if (chunk[at] === '\\') {
    at++;
    if (at >= chunk.length) throw new BadPatternError(whole, 'trailing backslash in character class');
  }
  const ch = chunk[at];
  if (at + 1 >= chunk.length) throw new BadPatternError(whole, 'unterminated character class');
  return [ch, at + 1];
}

/** Matches one chunk at the start of `name`; returns the rest or undefined. Always validates the whole chunk. */
function matchChunk(chunk: string[], name: string[], whole: string): string[] | undefined {
  let failed = false;
  let s = name;
  let i = 0;
  while (i < chunk.length) {
    if (!failed && s.length === 0) failed = true;
    const c = chunk[i];
    if (c === '[') {
      let r = '';
      if (!failed) {
        r = s[0];
        s = s.slice(1);
      }
      i++;
      let negated = false;
      if (i < chunk.length && chunk[i] === '^') {
        negated = true;
        i++;
      }
      let match = false;
      let ranges = 0;
      for (;;) {
        if (i < chunk.length && chunk[i] === ']' && ranges > 0) {
          i++;
          break;
        }
        const [lo, next] = getEsc(chunk, i, whole);
        i = next;
        let hi = lo;
        if (chunk[i] === '-') {
          const [h, after] = getEsc(chunk, i + 1, whole);
          hi = h;
          i = after;
        }
        const cp = r.codePointAt(0) ?? -1;
        if ((lo.codePointAt(0) ?? 0) <= cp && cp <= (hi.codePointAt(0) ?? 0)) match = true;
        ranges++;
      }
      if (match === negated) failed = true;
    } else if (c === '?') {
      if (!failed) {
        if (s[0] === '/') failed = true;
        s = s.slice(1);
      }
      i++;
    } else {
      let literal = c;
      if (c === '\\') {
        i++;
        if (i >= chunk.length) throw new BadPatternError(whole, 'trailing backslash');
        literal = chunk[i];
      }
      if (!failed) {
        if (literal !== s[0]) failed = true;
        s = s.slice(1);
      }
      i++;
    }
  }
  return failed ? undefined : s;
}

/** Go's `path.Match(pattern, name)`: `*` and `?` never match `/`. Throws `BadPatternError`. */
export function goPathMatch(pattern: string, name: string): boolean {
  const chunks = scanChunks(Array.from(pattern));
  let rest = Array.from(name);
  for (let c = 0; c < chunks.length; c++) {
    const { star, chunk } = chunks[c];
    const last = c === chunks.length - 1;
    if (star && chunk.length === 0) return !rest.includes('/');
    const t = matchChunk(chunk, rest, pattern);
    if (t !== undefined && (t.length === 0 || !last)) {
      rest = t;
      continue;
    }
    let advanced = false;
    if (star) {
      for (let i = 0; i < rest.length && rest[i] !== '/'; i++) {
        const t2 = matchChunk(chunk, rest.slice(i + 1), pattern);
        if (t2 !== undefined) {
          if (last && t2.length > 0) continue;
          rest = t2;
          advanced = true;
          break;
        }
      }
    }
    if (advanced) continue;
    for (const later of chunks.slice(c + 1)) matchChunk(later.chunk, [], pattern);
    return false;
  }
  return rest.length === 0;
}

/** Throws `BadPatternError` when Go's `path.Match` would reject `pattern`. */
export function checkGoPattern(pattern: string): void {
  goPathMatch(pattern, '.');
}

/** True when a path component contains an unescaped wildcard (`*`, `?`, `[`), as BuildKit decides. */
export function containsWildcards(name: string): boolean {
  for (let i = 0; i < name.length; i++) {
    const ch = name[i];
    if (ch === '\\') i++;
    else if (ch === '*' || ch === '?' || ch === '[') return true;
  }
  return false;
}
