// Syntax nodes whose document ranges are computed on first use. A 30,000-line file has
// hundreds of thousands of words; building every Range eagerly costs more than parsing, and an
// editor only ever looks at a few. `toJSON` gives the plain, documented shape.
import { isAsciiBlank, trimGoSpaceEnd } from './shell/goSpace';
import { TextMap, movedRange } from './textSegments';
import type { MapOrigin } from './textSegments';

const none: readonly never[] = Object.freeze([]);

/** A shared, frozen empty list for node fields that are usually empty. */
export function emptyList<T>(): T[] {
  return none as unknown as T[];
}
import type { CommentNode, FlagNode, FlagOptionNode, HeredocNode, InstructionNode, KeyValueNode, KeywordNode, Range, WordNode } from './types';

export class Word implements WordNode {
  private cached: Range | undefined = undefined;

  constructor(readonly value: string, readonly start: number, readonly end: number, private readonly map: TextMap) {}

  get range(): Range {
    return (this.cached ??= this.map.rangeOf(this.start, this.end));
  }

  toJSON(): WordNode {
    return { value: this.value, range: this.range, start: this.start, end: this.end };
  }
}

/** A comment line; its range is built on first use. */
export class Comment implements CommentNode {
  declare private cached: Range | undefined;

  constructor(readonly text: string, readonly line: number, private readonly from: number, private readonly to: number) {}

  get range(): Range {
    return (this.cached ??= { start: { line: this.line, character: this.from }, end: { line: this.line, character: this.to } });
  }

  /** This comment `delta` lines further down (lines inserted or removed above it). */
  movedBy(delta: number): Comment {
    return new Comment(this.text, this.line + delta, this.from, this.to);
  }

  toJSON(): CommentNode {
    return { text: this.text, range: this.range };
  }
}
Object.defineProperty(Comment.prototype, 'cached', { value: undefined, writable: true, enumerable: false, configurable: true });

export class Keyword implements KeywordNode {
  private cached: Range | undefined = undefined;

  constructor(readonly text: string, readonly name: string, private readonly start: number, private readonly end: number, private readonly map: TextMap) {}

  get range(): Range {
    return (this.cached ??= this.map.rangeOf(this.start, this.end));
  }

  toJSON(): KeywordNode {
    return { text: this.text, name: this.name, range: this.range };
  }
}

export class Flag implements FlagNode {
  // Caches and `options` live on the prototype until set (see below): most flags never need them.
  declare private cachedRange: Range | undefined;
  declare private cachedName: Range | undefined;
  declare private cachedValue: Range | undefined;
  declare options?: FlagOptionNode[];

  constructor(
    readonly name: string,
    readonly value: string | undefined,
    private readonly start: number,
    private readonly end: number,
    private readonly nameStart: number,
    private readonly nameEnd: number,
    private readonly valueStart: number,
    private readonly map: TextMap,
  ) {}

  get text(): string {
    return this.map.text.slice(this.start, this.end);
  }

  get range(): Range {
    return (this.cachedRange ??= this.map.rangeOf(this.start, this.end));
  }

  get nameRange(): Range {
    return (this.cachedName ??= this.map.rangeOf(this.nameStart, this.nameEnd));
  }

  get valueRange(): Range | undefined {
    if (this.value === undefined) return undefined;
    return (this.cachedValue ??= this.map.rangeOf(this.valueStart, this.end));
  }

  toJSON(): FlagNode {
    const out: FlagNode = { name: this.name, value: this.value, text: this.text, range: this.range, nameRange: this.nameRange };
    if (this.value !== undefined) out.valueRange = this.valueRange;
    if (this.options) out.options = this.options;
    return out;
  }
}

for (const field of ['cachedRange', 'cachedName', 'cachedValue', 'options']) {
  Object.defineProperty(Flag.prototype, field, { value: undefined, writable: true, enumerable: false, configurable: true });
}

export class FlagOption implements FlagOptionNode {
  private cachedRange: Range | undefined = undefined;
  private cachedKey: Range | undefined = undefined;
  private cachedValue: Range | undefined = undefined;

  constructor(
    readonly key: string,
    readonly value: string | undefined,
    private readonly start: number,
    private readonly end: number,
    private readonly keyEnd: number,
    private readonly valueStart: number,
    private readonly map: TextMap,
  ) {}

  get range(): Range {
    return (this.cachedRange ??= this.map.rangeOf(this.start, this.end));
  }

  get keyRange(): Range {
    return (this.cachedKey ??= this.map.rangeOf(this.start, this.keyEnd));
  }

  get valueRange(): Range | undefined {
    if (this.valueStart < 0) return undefined;
    return (this.cachedValue ??= this.map.rangeOf(this.valueStart, this.end));
  }

  toJSON(): FlagOptionNode {
    const out: FlagOptionNode = { key: this.key, value: this.value, range: this.range, keyRange: this.keyRange };
    if (this.valueStart >= 0) out.valueRange = this.valueRange;
    return out;
  }
}

export class KeyValue implements KeyValueNode {
  private cached: Range | undefined = undefined;

  constructor(readonly key: WordNode, readonly value: WordNode | undefined, readonly hasEquals: boolean) {}

  get range(): Range {
    return (this.cached ??= { start: this.key.range.start, end: (this.value ?? this.key).range.end });
  }

  toJSON(): KeyValueNode {
    const out: KeyValueNode = { key: this.key, range: this.range, hasEquals: this.hasEquals };
    if (this.value) out.value = this.value;
    return out;
  }
}

/**
 * A here-document; its ranges are built on first use. `bodyEndLine` < 0 marks an empty body
 * (an empty range at the terminator's start); `terminatorLine` < 0 an unterminated heredoc.
 */
export class Heredoc implements HeredocNode {
  declare private cachedRange: Range | undefined;

  constructor(
    readonly name: string,
    readonly fileDescriptor: number,
    readonly chomp: boolean,
    readonly expand: boolean,
    readonly content: string,
    private readonly map: TextMap,
    private readonly markerStart: number,
    private readonly markerEnd: number,
    private readonly bodyStartLine: number,
    private readonly bodyEndLine: number,
    private readonly bodyEndCharacter: number,
    private readonly terminatorLine: number,
    private readonly terminatorEnd: number,
  ) {}

  get range(): Range {
    return (this.cachedRange ??= this.map.rangeOf(this.markerStart, this.markerEnd));
  }

  /** This heredoc `delta` lines further down, its marker mapped by `map` (its instruction, moved alike). */
  movedBy(map: TextMap, delta: number): Heredoc {
    return new Heredoc(
      this.name, this.fileDescriptor, this.chomp, this.expand, this.content, map, this.markerStart, this.markerEnd,
      this.bodyStartLine + delta, this.bodyEndLine < 0 ? -1 : this.bodyEndLine + delta, this.bodyEndCharacter,
      this.terminatorLine < 0 ? -1 : this.terminatorLine + delta, this.terminatorEnd,
    );
  }

  get bodyRange(): Range {
    if (this.bodyEndLine < 0) return lineRange(this.terminatorLine, 0, 0);
    return { start: { line: this.bodyStartLine, character: 0 }, end: { line: this.bodyEndLine, character: this.bodyEndCharacter } };
  }

  get terminatorRange(): Range | undefined {
    return this.terminatorLine < 0 ? undefined : lineRange(this.terminatorLine, 0, this.terminatorEnd);
  }

  toJSON(): HeredocNode {
    const out: HeredocNode = {
      name: this.name, fileDescriptor: this.fileDescriptor, chomp: this.chomp, expand: this.expand, content: this.content,
      range: this.range, bodyRange: this.bodyRange,
    };
    if (this.terminatorLine >= 0) out.terminatorRange = this.terminatorRange;
    return out;
  }
}
Object.defineProperty(Heredoc.prototype, 'cachedRange', { value: undefined, writable: true, enumerable: false, configurable: true });

function lineRange(line: number, from: number, to: number): Range {
  return { start: { line, character: from }, end: { line, character: to } };
}

/**
 * What an instruction's argument text parses into: flags, BuildKit's argument nodes and the typed
 * conveniences over them. Built while parsing (for the checks), then dropped, and built again from
 * the instruction's text on first read: a 30,000-line file keeps one object per instruction
 * instead of a dozen, which is most of what parsing cost (garbage collection of the tree).
 */
export class InstructionParts {
  flags: FlagNode[] = emptyList();
  args: WordNode[] = emptyList();
  pairs: KeyValueNode[] = emptyList();
  legacyKeyValue?: boolean = undefined;
  image?: WordNode = undefined;
  asKeyword?: WordNode = undefined;
  stageName?: WordNode = undefined;
  onbuild?: InstructionNode = undefined;

  /** Back to no parts (for a scratch set reused by the first parse). */
  clear(): this {
    this.flags = emptyList();
    this.args = emptyList();
    this.pairs = emptyList();
    this.legacyKeyValue = undefined;
    this.image = undefined;
    this.asKeyword = undefined;
    this.stageName = undefined;
    this.onbuild = undefined;
    return this;
  }
}

/** Re-parses an instruction's parts from its text (set by parseInstruction, which owns the parsing). */
let buildParts: (instruction: Instruction) => void = () => undefined;

export function setPartsBuilder(build: (instruction: Instruction) => void): void {
  buildParts = build;
}

/**
 * An instruction; its range is built on first use. It is also the offset map of its own text
 * (one object less per instruction). `flags`, `args`, `pairs`, `image`, `onbuild`... are built
 * on first read (see InstructionParts).
 */
export class Instruction extends TextMap implements InstructionNode {
  // Fields most instructions leave at their default live on the prototype (see below), so that
  // a 30,000-line file does not carry a dozen empty slots per instruction.
  declare form: 'exec' | 'shell';
  declare heredocs: HeredocNode[];
  declare emptyContinuationLines: number[];
  declare precedingComments: string[];
  /** The escape character the instruction was parsed with (re-parsing needs it). */
  declare readonly escape: number;
  /** ONBUILD nesting depth (0 at top level). */
  declare readonly depth: number;
  declare private startOffset: number;
  declare private ownSpanEnd: number;
  declare private cached: Range | undefined;
  /** A moved instruction's range before the move, and by how many lines it moved: `range` moves it on first read. */
  declare private rangeBefore: Range | undefined;
  declare private rangeShift: number;
  declare private cachedKeyword: KeywordNode | undefined;
  /** The parts, while built (see InstructionParts). */
  private cachedParts: InstructionParts | undefined = undefined;
  /** The line after everything the parser consumed for this instruction (-1 for nested ones). */
  nextLine = -1;
  private knownEndLine = -1;
  private knownEndCharacter = 0;

  constructor(
    origin: MapOrigin,
    readonly name: string,
    text: string,
    escape: number,
    /** Only for an instruction that is not all of `text` (ONBUILD's trigger). */
    span?: { start: number; end: number; depth: number },
  ) {
    super(origin.firstLine, origin.firstCharacter, text, origin.packed, origin.packedAt, origin.lineShift);
    if (escape !== 0x5c) (this as { escape: number }).escape = escape;
    if (span) {
      this.startOffset = span.start;
      this.ownSpanEnd = span.end;
      (this as { depth: number }).depth = span.depth;
    }
  }

  /** Where the parsed span ends in `text` (its length unless nested in ONBUILD). */
  get spanEnd(): number {
    return this.ownSpanEnd >= 0 ? this.ownSpanEnd : this.text.length;
  }

  /** Where the instruction starts in `text` (0 unless nested in ONBUILD). */
  get spanStart(): number {
    return this.startOffset;
  }

  /** The parts, built now when they are not. */
  get parts(): InstructionParts {
    if (!this.cachedParts) {
      this.cachedParts = new InstructionParts();
      buildParts(this);
    }
    return this.cachedParts;
  }

  /** Starts an empty set of parts (the parser fills it): `scratch`, emptied, when given. */
  startParts(scratch?: InstructionParts): InstructionParts {
    return (this.cachedParts = scratch ? scratch.clear() : new InstructionParts());
  }

  /** Drops the parts; the next read builds them again from the text. */
  dropParts(): void {
    this.cachedParts = undefined;
  }

  get flags(): FlagNode[] { return this.parts.flags; }
  set flags(v: FlagNode[]) { this.parts.flags = v; }
  get args(): WordNode[] { return this.parts.args; }
  set args(v: WordNode[]) { this.parts.args = v; }
  get pairs(): KeyValueNode[] { return this.parts.pairs; }
  set pairs(v: KeyValueNode[]) { this.parts.pairs = v; }
  get legacyKeyValue(): boolean | undefined { return this.parts.legacyKeyValue; }
  set legacyKeyValue(v: boolean | undefined) { this.parts.legacyKeyValue = v; }
  get image(): WordNode | undefined { return this.parts.image; }
  set image(v: WordNode | undefined) { this.parts.image = v; }
  get asKeyword(): WordNode | undefined { return this.parts.asKeyword; }
  set asKeyword(v: WordNode | undefined) { this.parts.asKeyword = v; }
  get stageName(): WordNode | undefined { return this.parts.stageName; }
  set stageName(v: WordNode | undefined) { this.parts.stageName = v; }
  get onbuild(): InstructionNode | undefined { return this.parts.onbuild; }
  set onbuild(v: InstructionNode | undefined) { this.parts.onbuild = v; }

  get keyword(): KeywordNode {
    if (this.cachedKeyword) return this.cachedKeyword;
    // As splitCommand cuts it: up to the first blank, within the span trimmed of Go spaces.
    const to = trimGoSpaceEnd(this.text, this.startOffset, this.spanEnd);
    let end = this.startOffset;
    while (end < to && !isAsciiBlank(this.text.charCodeAt(end))) end++;
    return (this.cachedKeyword = new Keyword(this.text.slice(this.startOffset, end), this.name, this.startOffset, end, this));
  }

  get range(): Range {
    if (this.cached) return this.cached;
    if (this.rangeBefore) {
      this.cached = movedRange(this.rangeBefore, this.rangeShift);
      this.rangeBefore = undefined;
      return this.cached;
    }
    // The span trimmed of Go spaces (where splitCommand's arguments end).
    const r = this.rangeOf(this.startOffset, trimGoSpaceEnd(this.text, this.startOffset, this.spanEnd));
    if (this.knownEndLine >= 0) r.end = { line: this.knownEndLine, character: this.knownEndCharacter };
    return (this.cached = r);
  }

  get line(): number {
    return this.startOffset === 0 ? this.firstLine : this.range.start.line;
  }

  get character(): number {
    return this.startOffset === 0 ? this.firstCharacter : this.range.start.character;
  }

  get endLine(): number {
    return this.knownEndLine >= 0 ? this.knownEndLine : this.range.end.line;
  }

  get endCharacter(): number {
    return this.knownEndLine >= 0 ? this.knownEndCharacter : this.range.end.character;
  }

  /** Where the instruction ends in the document (its last line, heredoc terminators included). */
  setEnd(line: number, character: number): void {
    this.knownEndLine = line;
    this.knownEndCharacter = character;
    if (this.cached) this.cached = undefined;
    if (this.rangeBefore) this.rangeBefore = undefined;
  }

  /**
   * This top-level instruction `delta` lines further down (lines inserted or removed above it):
   * the same text and layout; its parts are built again when read. Undefined for a nested one.
   */
  movedBy(delta: number): Instruction | undefined {
    if (this.depth !== 0 || this.startOffset !== 0 || this.ownSpanEnd >= 0) return undefined;
    // The packed segments are shared, not copied: the moved map adds the lines it moved by.
    const origin: MapOrigin = {
      firstLine: this.firstLine + delta, firstCharacter: this.firstCharacter,
      packed: this.packed, packedAt: this.packedAt, lineShift: this.lineShift + delta,
    };
    const out = new Instruction(origin, this.name, this.text, this.escape);
    if (this.form !== 'shell') out.form = this.form;
    if (this.precedingComments.length > 0) out.precedingComments = this.precedingComments;
    if (this.emptyContinuationLines.length > 0) out.emptyContinuationLines = this.emptyContinuationLines.map((line) => line + delta);
    if (this.heredocs.length > 0) {
      const heredocs: HeredocNode[] = [];
      for (const h of this.heredocs) {
        if (!(h instanceof Heredoc)) return undefined;
        heredocs.push(h.movedBy(out, delta));
      }
      out.heredocs = heredocs;
    }
    if (this.knownEndLine >= 0) out.setEnd(this.knownEndLine + delta, this.knownEndCharacter);
    // The range this one has built (or was moved from), moved on first read: the planner reads
    // every moved instruction's range, but a request right after the edit should not wait for it.
    const before = this.cached ?? this.rangeBefore;
    if (before) {
      out.rangeBefore = before;
      out.rangeShift = (this.cached ? 0 : this.rangeShift) + delta;
    }
    out.nextLine = this.nextLine < 0 ? -1 : this.nextLine + delta;
    return out;
  }

  toJSON(): InstructionNode {
    const out: InstructionNode = {
      name: this.name, keyword: this.keyword, range: this.range, text: this.text, flags: this.flags, args: this.args, form: this.form,
      heredocs: this.heredocs, pairs: this.pairs, emptyContinuationLines: this.emptyContinuationLines, precedingComments: this.precedingComments,
      segments: this.segments, line: this.line, character: this.character, endLine: this.endLine, endCharacter: this.endCharacter,
    };
    if (this.legacyKeyValue !== undefined) out.legacyKeyValue = this.legacyKeyValue;
    if (this.image) out.image = this.image;
    if (this.asKeyword) out.asKeyword = this.asKeyword;
    if (this.stageName) out.stageName = this.stageName;
    if (this.onbuild) out.onbuild = this.onbuild;
    return out;
  }
}

const instructionDefaults: Record<string, unknown> = {
  emptyContinuationLines: emptyList(), precedingComments: emptyList(), heredocs: emptyList(), form: 'shell',
  escape: 0x5c, depth: 0, startOffset: 0, ownSpanEnd: -1, cached: undefined, rangeBefore: undefined, rangeShift: 0, cachedKeyword: undefined,
};
for (const [field, value] of Object.entries(instructionDefaults)) {
  Object.defineProperty(Instruction.prototype, field, { value, writable: true, enumerable: false, configurable: true });
}

