// Expanding instruction words with the variables in scope, recording every variable use with
// its document range and resolved value.
import { processWord } from '../parser/shell/lexer';
import type { LexOptions } from '../parser/shell/lexer';
import { rangeInInstruction } from '../parser/textSegments';
import type { InstructionNode, Range, WordNode } from '../parser/types';
import type { PlanProblem, VariableUse } from './types';

export type VariableSource = NonNullable<VariableUse['source']>;

export interface Scope {
  lookup(name: string): string | undefined;
  sourceOf(name: string): VariableSource | undefined;
}

/** The options of a plain expansion; compared by identity. */
const noOptions: LexOptions = Object.freeze({});

export class WordExpander {
  readonly uses: VariableUse[] = [];
  readonly problems: PlanProblem[] = [];

  private defaultLexOptions: LexOptions | undefined;

  constructor(private readonly instruction: InstructionNode, private readonly escapeChar: string) {}

  /** Expands a word of the instruction (quotes removed, variables substituted). */
  word(word: WordNode, scope: Scope, options: LexOptions = noOptions): string {
    return this.text(word.value, scope, word, options).result;
  }

  /** Expands and splits into words (EXPOSE). */
  words(word: WordNode, scope: Scope): string[] {
    const expanded = this.text(word.value, scope, word, noOptions);
    return expanded.words ?? (word.value === '' ? [] : splitSimple(word.value));
  }

  /** Records the variables a shell-form RUN command will read (nothing is substituted). */
  shellUses(word: WordNode, scope: Scope): void {
    if (!word.value.includes('$')) return;
    const before = this.uses.length;
    const problems = this.problems.length;
    this.text(word.value, scope, word, { rawQuotes: true, rawEscapes: true, skipUnsetEnv: true });
    for (let i = before; i < this.uses.length; i++) this.uses[i].expandedBy = 'shell';
    this.problems.length = problems; // the shell, not BuildKit, parses the command
  }

  /** Expands a flag or option value located at `range` (variable uses get that range). */
  value(value: string, range: Range | (() => Range), scope: Scope, options: LexOptions = noOptions): string {
    return this.text(value, scope, range, options).result;
  }

  /** `words` is left out when the value needs no lexing (the caller splits it if it wants words). */
  private text(value: string, scope: Scope, where: WordNode | Range | (() => Range), options: LexOptions): { result: string; words?: string[] } {
    const escape = options.escapeChar ?? this.escapeChar;
    if (!needsLexer(value, escape, options)) return { result: value };
    const lexOptions = options === noOptions ? (this.defaultLexOptions ??= { escapeChar: escape }) : { ...options, escapeChar: escape };
    const lexed = processWord(value, (name) => scope.lookup(name), lexOptions);
    const word = isWord(where) ? where : undefined;
    // the word's own range only when something points at the whole word (not built otherwise)
    const fallback = (): Range => (word ? word.range : typeof where === 'function' ? where() : (where as Range));
    const exact = word !== undefined && word.end - word.start === value.length;
    for (const ref of lexed.references) {
      const range = exact && word ? rangeInInstruction(this.instruction, word.start + ref.start, word.start + ref.end) : fallback();
      const set = ref.set;
      this.uses.push({ name: ref.name, range, modifier: ref.modifier, set, value: set ? scope.lookup(ref.name) : undefined, source: set ? scope.sourceOf(ref.name) : undefined, expandedBy: 'builder' });
    }
    if (lexed.error !== undefined) {
      this.problems.push({ range: fallback(), message: lexed.error, code: 'expansion-error', severity: 'error' });
      return { result: value, words: [value] };
    }
    return { result: lexed.result, words: lexed.words };
  }
}

function isWord(where: WordNode | Range | (() => Range)): where is WordNode {
  return typeof where !== 'function' && typeof (where as WordNode).value === 'string';
}

function needsLexer(value: string, escape: string, options: LexOptions): boolean {
  if (value.includes('$') || value.includes(escape)) return true;
  if (!options.skipProcessQuotes && (value.includes('"') || value.includes("'"))) return true;
  return false;
}

function splitSimple(value: string): string[] {
  return value.split(/[\t\n\v\f\r \u0085\u00a0]+/).filter((w) => w !== '');
}
