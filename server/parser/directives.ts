// Parser directives (`# syntax=`, `# escape=`, `# check=`) with BuildKit's rules: they are only
// recognised in a run of directive comments at the very top; the first line that is anything else
// (an instruction, an ordinary comment, an unknown directive, a blank line) ends the run.
import type { DirectiveNode, SyntaxProblem } from './types';

const directivePattern = /^([a-zA-Z][a-zA-Z0-9]*)[\t\n\f\r ]*=[\t\n\f\r ]*([^\n]+?)[\t\n\f\r ]*$/;
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
    const body = text.slice(p, end);
    const m = directivePattern.exec(body);
    if (!m) {
      this.done = true;
      return {};
    }
    const name = m[1].toLowerCase();
    if (!knownDirectives.has(name)) {
      this.done = true;
      return {};
    }
    const nameStart = p - lineStart;
    let v = m[1].length;
    while (isDirectiveSpace(body.charCodeAt(v))) v++;
    v++; // '='
    while (isDirectiveSpace(body.charCodeAt(v))) v++;
    const valueStart = p + v - lineStart;
    const at = (a: number, b: number) => ({ start: { line, character: a }, end: { line, character: b } });
    const directive: DirectiveNode = {
      name,
      value: m[2],
      range: at(start - lineStart, end - lineStart),
      nameRange: at(nameStart, nameStart + m[1].length),
      valueRange: at(valueStart, valueStart + m[2].length),
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

function isDirectiveSpace(code: number): boolean {
  return code === 0x20 || code === 0x09 || code === 0x0a || code === 0x0c || code === 0x0d;
}
