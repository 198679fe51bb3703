// A forgiving scanner over shell-like text (RUN commands, BuildKit-expanded words, heredoc bodies):
// finds `$NAME` / `${NAME...}` mentions with exact offsets and says, for chosen offsets, whether
// they lie inside quotes (where whitespace is significant). Never throws, linear in the text.

/**
 * - `shell`: POSIX sh rules (quotes, `$(...)`, backticks, `#` comments at word start).
 * - `buildkit`: BuildKit's word rules (quotes and the Dockerfile escape character only).
 * - `plain`: expansion without quote processing (BuildKit heredoc bodies).
 * - `json`: a JSON array (only double-quoted strings with `\` escapes matter).
 */
export type ScanDialect = 'shell' | 'buildkit' | 'plain' | 'json';

export interface VariableMention {
  name: string;
  /** Offset of `$`. */
  start: number;
  /** Offset after the mention (after `}` for a terminated braced form). */
  end: number;
  nameStart: number;
  nameEnd: number;
  braced: boolean;
  /** True when the mention sits inside single quotes (not expanded by sh or BuildKit). */
  singleQuoted: boolean;
}

export interface ScanResult {
  mentions: VariableMention[];
  /** For each offset asked for (same order): true when a line break there would be inside quotes or uncertain. */
  quotedAt: boolean[];
  /** Top-level quoted strings `[start, end)`, quotes included (an unterminated one runs to the end). */
  strings: [number, number][];
}

// Contexts on the scanner's stack.
const SQ = 1; // '...'
const DQ = 2; // "..."
const CMD = 3; // $( ... ) and ( ... ) inside it
const BT = 4; // `...`
const PARAM = 5; // ${ ... }
const ARITH = 6; // $(( ... ))

const C_DOLLAR = 0x24;
const C_SQUOTE = 0x27;
const C_DQUOTE = 0x22;
const C_BACKTICK = 0x60;
const C_LBRACE = 0x7b;
const C_RBRACE = 0x7d;
const C_LPAREN = 0x28;
const C_RPAREN = 0x29;
const C_HASH = 0x23;
const C_BANG = 0x21;
const C_BACKSLASH = 0x5c;
const C_NEWLINE = 0x0a;

/** Scans `text` once; `offsets` (ascending) are the places whose quoting the caller wants to know. */
export function scanShellText(text: string, dialect: ScanDialect, escapeChar = '\\', offsets: readonly number[] = []): ScanResult {
  return new Scanner(text, dialect, escapeChar.charCodeAt(0), offsets).run();
}

class Scanner {
  readonly mentions: VariableMention[] = [];
  readonly quotedAt: boolean[] = [];
  readonly strings: [number, number][] = [];
  private stack: number[] = [];
  /** Mention index of each open `${` (-1 when it names nothing), parallel to the PARAM entries. */
  private readonly openParams: number[] = [];
  private stringStart = -1;
  // Once a quote opens inside `$(...)` or backticks, nesting may be misread: treat the rest as quoted.
  private uncertain = false;
  private nextOffset = 0;
  private readonly shell: boolean;
  private readonly quotes: boolean;
  private readonly escape: number;

  constructor(private readonly text: string, private readonly dialect: ScanDialect, escape: number, private readonly offsets: readonly number[]) {
    this.shell = dialect === 'shell';
    this.quotes = dialect === 'shell' || dialect === 'buildkit';
    this.escape = dialect === 'json' ? C_BACKSLASH : escape;
  }

  run(): ScanResult {
    const text = this.text;
    const length = text.length;
    const offsets = this.offsets;
    const stack = this.stack;
    const json = this.dialect === 'json';
    let i = 0;
    while (i < length) {
      if (this.nextOffset < offsets.length && offsets[this.nextOffset] <= i) this.answerUpTo(i, this.uncertain || stack.length > 0);
      const c = text.charCodeAt(i);
      const top = stack.length > 0 ? stack[stack.length - 1] : 0;
      if (json) {
        i = this.stepJson(c, top, i);
        continue;
      }
      if (top === SQ) {
        if (c === C_SQUOTE) this.close(i);
        else if (c === C_DOLLAR) { i = this.readDollar(i); continue; }
        i++;
        continue;
      }
      if (c === this.escape) {
        i += 2;
        continue;
      }
      if (c === C_DOLLAR) {
        i = this.readDollar(i);
        continue;
      }
      if (this.quotes && c === C_SQUOTE && top !== DQ) {
        if (top === CMD || top === BT) this.uncertain = true;
        this.open(SQ, i);
      } else if (this.quotes && c === C_DQUOTE) {
        if (top === DQ) this.close(i);
        else {
          if (top === CMD || top === BT) this.uncertain = true;
          this.open(DQ, i);
        }
      } else if (this.shell && c === C_BACKTICK) {
        if (top === BT) stack.pop();
        else stack.push(BT);
      } else if (c === C_RBRACE && top === PARAM) {
        this.closeParam(i + 1);
      } else if (this.shell && top === CMD && c === C_LPAREN) {
        stack.push(CMD);
      } else if (this.shell && top === CMD && c === C_RPAREN) {
        stack.pop();
      } else if (top === ARITH && c === C_RPAREN && text.charCodeAt(i + 1) === C_RPAREN) {
        stack.pop();
        i += 2;
        continue;
      } else if (this.shell && c === C_HASH && stack.length === 0 && atWordStart(text, i)) {
        // A comment: to the end of the line. Breaks inside it are reported as uncertain.
        const endOfLine = text.indexOf('\n', i);
        const stop = endOfLine < 0 ? length : endOfLine;
        this.answerUpTo(stop - 1, true);
        i = stop;
        continue;
      }
      i++;
    }
    this.answerUpTo(Number.MAX_SAFE_INTEGER, this.uncertain || stack.length > 0);
    if (this.stringStart >= 0) this.strings.push([this.stringStart, length]);
    return { mentions: this.mentions, quotedAt: this.quotedAt, strings: this.strings };
  }

  /** JSON: only double-quoted strings (with `\` escapes) and the `${...}` inside them matter. */
  private stepJson(c: number, top: number, i: number): number {
    if (top === PARAM) {
      if (c === C_RBRACE) {
        this.closeParam(i + 1);
        return i + 1;
      }
      if (c === C_DQUOTE) this.closeParam(i);
    }
    if (this.stack.length > 0 && this.stack[this.stack.length - 1] === DQ) {
      if (c === C_BACKSLASH) return i + 2;
      if (c === C_DQUOTE) this.close(i);
      else if (c === C_DOLLAR) return this.readDollar(i);
    } else if (c === C_DQUOTE) {
      this.open(DQ, i);
    }
    return i + 1;
  }

  private answerUpTo(position: number, quoted: boolean): void {
    while (this.nextOffset < this.offsets.length && this.offsets[this.nextOffset] <= position) {
      this.quotedAt.push(quoted);
      this.nextOffset++;
    }
  }

  private open(context: number, at: number): void {
    if (this.stack.length === 0) this.stringStart = at;
    this.stack.push(context);
  }

  private close(at: number): void {
    this.stack.pop();
    if (this.stack.length === 0 && this.stringStart >= 0) {
      this.strings.push([this.stringStart, at + 1]);
      this.stringStart = -1;
    }
  }

  private closeParam(end: number): void {
    this.stack.pop();
    const index = this.openParams.pop();
    if (index !== undefined && index >= 0) this.mentions[index].end = end;
  }

  /** Reads the `$...` at `at`; returns where scanning continues. */
  private readDollar(at: number): number {
    const text = this.text;
    const singleQuoted = this.stack.length > 0 && this.stack[this.stack.length - 1] === SQ;
    const next = text.charCodeAt(at + 1);
    if (next === C_LBRACE && !singleQuoted) {
      let nameStart = at + 2;
      // `${#NAME}` (length) and `${!NAME}` (indirection) still mention NAME.
      const first = text.charCodeAt(nameStart);
      if ((first === C_HASH || first === C_BANG) && isNameStart(text, nameStart + 1)) nameStart++;
      const nameEnd = readName(text, nameStart);
      this.stack.push(PARAM);
      if (nameEnd > nameStart && !isDigit(text.charCodeAt(nameStart))) {
        this.mentions.push({ name: text.slice(nameStart, nameEnd), start: at, end: nameEnd, nameStart, nameEnd, braced: true, singleQuoted });
        this.openParams.push(this.mentions.length - 1);
      } else {
        this.openParams.push(-1);
      }
      return Math.max(nameEnd, at + 2);
    }
    if (next === C_LPAREN && this.shell && !singleQuoted) {
      if (text.charCodeAt(at + 2) === C_LPAREN) {
        this.stack.push(ARITH);
        return at + 3;
      }
      this.stack.push(CMD);
      return at + 2;
    }
    if (isNameStart(text, at + 1)) {
      const nameEnd = readName(text, at + 1);
      this.mentions.push({ name: text.slice(at + 1, nameEnd), start: at, end: nameEnd, nameStart: at + 1, nameEnd, braced: false, singleQuoted });
      return nameEnd;
    }
    return at + 1;
  }
}

function atWordStart(text: string, i: number): boolean {
  if (i === 0) return true;
  const c = text.charCodeAt(i - 1);
  return c === 0x20 || c === 0x09 || c === C_NEWLINE || c === 0x0d || c === 0x3b || c === 0x26 || c === 0x7c || c === C_LPAREN;
}

function isDigit(code: number): boolean {
  return code >= 0x30 && code <= 0x39;
}

const letter = /[\p{L}\p{Nd}]/u;

/** BuildKit's name characters: ASCII letters, digits, `_`, and Unicode letters and digits. */
function isNameChar(text: string, i: number): boolean {
  const c = text.charCodeAt(i);
  if (c < 0x80) return (c >= 0x61 && c <= 0x7a) || (c >= 0x41 && c <= 0x5a) || isDigit(c) || c === 0x5f;
  return letter.test(text[i]);
}

function isNameStart(text: string, i: number): boolean {
  return i < text.length && isNameChar(text, i) && !isDigit(text.charCodeAt(i));
}

function readName(text: string, from: number): number {
  let i = from;
  while (i < text.length && isNameChar(text, i)) i++;
  return i;
}

/** Splits shell text into words the way sh would before expansion (quotes kept), for comparisons. */
export function shellWords(text: string): string[] {
  const words: string[] = [];
  let word = '';
  let inWord = false;
  let quote: '' | "'" | '"' = '';
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (quote) {
      word += ch;
      if (ch === '\\' && quote === '"' && i + 1 < text.length) word += text[++i];
      else if (ch === quote) quote = '';
      continue;
    }
    if (ch === ' ' || ch === '\t' || ch === '\n' || ch === '\r') {
      if (inWord) words.push(word);
      word = '';
      inWord = false;
      continue;
    }
    inWord = true;
    word += ch;
    if (ch === '\\' && i + 1 < text.length) word += text[++i];
    else if (ch === "'" || ch === '"') quote = ch;
  }
  if (inWord) words.push(word);
  return words;
}
