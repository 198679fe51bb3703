// Semantic tokens: instructions, flags and their fields, variables (declarations and uses), stage
// names, base images, strings, heredoc markers and bodies, comments and parser directives.
// Full and range requests; the legend is declared in the capabilities.
import type { SemanticTokens, SemanticTokensLegend } from 'vscode-languageserver';
import type { DocumentModel } from '../documentModels';
import type { InstructionNode, Range, WordNode } from '../parser';
import { runSafely } from '../requestRunner';
import type { Feature } from './feature';
import { scanShellText, type ScanDialect } from './format/shellScan';
import { documentOccurrences, lineReaderOf, predefinedArgs, type DocumentOccurrences, type LineReader } from './occurrences';

/** Token types, in legend order. `heredoc` (a RUN script body) is ours: clients without a style for it keep their grammar's colours. */
export const tokenTypes = ['keyword', 'parameter', 'property', 'variable', 'class', 'string', 'operator', 'comment', 'macro', 'type', 'heredoc'] as const;
export const tokenModifiers = ['declaration', 'defaultLibrary'] as const;
export const semanticTokensLegend: SemanticTokensLegend = { tokenTypes: [...tokenTypes], tokenModifiers: [...tokenModifiers] };

type TokenName = (typeof tokenTypes)[number];
/** A token type as its legend index. */
type TokenType = number;
const T = Object.fromEntries(tokenTypes.map((t, i) => [t, i])) as Record<TokenName, TokenType>;
const DECLARATION = 1;
const DEFAULT_LIBRARY = 2;

/** Higher wins where tokens overlap (a variable inside a string splits the string); by legend index. */
const priorityByName: Record<TokenName, number> = {
  variable: 5, class: 5, keyword: 4, parameter: 3, property: 3, operator: 3, macro: 3, type: 2, string: 1, comment: 0, heredoc: 0,
};
const priority: number[] = tokenTypes.map((t) => priorityByName[t]);

interface RawToken {
  start: number;
  end: number;
  type: TokenType;
  modifiers: number;
}

/** Tokens grouped by line (an array indexed from the first line), painted so that no two overlap. */
class TokenCanvas {
  private readonly lines: (RawToken[] | undefined)[] = [];

  constructor(private readonly firstLine: number, private readonly lastLine: number, private readonly lineLength: (line: number) => number) {}

  add(range: Range, type: TokenType, modifiers = 0): void {
    const { start, end } = range;
    if (end.line < this.firstLine || start.line > this.lastLine) return;
    if (start.line === end.line) {
      this.addOnLine(start.line, start.character, end.character, type, modifiers);
      return;
    }
    for (let line = Math.max(start.line, this.firstLine); line <= Math.min(end.line, this.lastLine); line++) {
      const from = line === start.line ? start.character : 0;
      const to = line === end.line ? end.character : this.lineLength(line);
      this.addOnLine(line, from, to, type, modifiers);
    }
  }

  addOnLine(line: number, start: number, end: number, type: TokenType, modifiers = 0): void {
    if (end <= start || line < this.firstLine || line > this.lastLine) return;
    const index = line - this.firstLine;
    const tokens = this.lines[index];
    if (tokens) tokens.push({ start, end, type, modifiers });
    else this.lines[index] = [{ start, end, type, modifiers }];
  }

  /** LSP's relative encoding: line delta, start delta, length, type, modifiers. */
  build(): SemanticTokens {
    const data: number[] = [];
    let previousLine = 0;
    let previousStart = 0;
    for (let index = 0; index < this.lines.length; index++) {
      const tokens = this.lines[index];
      if (!tokens) continue;
      const line = index + this.firstLine;
      for (const token of paint(tokens)) {
        const deltaLine = line - previousLine;
        data.push(deltaLine, deltaLine === 0 ? token.start - previousStart : token.start, token.end - token.start, token.type, token.modifiers);
        previousLine = line;
        previousStart = token.start;
      }
    }
    return { data };
  }
}

/** Resolves overlaps on one line: higher-priority tokens cut lower ones. Sorted by start. */
function paint(tokens: RawToken[]): RawToken[] {
  if (tokens.length === 1) return tokens;
  tokens.sort((a, b) => a.start - b.start || priority[b.type] - priority[a.type]);
  let overlapping = false;
  for (let i = 1; i < tokens.length && !overlapping; i++) overlapping = tokens[i].start < tokens[i - 1].end;
  if (!overlapping) return tokens;
  const ordered = [...tokens].sort((a, b) => priority[b.type] - priority[a.type]);
  const placed: RawToken[] = [];
  for (const token of ordered) {
    let pieces: RawToken[] = [token];
    for (const other of placed) {
      const next: RawToken[] = [];
      for (const piece of pieces) {
        if (other.end <= piece.start || other.start >= piece.end) {
          next.push(piece);
          continue;
        }
        if (piece.start < other.start) next.push({ ...piece, end: other.start });
        if (piece.end > other.end) next.push({ ...piece, start: other.end });
      }
      pieces = next;
      if (pieces.length === 0) break;
    }
    placed.push(...pieces);
  }
  return placed.sort((a, b) => a.start - b.start);
}

/** Semantic tokens of the whole document, or of the lines `[firstLine, lastLine]`. */
export function computeSemanticTokens(
  model: DocumentModel,
  occurrences: DocumentOccurrences,
  readLine: LineReader,
  firstLine = 0,
  lastLine = Number.MAX_SAFE_INTEGER,
): SemanticTokens {
  const canvas = new TokenCanvas(firstLine, lastLine, (line) => readLine(line).length);
  const syntax = model.syntax;
  for (const directive of syntax.directives) {
    if (directive.range.end.line < firstLine || directive.range.start.line > lastLine) continue;
    canvas.add(directive.range, T.comment);
    canvas.add(directive.nameRange, T.macro);
    canvas.add(directive.valueRange, T.string);
  }
  for (const comment of syntax.comments) canvas.add(comment.range, T.comment);
  for (const instruction of instructionsBetween(syntax.instructions, firstLine, lastLine)) {
    addInstruction(canvas, instruction, syntax.escapeChar, readLine);
  }
  for (const occurrence of occurrencesBetween(occurrences, firstLine, lastLine)) {
    if (occurrence.kind === 'stage') {
      canvas.add(occurrence.range, T.class, occurrence.role === 'definition' ? DECLARATION : 0);
      continue;
    }
    // Text that may not be expanded (a quoted heredoc, exec form without a shell) keeps its string colour.
    if (occurrence.uncertain) continue;
    let modifiers = occurrence.role === 'definition' ? DECLARATION : 0;
    if (!occurrence.symbol && predefinedArgs.has(occurrence.name)) modifiers |= DEFAULT_LIBRARY;
    const { start, end } = occurrence.range;
    if (start.line === end.line) canvas.addOnLine(start.line, start.character - occurrence.lead, end.character + occurrence.trail, T.variable, modifiers);
    else canvas.add(occurrence.range, T.variable, modifiers);
  }
  return canvas.build();
}

function addInstruction(canvas: TokenCanvas, instruction: InstructionNode, escapeChar: string, readLine: LineReader): void {
  canvas.add(instruction.keyword.range, T.keyword);
  if (instruction.onbuild) {
    addInstruction(canvas, instruction.onbuild, escapeChar, readLine);
    return;
  }
  for (const flag of instruction.flags) {
    // `--name`, dashes included.
    const { start } = flag.range;
    const nameEnd = flag.nameRange.end;
    if (start.line === nameEnd.line) canvas.addOnLine(start.line, start.character, nameEnd.character, T.parameter);
    else canvas.add({ start, end: nameEnd }, T.parameter);
    if (flag.options && flag.options.length > 0) {
      for (const option of flag.options) {
        canvas.add(option.keyRange, T.property);
        if (option.valueRange) canvas.add(option.valueRange, T.string);
      }
    } else if (flag.valueRange) {
      canvas.add(flag.valueRange, T.string);
    }
  }
  const exec = instruction.form === 'exec';
  switch (instruction.name) {
    case 'FROM':
      if (instruction.image) canvas.add(instruction.image.range, T.type);
      if (instruction.asKeyword) canvas.add(instruction.asKeyword.range, T.keyword);
      return;
    case 'ARG':
    case 'ENV':
    case 'LABEL':
      for (const pair of instruction.pairs) {
        if (instruction.name === 'LABEL') canvas.add(pair.key.range, T.property);
        if (pair.value) canvas.add(pair.value.range, T.string);
      }
      return;
    case 'HEALTHCHECK': {
      const [kind, ...command] = instruction.args;
      if (kind) canvas.add(kind.range, T.keyword);
      addStrings(canvas, instruction, command, exec ? 'json' : 'shell', escapeChar);
      return;
    }
    case 'RUN':
    case 'CMD':
    case 'ENTRYPOINT':
    case 'SHELL':
      addStrings(canvas, instruction, instruction.args, exec ? 'json' : 'shell', escapeChar);
      break;
    default:
      addStrings(canvas, instruction, instruction.args, exec ? 'json' : 'buildkit', escapeChar);
      break;
  }
  for (const heredoc of instruction.heredocs) {
    canvas.add(heredoc.range, T.operator);
    if (heredoc.terminatorRange) canvas.add(heredoc.terminatorRange, T.operator);
    const body = heredoc.bodyRange;
    const type: TokenType = instruction.name === 'RUN' ? T.heredoc : T.string;
    for (let line = body.start.line; line <= body.end.line; line++) {
      const from = line === body.start.line ? body.start.character : 0;
      const to = line === body.end.line ? body.end.character : readLine(line).length;
      canvas.addOnLine(line, from, to, type);
    }
  }
}

/** Quoted strings inside `words` (JSON strings for exec form), split where continuation lines break them. */
function addStrings(canvas: TokenCanvas, instruction: InstructionNode, words: WordNode[], dialect: ScanDialect, escapeChar: string): void {
  for (const word of words) {
    const raw = instruction.text.slice(word.start, word.end);
    if (!raw.includes('"') && !raw.includes("'")) continue;
    const { strings } = scanShellText(raw, dialect, dialect === 'shell' ? '\\' : escapeChar);
    for (const [from, to] of strings) addTextSpan(canvas, instruction, word.start + from, word.start + to, T.string);
  }
}

/** Adds `[from, to)` of the instruction's logical text, one token per source segment. */
function addTextSpan(canvas: TokenCanvas, instruction: InstructionNode, from: number, to: number, type: TokenType): void {
  for (const segment of instruction.segments) {
    if (segment.offset >= to) break;
    const a = Math.max(from, segment.offset);
    const b = Math.min(to, segment.offset + segment.length);
    if (a < b) canvas.addOnLine(segment.line, segment.character + a - segment.offset, segment.character + b - segment.offset, type);
  }
}

/** Instructions overlapping the lines (binary search for the first). */
function instructionsBetween(instructions: InstructionNode[], firstLine: number, lastLine: number): InstructionNode[] {
  if (firstLine <= 0 && lastLine >= Number.MAX_SAFE_INTEGER) return instructions;
  let low = 0;
  let high = instructions.length;
  while (low < high) {
    const mid = (low + high) >> 1;
    if (instructions[mid].range.end.line < firstLine) low = mid + 1;
    else high = mid;
  }
  const out: InstructionNode[] = [];
  for (let i = low; i < instructions.length && instructions[i].range.start.line <= lastLine; i++) out.push(instructions[i]);
  return out;
}

function occurrencesBetween(occurrences: DocumentOccurrences, firstLine: number, lastLine: number) {
  const all = occurrences.occurrences;
  if (firstLine <= 0 && lastLine >= Number.MAX_SAFE_INTEGER) return all;
  let low = 0;
  let high = all.length;
  while (low < high) {
    const mid = (low + high) >> 1;
    if (all[mid].range.end.line < firstLine) low = mid + 1;
    else high = mid;
  }
  const out = [];
  for (let i = low; i < all.length && all[i].range.start.line <= lastLine; i++) out.push(all[i]);
  return out;
}

export const semanticTokensFeature: Feature = {
  name: 'semanticTokens',
  capabilities: () => ({ semanticTokensProvider: { legend: semanticTokensLegend, full: true, range: true } }),
  register({ connection, documents, models }) {
    // Full results per model (one per document version): several editors on one file ask again.
    const full = new WeakMap<DocumentModel, SemanticTokens>();
    const tokensFor = (uri: string, firstLine?: number, lastLine?: number): SemanticTokens => {
      const document = documents.get(uri);
      if (!document) return { data: [] };
      const { model, occurrences } = documentOccurrences(models, document);
      if (firstLine !== undefined) return computeSemanticTokens(model, occurrences, lineReaderOf(document), firstLine, lastLine);
      let tokens = full.get(model);
      if (!tokens) full.set(model, (tokens = computeSemanticTokens(model, occurrences, lineReaderOf(document))));
      return tokens;
    };
    connection.languages.semanticTokens.on((params, token) =>
      runSafely(connection, 'semanticTokens', { data: [] }, token, () => tokensFor(params.textDocument.uri)));
    connection.languages.semanticTokens.onRange((params, token) =>
      runSafely(connection, 'semanticTokens/range', { data: [] }, token, () =>
        tokensFor(params.textDocument.uri, params.range.start.line, params.range.end.line)));
  },
};
