// Splits a POSIX shell script into simple commands (words after quote removal and variable
// expansion, redirections, pipes), enough to model what a RUN writes. Anything the splitter
// cannot follow (command substitution, unknown variables, loops) is flagged, never guessed.

export interface Redirect {
  /** `>`, `>>`, `<`, `>&`, `&>`. */
  op: string;
  fd: number;
  target: string;
}

export interface ShellCommand {
  argv: string[];
  /** `NAME=value` words before the command. */
  assignments: Record<string, string>;
  redirects: Redirect[];
  /** Reads the output of the previous command (`a | b`). */
  pipedFrom: boolean;
  /** Its output goes to the next command. */
  pipedTo: boolean;
  /** Inside `for`/`while`/`until`: may run several times, or not at all. */
  inLoop: boolean;
  /** Inside `if`/`case`, or after `||`: may not run. */
  conditional: boolean;
  /** Some word used `$(...)`, backticks or a variable whose value is unknown. */
  uncertain: string[];
}

const KEYWORDS = new Set(['if', 'then', 'elif', 'else', 'fi', 'for', 'while', 'until', 'do', 'done', 'case', 'esac', '!', '{', '}', 'function']);

/** Characters that end an unquoted word. */
const ENDS_WORD = new Set([' ', '\t', '\r', '\n', ';', '&', '|', '(', ')', '<', '>']);
/** Characters a word treats specially (besides those that end it). */
const SPECIAL_IN_WORD = new Set([...ENDS_WORD, '\\', "'", '"', '$', '`']);
/** Characters special inside double quotes. */
const SPECIAL_IN_DOUBLE_QUOTES = new Set(['"', '\\', '$', '`']);

interface Word {
  text: string;
  quoted: boolean;
  uncertain?: string;
}

type Token = { kind: 'word'; word: Word } | { kind: 'op'; op: string };

function isNameChar(ch: string): boolean {
  return /[A-Za-z0-9_]/.test(ch);
}

class Lexer {
  private i = 0;
  readonly tokens: Token[] = [];

  constructor(
    private readonly text: string,
    private readonly env: Record<string, string | undefined>,
  ) {}

  run(): Token[] {
    const t = this.text;
    while (this.i < t.length) {
      const ch = t[this.i];
      if (ch === '\\' && t[this.i + 1] === '\n') {
        this.i += 2;
      } else if (ch === ' ' || ch === '\t' || ch === '\r') {
        this.i++;
      } else if (ch === '\n') {
        this.tokens.push({ kind: 'op', op: ';' });
        this.i++;
      } else if (ch === '#') {
        while (this.i < t.length && t[this.i] !== '\n') this.i++;
      } else if (t.startsWith('&&', this.i) || t.startsWith('||', this.i) || t.startsWith(';;', this.i)) {
        this.tokens.push({ kind: 'op', op: t.slice(this.i, this.i + 2) });
        this.i += 2;
      } else if (ch === ';' || ch === '|' || ch === '&' || ch === '(' || ch === ')') {
        if (ch === '&' && t[this.i + 1] === '>') this.redirect();
        else {
          this.tokens.push({ kind: 'op', op: ch });
          this.i++;
        }
      } else if (ch === '>' || ch === '<' || (/[0-9]/.test(ch) && /^[0-9]+[<>]/.test(t.slice(this.i, this.i + 3)))) {
        this.redirect();
      } else {
        this.tokens.push({ kind: 'word', word: this.word() });
      }
    }
    return this.tokens;
  }

  private redirect(): void {
    const m = /^(&>>?|[0-9]*>>|[0-9]*>&|[0-9]*>\||[0-9]*>|[0-9]*<<-?|[0-9]*<)/.exec(this.text.slice(this.i)) as RegExpExecArray;
    this.i += m[0].length;
    const op = m[0].replace(/^[0-9]+/, '');
    this.tokens.push({ kind: 'op', op: `redirect:${m[0]}` });
    if (op.startsWith('<<')) this.tokens.push({ kind: 'op', op: 'heredoc' });
  }

  private expand(out: { text: string; uncertain?: string }): void {
    const t = this.text;
    this.i++; // $
    if (t[this.i] === '(') {
      let depth = 0;
      const start = this.i - 1;
      for (; this.i < t.length; this.i++) {
        if (t[this.i] === '(') depth++;
        else if (t[this.i] === ')' && --depth === 0) break;
      }
      this.i++;
      out.uncertain ??= `command substitution ${t.slice(start, this.i)}`;
      return;
    }
    let name = '';
    let fallback: string | undefined;
    if (t[this.i] === '{') {
      const end = t.indexOf('}', this.i);
      const inner = t.slice(this.i + 1, end < 0 ? t.length : end);
      this.i = end < 0 ? t.length : end + 1;
      const m = /^([A-Za-z_][A-Za-z0-9_]*)(?::?[-=](.*))?$/.exec(inner);
      if (!m) {
        out.uncertain ??= `\${${inner}}`;
        return;
      }
      name = m[1];
      fallback = m[2];
    } else {
      while (this.i < t.length && isNameChar(t[this.i])) name += t[this.i++];
      if (name === '') {
        out.text += '$';
        return;
      }
    }
    const value = this.env[name];
    if (value !== undefined && value !== '') out.text += value;
    else if (fallback !== undefined) out.text += fallback;
    else if (!(name in this.env)) out.uncertain ??= `$${name}`;
  }

  private word(): Word {
    const t = this.text;
    const out: { text: string; uncertain?: string } = { text: '' };
    let quoted = false;
    while (this.i < t.length) {
      const ch = t[this.i];
      if (ENDS_WORD.has(ch)) break;
      if (ch === '\\') {
        if (t[this.i + 1] === '\n') this.i += 2;
        else {
          out.text += t[this.i + 1] ?? '';
          this.i += 2;
        }
      } else if (ch === "'") {
        quoted = true;
        const end = t.indexOf("'", this.i + 1);
        out.text += t.slice(this.i + 1, end < 0 ? t.length : end);
        this.i = end < 0 ? t.length : end + 1;
      } else if (ch === '"') {
        quoted = true;
        this.i++;
        while (this.i < t.length && t[this.i] !== '"') {
          if (t[this.i] === '\\' && '"\\$`\n'.includes(t[this.i + 1] ?? '')) {
            if (t[this.i + 1] !== '\n') out.text += t[this.i + 1];
            this.i += 2;
          } else if (t[this.i] === '$') this.expand(out);
          else if (t[this.i] === '`') this.backtick(out);
          else {
            // A run of plain characters in one slice (not a string per character).
            const start = this.i++;
            while (this.i < t.length && !SPECIAL_IN_DOUBLE_QUOTES.has(t[this.i])) this.i++;
            out.text += t.slice(start, this.i);
          }
        }
        this.i++;
      } else if (ch === '$') {
        this.expand(out);
      } else if (ch === '`') {
        this.backtick(out);
      } else {
        const start = this.i++;
        while (this.i < t.length && !SPECIAL_IN_WORD.has(t[this.i])) this.i++;
        out.text += t.slice(start, this.i);
      }
    }
    return { text: out.text, quoted, uncertain: out.uncertain };
  }

  private backtick(out: { text: string; uncertain?: string }): void {
    const end = this.text.indexOf('`', this.i + 1);
    out.uncertain ??= `command substitution ${this.text.slice(this.i, end < 0 ? undefined : end + 1)}`;
    this.i = end < 0 ? this.text.length : end + 1;
  }
}

/** Splits `script` into simple commands, expanding variables from `env` (unknown ones flagged). */
export function splitShellCommands(script: string, env: Record<string, string | undefined> = {}): ShellCommand[] {
  const tokens = new Lexer(script, env).run();
  const commands: ShellCommand[] = [];
  let current: ShellCommand | undefined;
  let loopDepth = 0;
  let condDepth = 0;
  let afterOr = false;
  let pipeNext = false;
  let expectRedirectTarget: string | undefined;
  let skipHeredocWord = false;

  const finish = (): void => {
    if (current && (current.argv.length > 0 || Object.keys(current.assignments).length > 0)) commands.push(current);
    current = undefined;
  };
  const start = (): ShellCommand => {
    current ??= { argv: [], assignments: {}, redirects: [], pipedFrom: pipeNext, pipedTo: false, inLoop: loopDepth > 0, conditional: condDepth > 0 || afterOr, uncertain: [] };
    pipeNext = false;
    return current;
  };

  for (const token of tokens) {
    if (token.kind === 'op') {
      if (token.op.startsWith('redirect:')) {
        expectRedirectTarget = token.op.slice('redirect:'.length);
        continue;
      }
      if (token.op === 'heredoc') {
        skipHeredocWord = true;
        continue;
      }
      if (token.op === '|') {
        if (current) current.pipedTo = true;
        finish();
        pipeNext = true;
        continue;
      }
      finish();
      if (token.op === '||') afterOr = true;
      else if (token.op === ';' || token.op === '&&' || token.op === '&') afterOr = token.op === '&&' ? afterOr : false;
      continue;
    }
    const { word } = token;
    if (skipHeredocWord) {
      skipHeredocWord = false;
      start().uncertain.push('a here-document inside the script');
      expectRedirectTarget = undefined;
      continue;
    }
    if (expectRedirectTarget !== undefined) {
      const m = /^([0-9]*)(.*)$/.exec(expectRedirectTarget) as RegExpExecArray;
      const op = m[2];
      const cmd = start();
      cmd.redirects.push({ op, fd: m[1] ? Number(m[1]) : op.startsWith('<') ? 0 : 1, target: word.text });
      if (word.uncertain) cmd.uncertain.push(word.uncertain);
      expectRedirectTarget = undefined;
      continue;
    }
    if (!current?.argv.length && !word.quoted && KEYWORDS.has(word.text)) {
      if (word.text === 'for' || word.text === 'while' || word.text === 'until') loopDepth++;
      else if (word.text === 'done') loopDepth = Math.max(0, loopDepth - 1);
      else if (word.text === 'if' || word.text === 'case') condDepth++;
      else if (word.text === 'fi' || word.text === 'esac') condDepth = Math.max(0, condDepth - 1);
      continue;
    }
    const cmd = start();
    if (cmd.argv.length === 0 && !word.quoted && /^[A-Za-z_][A-Za-z0-9_]*=/.test(word.text)) {
      const eq = word.text.indexOf('=');
      cmd.assignments[word.text.slice(0, eq)] = word.text.slice(eq + 1);
      continue;
    }
    if (word.uncertain) cmd.uncertain.push(word.uncertain);
    cmd.argv.push(word.text);
  }
  finish();
  // `for x in a b` leaves `x` and the list as a command named `x`: drop such loop headers.
  return commands.filter((c) => !(c.inLoop && c.argv.length > 1 && c.argv[1] === 'in'));
}
