// BuildKit's shell word processing (frontend/dockerfile/shell): quote removal, escapes and
// variable expansion ($VAR, ${VAR}, ${VAR:-x}, ${VAR+x}, ${VAR#p}, ${VAR%p}, ${VAR/p/r}, ...),
// plus word splitting after expansion. Never throws: errors come back in the result.
import { isGoSpace } from './goSpace';
import { PatternError, replacePattern, trimPrefixPattern, trimSuffixPattern } from './shellPattern';

export interface LexOptions {
  /** The Dockerfile escape character (`\` or `` ` ``). */
  escapeChar?: string;
  /** Keep quote characters in the result. */
  rawQuotes?: boolean;
  /** Keep escape characters in the result. */
  rawEscapes?: boolean;
  /** Leave references to unset variables as written. */
  skipUnsetEnv?: boolean;
  /** Treat quotes as ordinary characters. */
  skipProcessQuotes?: boolean;
}

/** Looks a variable up; undefined when it is not set. */
export type EnvLookup = (name: string) => string | undefined;

/** One `$NAME` / `${NAME...}` in the processed text (offsets into the input). */
export interface VariableReference {
  name: string;
  /** Offset of `$`. */
  start: number;
  /** Offset just after the reference (after `}` for the braced form). */
  end: number;
  nameStart: number;
  nameEnd: number;
  /** The operator of `${NAME<op>word}` (`:-`, `-`, `:+`, `+`, `:?`, `?`, `#`, `##`, `%`, `%%`, `/`, `//`). */
  modifier?: string;
  /** Whether the variable was set when expanded. */
  set: boolean;
}

export interface LexResult {
  /** The processed text (ProcessWord). */
  result: string;
  /** The processed text split into words (ProcessWords). */
  words: string[];
  matched: Set<string>;
  unmatched: Set<string>;
  references: VariableReference[];
  /** Set when BuildKit would fail to process the word; `result`/`words` are then empty. */
  error?: string;
  /** Offset the error refers to. */
  errorOffset?: number;
}

const EOF = '';

class LexError extends Error {
  constructor(message: string, readonly offset: number) {
    super(message);
  }
}

class WordCollector {
  word = '';
  words: string[] = [];
  inWord = false;

  addChar(ch: string): void {
    if (isGoSpace(ch.charCodeAt(0))) {
      if (this.inWord && this.word.length !== 0) {
        this.words.push(this.word);
        this.word = '';
        this.inWord = false;
      }
    } else {
      this.addRaw(ch);
    }
  }

  addRaw(text: string): void {
    this.word += text;
    this.inWord = true;
  }

  addString(text: string): void {
    for (const ch of text) this.addChar(ch);
  }

  finish(): string[] {
    if (this.word.length > 0) {
      this.words.push(this.word);
      this.word = '';
      this.inWord = false;
    }
    return this.words;
  }
}

class Lexer {
  pos = 0;
  readonly escape: string;
  rawEscapes: boolean;
  readonly matched = new Set<string>();
  readonly unmatched = new Set<string>();
  readonly references: VariableReference[] = [];

  constructor(readonly src: string, readonly env: EnvLookup, readonly opts: LexOptions) {
    this.escape = opts.escapeChar ?? '\\';
    this.rawEscapes = opts.rawEscapes ?? false;
  }

  peek(): string {
    return this.pos < this.src.length ? this.src[this.pos] : EOF;
  }

  next(): string {
    return this.pos < this.src.length ? this.src[this.pos++] : EOF;
  }

  lookup(name: string): string | undefined {
    const value = this.env(name);
    if (value === undefined) this.unmatched.add(name);
    else this.matched.add(name);
    return value;
  }

  processStopOn(stop: string, rawEscapes: boolean): { text: string; words: string[] } {
    let text = '';
    const words = new WordCollector();
    const saved = this.rawEscapes;
    this.rawEscapes = rawEscapes;
    try {
      while (this.peek() !== EOF) {
        const ch = this.peek();
        if (stop !== EOF && ch === stop) {
          this.next();
          return { text, words: words.finish() };
        }
        if (ch === '$') {
          const value = this.processDollar();
          text += value;
          words.addString(value);
        } else if (!this.opts.skipProcessQuotes && (ch === "'" || ch === '"')) {
          const value = ch === "'" ? this.processSingleQuote() : this.processDoubleQuote();
          text += value;
          words.addRaw(value);
        } else {
          let c = this.next();
          if (c === this.escape) {
            if (this.rawEscapes) {
              words.addRaw(c);
              text += c;
            }
            c = this.next();
            if (c === EOF) break;
            words.addRaw(c);
          } else {
            words.addChar(c);
          }
          text += c;
        }
      }
      if (stop !== EOF) throw new LexError(`unexpected end of statement while looking for matching ${stop}`, this.pos);
      return { text, words: words.finish() };
    } finally {
      this.rawEscapes = saved;
    }
  }

  processSingleQuote(): string {
    const start = this.pos;
    let out = '';
    const open = this.next();
    if (this.opts.rawQuotes) out += open;
    for (;;) {
      const ch = this.next();
      if (ch === EOF) throw new LexError('unexpected end of statement while looking for matching single-quote', start);
      if (ch === "'") {
        if (this.opts.rawQuotes) out += ch;
        return out;
      }
      out += ch;
    }
  }

  processDoubleQuote(): string {
    const start = this.pos;
    let out = '';
    const open = this.next();
    if (this.opts.rawQuotes) out += open;
    for (;;) {
      const ch = this.peek();
      if (ch === EOF) throw new LexError('unexpected end of statement while looking for matching double-quote', start);
      if (ch === '"') {
        this.next();
        if (this.opts.rawQuotes) out += ch;
        return out;
      }
      if (ch === '$') {
        out += this.processDollar();
        continue;
      }
      let c = this.next();
      if (c === this.escape) {
        if (this.rawEscapes) out += c;
        const after = this.peek();
        if (after === EOF) continue;
        if (after === '"' || after === '$' || after === this.escape) c = this.next();
      }
      out += c;
    }
  }

  processDollar(): string {
    const start = this.pos;
    this.next(); // $
    if (this.peek() !== '{') {
      const nameStart = this.pos;
      const name = this.processName();
      if (name === '') return '$';
      const value = this.lookup(name);
      this.references.push({ name, start, end: this.pos, nameStart, nameEnd: this.pos, set: value !== undefined });
      if (value === undefined && this.opts.skipUnsetEnv) return '$' + name;
      return value ?? '';
    }
    this.next(); // {
    const first = this.peek();
    if (first === EOF) throw new LexError("syntax error: missing '}'", start);
    if (first === '{' || first === '}' || first === ':') throw new LexError('syntax error: bad substitution', start);
    const nameStart = this.pos;
    const name = this.processName();
    const nameEnd = this.pos;
    let ch = this.next();
    let modifier = ch;
    if (ch === '}') {
      const value = this.lookup(name);
      this.references.push({ name, start, end: this.pos, nameStart, nameEnd, set: value !== undefined });
      if (value === undefined && this.opts.skipUnsetEnv) return '${' + name + '}';
      return value ?? '';
    }
    if (ch === EOF) throw new LexError("syntax error: missing '}'", start);
    let nullIsUnset = false;
    if (ch === ':') {
      nullIsUnset = true;
      ch = this.next();
      modifier += ch;
    }
    if (ch === '/' && !nullIsUnset) return this.processReplace(name, start, nameStart, nameEnd);
    if (!nullIsUnset && ch !== '+' && ch !== '-' && ch !== '?' && ch !== '#' && ch !== '%') {
      throw new LexError(`unsupported modifier (${modifier}) in substitution`, start);
    }
    let word: string;
    try {
      word = this.processStopOn('}', ch === '#' || ch === '%').text;
    } catch (err) {
      if (this.peek() === EOF) throw new LexError("syntax error: missing '}'", start);
      throw err;
    }
    const value = this.lookup(name);
    const set = value !== undefined;
    if ((ch === '#' || ch === '%') && word.startsWith(ch)) modifier += ch;
    this.references.push({ name, start, end: this.pos, nameStart, nameEnd, modifier, set });
    if (this.opts.skipUnsetEnv && !set) return '${' + name + modifier.slice(0, nullIsUnset ? 2 : 1) + word + '}';
    const current = value ?? '';
    switch (ch) {
      case '-':
        return !set || (nullIsUnset && current === '') ? word : current;
      case '+':
        return !set || (nullIsUnset && current === '') ? '' : word;
      case '?':
        if (!set) throw new LexError(`${name}: ${word !== '' ? word : 'is not allowed to be unset'}`, start);
        if (nullIsUnset && current === '') throw new LexError(`${name}: ${word !== '' ? word : 'is not allowed to be empty'}`, start);
        return current;
      case '%':
      case '#': {
        const greedy = word.startsWith(ch);
        const pattern = greedy ? word.slice(1) : word;
        try {
          return ch === '%' ? trimSuffixPattern(pattern, current, greedy) : trimPrefixPattern(pattern, current, greedy);
        } catch (err) {
          throw new LexError(`invalid pattern (${pattern}) in substitution: ${err instanceof PatternError ? err.message : String(err)}`, start);
        }
      }
      default:
        throw new LexError(`unsupported modifier (${modifier}) in substitution`, start);
    }
  }

  processReplace(name: string, start: number, nameStart: number, nameEnd: number): string {
    const all = this.peek() === '/';
    if (all) this.next();
    let pattern: string;
    let replacement: string;
    try {
      pattern = this.processStopOn('/', true).text;
    } catch (err) {
      if (this.peek() === EOF) throw new LexError("syntax error: missing '/' in ${}", start);
      throw err;
    }
    try {
      replacement = this.processStopOn('}', true).text;
    } catch (err) {
      if (this.peek() === EOF) throw new LexError("syntax error: missing '}'", start);
      throw err;
    }
    const value = this.lookup(name);
    this.references.push({ name, start, end: this.pos, nameStart, nameEnd, modifier: all ? '//' : '/', set: value !== undefined });
    if (value === undefined && this.opts.skipUnsetEnv) return '${' + name + '/' + pattern + '/' + replacement + '}';
    try {
      return replacePattern(pattern, replacement, value ?? '', all);
    } catch (err) {
      throw new LexError(`invalid pattern (${pattern}) in substitution: ${err instanceof PatternError ? err.message : String(err)}`, start);
    }
  }

  processName(): string {
    let name = '';
    while (this.peek() !== EOF) {
      const ch = this.peek();
      if (name.length === 0 && isDigit(ch)) {
        while (this.peek() !== EOF && isDigit(this.peek())) name += this.next();
        return name;
      }
      if (name.length === 0 && isSpecialParam(ch)) return this.next();
      if (!isNameChar(ch)) break;
      name += this.next();
    }
    return name;
  }
}

function isDigit(ch: string): boolean {
  return ch >= '0' && ch <= '9';
}

function isSpecialParam(ch: string): boolean {
  return ch === '@' || ch === '*' || ch === '#' || ch === '?' || ch === '-' || ch === '$' || ch === '!' || ch === '0';
}

const letterOrDigit = /[\p{L}\p{Nd}]/u;

function isNameChar(ch: string): boolean {
  const c = ch.charCodeAt(0);
  if (c < 0x80) return (c >= 0x61 && c <= 0x7a) || (c >= 0x41 && c <= 0x5a) || (c >= 0x30 && c <= 0x39) || c === 0x5f;
  return letterOrDigit.test(ch);
}

/** Processes `word` as BuildKit's shell lexer does (ProcessWord and ProcessWords in one pass). */
export function processWord(word: string, env: EnvLookup, options: LexOptions = {}): LexResult {
  const lexer = new Lexer(word, env, options);
  try {
    const { text, words } = lexer.processStopOn(EOF, lexer.rawEscapes);
    return { result: text, words, matched: lexer.matched, unmatched: lexer.unmatched, references: lexer.references };
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    return {
      result: '',
      words: [],
      matched: lexer.matched,
      unmatched: lexer.unmatched,
      references: lexer.references,
      error: `failed to process ${goQuoteShort(word)}: ${message}`,
      errorOffset: err instanceof LexError ? err.offset : 0,
    };
  }
}

function goQuoteShort(text: string): string {
  return JSON.stringify(text);
}

/** An EnvLookup over a plain record. */
export function lookupIn(values: Readonly<Record<string, string | undefined>>): EnvLookup {
  return (name) => (Object.prototype.hasOwnProperty.call(values, name) ? values[name] : undefined);
}

/** An EnvLookup that finds nothing. */
export const emptyEnv: EnvLookup = () => undefined;
