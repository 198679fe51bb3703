// `.dockerignore` patterns with Docker's semantics (moby/patternmatcher): Go filepath.Match
// syntax plus `**`, `!` exceptions, the last matching pattern wins, and a pattern that matches a
// directory also excludes everything below it.
import * as path from 'path';

interface Pattern {
  regex: RegExp;
  exclusion: boolean;
}

/** The patterns of a `.dockerignore` file's text (comments and blank lines dropped). */
export function readDockerignore(text: string): string[] {
  const out: string[] = [];
  for (const raw of text.split(/\r?\n/)) {
    let line = raw.trim();
    if (line === '' || line.startsWith('#')) continue;
    const exclusion = line.startsWith('!');
    if (exclusion) line = line.slice(1).trim();
    line = path.posix.normalize(line.replace(/^\/+/, ''));
    if (line.endsWith('/') && line !== '/') line = line.slice(0, -1);
    if (line === '' || line === '.') continue;
    out.push((exclusion ? '!' : '') + line);
  }
  return out;
}

function compile(pattern: string): RegExp {
  let re = '^';
  for (let i = 0; i < pattern.length; i++) {
    const ch = pattern[i];
    if (ch === '*') {
      if (pattern[i + 1] === '*') {
        i++;
        if (pattern[i + 1] === '/') {
          i++;
          re += '(?:.*/)?';
        } else {
          re += '.*';
        }
      } else {
        re += '[^/]*';
      }
    } else if (ch === '?') {
      re += '[^/]';
    } else if (ch === '[') {
      const close = pattern.indexOf(']', i + 1);
      if (close < 0) {
        re += '\\[';
      } else {
        let cls = pattern.slice(i + 1, close);
        if (cls.startsWith('^') || cls.startsWith('!')) cls = '^' + cls.slice(1);
        re += `[${cls.replace(/\\/g, '\\\\')}]`;
        i = close;
      }
    } else if (ch === '\\' && i + 1 < pattern.length) {
      i++;
      re += pattern[i].replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
    } else {
      re += ch.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
    }
  }
  return new RegExp(re + '$');
}

export class DockerignoreMatcher {
  private readonly patterns: Pattern[];

  constructor(patterns: readonly string[]) {
    this.patterns = patterns.map((p) => {
      const exclusion = p.startsWith('!');
      return { exclusion, regex: compile(exclusion ? p.slice(1) : p) };
    });
  }

  /** Whether `file` (context-relative) or one of its parent directories is excluded. */
  excludes(file: string): boolean {
    const clean = path.posix.normalize(file.replace(/^(\.\/)+/, '').replace(/^\/+/, ''));
    if (clean === '.' || clean === '') return false;
    const parts = clean.split('/');
    let matched = false;
    for (const pattern of this.patterns) {
      if (pattern.exclusion !== matched) continue;
      let match = pattern.regex.test(clean);
      for (let i = 1; !match && i < parts.length; i++) match = pattern.regex.test(parts.slice(0, i).join('/'));
      if (match) matched = !pattern.exclusion;
    }
    return matched;
  }
}
