// Test helpers: lint Dockerfile text through the real parser and planner, apply fix edits.
import type { Range } from '../../../server/parser/types';
import { parseDockerfile } from '../../../server/parser';
import { planDockerfile } from '../../../server/plan';
import type { LintOptions } from '../../../server/rules/lintContext';
import { lintDocument, type ExternalFinding, type LintProblem, type LintSettings } from '../../../server/rules/lintDocument';
import type { TextEdit } from '../../../server/rules/types';

export function lint(text: string, options: LintOptions = {}, settings: LintSettings = {}, extra: ExternalFinding[] = []): LintProblem[] {
  const syntax = parseDockerfile(text);
  const plan = planDockerfile(syntax, { buildArgs: options.buildArgs });
  return lintDocument({ syntax, plan }, options, settings, extra);
}

/** Problems of one code. */
export function only(problems: LintProblem[], code: string): LintProblem[] {
  return problems.filter((p) => p.code === code);
}

export function codes(problems: LintProblem[]): string[] {
  return problems.map((p) => p.code);
}

/** The text a range covers. */
export function textAt(text: string, range: Range): string {
  const lines = text.split('\n');
  if (range.start.line === range.end.line) return lines[range.start.line].slice(range.start.character, range.end.character);
  const parts = [lines[range.start.line].slice(range.start.character)];
  for (let l = range.start.line + 1; l < range.end.line; l++) parts.push(lines[l]);
  parts.push(lines[range.end.line].slice(0, range.end.character));
  return parts.join('\n');
}

function offsetOf(text: string, line: number, character: number): number {
  let offset = 0;
  for (let l = 0; l < line; l++) {
    const nl = text.indexOf('\n', offset);
    offset = nl < 0 ? text.length : nl + 1;
  }
  return offset + character;
}

/** Applies non-overlapping edits (LSP semantics: all ranges refer to the original text). */
export function applyEdits(text: string, edits: readonly TextEdit[]): string {
  const sorted = [...edits].sort((a, b) => offsetOf(text, b.range.start.line, b.range.start.character) - offsetOf(text, a.range.start.line, a.range.start.character));
  let out = text;
  for (const e of sorted) {
    const start = offsetOf(text, e.range.start.line, e.range.start.character);
    const end = offsetOf(text, e.range.end.line, e.range.end.character);
    out = out.slice(0, start) + e.newText + out.slice(end);
  }
  return out;
}

/** Applies the first (preferred when there is one) fix of the single problem of `code`. */
export function fixOnce(text: string, code: string, options: LintOptions = {}): string {
  const found = only(lint(text, options), code);
  if (found.length === 0) throw new Error(`no ${code} in:\n${text}`);
  const fix = found[0].fixes.find((f) => f.preferred) ?? found[0].fixes[0];
  if (!fix) throw new Error(`${code} has no fix`);
  return applyEdits(text, fix.edits);
}
