// Splits POSIX shell text (a RUN body) into simple commands with their words and offsets: enough
// for rules that look at `apt-get install ...` or `rm -rf ...` and for the size model of what a RUN
// writes, not a full shell parser. Quotes, escapes, `$(...)`, backticks, `${...}`, comments,
// redirections, here-document bodies (skipped: they are data), operators and the loops and
// conditionals around a command are understood; commands inside `$(...)`/backticks are returned
// too (marked `nested`). Never throws; linear time.

export interface ShellWord {
  /** The word as written. */
  text: string;
  /** Quotes removed, escapes resolved; expansions (`$X`, `$(..)`) kept as written. */
  value: string;
  /** Offsets into the parsed text. */
  start: number;
  end: number;
}

export interface ShellRedirect {
  /** The operator without its descriptor: `>`, `>>`, `>|`, `>&`, `&>`, `&>>`, `<`, `<<`, `<<-`, `<<<`, `<&`, `<>`. */
  op: string;
  /** The descriptor redirected: `2>` gives 2, `>` 1, `<` 0. */
  fd: number;
  /** `> /dev/null` gives `/dev/null`; missing at the end of the text. */
  target?: ShellWord;
  /** For `<<` and `<<-`: the body (tabs stripped for `<<-`), once its line has ended. */
  hereDocument?: HereDocument;
}

export interface HereDocument {
  /** The lines up to the delimiter line, each with its newline. */
  text: string;
  /** The delimiter is unquoted, so the shell expands `$X`, `$(...)` and backticks in the body. */
  expands: boolean;
}

interface PendingHereDocument {
  redirect: ShellRedirect;
  delimiter: string;
  stripTabs: boolean;
  expands: boolean;
}

export interface ShellCommand {
  /** The command and its arguments (assignments, redirections and leading `!`, `{`, `then`, `do`, `if`, ... removed). */
  words: ShellWord[];
  /** `NAME=value` words before the command. */
  assignments: ShellWord[];
  redirects: ShellRedirect[];
  start: number;
  end: number;
  /** The control operator before/after the command: `&&`, `||`, `;`, `|`, `|&`, `&`, newline, or ''. */
  before: string;
  after: string;
  /** Inside `$(...)` or backticks. */
  nested: boolean;
  /** Inside `for`/`while`/`until`: may run several times, or not at all. */
  inLoop: boolean;
  /** Inside `if`/`case`, or after `||`: may not run. */
  conditional: boolean;
  /** A `for`/`select`/`case` header (`for x in a b`): its words are a list, not a command. */
  header: boolean;
}

export interface ParsedShell {
  commands: ShellCommand[];
  /** The text ends inside a comment (appending `&& x` would be commented out). */
  endsInComment: boolean;
}

const RESERVED_PREFIXES = new Set(['!', '{', '(', 'then', 'do', 'else', 'elif', 'if', 'while', 'until', 'time']);
/** Reserved words that may start a command (and open or close a loop or conditional). */
export const SHELL_KEYWORDS: ReadonlySet<string> = new Set(['if', 'then', 'elif', 'else', 'fi', 'for', 'select', 'while', 'until', 'do', 'done', 'case', 'esac', '!', '{', '}', 'function', 'time']);
const ASSIGNMENT = /^[A-Za-z_][A-Za-z0-9_]*(\[[^\]]*\])?\+?=/;

/** Characters that end a word or need a look of their own inside one. */
const SPECIAL_IN_WORD = new Set([' ', '\t', '\r', '\f', '\v', '\n', ';', '&', '|', '(', ')', '<', '>', '\\', "'", '"', '$', '`']);

function isBlank(ch: string): boolean {
  return ch === ' ' || ch === '\t' || ch === '\r' || ch === '\f' || ch === '\v';
}

function isOperatorStart(ch: string): boolean {
  return ch === '&' || ch === '|' || ch === ';' || ch === '(' || ch === ')' || ch === '\n';
}

/** Parses `text.slice(start, end)`; offsets in the result are offsets into `text`. */
export function parseShellCommands(text: string, start = 0, end = text.length): ParsedShell {
  const parser = new ShellParser(text, end);
  parser.parse(start, false);
  return { commands: parser.commands.sort((a, b) => a.start - b.start), endsInComment: parser.endsInComment };
}

interface RawToken {
  /** `redirect` is an operator (`2>`), `target` the word after it. */
  kind: 'word' | 'redirect' | 'target';
  text: string;
  value: string;
  start: number;
  end: number;
}

class ShellParser {
  readonly commands: ShellCommand[] = [];
  endsInComment = false;
  private nestedRegions: { start: number; end: number }[] = [];
  private loopDepth = 0;
  private conditionDepth = 0;
  private afterOr = false;
  /** Here-documents whose bodies start after the next newline. */
  private hereDocuments: PendingHereDocument[] = [];

  constructor(private readonly text: string, private readonly limit: number) {}

  parse(start: number, nested: boolean): void {
    const saved = this.nestedRegions;
    this.nestedRegions = [];
    let current: RawToken[] = [];
    let before = '';
    let i = start;
    const flush = (after: string) => {
      const command = this.toCommand(current, before, after, nested);
      if (command) this.commands.push(command);
      if (after === '||') this.afterOr = true;
      else if (after === ';' || after === '&' || after === '\n') this.afterOr = false;
      current = [];
      before = after;
    };
    while (i < this.limit) {
      const ch = this.text[i];
      if (isBlank(ch) || (ch === '\\' && this.text[i + 1] === '\n')) {
        i += ch === '\\' ? 2 : 1;
        continue;
      }
      if (ch === '#') {
        const newline = this.text.indexOf('\n', i);
        if (newline < 0 || newline >= this.limit) {
          if (!nested) this.endsInComment = true;
          i = this.limit;
        } else {
          i = newline;
        }
        continue;
      }
      const op = this.readOperator(i);
      if (op) {
        if (op === '(' || op === ')') {
          // Subshell parentheses separate commands like `;` does.
          flush(op === ')' ? ';' : '');
        } else {
          flush(op);
        }
        i += op.length;
        if (op === '\n' && this.hereDocuments.length > 0) i = this.readHereDocuments(i, this.hereDocuments.splice(0));
        continue;
      }
      const redirect = this.readRedirect(i);
      if (redirect) {
        let j = redirect.end;
        while (j < this.limit && isBlank(this.text[j])) j++;
        const target = j < this.limit && !isOperatorStart(this.text[j]) ? this.readWord(j) : undefined;
        current.push({ kind: 'redirect', text: redirect.text, value: redirect.text, start: i, end: redirect.end });
        if (target) {
          current.push({ ...target, kind: 'target' });
          i = target.end;
        } else {
          i = redirect.end;
        }
        continue;
      }
      const word = this.readWord(i);
      current.push(word);
      i = Math.max(word.end, i + 1);
    }
    flush('');
    const regions = this.nestedRegions;
    this.nestedRegions = saved;
    for (const region of regions) {
      const inner = new ShellParser(this.text, region.end);
      inner.parse(region.start, true);
      this.commands.push(...inner.commands);
    }
  }

  private toCommand(tokens: RawToken[], before: string, after: string, nested: boolean): ShellCommand | undefined {
    if (tokens.length === 0) return undefined;
    const words: ShellWord[] = [];
    const assignments: ShellWord[] = [];
    const redirects: ShellRedirect[] = [];
    const header = this.enterKeywords(tokens);
    const inLoop = this.loopDepth > 0;
    const conditional = this.conditionDepth > 0 || this.afterOr;
    for (const t of tokens) {
      if (t.kind === 'redirect') {
        const [, fd, op] = /^(\d*)(.*)$/.exec(t.text) as RegExpExecArray;
        redirects.push({ op, fd: fd ? Number(fd) : op.startsWith('<') ? 0 : 1 });
        continue;
      }
      if (t.kind === 'target') {
        const last = redirects[redirects.length - 1];
        if (!last) continue;
        last.target = { text: t.text, value: t.value, start: t.start, end: t.end };
        if (last.op === '<<' || last.op === '<<-') this.hereDocuments.push({ redirect: last, delimiter: t.value, stripTabs: last.op === '<<-', expands: !/['"\\]/.test(t.text) });
        continue;
      }
      const word: ShellWord = { text: t.text, value: t.value, start: t.start, end: t.end };
      if (words.length === 0 && ASSIGNMENT.test(t.text)) {
        assignments.push(word);
      } else if (words.length === 0 && RESERVED_PREFIXES.has(t.text)) {
        continue;
      } else {
        words.push(word);
      }
    }
    return { words, assignments, redirects, start: tokens[0].start, end: tokens[tokens.length - 1].end, before, after, nested, inLoop, conditional, header };
  }

  /** Follows the reserved words a command starts with into and out of loops and conditionals; whether it is a list header. */
  private enterKeywords(tokens: readonly RawToken[]): boolean {
    let header = false;
    for (const t of tokens) {
      if (t.kind !== 'word' || t.text !== t.value || !SHELL_KEYWORDS.has(t.text)) break;
      if (t.text === 'for' || t.text === 'select' || t.text === 'while' || t.text === 'until') this.loopDepth++;
      else if (t.text === 'done') this.loopDepth = Math.max(0, this.loopDepth - 1);
      else if (t.text === 'if' || t.text === 'case') this.conditionDepth++;
      else if (t.text === 'fi' || t.text === 'esac') this.conditionDepth = Math.max(0, this.conditionDepth - 1);
      if (t.text === 'for' || t.text === 'select' || t.text === 'case') header = true;
    }
    return header;
  }

  /** Reads the bodies of `documents` starting at `i`, each up to a line that is its delimiter; the offset after them. */
  private readHereDocuments(i: number, documents: readonly PendingHereDocument[]): number {
    for (const { redirect, delimiter, stripTabs, expands } of documents) {
      let body = '';
      while (i < this.limit) {
        const newline = this.text.indexOf('\n', i);
        const lineEnd = newline < 0 || newline >= this.limit ? this.limit : newline;
        const line = stripTabs ? this.text.slice(i, lineEnd).replace(/^\t+/, '') : this.text.slice(i, lineEnd);
        i = lineEnd + 1;
        if (line === delimiter) break;
        body += line + '\n';
      }
      redirect.hereDocument = { text: body, expands };
    }
    return Math.min(i, this.limit);
  }

  private readOperator(i: number): string | undefined {
    const ch = this.text[i];
    if (ch !== '&' && ch !== '|' && ch !== ';' && ch !== '\n' && ch !== '(' && ch !== ')') return undefined;
    const two = this.text.slice(i, i + 2);
    if (two === '&&' || two === '||' || two === ';;' || two === '|&') return two;
    if (ch === '&' && this.text[i + 1] === '>') return undefined;
    if (ch === ';' || ch === '|' || ch === '&' || ch === '\n' || ch === '(' || ch === ')') return ch;
    return undefined;
  }

  private readRedirect(i: number): { text: string; end: number } | undefined {
    const ch = this.text[i];
    if (ch !== '<' && ch !== '>' && ch !== '&' && (ch < '0' || ch > '9')) return undefined;
    const m = /^(?:\d*(?:>>|>&|>\||<<<|<<-|<<|<&|<>|>|<)|&>>|&>)/.exec(this.text.slice(i, Math.min(this.limit, i + 6)));
    if (!m) return undefined;
    if (/^\d+$/.test(m[0])) return undefined;
    return { text: m[0], end: i + m[0].length };
  }

  /** Reads one word starting at `i` (unquoted blanks and operators end it). */
  private readWord(i: number): RawToken {
    const start = i;
    let value = '';
    const text = this.text;
    while (i < this.limit) {
      const ch = text[i];
      if (isBlank(ch) || ch === '\n' || ch === ';' || ch === '&' || ch === '|' || ch === '(' || ch === ')') {
        if (ch === '(' && i > start && /[@?*+!]$/.test(value)) {
          // extglob `@(a|b)`: keep as part of the word.
        } else {
          break;
        }
      }
      if ((ch === '<' || ch === '>') && i > start) break;
      if (ch === '\\') {
        if (text[i + 1] === '\n') {
          i += 2;
          continue;
        }
        if (i + 1 < this.limit) value += text[i + 1];
        i += 2;
        continue;
      }
      if (ch === "'") {
        const close = text.indexOf("'", i + 1);
        const stop = close < 0 || close >= this.limit ? this.limit : close;
        value += text.slice(i + 1, stop);
        i = stop + 1;
        continue;
      }
      if (ch === '"') {
        i++;
        while (i < this.limit && text[i] !== '"') {
          if (text[i] === '\\' && i + 1 < this.limit && '$`"\\\n'.includes(text[i + 1])) {
            if (text[i + 1] !== '\n') value += text[i + 1];
            i += 2;
            continue;
          }
          if (text[i] === '$' && text[i + 1] === '(') {
            const close = this.skipParens(i + 1);
            value += text.slice(i, close);
            i = close;
            continue;
          }
          if (text[i] === '`') {
            const close = this.skipBackticks(i);
            value += text.slice(i, close);
            i = close;
            continue;
          }
          value += text[i];
          i++;
        }
        i++;
        continue;
      }
      if (ch === '$' && text[i + 1] === '(') {
        const close = this.skipParens(i + 1);
        value += text.slice(i, close);
        i = close;
        continue;
      }
      if (ch === '$' && text[i + 1] === '{') {
        const close = this.skipBraces(i + 1);
        value += text.slice(i, close);
        i = close;
        continue;
      }
      if (ch === '`') {
        const close = this.skipBackticks(i);
        value += text.slice(i, close);
        i = close;
        continue;
      }
      // A run of plain characters in one slice (not a string per character).
      const from = i++;
      while (i < this.limit && !SPECIAL_IN_WORD.has(text[i])) i++;
      value += text.slice(from, i);
    }
    const end = Math.min(i, this.limit);
    return { kind: 'word', text: text.slice(start, end), value, start, end };
  }

  /** `open` is at `(`; returns the offset after the matching `)`; records the inside as nested code. */
  private skipParens(open: number): number {
    let depth = 0;
    let i = open;
    const text = this.text;
    while (i < this.limit) {
      const ch = text[i];
      if (ch === '\\') {
        i += 2;
        continue;
      }
      if (ch === "'") {
        const close = text.indexOf("'", i + 1);
        i = close < 0 || close >= this.limit ? this.limit : close + 1;
        continue;
      }
      if (ch === '"') {
        i++;
        while (i < this.limit && text[i] !== '"') i += text[i] === '\\' ? 2 : 1;
        i++;
        continue;
      }
      if (ch === '(') depth++;
      if (ch === ')') {
        depth--;
        if (depth === 0) {
          this.nestedRegions.push({ start: open + 1, end: i });
          return i + 1;
        }
      }
      i++;
    }
    this.nestedRegions.push({ start: open + 1, end: this.limit });
    return this.limit;
  }

  private skipBraces(open: number): number {
    let depth = 0;
    for (let i = open; i < this.limit; i++) {
      const ch = this.text[i];
      if (ch === '\\') {
        i++;
        continue;
      }
      if (ch === '{') depth++;
      if (ch === '}' && --depth === 0) return i + 1;
    }
    return this.limit;
  }

  private skipBackticks(open: number): number {
    for (let i = open + 1; i < this.limit; i++) {
      if (this.text[i] === '\\') {
        i++;
        continue;
      }
      if (this.text[i] === '`') {
        this.nestedRegions.push({ start: open + 1, end: i });
        return i + 1;
      }
    }
    this.nestedRegions.push({ start: open + 1, end: this.limit });
    return this.limit;
  }
}
