// BuildKit's exclude-pattern semantics (moby/patternmatcher), used for `.dockerignore` and
// `COPY --exclude`: patterns anchored at the root, `*`/`?` stop at `/`, `**` crosses directories,
// `!` re-includes, the last matching pattern wins, and a pattern matching a parent directory
// matches everything below it. Reimplemented from the documented behaviour, including the
// shortcuts that make `**foo` a suffix match and `foo**` a prefix match.
import { BadPatternError, checkGoPattern } from './goMatch';
import { cleanGoPath, trimGoSpace } from './goPath';

type MatchKind = 'exact' | 'prefix' | 'suffix' | 'regexp';

/** One compiled pattern. `text` is the cleaned pattern without `!`. */
export interface CompiledPattern {
  text: string;
  exclusion: boolean;
  kind: MatchKind;
  regexp?: RegExp;
  /** Index of the source pattern in the list given to `createPatternMatcher`. */
  sourceIndex: number;
}

/** Which patterns matched a directory, carried to its children (fsutil's MatchInfo). */
export type ParentMatchInfo = readonly boolean[];

export class PatternSyntaxError extends Error {
  constructor(
    readonly sourceIndex: number,
    readonly pattern: string,
    message: string,
  ) {
    super(message);
  }
}

// POSIX classes Go's regexp accepts inside brackets, as ASCII ranges.
const POSIX_CLASSES: Record<string, string> = {
  alnum: '0-9A-Za-z',
  alpha: 'A-Za-z',
  ascii: '\\u{0}-\\u{7f}',
  blank: '\\t ',
  cntrl: '\\u{0}-\\u{1f}\\u{7f}',
  digit: '0-9',
  graph: '!-~',
  lower: 'a-z',
  print: ' -~',
  punct: '!-/:-@\\[-`{-~',
  space: '\\t\\n\\v\\f\\r ',
  upper: 'A-Z',
  word: '0-9A-Za-z_',
  xdigit: '0-9A-Fa-f',
};

// Perl classes in Go's regexp are ASCII-only.
const PERL_CLASSES: Record<string, [string, boolean]> = {
  d: ['0-9', false],
  D: ['0-9', true],
  s: ['\\t\\n\\f\\r ', false],
  S: ['\\t\\n\\f\\r ', true],
  w: ['0-9A-Za-z_', false],
  W: ['0-9A-Za-z_', true],
};

const CONTROL_ESCAPES: Record<string, number> = { a: 7, f: 12, t: 9, n: 10, r: 13, v: 11 };

function literal(ch: string): string {
  return /[0-9A-Za-z]/.test(ch) ? ch : `\\u{${(ch.codePointAt(0) ?? 0).toString(16)}}`;
}

/**
 * Translates the Go (RE2) regular expression that patternmatcher builds into an equivalent
 * JavaScript one (`u` flag). Only the constructs patternmatcher can emit are handled.
 */
function goRegexpToJs(go: string[], pattern: string, sourceIndex: number): RegExp {
  let out = '';
  let inClass = false;
  let classStart = false;
  for (let i = 0; i < go.length; i++) {
    const ch = go[i];
    const atClassStart = classStart;
    classStart = false;
    if (ch === '\\') {
      const next = go[++i];
      if (next === undefined) throw new PatternSyntaxError(sourceIndex, pattern, `trailing backslash in pattern ${JSON.stringify(pattern)}`);
      if (!/[0-9A-Za-z]/.test(next)) out += literal(next);
      else if (next in PERL_CLASSES) {
        const [set, negated] = PERL_CLASSES[next];
        out += inClass ? (negated ? '' : set) : `[${negated ? '^' : ''}${set}]`;
        if (inClass && negated) throw new PatternSyntaxError(sourceIndex, pattern, `\\${next} inside [...] is not supported`);
      } else if (next in CONTROL_ESCAPES) out += `\\u{${CONTROL_ESCAPES[next].toString(16)}}`;
      else if (!inClass && (next === 'b' || next === 'B')) out += `\\${next}`;
      else if (!inClass && next === 'A') out += '^';
      else if (!inClass && next === 'z') out += '$';
      else throw new PatternSyntaxError(sourceIndex, pattern, `escape \\${next} in pattern ${JSON.stringify(pattern)} is a regular-expression escape in BuildKit; Layerlens does not model it`);
      continue;
    }
    if (inClass) {
      if (ch === ']' && !atClassStart) {
        inClass = false;
        out += ']';
      } else if (ch === '[' && go[i + 1] === ':') {
        const end = go.indexOf(':', i + 2);
        const name = end > 0 && go[end + 1] === ']' ? go.slice(i + 2, end).join('') : '';
        if (name && /^\^?[a-z]+$/.test(name)) {
          const set = POSIX_CLASSES[name.replace('^', '')];
          if (!set || name.startsWith('^')) throw new PatternSyntaxError(sourceIndex, pattern, `character class [:${name}:] is not supported`);
          out += set;
          i = end + 1;
        } else out += literal(ch);
      } else if (ch === '^' && atClassStart) out += '^';
      else if (ch === '-') out += '-';
      else out += literal(ch);
      if (ch === '^' && atClassStart) classStart = true;
      continue;
    }
    switch (ch) {
      case '[':
        inClass = true;
        classStart = true;
        out += '[';
        break;
      case ']':
        out += '\\]';
        break;
      case '^':
      case '$':
      case '*':
      case '?':
      case '(':
      case ')':
      case '|':
        out += ch;
        break;
      case '.':
        out += '[^\\n]';
        break;
      default:
        out += literal(ch);
    }
  }
  if (inClass) throw new PatternSyntaxError(sourceIndex, pattern, `missing closing ] in pattern ${JSON.stringify(pattern)}`);
  try {
    return new RegExp(out, 'u');
  } catch (error) {
    throw new PatternSyntaxError(sourceIndex, pattern, `invalid pattern ${JSON.stringify(pattern)}: ${(error as Error).message}`);
  }
}

/** Compiles one cleaned pattern the way patternmatcher does (same shortcuts, same regexp). */
function compile(text: string, exclusion: boolean, sourceIndex: number): CompiledPattern {
  const chars = Array.from(text);
  const re: string[] = ['^'];
  let kind: MatchKind = 'exact';
  let i = 0;
  for (let n = 0; i < chars.length; n++) {
    const ch = chars[i++];
    if (ch === '*') {
      if (chars[i] === '*') {
        i++;
        if (chars[i] === '/') i++;
        if (i >= chars.length) {
          if (kind === 'exact') kind = 'prefix';
          else {
            re.push('.', '*');
            kind = 'regexp';
          }
        } else {
          re.push('(', '.', '*', '/', ')', '?');
          kind = 'regexp';
        }
        if (n === 0) kind = 'suffix';
      } else {
        re.push('[', '^', '/', ']', '*');
        kind = 'regexp';
      }
    } else if (ch === '?') {
      re.push('[', '^', '/', ']');
      kind = 'regexp';
    } else if ('.+()|{}$'.includes(ch)) {
      re.push('\\', ch);
    } else if (ch === '\\') {
      if (i < chars.length) {
        re.push('\\', chars[i++]);
        kind = 'regexp';
      } else re.push('\\', '\\');
    } else if (ch === '[' || ch === ']') {
      re.push(ch);
      kind = 'regexp';
    } else re.push(ch);
  }
  const compiled: CompiledPattern = { text, exclusion, kind, sourceIndex };
  if (kind === 'regexp') {
    re.push('$');
    compiled.regexp = goRegexpToJs(re, text, sourceIndex);
  }
  return compiled;
}

function matchOne(pattern: CompiledPattern, path: string): boolean {
  switch (pattern.kind) {
    case 'exact':
      return path === pattern.text;
    case 'prefix':
      return path.startsWith(pattern.text.slice(0, -2));
    case 'suffix': {
      const suffix = pattern.text.slice(2);
      if (path.endsWith(suffix)) return true;
      return suffix.startsWith('/') && path === suffix.slice(1);
    }
    case 'regexp':
      return pattern.regexp?.test(path) ?? false;
  }
}

/** A list of patterns, evaluated in order; the last one that matches decides. */
export class PatternMatcher {
  readonly patterns: readonly CompiledPattern[];
  /** True when some pattern starts with `!`. */
  readonly hasExclusions: boolean;

  private constructor(patterns: CompiledPattern[]) {
    this.patterns = patterns;
    this.hasExclusions = patterns.some((p) => p.exclusion);
  }

  /**
   * Compiles patterns as `patternmatcher.New` does (trimmed, cleaned, empty ones dropped).
   * Throws `PatternSyntaxError` (with the index of the offending pattern) where BuildKit fails.
   */
  static create(patterns: readonly string[]): PatternMatcher {
    const compiled: CompiledPattern[] = [];
    patterns.forEach((raw, index) => {
      let p = trimGoSpace(raw);
      if (p === '') return;
      p = cleanGoPath(p);
      let exclusion = false;
      if (p.startsWith('!')) {
        if (p.length === 1) throw new PatternSyntaxError(index, raw, 'illegal exclusion pattern: "!"');
        exclusion = true;
        p = p.slice(1);
      }
      try {
        checkGoPattern(p);
      } catch (error) {
        if (error instanceof BadPatternError) throw new PatternSyntaxError(index, raw, error.message);
        throw error;
      }
      compiled.push(compile(p, exclusion, index));
    });
    return new PatternMatcher(compiled);
  }

  /** `MatchesOrParentMatches`: does `path` (slash-separated, relative, clean) match, itself or via a parent? */
  matches(path: string): boolean {
    const parentPath = dirOf(path);
    const parentDirs = parentPath === '.' ? [] : parentPath.split('/');
    let matched = false;
    for (const pattern of this.patterns) {
      if (pattern.exclusion !== matched) continue;
      let match = matchOne(pattern, path);
      for (let i = 0; !match && i < parentDirs.length; i++) match = matchOne(pattern, parentDirs.slice(0, i + 1).join('/'));
      if (match) matched = !pattern.exclusion;
    }
    return matched;
  }

  /**
   * `MatchesUsingParentResults`, as fsutil's walker calls it: `parent` is what the parent
   * directory returned (undefined at the top level). Returns the decision and the info for children.
   */
  matchesUsingParent(path: string, parent: ParentMatchInfo | undefined): { matched: boolean; info: ParentMatchInfo } {
    const info: boolean[] = new Array<boolean>(this.patterns.length).fill(false);
    let matched = false;
    const useParent = parent !== undefined && parent.length > 0;
    this.patterns.forEach((pattern, i) => {
      let match = useParent ? parent[i] : false;
      if (!match) {
        if (pattern.exclusion !== matched) return;
        match = matchOne(pattern, path);
        if (!match && !useParent) {
          const parentPath = dirOf(path);
          if (parentPath !== '.') {
            const dirs = parentPath.split('/');
            for (let d = 0; !match && d < dirs.length; d++) match = matchOne(pattern, dirs.slice(0, d + 1).join('/'));
          }
        }
      }
      info[i] = match;
      if (match) matched = !pattern.exclusion;
    });
    return { matched, info };
  }

  /**
   * fsutil's shortcut: an excluded directory is not walked at all when no `!` pattern could
   * re-include something below it. Only valid when every exception is a plain prefix.
   */
  canSkipExcludedDir(dirPath: string): boolean {
    if (!this.onlyPrefixExceptions) return false;
    if (!this.hasExclusions) return true;
    const dirSlash = dirPath + '/';
    return !this.patterns.some((p) => p.exclusion && (patternWithoutTrailingGlob(p.text) + '/').startsWith(dirSlash));
  }

  private get onlyPrefixExceptions(): boolean {
    return !this.patterns.some((p) => p.exclusion && /[*[\]?^\\]/.test(patternWithoutTrailingGlob(p.text)));
  }
}

function patternWithoutTrailingGlob(text: string): string {
  let t = text;
  if (t.endsWith('/**')) t = t.slice(0, -3);
  if (t.endsWith('/*')) t = t.slice(0, -2);
  return t;
}

function dirOf(path: string): string {
  const slash = path.lastIndexOf('/');
  return slash < 0 ? '.' : cleanGoPath(path.slice(0, slash));
}
