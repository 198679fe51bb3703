// Turns shellcheck comments on a RUN script into located findings: positions mapped through
// the script back to the Dockerfile (continuations and heredocs included), fixes carried over.
import type { ExternalFinding } from '../rules/lintDocument';
import type { LintContext } from '../rules/lintContext';
import { lineStartOffsets } from '../parser/sourceLines';
import { movedRange } from '../parser/textSegments';
import type { InstructionNode } from '../parser/types';
import type { RunScript } from '../rules/shell/runScript';
import type { RuleSeverity } from '../rules/types';
import type { ShellcheckComment, ShellcheckScript } from './runShellcheck';

const LEVELS: Record<ShellcheckComment['level'], RuleSeverity> = { error: 'error', warning: 'warning', info: 'information', style: 'hint' };

/** What shellcheck is asked to check for a RUN. */
export function shellcheckScriptOf(ctx: LintContext, script: RunScript): ShellcheckScript {
  const step = ctx.step(script.instructionIndex);
  return { dialect: script.dialect, exported: step ? namesMentioned(script.text, exportedNames(step.env, step.args)) : [], text: script.text };
}

/**
 * The names `text` mentions (as a substring: a superset of those it reads or sets). Declaring the
 * others changes nothing shellcheck says, and leaving them out keeps a script's request, and its
 * cached answer, while an ENV or ARG above it that the script does not use is typed.
 */
function namesMentioned(text: string, names: readonly string[]): readonly string[] {
  let out: string[] | undefined;
  for (let i = 0; i < names.length; i++) {
    if (text.includes(names[i])) out?.push(names[i]);
    else out ??= names.slice(0, i);
  }
  return out ?? names;
}

// Steps between two ENV or ARG instructions share their maps, so their RUNs share one sorted list.
const exportedByMaps = new WeakMap<object, WeakMap<object, readonly string[]>>();

function exportedNames(env: Record<string, string>, args: Record<string, string | undefined>): readonly string[] {
  let byArgs = exportedByMaps.get(env);
  if (!byArgs) exportedByMaps.set(env, (byArgs = new WeakMap()));
  let names = byArgs.get(args);
  if (!names) byArgs.set(args, (names = [...new Set([...Object.keys(env), ...Object.keys(args)])].sort()));
  return names;
}

/** Offsets of line starts of `text`. */
/** Offset in `text` of a 0-based line and code-point column. */
function offsetOf(text: string, starts: number[], line: number, column: number): number {
  const lineStart = starts[Math.min(Math.max(line, 0), starts.length - 1)];
  let offset = lineStart;
  for (let c = 0; c < column && offset < text.length && text[offset] !== '\n'; c++) {
    const code = text.codePointAt(offset) ?? 0;
    offset += code > 0xffff ? 2 : 1;
  }
  return offset;
}

export function shellcheckFindings(script: RunScript, comments: readonly ShellcheckComment[]): ExternalFinding[] {
  const starts = lineStartOffsets(script.text);
  const at = (line: number, column: number) => offsetOf(script.text, starts, line, column);
  return comments.map((c) => {
    const start = at(c.line, c.column);
    const end = Math.max(start, at(c.endLine, c.endColumn));
    const code = `SC${c.code}`;
    const fixes = c.fix && c.fix.length > 0
      ? [{
          title: `Apply shellcheck's fix for ${code}`,
          edits: c.fix.map((r) => {
            const from = at(r.line, r.column);
            const to = Math.max(from, at(r.endLine, r.endColumn));
            return { range: script.rangeAt(from, to), newText: r.replacement };
          }),
        }]
      : undefined;
    return {
      code,
      range: script.rangeAt(start, end),
      message: c.message,
      severity: LEVELS[c.level],
      source: 'shellcheck' as const,
      href: `https://www.shellcheck.net/wiki/${code}`,
      instructionIndex: script.instructionIndex,
      fixes,
    };
  });
}

// Mapped findings by shellcheck result (identity) and instruction layout: an edit elsewhere in a
// large Dockerfile only shifts lines, so findings are kept relative to the instruction's first
// line and moved, not mapped again.
const relativeCache = new WeakMap<readonly ShellcheckComment[], Map<string, ExternalFinding[]>>();

function layoutOf(instruction: InstructionNode): string {
  const first = instruction.range.start.line;
  const parts = instruction.segments.map((s) => `${s.offset},${s.length},${s.line - first},${s.character}`);
  for (const h of instruction.heredocs) parts.push(`h${h.bodyRange.start.line - first},${h.terminatorRange ? h.terminatorRange.start.line - first : -1}`);
  return parts.join(';');
}

/** Findings (and their fixes' edits) moved `lines` lines down; a copy of the list when 0. */
export function movedFindings(findings: readonly ExternalFinding[], lines: number): ExternalFinding[] {
  if (lines === 0) return [...findings];
  return findings.map((f) => ({
    ...f,
    range: movedRange(f.range, lines),
    fixes: f.fixes?.map((fix) => ({ ...fix, edits: fix.edits.map((e) => ({ range: movedRange(e.range, lines), newText: e.newText })) })),
  }));
}

/** `shellcheckFindings`, reusing earlier mappings of the same result for an instruction of the same layout. */
export function shellcheckFindingsOf(script: RunScript, instruction: InstructionNode, comments: readonly ShellcheckComment[]): ExternalFinding[] {
  if (comments.length === 0) return [];
  let byLayout = relativeCache.get(comments);
  if (!byLayout) relativeCache.set(comments, (byLayout = new Map()));
  const layout = layoutOf(instruction);
  const first = instruction.range.start.line;
  const known = byLayout.get(layout);
  if (known) return movedFindings(known, first).map((f) => ({ ...f, instructionIndex: script.instructionIndex }));
  const findings = shellcheckFindings(script, comments);
  if (byLayout.size > 8) byLayout.clear();
  byLayout.set(layout, movedFindings(findings, -first));
  return findings;
}
