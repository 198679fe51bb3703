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

type Context = 'sq' | 'dq' | 'cmd' | 'bt' | 'param' | 'arith';

/** Scans `text` once; `offsets` (ascending) are the places whose quoting the caller wants to know. */
export function scanShellText(text: string, dialect: ScanDialect, escapeChar = '\\', offsets: readonly number[] = []): ScanResult {
  const mentions: VariableMention[] = [];
  const quotedAt: boolean[] = [];
  const strings: [number, number][] = [];
  let stringStart = -1;
  const stack: Context[] = [];
  /** Mention index of each open `${`, parallel to the 'param' entries of the stack. */
  const openParams: number[] = [];
  // Once a quote opens inside `$(...)` or backticks, nesting may be misread: treat the rest as quoted.
  let uncertain = false;
  let nextOffset = 0;
  const shell = dialect === 'shell';
  const quotes = dialect === 'shell' || dialect === 'buildkit';
  const escape = dialect === 'json' ? '\\' : escapeChar;

  const answerUpTo = (position: number, quoted: boolean) => {
    while (nextOffset < offsets.length && offsets[nextOffset] <= position) {
      quotedAt.push(quoted);
      nextOffset++;
    }
  };

  let i = 0;
  while (i < text.length) {
    if (nextOffset < offsets.length && offsets[nextOffset] <= i) answerUpTo(i, uncertain || stack.length > 0);
    const ch = text[i];
    const top = stack[stack.length - 1];

    if (dialect === 'json') {
      if (top === 'param') {
        if (ch === '}' || ch === '"') closeParam(ch === '}' ? i + 1 : i);
        if (ch === '}') { i++; continue; }
      }
      if (stack[stack.length - 1] === 'dq') {
        if (ch === '\\') { i += 2; continue; }
        if (ch === '"') close(i);
        else if (ch === '$') { i = readDollar(i); continue; }
      } else if (ch === '"') {
        open('dq', i);
      }
      i++;
      continue;
    }

    if (top === 'sq') {
      if (ch === "'") close(i);
      else if (ch === '$') { i = readDollar(i); continue; }
      i++;
      continue;
    }
    if (ch === escape) {
      i += 2;
      continue;
    }
    if (ch === '$') {
      i = readDollar(i);
      continue;
    }
    if (quotes && ch === "'" && top !== 'dq') {
      if (top === 'cmd' || top === 'bt') uncertain = true;
      open('sq', i);
    } else if (quotes && ch === '"') {
      if (top === 'dq') close(i);
      else {
        if (top === 'cmd' || top === 'bt') uncertain = true;
        open('dq', i);
      }
    } else if (shell && ch === '`') {
      if (top === 'bt') stack.pop();
      else stack.push('bt');
    } else if (ch === '}' && top === 'param') {
      closeParam(i + 1);
    } else if (shell && top === 'cmd' && ch === '(') {
      stack.push('cmd');
    } else if (shell && top === 'cmd' && ch === ')') {
      stack.pop();
    } else if (top === 'arith' && ch === ')' && text[i + 1] === ')') {
      stack.pop();
      i += 2;
      continue;
    } else if (shell && ch === '#' && stack.length === 0 && atWordStart(text, i)) {
      // A comment: to the end of the line. Breaks inside it are reported as uncertain.
      const endOfLine = text.indexOf('\n', i);
      const stop = endOfLine < 0 ? text.length : endOfLine;
      answerUpTo(stop - 1, true);
      i = stop;
      continue;
    }
    i++;
  }
  answerUpTo(Number.MAX_SAFE_INTEGER, uncertain || stack.length > 0);
  if (stringStart >= 0) strings.push([stringStart, text.length]);
  return { mentions, quotedAt, strings };

  function open(context: Context, at: number): void {
    if (stack.length === 0 && (context === 'sq' || context === 'dq')) stringStart = at;
    stack.push(context);
  }

  function close(at: number): void {
    stack.pop();
    if (stack.length === 0 && stringStart >= 0) {
      strings.push([stringStart, at + 1]);
      stringStart = -1;
    }
  }

  function closeParam(end: number): void {
    stack.pop();
    const index = openParams.pop();
    if (index !== undefined && index >= 0) mentions[index].end = end;
  }

  /** Reads the `$...` at `at`; returns where scanning continues. */
  function readDollar(at: number): number {
    const singleQuoted = stack[stack.length - 1] === 'sq';
    const next = text[at + 1];
    if (next === '{' && !singleQuoted) {
      let nameStart = at + 2;
      // `${#NAME}` (length) and `${!NAME}` (indirection) still mention NAME.
      if ((text[nameStart] === '#' || text[nameStart] === '!') && isNameStart(text, nameStart + 1)) nameStart++;
      const nameEnd = readName(text, nameStart);
      stack.push('param');
      if (nameEnd > nameStart && !isDigit(text.charCodeAt(nameStart))) {
        mentions.push({ name: text.slice(nameStart, nameEnd), start: at, end: nameEnd, nameStart, nameEnd, braced: true, singleQuoted });
        openParams.push(mentions.length - 1);
      } else {
        openParams.push(-1);
      }
      return Math.max(nameEnd, at + 2);
    }
    if (next === '(' && shell && !singleQuoted) {
      if (text[at + 2] === '(') {
        stack.push('arith');
        return at + 3;
      }
      stack.push('cmd');
      return at + 2;
    }
    if (next !== undefined && isNameStart(text, at + 1)) {
      const nameEnd = readName(text, at + 1);
      mentions.push({ name: text.slice(at + 1, nameEnd), start: at, end: nameEnd, nameStart: at + 1, nameEnd, braced: false, singleQuoted });
      return nameEnd;
    }
    return at + 1;
  }
}

function atWordStart(text: string, i: number): boolean {
  if (i === 0) return true;
  const before = text[i - 1];
  return before === ' ' || before === '\t' || before === '\n' || before === '\r' || before === ';' || before === '&' || before === '|' || before === '(';
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
