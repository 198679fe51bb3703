// Parser directives (`# syntax=`, `# escape=`, `# check=`) with BuildKit's rules: they are only
// recognised in a run of directive comments at the very top; the first line that is anything else
// (an instruction, an ordinary comment, an unknown directive, a blank line) ends the run.
import type { DirectiveNode, SyntaxProblem } from './types';

const knownDirectives = new Set(['syntax', 'escape', 'check']);

export interface DirectiveOutcome {
  directive?: DirectiveNode;
  problem?: SyntaxProblem;
}

export class DirectiveScanner {
  done = false;
  private readonly seen = new Set<string>();

  /** Looks at one processed line `text.slice(start, end)` of document line `line`. */
  consider(text: string, start: number, end: number, line: number, lineStart: number): DirectiveOutcome {
    if (this.done) return {};
    if (text.charCodeAt(start) !== 0x23 /* # */ || start >= end) {
      this.done = true;
      return {};
    }
    let p = start + 1;
    while (p < end && isGoSpaceAscii(text.charCodeAt(p))) p++;
    const m = matchDirective(text, p, end);
    if (!m) {
      this.done = true;
      return {};
    }
    const name = m.name.toLowerCase();
    if (!knownDirectives.has(name)) {
      this.done = true;
      return {};
    }
    const at = (a: number, b: number) => ({ start: { line, character: a - lineStart }, end: { line, character: b - lineStart } });
    const directive: DirectiveNode = {
      name,
      value: text.slice(m.valueStart, m.valueEnd),
      range: at(start, end),
      nameRange: at(p, p + m.name.length),
      valueRange: at(m.valueStart, m.valueEnd),
    };
    if (this.seen.has(name)) {
      return { problem: { range: directive.range, message: `only one ${name} parser directive can be used`, code: 'duplicate-directive', severity: 'error' } };
    }
    this.seen.add(name);
    if (name === 'escape' && directive.value !== '\\' && directive.value !== '`') {
      return {
        directive,
        problem: { range: directive.valueRange, message: `invalid escape token '${directive.value}' does not match \` or \\`, code: 'invalid-escape-token', severity: 'error' },
      };
    }
    return { directive };
  }
}

function isGoSpaceAscii(code: number): boolean {
  return code === 0x20 || (code >= 0x09 && code <= 0x0d) || code === 0x85 || code === 0xa0;
}

/**
 * BuildKit's `^([a-zA-Z][a-zA-Z0-9]*)\s*=\s*(.+?)\s*$` without backtracking: the value is the
 * rest trimmed of blanks, or its last blank when nothing else is left.
 */
function matchDirective(text: string, from: number, end: number): { name: string; valueStart: number; valueEnd: number } | undefined {
  let p = from;
  if (p >= end || !isLetter(text.charCodeAt(p))) return undefined;
  while (p < end && (isLetter(text.charCodeAt(p)) || isDigit(text.charCodeAt(p)))) p++;
  const name = text.slice(from, p);
  while (p < end && isDirectiveSpace(text.charCodeAt(p))) p++;
  if (p >= end || text.charCodeAt(p) !== 0x3d) return undefined;
  const afterEquals = ++p;
  while (p < end && isDirectiveSpace(text.charCodeAt(p))) p++;
  let valueEnd = end;
  while (valueEnd > p && isDirectiveSpace(text.charCodeAt(valueEnd - 1))) valueEnd--;
  if (valueEnd > p) return { name, valueStart: p, valueEnd };
  if (end > afterEquals) return { name, valueStart: end - 1, valueEnd: end };
  return undefined;
}

function isLetter(c: number): boolean {
  return (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a);
}

function isDigit(c: number): boolean {
  return c >= 0x30 && c <= 0x39;
}

function isDirectiveSpace(code: number): boolean {
  return code === 0x20 || code === 0x09 || code === 0x0a || code === 0x0c || code === 0x0d;
}
