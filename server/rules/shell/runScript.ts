// The shell script a shell-form RUN executes, exactly as BuildKit hands it to the shell (the
// logical line with continuations joined, or the heredoc body, or the command line followed by
// its heredocs), with a map from script offsets back to Dockerfile positions.
import type { InstructionNode, Position, Range } from '../../parser/types';
import { lineAt } from '../../parser/sourceLines';
import { movedRange, positionAtOffset } from '../../parser/textSegments';
import { baseName } from './invocation';
import { parseShellCommands, type ParsedShell } from '../../parser/shell/shellCommands';

/** Shells shellcheck knows; undefined for anything else (PowerShell, cmd, zsh, fish, ...). */
export type ShellDialect = 'sh' | 'bash' | 'dash' | 'ksh';

interface Piece {
  start: number;
  end: number;
  /** Logical-line text mapped through the instruction's segments from `base`. */
  segmentsBase?: number;
  /** Whole lines starting at document line `line`; `lineStarts` are offsets (relative to start). */
  line?: number;
  lineStarts?: number[];
}

export interface RunScript {
  instructionIndex: number;
  /** What the shell runs. */
  text: string;
  dialect: ShellDialect;
  /** Regions of `text` holding shell code (heredocs fed to non-shell programs are data). */
  codeRegions: { start: number; end: number }[];
  /** Where a command can be appended so it runs last in the same RUN. */
  append?: { position: Position; prefix: string; suffix: string };
  positionAt(offset: number, bias?: 'start' | 'end'): Position;
  /** Document range of `[start, end)` of `text`. */
  rangeAt(start: number, end: number): Range;
  /** The shell commands of the code regions (parsed once). */
  parsed(): ParsedShell;
}

const SHELLS: Record<string, ShellDialect | undefined> = { sh: 'sh', bash: 'bash', dash: 'dash', ksh: 'ksh', ash: 'sh', mksh: 'ksh', busybox: 'sh' };

/** The dialect of a shell argv (`["/bin/bash", "-o", "pipefail", "-c"]` -> bash). */
export function dialectOfShell(argv: readonly string[]): ShellDialect | undefined {
  if (argv.length === 0) return 'sh';
  return SHELLS[baseName(argv[0])];
}

function dialectOfShebang(line: string): ShellDialect | undefined | 'none' {
  const m = /^#!\s*(\S+)(?:\s+(\S+))?/.exec(line);
  if (!m) return 'none';
  const program = baseName(m[1]) === 'env' && m[2] ? m[2] : baseName(m[1]);
  return SHELLS[program];
}

function lineStartsOf(text: string): number[] {
  const starts = [0];
  for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) starts.push(i + 1);
  return starts;
}

class ScriptBuilder {
  text = '';
  readonly pieces: Piece[] = [];

  addSegments(instruction: InstructionNode, from: number, to: number): { start: number; end: number } {
    const start = this.text.length;
    this.text += instruction.text.slice(from, to);
    this.pieces.push({ start, end: this.text.length, segmentsBase: from });
    return { start, end: this.text.length };
  }

  addLines(content: string, line: number): { start: number; end: number } {
    const start = this.text.length;
    this.text += content;
    this.pieces.push({ start, end: this.text.length, line, lineStarts: lineStartsOf(content) });
    return { start, end: this.text.length };
  }

  addGlue(text: string): void {
    this.text += text;
  }

  mapper(instruction: InstructionNode): (offset: number, bias?: 'start' | 'end') => Position {
    const pieces = this.pieces;
    return (offset, bias = 'start') => {
      let piece = pieces[0];
      for (const p of pieces) {
        if (p.start < offset || (p.start === offset && bias === 'start')) piece = p;
        else break;
      }
      if (!piece) return instruction.range.start;
      const rel = Math.min(offset, piece.end) - piece.start;
      if (piece.segmentsBase !== undefined) return positionAtOffset(instruction.segments, piece.segmentsBase + rel, bias);
      const starts = piece.lineStarts ?? [0];
      const lo = lineAt(starts, rel);
      return { line: (piece.line ?? 0) + lo, character: rel - starts[lo] };
    };
  }
}

// Parsed scripts by text: offsets are relative to the script, so an edit elsewhere in a large
// Dockerfile reuses every other RUN's parse.
const parseCache = new Map<string, ParsedShell>();
const PARSE_CACHE_LIMIT = 50000;

function parseCached(text: string, regions: readonly { start: number; end: number }[]): ParsedShell {
  const key = regions.length === 1 && regions[0].start === 0 && regions[0].end === text.length ? text : `${regions.map((r) => `${r.start}-${r.end}`).join(',')}\u0000${text}`;
  const hit = parseCache.get(key);
  if (hit) return hit;
  const all: ParsedShell = { commands: [], endsInComment: false };
  for (const r of regions) {
    const p = parseShellCommands(text, r.start, r.end);
    all.commands.push(...p.commands);
    all.endsInComment = p.endsInComment;
  }
  if (parseCache.size >= PARSE_CACHE_LIMIT) parseCache.delete(parseCache.keys().next().value as string);
  parseCache.set(key, all);
  return all;
}

/** The script of a shell-form RUN; undefined for exec form or a non-POSIX shell. */
export function runScriptOf(instruction: InstructionNode, instructionIndex: number, shell: readonly string[]): RunScript | undefined {
  if (instruction.name !== 'RUN' || instruction.form !== 'shell' || instruction.args.length === 0) return undefined;
  let dialect = dialectOfShell(shell);
  if (!dialect) return undefined;
  const arg = instruction.args[0];
  const builder = new ScriptBuilder();
  const codeRegions: { start: number; end: number }[] = [];
  let heredocAppend: RunScript['append'];
  const heredocs = instruction.heredocs;
  const onlyMarker = heredocs.length === 1 && /^\d*<<-?\s*["']?[^\s"']+["']?$/.test(arg.value.trim());
  if (heredocs.length === 0) {
    codeRegions.push(builder.addSegments(instruction, arg.start, arg.end));
  } else if (onlyMarker) {
    const doc = heredocs[0];
    const firstLine = doc.content.split('\n', 1)[0];
    if (firstLine.startsWith('#!')) {
      const fromShebang = dialectOfShebang(firstLine);
      if (fromShebang === undefined || fromShebang === 'none') return undefined;
      dialect = fromShebang;
    }
    codeRegions.push(builder.addLines(doc.content, doc.bodyRange.start.line));
    if (doc.terminatorRange) heredocAppend = { position: doc.terminatorRange.start, prefix: '', suffix: '\n' };
  } else {
    const line = builder.addSegments(instruction, arg.start, arg.end);
    codeRegions.push(line);
    const leading = parseShellCommands(builder.text, line.start, line.end).commands[0];
    const readsScript = leading !== undefined && leading.words.length > 0 && dialectOfShell([leading.words[0].value]) !== undefined
      && !leading.words.some((w) => w.value === '-c');
    for (const doc of heredocs) {
      builder.addGlue('\n');
      const body = builder.addLines(doc.content, doc.bodyRange.start.line);
      if (readsScript && doc === heredocs[0]) codeRegions.push(body);
      if (doc.terminatorRange) builder.addLines(doc.name, doc.terminatorRange.start.line);
      else builder.addGlue(doc.name);
    }
  }
  const positionAt = builder.mapper(instruction);
  const text = builder.text;
  let parsed: ParsedShell | undefined;
  let append: RunScript['append'] | null = heredocs.length === 0 ? null : heredocAppend;
  const script: RunScript = {
    instructionIndex,
    text,
    dialect,
    codeRegions,
    /** Computed when a fix asks for it: where ` && cmd` can go (not after a comment or an operator). */
    get append() {
      if (append === null) {
        append = undefined;
        const trimmed = text.replace(/\s+$/, '');
        if (!script.parsed().endsInComment && trimmed.length > 0 && !/(?:&&|\|\||[;&|\\])$/.test(trimmed)) {
          append = { position: positionAt(trimmed.length, 'end'), prefix: ' && ', suffix: '' };
        }
      }
      return append;
    },
    positionAt,
    rangeAt(start, end) {
      const from = positionAt(start, 'start');
      return { start: from, end: end <= start ? from : positionAt(end, 'end') };
    },
    parsed() {
      return (parsed ??= parseCached(text, codeRegions));
    },
  };
  return script;
}

/**
 * A script for the same RUN `lines` lines further down (lines inserted or removed above it) and at
 * `instructionIndex`: the text and parse of `made`, positions moved. The RUN must be the same text
 * at the same columns (a stage whose text is unchanged, moved whole).
 */
class MovedRunScript implements RunScript {
  readonly text: string;
  readonly dialect: ShellDialect;
  readonly codeRegions: { start: number; end: number }[];

  constructor(readonly made: RunScript, readonly lines: number, readonly instructionIndex: number) {
    this.text = made.text;
    this.dialect = made.dialect;
    this.codeRegions = made.codeRegions;
  }

  get append(): RunScript['append'] {
    const append = this.made.append;
    return append && { ...append, position: this.move(append.position) };
  }

  positionAt(offset: number, bias?: 'start' | 'end'): Position {
    return this.move(this.made.positionAt(offset, bias));
  }

  rangeAt(start: number, end: number): Range {
    return movedRange(this.made.rangeAt(start, end), this.lines);
  }

  parsed(): ParsedShell {
    return this.made.parsed();
  }

  private move(p: Position): Position {
    return { line: p.line + this.lines, character: p.character };
  }
}

/** The script `script` was moved from (itself when not moved): what its shellcheck request was kept for. */
export function madeRunScript(script: RunScript): RunScript {
  return script instanceof MovedRunScript ? script.made : script;
}

/**
 * `script` for the same RUN `lines` lines further down and at `instructionIndex` (see
 * MovedRunScript). Moving a moved script again refers to the script first made, so positions never
 * go through a chain of moves.
 */
export function movedRunScript(script: RunScript, lines: number, instructionIndex: number): RunScript {
  return script instanceof MovedRunScript ? new MovedRunScript(script.made, script.lines + lines, instructionIndex) : new MovedRunScript(script, lines, instructionIndex);
}
