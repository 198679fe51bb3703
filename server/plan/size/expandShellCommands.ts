// The simple commands of a RUN script (from the parser's shell splitter) with their words and
// here-documents after quote removal and variable expansion, enough to model what a RUN writes.
// Anything that cannot be followed (command substitution, unknown variables) is flagged, never guessed.
import { SHELL_KEYWORDS, type ShellCommand, type ShellWord } from '../../parser/shell/shellCommands';
import type { PlannedStep } from '../types';

export interface Redirect {
  /** `>`, `>>`, `<`, `>&`, `&>`. */
  op: string;
  fd: number;
  target: string;
}

export interface ExpandedCommand {
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
  /** What it reads on standard input from a here-document or here-string, when known. */
  input?: string;
}

type Env = Readonly<Record<string, string | undefined>>;

/** What is uncertain about a command whose here-document's body is not in the text read (a RUN's command line). */
export const BODY_NOT_READ = 'a here-document inside the script';

interface ExpandedWord {
  text: string;
  uncertain?: string;
}

/** Characters special inside double quotes. */
const SPECIAL_IN_DOUBLE_QUOTES = new Set(['"', '\\', '$', '`']);
/** Characters special outside quotes (within a word). */
const SPECIAL_IN_WORD = new Set(['\\', "'", '"', '$', '`']);
/** Characters special in the body of a here-document whose delimiter is unquoted. */
const SPECIAL_IN_HERE_DOCUMENT = new Set(['\\', '$', '`']);

function isNameChar(ch: string): boolean {
  return /[A-Za-z0-9_]/.test(ch);
}

/** Expands one word as the shell would: quotes removed, escapes resolved, variables from `env`. */
export function expandShellWord(word: string, env: Env): ExpandedWord {
  return new WordExpander(word, env).run();
}

/** Expands the body of a here-document with an unquoted delimiter: quotes are plain characters there. */
export function expandHereDocument(body: string, env: Env): ExpandedWord {
  return new WordExpander(body, env, true).run();
}

class WordExpander {
  private i = 0;
  private text = '';
  private uncertain?: string;

  constructor(
    private readonly word: string,
    private readonly env: Env,
    /** A here-document body: quotes are plain, and `\\` escapes only `$`, `` ` ``, `\\` and newline. */
    private readonly hereDocument = false,
  ) {}

  run(): ExpandedWord {
    const t = this.word;
    const special = this.hereDocument ? SPECIAL_IN_HERE_DOCUMENT : SPECIAL_IN_WORD;
    while (this.i < t.length) {
      const ch = t[this.i];
      if (ch === '\\' && this.hereDocument && !'$`\\\n'.includes(t[this.i + 1] ?? '')) {
        this.text += ch;
        this.i++;
      } else if (ch === '\\') {
        if (t[this.i + 1] !== '\n') this.text += t[this.i + 1] ?? '';
        this.i += 2;
      } else if (this.hereDocument && (ch === "'" || ch === '"')) {
        this.text += ch;
        this.i++;
      } else if (ch === "'") {
        const end = t.indexOf("'", this.i + 1);
        this.text += t.slice(this.i + 1, end < 0 ? t.length : end);
        this.i = end < 0 ? t.length : end + 1;
      } else if (ch === '"') {
        this.doubleQuoted();
      } else if (ch === '$') {
        this.expand();
      } else if (ch === '`') {
        this.backtick();
      } else {
        // A run of plain characters in one slice (not a string per character).
        const start = this.i++;
        while (this.i < t.length && !special.has(t[this.i])) this.i++;
        this.text += t.slice(start, this.i);
      }
    }
    return { text: this.text, uncertain: this.uncertain };
  }

  private doubleQuoted(): void {
    const t = this.word;
    this.i++;
    while (this.i < t.length && t[this.i] !== '"') {
      if (t[this.i] === '\\' && '"\\$`\n'.includes(t[this.i + 1] ?? '')) {
        if (t[this.i + 1] !== '\n') this.text += t[this.i + 1];
        this.i += 2;
      } else if (t[this.i] === '$') this.expand();
      else if (t[this.i] === '`') this.backtick();
      else {
        const start = this.i++;
        while (this.i < t.length && !SPECIAL_IN_DOUBLE_QUOTES.has(t[this.i])) this.i++;
        this.text += t.slice(start, this.i);
      }
    }
    this.i++;
  }

  private expand(): void {
    const t = this.word;
    this.i++; // $
    if (t[this.i] === '(') {
      let depth = 0;
      const start = this.i - 1;
      for (; this.i < t.length; this.i++) {
        if (t[this.i] === '(') depth++;
        else if (t[this.i] === ')' && --depth === 0) break;
      }
      this.i++;
      this.uncertain ??= `command substitution ${t.slice(start, this.i)}`;
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
        this.uncertain ??= `\${${inner}}`;
        return;
      }
      name = m[1];
      fallback = m[2];
    } else {
      while (this.i < t.length && isNameChar(t[this.i])) name += t[this.i++];
      if (name === '') {
        this.text += '$';
        return;
      }
    }
    const value = this.env[name];
    if (value !== undefined && value !== '') this.text += value;
    else if (fallback !== undefined) this.text += fallback;
    else if (!(name in this.env)) this.uncertain ??= `$${name}`;
  }

  private backtick(): void {
    const end = this.word.indexOf('`', this.i + 1);
    this.uncertain ??= `command substitution ${this.word.slice(this.i, end < 0 ? undefined : end + 1)}`;
    this.i = end < 0 ? this.word.length : end + 1;
  }
}

/**
 * The variables a RUN sees, read by name only (no enumeration): ENV, else the build args (unset
 * ones empty). A view over the planner's records, not a copy: copies of both (108 variables per
 * RUN on bench/lsp's generated file), kept per (env, args) pair, held 23 MiB while the plan lived.
 */
export function shellEnvironmentOf(step: PlannedStep): Readonly<Record<string, string>> {
  const { env, args } = step;
  const fromArgs = (name: string | symbol): name is string => typeof name === 'string' && !Object.hasOwn(env, name) && Object.hasOwn(args, name);
  return new Proxy(env, {
    get: (target, name) => (fromArgs(name) ? args[name] ?? '' : Reflect.get(target, name)),
    has: (target, name) => Reflect.has(target, name) || fromArgs(name),
  });
}

function isKeyword(word: ShellWord): boolean {
  return word.text === word.value && SHELL_KEYWORDS.has(word.text);
}

function expandArgument(command: ExpandedCommand, word: ShellWord, env: Env): void {
  const { text, uncertain } = expandShellWord(word.text, env);
  if (uncertain) command.uncertain.push(uncertain);
  command.argv.push(text);
}

/** One parsed command with its words expanded from `env`; undefined for list headers and bare keywords. */
export function expandShellCommand(command: ShellCommand, env: Env): ExpandedCommand | undefined {
  if (command.header) return undefined;
  let first = 0;
  while (first < command.words.length && isKeyword(command.words[first])) first++;
  const expanded: ExpandedCommand = {
    argv: [],
    assignments: {},
    redirects: [],
    pipedFrom: command.before === '|' || command.before === '|&',
    pipedTo: command.after === '|' || command.after === '|&',
    inLoop: command.inLoop,
    conditional: command.conditional,
    uncertain: [],
  };
  for (const word of command.assignments) {
    const { text } = expandShellWord(word.text, env);
    const eq = text.indexOf('=');
    expanded.assignments[text.slice(0, eq)] = text.slice(eq + 1);
  }
  // In text order, so that what is uncertain is listed as written.
  const words = command.words.slice(first);
  let w = 0;
  for (const redirect of command.redirects) {
    const at = redirect.target?.start ?? command.end;
    for (; w < words.length && words[w].start < at; w++) expandArgument(expanded, words[w], env);
    if (redirect.op === '<<' || redirect.op === '<<-') {
      const document = redirect.hereDocument;
      const body = document && (document.expands ? expandHereDocument(document.text, env) : { text: document.text, uncertain: undefined });
      if (!body) expanded.uncertain.push(BODY_NOT_READ);
      else if (body.uncertain) expanded.uncertain.push(body.uncertain);
      else if (redirect.fd === 0) expanded.input = body.text;
      continue;
    }
    const target = expandShellWord(redirect.target?.text ?? '', env);
    if (target.uncertain) expanded.uncertain.push(target.uncertain);
    if (redirect.op === '<<<' && redirect.fd === 0) expanded.input = target.text + '\n';
    expanded.redirects.push({ op: redirect.op, fd: redirect.fd, target: target.text });
  }
  for (; w < words.length; w++) expandArgument(expanded, words[w], env);
  return expanded.argv.length > 0 || Object.keys(expanded.assignments).length > 0 ? expanded : undefined;
}

/** The commands of a script the shell runs itself (not those inside `$(...)`), expanded from `env`. */
export function expandShellCommands(commands: readonly ShellCommand[], env: Env = {}): ExpandedCommand[] {
  const out: ExpandedCommand[] = [];
  for (const command of commands) {
    if (command.nested) continue;
    const expanded = expandShellCommand(command, env);
    if (expanded) out.push(expanded);
  }
  return out;
}
