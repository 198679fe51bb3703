// Reads a `.dockerignore` file exactly as BuildKit does (ignorefile.ReadAll), keeping where each
// pattern came from so problems can be located.
import { cleanGoPath, trimGoSpace } from '../plan/size/goPath';
import { PatternMatcher, PatternSyntaxError } from '../plan/size/patternMatcher';

/** A 0-based position span on one line of the ignore file (UTF-16 columns, end exclusive). */
export interface IgnoreLocation {
  line: number;
  startColumn: number;
  endColumn: number;
}

export interface IgnorePatternLine {
  /** The pattern as BuildKit hands it on: trimmed, cleaned, leading `/` removed, `!` kept. */
  pattern: string;
  location: IgnoreLocation;
}

export interface IgnoreFileProblem {
  file: string;
  location: IgnoreLocation;
  message: string;
  severity: 'error' | 'warning';
}

export interface DockerignoreFile {
  file: string;
  patterns: IgnorePatternLine[];
  problems: IgnoreFileProblem[];
  /** Undefined when a pattern is malformed: BuildKit would refuse the build. */
  matcher?: PatternMatcher;
}

const MAX_LINE_BYTES = 64 * 1024;

/** Parses `.dockerignore` text. Never throws: malformed patterns become located problems. */
export function readDockerignore(text: string, file = '.dockerignore'): DockerignoreFile {
  const patterns: IgnorePatternLine[] = [];
  const problems: IgnoreFileProblem[] = [];
  const lines = text.split('\n');
  if (lines.length > 0 && lines[lines.length - 1] === '') lines.pop();
  lines.forEach((rawLine, index) => {
    let line = rawLine.endsWith('\r') ? rawLine.slice(0, -1) : rawLine;
    let offset = 0;
    if (index === 0 && line.startsWith('\ufeff')) {
      line = line.slice(1);
      offset = 1;
    }
    if (Buffer.byteLength(line) >= MAX_LINE_BYTES) {
      problems.push({ file, location: { line: index, startColumn: 0, endColumn: rawLine.length }, message: 'line is longer than 64 KiB: BuildKit fails with "token too long"', severity: 'error' });
      return;
    }
    if (line.startsWith('#')) return;
    let pattern = trimGoSpace(line);
    if (pattern === '') return;
    const startColumn = offset + line.indexOf(pattern);
    const location = { line: index, startColumn, endColumn: startColumn + pattern.length };
    const invert = pattern.startsWith('!');
    if (invert) pattern = trimGoSpace(pattern.slice(1));
    if (pattern.length > 0) {
      pattern = cleanGoPath(pattern);
      if (pattern.length > 1 && pattern.startsWith('/')) pattern = pattern.slice(1);
    }
    patterns.push({ pattern: invert ? '!' + pattern : pattern, location });
  });
  let matcher: PatternMatcher | undefined;
  try {
    matcher = PatternMatcher.create(patterns.map((p) => p.pattern));
  } catch (error) {
    if (!(error instanceof PatternSyntaxError)) throw error;
    problems.push({ file, location: patterns[error.sourceIndex].location, message: error.message, severity: 'error' });
  }
  return { file, patterns, problems, matcher };
}
