// Formatting: whole document, a range, and on type (after Enter). Meaning never changes (see
// format/formatEdits.ts for what is and is not touched).
//
// Setting `layerlens.formatting.reflowContinuations` (boolean, default false): when true, every
// continuation line of an instruction is re-indented to one indentation unit and the blanks before
// a trailing `\` are collapsed to one; when false, continuation lines that are already indented
// (hand-aligned `&& \` chains, flags lined up) are kept exactly as written and only unindented
// ones get one unit. Either way heredoc bodies and text inside quotes are never touched.
import type { FormattingOptions, Position, TextEdit } from 'vscode-languageserver';
import type { DockerfileSyntax, InstructionNode } from '../parser';
import { runSafely } from '../requestRunner';
import type { ServerSettings } from '../settings';
import type { Feature } from './feature';
import { formattingEdits, indentUnit, protectedLines, splitText, type FormatOptions, type SourceText } from './format/formatEdits';

export interface FormattingSettings {
  reflowContinuations: boolean;
}

/** Reads `layerlens.formatting.*` from the server settings. */
export function formattingSettings(settings: ServerSettings): FormattingSettings {
  return settings.formatting;
}

export function formatOptions(options: FormattingOptions, settings: FormattingSettings): FormatOptions {
  return {
    tabSize: options.tabSize,
    insertSpaces: options.insertSpaces,
    reflow: settings.reflowContinuations,
    insertFinalNewline: options.insertFinalNewline === true,
    trimFinalNewlines: options.trimFinalNewlines === true,
  };
}

/** Edits for the whole document. */
export function formatDocument(syntax: DockerfileSyntax, text: string, options: FormatOptions): TextEdit[] {
  return formattingEdits(syntax, splitText(text), options);
}

/** Edits for the lines `[startLine, endLine]`, widened to whole instructions. */
export function formatRange(syntax: DockerfileSyntax, text: string, options: FormatOptions, startLine: number, endLine: number): TextEdit[] {
  let from = startLine;
  let to = endLine;
  for (const instruction of syntax.instructions) {
    if (instruction.range.end.line < startLine || instruction.range.start.line > endLine) continue;
    from = Math.min(from, instruction.range.start.line);
    to = Math.max(to, instruction.range.end.line);
  }
  const edits = formattingEdits(syntax, splitText(text), { ...options, insertFinalNewline: false, trimFinalNewlines: false });
  return edits.filter((e) => e.range.start.line >= from && e.range.end.line <= to);
}

/** After Enter at `position` (the start of the new line): indent a continuation line, upper-case the keyword above. */
export function formatOnEnter(syntax: DockerfileSyntax, text: string, options: FormatOptions, position: Position): TextEdit[] {
  const line = position.line;
  const previous = line - 1;
  const source = splitText(text);
  if (previous < 0 || line >= source.lines.length) return [];
  const locked = protectedLines(syntax, source.lines.length);
  if (locked[previous]) return [];
  const instruction = instructionAtLine(syntax.instructions, previous);
  if (!instruction) return [];
  const edits: TextEdit[] = [];
  // The formatter's own edits for the instruction's first line (casing, spacing) and for the new line.
  const all = formattingEdits(syntax, source, { ...options, insertFinalNewline: false, trimFinalNewlines: false });
  const keywordLine = instruction.keyword.range.start.line;
  for (const e of all) {
    if (e.range.start.line === keywordLine && keywordLine === previous && e.range.start.character >= instruction.keyword.range.start.character) edits.push(e);
  }
  const continues = instruction.range.end.line >= line || instruction.emptyContinuationLines.includes(line);
  if (!continues || locked[line]) return edits;
  const current = source.lines[line];
  const lead = current.length - current.trimStart().length;
  if (current.trim() === '') {
    // A blank line inside an instruction is an empty continuation line whatever its blanks: safe to indent.
    const target = continuationIndent(source, instruction, previous, options);
    if (current !== target) edits.push({ range: { start: { line, character: 0 }, end: { line, character: current.length } }, newText: target });
    return edits;
  }
  for (const e of all) if (e.range.start.line === line && e.range.end.character <= lead) edits.push(e);
  return edits;
}

/** The indentation a new continuation line gets: the line above's when it is an indented continuation (kept aligned), else one unit. */
function continuationIndent(source: SourceText, instruction: InstructionNode, previous: number, options: FormatOptions): string {
  const unit = indentUnit(options);
  if (options.reflow || previous <= instruction.keyword.range.start.line) return unit;
  const above = source.lines[previous];
  const lead = above.slice(0, above.length - above.trimStart().length);
  return lead.length > 0 && !above.trimStart().startsWith('#') ? lead : unit;
}

function instructionAtLine(instructions: InstructionNode[], line: number): InstructionNode | undefined {
  let low = 0;
  let high = instructions.length - 1;
  while (low <= high) {
    const mid = (low + high) >> 1;
    const range = instructions[mid].range;
    if (range.end.line < line) low = mid + 1;
    else if (range.start.line > line) high = mid - 1;
    else return instructions[mid];
  }
  return undefined;
}

export const formattingFeature: Feature = {
  name: 'formatting',
  capabilities: () => ({
    documentFormattingProvider: true,
    documentRangeFormattingProvider: true,
    documentOnTypeFormattingProvider: { firstTriggerCharacter: '\n' },
  }),
  register({ connection, documents, models, settings }) {
    connection.onDocumentFormatting((params, token) => runSafely(connection, 'formatting', null, token, () => {
      const document = documents.get(params.textDocument.uri);
      if (!document) return null;
      const options = formatOptions(params.options, formattingSettings(settings()));
      return formatDocument(models.get(document).syntax, document.getText(), options);
    }));
    connection.onDocumentRangeFormatting((params, token) => runSafely(connection, 'rangeFormatting', null, token, () => {
      const document = documents.get(params.textDocument.uri);
      if (!document) return null;
      const options = formatOptions(params.options, formattingSettings(settings()));
      return formatRange(models.get(document).syntax, document.getText(), options, params.range.start.line, params.range.end.line);
    }));
    connection.onDocumentOnTypeFormatting((params, token) => runSafely(connection, 'onTypeFormatting', null, token, () => {
      const document = documents.get(params.textDocument.uri);
      if (!document || params.ch !== '\n') return null;
      const options = formatOptions(params.options, formattingSettings(settings()));
      return formatOnEnter(models.get(document).syntax, document.getText(), options, params.position);
    }));
  },
};
