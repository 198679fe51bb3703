// The Dockerfile formatter's edits. It only changes what BuildKit ignores or treats the same:
// instruction keywords upper-cased (and `AS`, `HEALTHCHECK CMD|NONE`, ONBUILD's instruction),
// indentation before instructions and standalone comments, one space after the keyword, the
// indentation of continuation lines, and trailing whitespace where BuildKit trims it.
// Never touched: heredoc bodies and terminators, parser directives, text inside quotes, and
// continuation lines of instructions whose argument is taken verbatim (WORKDIR, USER, legacy
// `ENV key value`, ...). Hand-formatted continuation lines (already indented) are kept as
// written unless `reflow` is on.
import type { TextEdit } from 'vscode-languageserver';
import type { DockerfileSyntax, InstructionNode, TextSegment } from '../../parser';
import { scanShellText } from './shellScan';

export interface FormatOptions {
  tabSize: number;
  insertSpaces: boolean;
  /** Re-indent every continuation line to one indentation unit and collapse the blanks before a trailing escape. */
  reflow: boolean;
  insertFinalNewline?: boolean;
  trimFinalNewlines?: boolean;
}

/** Lines of a text without their line breaks, and whether the text ends with a line break. */
export interface SourceText {
  lines: string[];
  eol: string;
  endsWithNewline: boolean;
}

export function splitText(text: string): SourceText {
  const lines = text.split('\n');
  const crlf = lines.length > 1 && lines[0].endsWith('\r');
  for (let i = 0; i < lines.length; i++) if (lines[i].endsWith('\r')) lines[i] = lines[i].slice(0, -1);
  return { lines, eol: crlf ? '\r\n' : '\n', endsWithNewline: text.endsWith('\n') };
}

const knownInstructions = new Set([
  'ADD', 'ARG', 'CMD', 'COPY', 'ENTRYPOINT', 'ENV', 'EXPOSE', 'FROM', 'HEALTHCHECK', 'LABEL', 'MAINTAINER', 'ONBUILD',
  'RUN', 'SHELL', 'STOPSIGNAL', 'USER', 'VOLUME', 'WORKDIR',
]);

/** Instructions whose arguments BuildKit splits on whitespace (or hands to a shell): blanks between words are free. */
const wordInstructions = new Set(['FROM', 'RUN', 'CMD', 'ENTRYPOINT', 'HEALTHCHECK', 'COPY', 'ADD', 'ARG', 'ENV', 'LABEL', 'EXPOSE', 'VOLUME', 'SHELL']);
const shellInstructions = new Set(['RUN', 'CMD', 'ENTRYPOINT', 'HEALTHCHECK']);

export function indentUnit(options: Pick<FormatOptions, 'tabSize' | 'insertSpaces'>): string {
  return options.insertSpaces ? ' '.repeat(Math.max(1, Math.min(16, options.tabSize || 4))) : '\t';
}

function leadingBlanks(line: string): number {
  let n = 0;
  while (n < line.length && (line[n] === ' ' || line[n] === '\t')) n++;
  return n;
}

function trailingBlanks(line: string, from = 0): number {
  let n = line.length;
  while (n > from && (line[n - 1] === ' ' || line[n - 1] === '\t')) n--;
  return line.length - n;
}

function edit(line: number, from: number, to: number, newText: string): TextEdit {
  return { range: { start: { line, character: from }, end: { line, character: to } }, newText };
}

/** Lines the formatter must leave exactly as they are: heredoc bodies and terminators, directives. */
export function protectedLines(syntax: DockerfileSyntax, lineCount: number): Uint8Array {
  const locked = new Uint8Array(lineCount + 1);
  const lock = (from: number, to: number) => {
    for (let l = Math.max(0, from); l <= Math.min(to, lineCount); l++) locked[l] = 1;
  };
  for (const directive of syntax.directives) lock(directive.range.start.line, directive.range.end.line);
  for (const instruction of syntax.instructions) {
    for (const heredoc of heredocsOf(instruction)) {
      const end = heredoc.terminatorRange ? heredoc.terminatorRange.end.line : lineCount;
      lock(heredoc.bodyRange.start.line, Math.max(end, heredoc.bodyRange.end.line));
    }
  }
  return locked;
}

function heredocsOf(instruction: InstructionNode) {
  return instruction.onbuild ? [...instruction.heredocs, ...instruction.onbuild.heredocs] : instruction.heredocs;
}

/** The last line of the instruction's own text (before any heredoc body). */
function commandEndLine(instruction: InstructionNode): number {
  const heredocs = heredocsOf(instruction);
  if (heredocs.length > 0) return heredocs[0].bodyRange.start.line - 1;
  const segments = instruction.segments;
  return segments.length > 0 ? segments[segments.length - 1].line : instruction.range.end.line;
}

interface Context {
  source: SourceText;
  options: FormatOptions;
  unit: string;
  escape: string;
  locked: Uint8Array;
  edits: TextEdit[];
}

/** Every formatting edit of the document (sorted, non-overlapping). */
export function formattingEdits(syntax: DockerfileSyntax, source: SourceText, options: FormatOptions): TextEdit[] {
  const ctx: Context = {
    source, options, unit: indentUnit(options), escape: syntax.escapeChar,
    locked: protectedLines(syntax, source.lines.length), edits: [],
  };
  const owned = new Uint8Array(source.lines.length + 1);
  for (const instruction of syntax.instructions) {
    const end = Math.max(commandEndLine(instruction), instruction.range.start.line);
    for (let l = instruction.range.start.line; l <= end; l++) owned[l] = 1;
    formatInstruction(ctx, instruction, end);
  }
  const firstInstructionLine = syntax.instructions[0]?.range.start.line ?? source.lines.length;
  const trimmedFrom = finalNewlines(ctx);
  for (let l = 0; l < Math.min(source.lines.length, trimmedFrom); l++) {
    if (owned[l] || ctx.locked[l]) continue;
    formatLooseLine(ctx, l, l < firstInstructionLine);
  }
  return ctx.edits.sort((a, b) => a.range.start.line - b.range.start.line || a.range.start.character - b.range.start.character);
}

/** A line outside instructions: a comment or a blank line. */
function formatLooseLine(ctx: Context, line: number, beforeInstructions: boolean): void {
  const text = ctx.source.lines[line];
  const lead = leadingBlanks(text);
  if (lead === text.length) {
    if (text.length > 0) ctx.edits.push(edit(line, 0, text.length, ''));
    return;
  }
  if (text[lead] !== '#') return;
  // An indented `# key=value` before the first instruction is a comment; unindented it could become a directive.
  const mayBecomeDirective = beforeInstructions && /^#\s*[a-zA-Z][a-zA-Z0-9]*\s*=/.test(text.slice(lead));
  if (lead > 0 && !mayBecomeDirective) ctx.edits.push(edit(line, 0, lead, ''));
  const trail = trailingBlanks(text, lead);
  if (trail > 0) ctx.edits.push(edit(line, text.length - trail, text.length, ''));
}

function formatInstruction(ctx: Context, instruction: InstructionNode, endLine: number): void {
  const lines = ctx.source.lines;
  const first = instruction.keyword.range.start.line;
  if (ctx.locked[first]) return;
  const known = knownInstructions.has(instruction.name);
  const firstText = lines[first];
  const kwStart = instruction.keyword.range.start.character;
  if (kwStart > 0 && leadingBlanks(firstText) >= kwStart) ctx.edits.push(edit(first, 0, kwStart, ''));
  if (known) {
    upperCase(ctx, instruction.keyword.range, instruction.keyword.text);
    spaceAfterKeyword(ctx, instruction);
  }
  if (instruction.asKeyword) upperCase(ctx, instruction.asKeyword.range, instruction.asKeyword.value);
  if (instruction.name === 'HEALTHCHECK' && instruction.args[0] && /^(cmd|none)$/i.test(instruction.args[0].value)) {
    upperCase(ctx, instruction.args[0].range, instruction.args[0].value);
  }
  const nested = instruction.onbuild;
  if (nested && knownInstructions.has(nested.name)) {
    upperCase(ctx, nested.keyword.range, nested.keyword.text);
    if (nested.asKeyword) upperCase(ctx, nested.asKeyword.range, nested.asKeyword.value);
  }
  if (endLine > first) formatContinuations(ctx, instruction, first, endLine);
  // BuildKit trims the end of the logical line, and the blanks after a trailing escape.
  for (let l = first; l <= endLine; l++) {
    if (ctx.locked[l]) continue;
    const text = lines[l];
    const trail = trailingBlanks(text);
    if (trail === 0 || trail === text.length) continue;
    const body = text.length - trail;
    const endsWithEscape = text[body - 1] === ctx.escape;
    // ONBUILD keeps its trigger text as written, trailing blanks included.
    const lastOfLine = l === endLine && !instruction.onbuild;
    const continued = l < endLine && endsWithEscape;
    if (lastOfLine || continued || text.trimStart().startsWith('#')) ctx.edits.push(edit(l, body, text.length, ''));
  }
}

function upperCase(ctx: Context, range: { start: { line: number; character: number }; end: { line: number; character: number } }, written: string): void {
  const upper = written.toUpperCase();
  if (upper === written || range.start.line !== range.end.line || ctx.locked[range.start.line]) return;
  if (ctx.source.lines[range.start.line].slice(range.start.character, range.end.character) !== written) return;
  ctx.edits.push(edit(range.start.line, range.start.character, range.end.character, upper));
}

/** `RUN    echo` -> `RUN echo` (BuildKit splits the keyword off at the first run of blanks). */
function spaceAfterKeyword(ctx: Context, instruction: InstructionNode): void {
  const { line, character } = instruction.keyword.range.end;
  const text = ctx.source.lines[line];
  let end = character;
  while (end < text.length && (text[end] === ' ' || text[end] === '\t')) end++;
  if (end === character || end === text.length) return;
  // `RUN    \` : the blanks before a trailing escape are reflow's business.
  if (text.slice(end).trimEnd() === ctx.escape) return;
  if (text.slice(character, end) !== ' ') ctx.edits.push(edit(line, character, end, ' '));
}

/** Re-indents continuation lines where whitespace there cannot change what BuildKit or the shell sees. */
function formatContinuations(ctx: Context, instruction: InstructionNode, first: number, endLine: number): void {
  const lines = ctx.source.lines;
  const reindentable = wordInstructions.has(instruction.name) && !instruction.legacyKeyValue && !instruction.onbuild &&
    !(instruction.name === 'SHELL' && instruction.form !== 'exec');
  const segmentOfLine = new Map<number, TextSegment>();
  for (const segment of instruction.segments) if (!segmentOfLine.has(segment.line)) segmentOfLine.set(segment.line, segment);

  // Where each continuation line starts in the logical text, and where each escaped line ends.
  const breaks: number[] = [];
  const breakLines: number[] = [];
  for (let l = first + 1; l <= endLine; l++) {
    const segment = segmentOfLine.get(l);
    if (segment && segment.character === 0) {
      breaks.push(segment.offset);
      breakLines.push(l);
    }
  }
  const quoted = reindentable ? quotedBreaks(instruction, ctx.escape, breaks) : [];
  const quotedAtLine = new Map<number, boolean>();
  breakLines.forEach((l, i) => quotedAtLine.set(l, quoted[i] ?? true));

  for (let l = first + 1; l <= endLine; l++) {
    if (ctx.locked[l]) continue;
    const text = lines[l];
    const lead = leadingBlanks(text);
    if (lead === text.length) {
      if (text.length > 0) ctx.edits.push(edit(l, 0, text.length, ''));
      continue;
    }
    const isComment = text[lead] === '#';
    const target = ctx.options.reflow || lead === 0 ? ctx.unit : text.slice(0, lead);
    if (target === text.slice(0, lead)) continue;
    if (isComment) {
      // BuildKit drops comment lines inside an instruction entirely.
      ctx.edits.push(edit(l, 0, lead, target));
      continue;
    }
    if (!reindentable) continue;
    const segment = segmentOfLine.get(l);
    if (!segment) continue;
    if (segment.character >= lead && segment.character > 0) {
      ctx.edits.push(edit(l, 0, lead, target));
      continue;
    }
    if (quotedAtLine.get(l) !== false) continue;
    // Joining must stay at a word boundary: blanks already before the break, or indentation kept non-empty.
    const before = instruction.text[segment.offset - 1];
    const boundary = lead > 0 || before === ' ' || before === '\t';
    if (!boundary) continue;
    ctx.edits.push(edit(l, 0, lead, target));
  }
  if (ctx.options.reflow && reindentable) collapseBeforeEscapes(ctx, instruction, first, endLine, segmentOfLine);
}

/** Reflow: `foo    \` -> `foo \` where the blanks are outside quotes. */
function collapseBeforeEscapes(ctx: Context, instruction: InstructionNode, first: number, endLine: number, segmentOfLine: Map<number, TextSegment>): void {
  const candidates: { line: number; from: number; to: number; offset: number }[] = [];
  for (let l = first; l < endLine; l++) {
    if (ctx.locked[l]) continue;
    const text = ctx.source.lines[l];
    const body = text.length - trailingBlanks(text);
    if (body === 0 || text[body - 1] !== ctx.escape) continue;
    const escapeAt = body - 1;
    const blanks = trailingBlanks(text.slice(0, escapeAt));
    if (blanks < 2 || blanks === escapeAt - leadingBlanks(text)) continue;
    const segment = segmentOfLine.get(l);
    if (!segment || segment.character + segment.length !== escapeAt) continue;
    candidates.push({ line: l, from: escapeAt - blanks, to: escapeAt, offset: segment.offset + segment.length - blanks });
  }
  if (candidates.length === 0) return;
  const quoted = quotedBreaks(instruction, ctx.escape, candidates.map((c) => c.offset));
  candidates.forEach((c, i) => {
    if (quoted[i] === false) ctx.edits.push(edit(c.line, c.from + 1, c.to, ''));
  });
}

/** For each logical-text offset: is a change of blanks there unsafe (inside quotes, or quoting unclear)? */
function quotedBreaks(instruction: InstructionNode, escape: string, offsets: number[]): boolean[] {
  if (offsets.length === 0) return [];
  // The whole logical line: the keyword has no quotes and flags follow the same quoting rules.
  const text = instruction.text;
  if (instruction.form === 'exec') return scanShellText(text, 'json', '\\', offsets).quotedAt;
  const words = scanShellText(text, 'buildkit', escape, offsets).quotedAt;
  if (!shellInstructions.has(instruction.name)) return words;
  // A shell reads the command with its own quoting (backslash escapes whatever the Dockerfile's
  // escape character); where the two readings differ, take the cautious one.
  const shell = scanShellText(text, 'shell', '\\', offsets).quotedAt;
  return escape === '\\' ? shell : shell.map((quoted, i) => quoted || words[i]);
}

/** Final line breaks; returns the first line removed by trimming (the line count when none is). */
function finalNewlines(ctx: Context): number {
  const { lines, eol, endsWithNewline } = ctx.source;
  const last = lines.length - 1;
  if (ctx.options.trimFinalNewlines && endsWithNewline) {
    // lines[last] is '' (after the final newline); drop the blank lines before it.
    let keep = last - 1;
    while (keep > 0 && lines[keep].trim() === '' && !ctx.locked[keep]) keep--;
    if (keep < last - 1) {
      ctx.edits.push({ range: { start: { line: keep, character: lines[keep].length }, end: { line: last, character: 0 } }, newText: eol });
      return keep + 1;
    }
  }
  if (ctx.options.insertFinalNewline && !endsWithNewline && lines[last].length > 0 && !ctx.locked[last]) {
    ctx.edits.push(edit(last, lines[last].length, lines[last].length, eol));
  }
  return lines.length;
}
