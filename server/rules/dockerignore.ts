// `.dockerignore` matching for the lint rules, on the build-context code's BuildKit-exact reader
// and pattern matcher (server/context, server/plan/size/patternMatcher).
import * as path from 'path';
import { readDockerignore as readIgnoreFile } from '../context/readDockerignore';
import { PatternMatcher } from '../plan/size/patternMatcher';

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
}
