// Dockerfile text -> syntax tree, following BuildKit's parser loop: directives, comments,
// continuation lines (with the active escape character), heredoc bodies, then per-instruction
// argument parsing and the checks BuildKit's instruction parser makes. Never throws.
import { continuationEnd } from './continuation';
import { DirectiveScanner } from './directives';
import { findHeredocMarkers } from './heredocMarkers';
import type { HeredocMarker } from './heredocMarkers';
import { checkFileStructure, checkInstruction } from './instructionChecks';
import { parseInstruction } from './parseInstruction';
import { isGoSpace } from './shell/goSpace';
import { isLineTooLong, lineAt, splitSourceLines, splitSourceLinesAfterEdit } from './sourceLines';
import type { SourceLines } from './sourceLines';
import { Comment, Heredoc, Instruction, emptyList } from './lazyNodes';
import { LogicalTextBuilder, SegmentStore, SingleLineOrigin, movedRange } from './textSegments';
import type { MapOrigin } from './textSegments';
import { ownCopy } from './ownCopy';
import type { CommentNode, DockerfileSyntax, HeredocNode, InstructionNode, Range, SyntaxProblem } from './types';

const heredocInstructions = new Set(['RUN', 'COPY', 'ADD']);

/** Parses Dockerfile text the way BuildKit does. Never throws; problems are in `problems`. */
export function parseDockerfile(text: string, options: ParseOptions = {}): DockerfileSyntax {
  try {
    if (options.previous) {
      const again = reparse(text, options.previous);
      if (again) return again;
    }
    const parser = new DockerfileParser(text);
    return withLines(parser.parse(), parser.sourceLines);
  } catch (err) {
    // Defensive: a bug must not take the language server down.
    const message = err instanceof Error ? err.message : String(err);
    const zero = { line: 0, character: 0 };
    return {
      directives: [], escapeChar: '\\', instructions: [], comments: [], lineCount: 1,
      problems: [{ range: { start: zero, end: zero }, message: `internal parser error: ${message}`, code: 'internal-error', severity: 'error' }],
    };
  }
}

export interface ParseOptions {
  /**
   * The previous text and its syntax tree: parsing then starts at the first changed
   * instruction and takes unchanged instructions over (the same objects), so re-parsing after a
   * keystroke is cheap. The result is the same as parsing from scratch.
   */
  previous?: { text: string; syntax: DockerfileSyntax };
}

/** Problem codes that depend on the whole file, recomputed on every re-parse. */
const fileLevelCodes = new Set(['no-build-stage', 'no-instructions', 'no-stages']);

/** The lines each parse was made from, for the next re-parse to split only the lines an edit touches. */
const linesOfParse = new WeakMap<DockerfileSyntax, SourceLines>();

/** The lines of the text `syntax` was parsed from (undefined for a tree made otherwise). */
export function sourceLinesOf(syntax: DockerfileSyntax): SourceLines | undefined {
  return linesOfParse.get(syntax);
}

function withLines(syntax: DockerfileSyntax, lines: SourceLines): DockerfileSyntax {
  linesOfParse.set(syntax, lines);
  return syntax;
}

/** Re-parses `text` from the first instruction the edit touches; undefined when it cannot. */
function reparse(text: string, previous: { text: string; syntax: DockerfileSyntax }): DockerfileSyntax | undefined {
  const old = previous.syntax;
  if (text === previous.text) return old;
  const oldText = previous.text;
  const limit = Math.min(text.length, oldText.length);
  const prefix = commonPrefix(text, oldText, limit);
  const suffix = commonSuffix(text, oldText, limit - prefix);
  const oldLines = linesOfParse.get(old);
  const parser = new DockerfileParser(text, oldLines && splitSourceLinesAfterEdit(text, oldLines, oldText.length, prefix, suffix));
  const lines = parser.sourceLines;
  const changedFrom = lineAt(lines.starts, prefix);
  const changedTo = lineAt(lines.starts, text.length - suffix);
  // Lines inserted or removed by the edit: old line L after it is line L + delta now.
  const delta = lines.count - old.lineCount;
  const instructions = old.instructions;
  const nextLineOf = (i: InstructionNode) => (i instanceof Instruction ? i.nextLine : -1);
  // The last old instruction whose lines all come before the edit (and that did not run into
  // the end of the file, which the edit may have moved): parsing restarts just after it.
  let keep = -1;
  for (let lo = 0, hi = instructions.length - 1; lo <= hi;) {
    const mid = (lo + hi) >> 1;
    if (instructions[mid].line < changedFrom) { keep = mid; lo = mid + 1; } else hi = mid - 1;
  }
  while (keep >= 0 && !(nextLineOf(instructions[keep]) >= 0 && nextLineOf(instructions[keep]) <= changedFrom && nextLineOf(instructions[keep]) < old.lineCount)) keep--;
  if (keep < 0) return undefined; // the edit may touch directives or the first instruction
  // After each re-parsed instruction: is the old parse, from the same line (moved by delta), in the same state?
  let cursor = keep + 1;
  const resumeAt = (line: number): number => {
    if (line <= changedTo) return -1;
    const oldLine = line - delta;
    while (cursor < instructions.length && instructions[cursor].line < oldLine) cursor++;
    if (cursor >= instructions.length) return -1;
    return nextLineOf(instructions[cursor - 1]) === oldLine ? cursor : -1;
  };
  const syntax = parser.parseFrom(old, keep, nextLineOf(instructions[keep]), resumeAt, delta);
  return syntax && withLines(syntax, lines);
}

/** Compared a block at a time (string equality runs natively), then character by character. */
const block = 2048;

function commonPrefix(a: string, b: string, limit: number): number {
  let p = 0;
  while (p + block <= limit && a.slice(p, p + block) === b.slice(p, p + block)) p += block;
  while (p < limit && a.charCodeAt(p) === b.charCodeAt(p)) p++;
  return p;
}

function commonSuffix(a: string, b: string, limit: number): number {
  let n = 0;
  while (n + block <= limit && a.slice(a.length - n - block, a.length - n) === b.slice(b.length - n - block, b.length - n)) n += block;
  while (n < limit && a.charCodeAt(a.length - 1 - n) === b.charCodeAt(b.length - 1 - n)) n++;
  return n;
}

/** Instructions, comments and problems `delta` lines further down; undefined if one cannot be moved. */
function movedNodes(instructions: readonly InstructionNode[], comments: readonly CommentNode[], problems: readonly SyntaxProblem[], delta: number) {
  const movedInstructions: InstructionNode[] = new Array<InstructionNode>(instructions.length);
  for (let i = 0; i < instructions.length; i++) {
    const from = instructions[i];
    const to = from instanceof Instruction ? from.movedBy(delta) : undefined;
    if (!to) return undefined;
    movedInstructions[i] = to;
  }
  const movedComments: CommentNode[] = new Array<CommentNode>(comments.length);
  for (let i = 0; i < comments.length; i++) {
    const c = comments[i];
    movedComments[i] = c instanceof Comment ? c.movedBy(delta) : { text: c.text, range: movedRange(c.range, delta) };
  }
  return { instructions: movedInstructions, comments: movedComments, problems: problems.map((p) => ({ ...p, range: movedRange(p.range, delta) })) };
}

function lineOfComment(comment: CommentNode): number {
  return comment instanceof Comment ? comment.line : comment.range.start.line;
}

/** Index of the first comment on or after `line` (comments are in line order). */
function firstCommentFrom(comments: readonly CommentNode[], line: number): number {
  let lo = 0;
  let hi = comments.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (lineOfComment(comments[mid]) < line) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

class DockerfileParser {
  private readonly lines: SourceLines;
  private readonly directives = new DirectiveScanner();
  private readonly result: DockerfileSyntax;
  private escape = 0x5c;
  private comments: string[] = [];
  private readonly builder = new LogicalTextBuilder(new SegmentStore());
  private readonly singleLine = new SingleLineOrigin();
  /** What a kept string is stored as: the cut itself, or in a re-parse its own copy (see ownCopy.ts). */
  private kept: (s: string) => string = (s) => s;

  /** `lines`: the text's lines when known (split after an edit), else split here. */
  constructor(private readonly text: string, lines?: SourceLines) {
    this.lines = lines ?? splitSourceLines(text);
    this.result = { directives: [], escapeChar: '\\', instructions: [], comments: [], problems: [], lineCount: this.lines.count };
  }

  get sourceLines(): SourceLines {
    return this.lines;
  }

  parse(): DockerfileSyntax {
    this.parseLines(0, () => -1);
    this.finish();
    return this.result;
  }

  /**
   * Parses from line `restart` (just after old instruction `keep`) until `resumeAt` says that an
   * old instruction starts, unchanged and in step, on the line reached; then takes the rest over.
   */
  parseFrom(old: DockerfileSyntax, keep: number, restart: number, resumeAt: (line: number) => number, delta: number): DockerfileSyntax | undefined {
    this.directives.done = true;
    this.kept = ownCopy;
    this.escape = old.escapeChar.charCodeAt(0);
    this.result.escapeChar = old.escapeChar;
    this.result.directives = old.directives;
    const resumed = this.parseLines(restart, resumeAt);
    const fresh = this.result;
    // Where the parse stopped, in the old parse's lines.
    const stopLine = resumed.line - delta;
    const region = fresh.problems.filter((p) => !fileLevelCodes.has(p.code));
    const kept = (p: { code: string; range: Range }) => !fileLevelCodes.has(p.code);
    const before = old.problems.filter((p) => kept(p) && p.range.start.line < restart);
    let after = resumed.index >= 0 ? old.problems.filter((p) => kept(p) && p.range.start.line >= stopLine) : [];
    let rest = resumed.index >= 0 ? old.instructions.slice(resumed.index) : [];
    let restComments = resumed.index >= 0 ? old.comments.slice(firstCommentFrom(old.comments, stopLine)) : [];
    if (delta !== 0 && resumed.index >= 0) {
      // Lines were inserted or removed above the rest: it moves down or up as a whole.
      const moved = movedNodes(rest, restComments, after, delta);
      if (!moved) return undefined;
      ({ instructions: rest, comments: restComments, problems: after } = moved);
    }
    region.sort(byPosition);
    const result: DockerfileSyntax = {
      directives: old.directives,
      escapeChar: old.escapeChar,
      instructions: old.instructions.slice(0, keep + 1).concat(fresh.instructions, rest),
      // Comments are in line order: the old ones before `restart` and from `stopLine` on, found by bisection.
      comments: old.comments.slice(0, firstCommentFrom(old.comments, restart)).concat(fresh.comments, restComments),
      problems: [...before, ...region, ...after],
      lineCount: this.lines.count,
    };
    checkFileStructure(result);
    result.problems.sort(byPosition);
    return result;
  }

  /**
   * The main loop. After each instruction `resumeAt(nextLine)` may name an old instruction to
   * take over from; then the loop stops there (`index` of it, `line` where it stopped).
   */
  private parseLines(from: number, resumeAt: (line: number) => number): { index: number; line: number } {
    const { starts, ends, count } = this.lines;
    let i = from;
    while (i < count) {
      const start = i === 0 && this.lines.bom ? 1 : starts[i];
      const end = ends[i];
      this.checkLength(i);
      let first = start;
      while (first < end && isGoSpace(this.text.charCodeAt(first))) first++;
      this.considerDirective(first, end, i);
      if (first < end && this.text.charCodeAt(first) === 0x23) {
        this.addComment(first, end, i);
        i++;
        continue;
      }
      if (first === end) {
        i++;
        continue;
      }
      try {
        i = this.parseInstructionAt(i, first);
        const resume = resumeAt(i);
        if (resume >= 0) return { index: resume, line: i };
      } catch (err) {
        // Defensive: one instruction must not take the whole file (or the server) down.
        const message = err instanceof Error ? err.message : String(err);
        this.result.problems.push({ range: lineRange(i, 0, end - starts[i]), message: `internal parser error: ${message}`, code: 'internal-error', severity: 'error' });
        i++;
      }
    }
    return { index: -1, line: Infinity };
  }

  private considerDirective(start: number, end: number, line: number): void {
    if (this.directives.done) return;
    const outcome = this.directives.consider(this.text, start, end, line, this.lines.starts[line]);
    if (outcome.directive) {
      this.result.directives.push(outcome.directive);
      if (outcome.directive.name === 'escape' && !outcome.problem) {
        this.escape = outcome.directive.value.charCodeAt(0);
        this.result.escapeChar = outcome.directive.value === '`' ? '`' : '\\';
      }
    }
    if (outcome.problem) this.result.problems.push(outcome.problem);
  }

  private addComment(start: number, end: number, line: number): void {
    const lineStart = this.lines.starts[line];
    const body = this.kept(this.text.slice(start + 1, end).trim());
    const isDirective = this.result.directives.some((d) => d.range.start.line === line);
    if (!isDirective) this.result.comments.push(new Comment(body, line, start - lineStart, end - lineStart));
    if (body === '') this.comments = [];
    else this.comments.push(body);
  }

  private checkLength(line: number): void {
    const { starts, ends } = this.lines;
    if (isLineTooLong(this.text, starts[line], ends[line])) {
      this.result.problems.push({
        range: lineRange(line, 0, ends[line] - starts[line]),
        message: 'dockerfile line greater than max allowed size of 65535',
        code: 'line-too-long',
        severity: 'error',
      });
    }
  }

  /** Parses the instruction starting on line `first`; returns the next line to look at. */
  private parseInstructionAt(firstLine: number, firstChar: number): number {
    const { starts, ends, count } = this.lines;
    let line = firstLine;
    let lastContentLine = firstLine;
    let stop = continuationEnd(this.text, firstChar, ends[line], this.escape);
    const firstEnd = stop < 0 ? ends[line] : stop;
    line++;
    if (stop < 0 || line >= count) {
      const origin = this.singleLine;
      origin.firstLine = firstLine;
      origin.firstCharacter = firstChar - starts[firstLine];
      return this.finishInstruction(this.kept(this.text.slice(firstChar, firstEnd)), origin, line, lastContentLine, emptyList());
    }
    const builder = this.builder;
    builder.start(firstLine, firstChar - starts[firstLine]);
    let emptyLines: number[] | undefined;
    builder.append(this.text, firstChar, firstEnd, firstLine, firstChar - starts[firstLine]);
    while (stop >= 0 && line < count) {
      this.checkLength(line);
      const start = starts[line];
      const end = ends[line];
      let first = start;
      while (first < end && isGoSpace(this.text.charCodeAt(first))) first++;
      if (first < end && this.text.charCodeAt(first) === 0x23) {
        const lineStart = starts[line];
        this.result.comments.push(new Comment(this.kept(this.text.slice(first + 1, end).trim()), line, first - lineStart, end - lineStart));
        line++;
        continue;
      }
      if (first === end) {
        (emptyLines ??= []).push(line);
        line++;
        continue;
      }
      stop = continuationEnd(this.text, start, end, this.escape);
      builder.append(this.text, start, stop < 0 ? end : stop, line, 0);
      lastContentLine = line;
      line++;
    }
    const logical = this.kept(builder.finish());
    return this.finishInstruction(logical, builder, line, lastContentLine, emptyLines ?? emptyList());
  }

  /** Parses the logical text of an instruction, reads its heredocs, records it. */
  private finishInstruction(logical: string, origin: MapOrigin, nextLine: number, lastContentLine: number, emptyLines: number[]): number {
    const { starts, ends } = this.lines;
    let line = nextLine;
    const instruction = parseInstruction(logical, origin, 0, logical.length, this.escape, this.result.problems);
    if (this.comments.length > 0) {
      instruction.precedingComments = this.comments.slice(); // exactly sized
      this.comments = [];
    }
    if (emptyLines.length > 0) instruction.emptyContinuationLines = emptyLines;
    let endLine = lastContentLine;
    let endChar = ends[lastContentLine] - starts[lastContentLine];
    if (emptyLines.length > 0) {
      this.result.problems.push({
        range: lineRange(emptyLines[0], 0, 0),
        message: `Empty continuation line found in: ${logical}`,
        code: 'NoEmptyContinuation',
        severity: 'warning',
      });
    }
    if (this.mayHaveHeredocs(instruction) && logical.includes('<<')) {
      const found = findHeredocMarkers(logical, 0, logical.length);
      if (found.error) {
        this.problemAt(instruction, found.error.start, found.error.end, found.error.message, 'heredoc-syntax');
      }
      const heredocs: HeredocNode[] = [];
      for (const marker of found.markers) {
        const body = this.readHeredoc(marker, instruction, line);
        heredocs.push(body.node);
        line = body.nextLine;
        endLine = body.endLine;
        endChar = body.endChar;
        if (!body.terminated) break;
      }
      if (heredocs.length > 0) instruction.heredocs = heredocs.slice();
    }
    instruction.setEnd(endLine, endChar);
    instruction.nextLine = line;
    checkInstruction(instruction, this.result.problems);
    // The tree keeps the instruction only; its flags and words are built again when read.
    instruction.dropParts();
    this.result.instructions.push(instruction);
    return line;
  }

  private mayHaveHeredocs(instruction: InstructionNode): boolean {
    const target = instruction.name === 'ONBUILD' && instruction.onbuild ? instruction.onbuild : instruction;
    return heredocInstructions.has(target.name) && target.form !== 'exec';
  }

  private problemAt(instruction: Instruction, start: number, end: number, message: string, code: string): void {
    const range = rangeIn(instruction, start, end);
    this.result.problems.push({ range, message, code, severity: 'error' });
  }

  private readHeredoc(marker: HeredocMarker, instruction: Instruction, fromLine: number) {
    const { starts, ends, count } = this.lines;
    let line = fromLine;
    while (line < count) {
      let s = starts[line];
      const e = ends[line];
      if (marker.chomp) while (s < e && this.text.charCodeAt(s) === 0x09) s++;
      if (e - s === marker.name.length && this.text.startsWith(marker.name, s)) break;
      line++;
    }
    const terminated = line < count;
    const bodyStartOffset = fromLine < count ? starts[fromLine] : this.text.length;
    const bodyEndOffset = terminated ? starts[line] : this.text.length;
    const lastBodyLine = Math.min(Math.max(fromLine, (terminated ? line : count) - 1), count - 1);
    const emptyBody = terminated && line === fromLine;
    const node = new Heredoc(
      marker.name, marker.fileDescriptor, marker.chomp, marker.expand, this.kept(this.text.slice(bodyStartOffset, bodyEndOffset)),
      instruction, marker.start, marker.end,
      fromLine, emptyBody ? -1 : lastBodyLine, ends[lastBodyLine] - starts[lastBodyLine],
      terminated ? line : -1, terminated ? ends[line] - starts[line] : 0,
    );
    if (terminated) return { node, terminated, nextLine: line + 1, endLine: line, endChar: ends[line] - starts[line] };
    this.result.problems.push({ range: node.range, message: 'unterminated heredoc', code: 'unterminated-heredoc', severity: 'error' });
    const last = count - 1;
    return { node, terminated, nextLine: count, endLine: last, endChar: ends[last] - starts[last] };
  }

  private finish(): void {
    checkFileStructure(this.result);
    this.result.problems.sort(byPosition);
  }
}

function lineRange(line: number, from: number, to: number): Range {
  return { start: { line, character: from }, end: { line, character: to } };
}

function byPosition(a: { range: Range }, b: { range: Range }): number {
  return a.range.start.line - b.range.start.line || a.range.start.character - b.range.start.character;
}

function rangeIn(instruction: Instruction, start: number, end: number): Range {
  return instruction.rangeOf(start, end);
}
