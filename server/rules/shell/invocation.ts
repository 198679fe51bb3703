// What a shell command runs: the program (with `sudo`, `env`, `exec`... unwrapped), its
// subcommand, options and operands, for rules about package managers and file commands.
import type { ShellCommand, ShellWord } from '../../parser/shell/shellCommands';

export interface Invocation {
  /** Program name without directory (`/usr/bin/apt-get` -> `apt-get`). */
  name: string;
  nameWord: ShellWord;
  /** Arguments after the program name. */
  args: ShellWord[];
  command: ShellCommand;
  /** The `sudo` word when the program was run through sudo. */
  sudo?: ShellWord;
}

const WRAPPERS: Record<string, ReadonlySet<string>> = {
  // wrapper -> its options that take a separate value
  sudo: new Set(['-u', '-g', '-C', '-D', '-h', '-p', '-r', '-t', '-U', '-T', '--user', '--group', '--chdir']),
  env: new Set(['-u', '--unset', '-C', '--chdir', '-S', '--split-string']),
  exec: new Set(['-a']),
  command: new Set(),
  nohup: new Set(),
  time: new Set(['-f', '-o']),
  nice: new Set(['-n', '--adjustment']),
  stdbuf: new Set(['-i', '-o', '-e']),
  ionice: new Set(['-c', '-n', '-p']),
};

export function baseName(word: string): string {
  const slash = word.lastIndexOf('/');
  return slash >= 0 ? word.slice(slash + 1) : word;
}

// Commands come from a parse cache shared across lint runs, so their invocations can be kept too.
const invocations = new WeakMap<ShellCommand, Invocation | null>();

/** The program a command runs, or undefined for an empty command (cached per command). */
export function invocationOf(command: ShellCommand): Invocation | undefined {
  let known = invocations.get(command);
  if (known === undefined) invocations.set(command, (known = unwrap(command) ?? null));
  return known ?? undefined;
}

function unwrap(command: ShellCommand): Invocation | undefined {
  const words = command.words;
  let i = 0;
  let sudo: ShellWord | undefined;
  while (i < words.length) {
    const name = baseName(words[i].value);
    const wrapperOptions = WRAPPERS[name];
    if (!wrapperOptions) break;
    if (name === 'sudo') sudo = words[i];
    i++;
    while (i < words.length) {
      const w = words[i].value;
      if (w === '--') {
        i++;
        break;
      }
      if (name === 'env' && /^[A-Za-z_][A-Za-z0-9_]*=/.test(w)) {
        i++;
        continue;
      }
      if (!w.startsWith('-') || w === '-') break;
      i += wrapperOptions.has(w) ? 2 : 1;
    }
  }
  if (i >= words.length) return undefined;
  return { name: baseName(words[i].value), nameWord: words[i], args: words.slice(i + 1), command, sudo };
}

/** Every invocation of the given programs in `commands`. */
export function invocationsOf(commands: readonly ShellCommand[], names: ReadonlySet<string>): Invocation[] {
  const out: Invocation[] = [];
  for (const c of commands) {
    const inv = invocationOf(c);
    if (inv && names.has(inv.name)) out.push(inv);
  }
  return out;
}

export interface ParsedArgs {
  /** The first operand (e.g. `install` of `apt-get -y install x`). */
  subcommand?: ShellWord;
  /** Operands after the subcommand. */
  operands: ShellWord[];
  /** Options (words starting with `-`), with their separate values skipped. */
  options: ShellWord[];
}

const NO_VALUES: ReadonlySet<string> = new Set();
// Invocations (and so their argument arrays) are cached across lint runs: so are their splits.
const parsedArgs = new WeakMap<readonly ShellWord[], Map<ReadonlySet<string>, ParsedArgs>>();

/** Splits arguments into options and operands; `withValue` lists options that consume the next word. */
export function parseArgs(args: readonly ShellWord[], withValue: ReadonlySet<string> = NO_VALUES): ParsedArgs {
  let bySet = parsedArgs.get(args);
  if (!bySet) parsedArgs.set(args, (bySet = new Map()));
  let parsed = bySet.get(withValue);
  if (!parsed) bySet.set(withValue, (parsed = splitArgs(args, withValue)));
  return parsed;
}

function splitArgs(args: readonly ShellWord[], withValue: ReadonlySet<string>): ParsedArgs {
  const result: ParsedArgs = { operands: [], options: [] };
  let endOfOptions = false;
  for (let i = 0; i < args.length; i++) {
    const w = args[i];
    if (!endOfOptions && w.value === '--') {
      endOfOptions = true;
      continue;
    }
    if (!endOfOptions && w.value.startsWith('-') && w.value !== '-') {
      result.options.push(w);
      if (withValue.has(w.value)) i++;
      continue;
    }
    if (!result.subcommand) result.subcommand = w;
    else result.operands.push(w);
  }
  return result;
}

/**
 * Whether one of `long` (`--yes`) or a short letter (`y` in `-y`, `-qy`) is among the options.
 * Long options also match with a value (`--no-cache-dir=1`).
 */
export function hasOption(options: readonly ShellWord[], long: readonly string[], shortLetters = ''): boolean {
  return options.some((o) => {
    const v = o.value;
    if (v.startsWith('--')) return long.some((l) => v === l || v.startsWith(l + '='));
    if (shortLetters && v.startsWith('-') && v.length > 1) return [...v.slice(1)].some((c) => shortLetters.includes(c));
    return long.includes(v);
  });
}
