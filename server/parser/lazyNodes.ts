// Syntax nodes whose document ranges are computed on first use. A 30,000-line file has
// hundreds of thousands of words; building every Range eagerly costs more than parsing, and an
// editor only ever looks at a few. `toJSON` gives the plain, documented shape.
import { TextMap } from './textSegments';

const none: readonly never[] = Object.freeze([]);

/** A shared, frozen empty list for node fields that are usually empty. */
export function emptyList<T>(): T[] {
  return none as unknown as T[];
}
import type { FlagNode, FlagOptionNode, HeredocNode, InstructionNode, KeyValueNode, KeywordNode, Range, WordNode } from './types';

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
  private cachedRange: Range | undefined = undefined;
  private cachedName: Range | undefined = undefined;
  private cachedValue: Range | undefined = undefined;
  options?: FlagOptionNode[];

  constructor(
    readonly name: string,
    readonly value: string | undefined,
    private readonly source: string,
    private readonly start: number,
    private readonly end: number,
    private readonly nameStart: number,
    private readonly nameEnd: number,
    private readonly valueStart: number,
    private readonly map: TextMap,
  ) {}

  get text(): string {
    return this.source.slice(this.start, this.end);
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
 * An instruction; its range is built on first use. It is also the offset map of its own text
 * (one object less per instruction).
 */
export class Instruction extends TextMap implements InstructionNode {
  // Fields most instructions leave at their default live on the prototype (see below), so that
  // a 30,000-line file does not carry a dozen empty slots per instruction.
  form: 'exec' | 'shell' = 'shell';
  flags: FlagNode[] = emptyList();
  args: WordNode[] = emptyList();
  heredocs: HeredocNode[] = emptyList();
  pairs: KeyValueNode[] = emptyList();
  declare emptyContinuationLines: number[];
  declare precedingComments: string[];
  declare legacyKeyValue?: boolean;
  declare image?: WordNode;
  declare asKeyword?: WordNode;
  declare stageName?: WordNode;
  declare onbuild?: InstructionNode;
  /** The line after everything the parser consumed for this instruction (-1 for nested ones). */
  nextLine = -1;
  private knownEndLine = -1;
  private knownEndCharacter = 0;
  private cached: Range | undefined = undefined;
  private cachedKeyword: KeywordNode | undefined = undefined;

  constructor(
    map: TextMap,
    readonly name: string,
    private readonly keywordText: string,
    readonly text: string,
    private readonly startOffset: number,
    private readonly keywordEnd: number,
    private readonly endOffset: number,
  ) {
    super(map.firstLine, map.firstCharacter, map.textLength, map.givenSegments ?? (map instanceof Instruction ? map.segments : undefined));
  }

  get keyword(): KeywordNode {
    return (this.cachedKeyword ??= new Keyword(this.keywordText, this.name, this.startOffset, this.keywordEnd, this));
  }

  get range(): Range {
    if (this.cached) return this.cached;
    const r = this.rangeOf(this.startOffset, this.endOffset);
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
    this.cached = undefined;
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

for (const field of ['emptyContinuationLines', 'precedingComments'] as const) {
  Object.defineProperty(Instruction.prototype, field, { value: emptyList(), writable: true, enumerable: false, configurable: true });
}

