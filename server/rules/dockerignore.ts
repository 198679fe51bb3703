// `.dockerignore` matching for the lint rules, on the build-context code's BuildKit-exact reader
// and pattern matcher (server/context, server/plan/size/patternMatcher).
import * as path from 'path';
import { readDockerignore as readIgnoreFile } from '../context/readDockerignore';
import { cleanGoPath } from '../plan/size/goPath';
import { PatternMatcher } from '../plan/size/patternMatcher';

/** Patterns that exclude every entry of the context root (BuildKit's copySourceRootIgnored). */
const ROOT_PATTERNS = new Set(['*', '**', '**/*']);

/** The path before the first element with an unescaped wildcard (unescaped), and whether there is one. */
function literalPrefix(pattern: string): { prefix: string; wildcard: boolean } {
  const literal: string[] = [];
  for (const element of pattern.split('/')) {
    if (/(^|[^\\])(\\\\)*[*?[]/.test(element)) return { prefix: literal.join('/'), wildcard: true };
    literal.push(element.replace(/\\(.)/g, '$1'));
  }
  return { prefix: literal.join('/'), wildcard: false };
}

/** `path` is `base` or lies below it; the empty base (the context root) holds everything. */
function atOrBelow(path: string, base: string): boolean {
  return base === '' || path === base || path.startsWith(base + '/');
}

/** The patterns of a `.dockerignore` file's text, as BuildKit reads them (`!` kept). */
export function readDockerignore(text: string): string[] {
  return readIgnoreFile(text).patterns.map((p) => p.pattern);
}

export class DockerignoreMatcher {
  private readonly matcher: PatternMatcher | undefined;

  constructor(patterns: readonly string[]) {
    try {
      this.matcher = PatternMatcher.create(patterns);
    } catch {
      // A malformed pattern makes BuildKit refuse the build; nothing is "excluded" then.
      this.matcher = undefined;
    }
  }

  /** Whether `file` (context-relative, `./` and leading `/` allowed) or one of its parents is excluded. */
  excludes(file: string): boolean {
    const clean = path.posix.normalize(file.replace(/^(\.\/)+/, '').replace(/^\/+/, ''));
    if (!this.matcher || clean === '.' || clean === '') return false;
    return this.matcher.matches(clean);
  }

  /**
   * What BuildKit's CopyIgnoredFile check reports for a COPY/ADD source: the cleaned path when
   * the source is excluded, undefined when it is not or when a `!` pattern could re-include
   * something at or below it (then the check stays silent, as BuildKit cannot tell statically).
   * The context root (`.`, `/`) counts only when a pattern excludes every root entry.
   */
  excludedCopySource(source: string): string | undefined {
    if (!this.matcher) return undefined;
    const clean = cleanGoPath(source);
    const root = clean === '.' || clean === '/';
    if (root && !this.matcher.patterns.some((p) => !p.exclusion && ROOT_PATTERNS.has(p.text))) return undefined;
    const relative = root ? '' : clean.replace(/^\//, '');
    // A wildcard source stands for anything below its literal part.
    const literal = literalPrefix(relative);
    const base = literal.wildcard ? literal.prefix : relative;
    const patterns = this.matcher.patterns;
    for (let k = 0; k < patterns.length; k++) {
      if (!patterns[k].exclusion) continue;
      const { prefix, wildcard } = literalPrefix(patterns[k].text);
      if (!atOrBelow(prefix, base) && !(wildcard && atOrBelow(base, prefix))) continue;
      // A later plain pattern that excludes the negated path again takes the exception back.
      const later = patterns.slice(k + 1).filter((p) => !p.exclusion).map((p) => p.text);
      if (prefix !== '' && later.length > 0 && PatternMatcher.create(later).matches(prefix)) continue;
      return undefined;
    }
    return this.matcher.matches(root ? '.' : clean) ? clean : undefined;
  }
}
