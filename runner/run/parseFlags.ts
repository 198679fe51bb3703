// Docker-style flags for the container commands: `--name x`, `--name=x`, `-e K=V`, grouped booleans
// (`-it`, `-dit`), repeatable flags, and `--` or (optionally) the first positional ending the
// flags, so that `run IMAGE ls -l` leaves `-l` to the command.
import { ContainerError } from './containerError';

export interface FlagDef {
  short?: string;
  /** Takes a value. */
  value?: boolean;
  /** May be given several times (values collect in order). */
  multiple?: boolean;
}

export type FlagValues = Record<string, string | string[] | boolean | undefined>;

export interface ParsedFlags {
  flags: FlagValues;
  positionals: string[];
}

export function parseFlags(args: string[], defs: Record<string, FlagDef>, stopAtFirstPositional = false): ParsedFlags {
  const flags: FlagValues = {};
  const positionals: string[] = [];
  const byShort = new Map(Object.entries(defs).filter(([, d]) => d.short).map(([name, d]) => [d.short as string, name]));
  const set = (name: string, value: string | boolean) => {
    const def = defs[name];
    if (def.multiple) flags[name] = [...((flags[name] as string[] | undefined) ?? []), value as string];
    else flags[name] = value;
  };
  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    if (arg === '--') {
      positionals.push(...args.slice(i + 1));
      break;
    }
    if (arg.startsWith('--')) {
      const eq = arg.indexOf('=');
      const name = arg.slice(2, eq < 0 ? undefined : eq);
      const def = defs[name];
      if (!def) throw new ContainerError(`unknown flag: --${name}`, 2);
      if (!def.value) {
        if (eq >= 0) throw new ContainerError(`flag --${name} takes no value`, 2);
        set(name, true);
      } else if (eq >= 0) {
        set(name, arg.slice(eq + 1));
      } else {
        if (i + 1 >= args.length) throw new ContainerError(`flag --${name} needs a value`, 2);
        set(name, args[++i]);
      }
    } else if (arg.startsWith('-') && arg.length > 1) {
      // -x, -xVALUE, -x VALUE, or grouped booleans like -it
      for (let j = 1; j < arg.length; j++) {
        const name = byShort.get(arg[j]);
        if (!name) throw new ContainerError(`unknown flag: -${arg[j]}`, 2);
        if (!defs[name].value) {
          set(name, true);
          continue;
        }
        const rest = arg.slice(j + 1);
        if (rest) set(name, rest.startsWith('=') ? rest.slice(1) : rest);
        else if (i + 1 < args.length) set(name, args[++i]);
        else throw new ContainerError(`flag -${arg[j]} needs a value`, 2);
        break;
      }
    } else {
      positionals.push(arg);
      if (stopAtFirstPositional) {
        positionals.push(...args.slice(i + 1));
        break;
      }
    }
  }
  return { flags, positionals };
}

export function stringFlag(flags: FlagValues, name: string): string | undefined {
  const v = flags[name];
  return typeof v === 'string' ? v : undefined;
}

export function listFlag(flags: FlagValues, name: string): string[] {
  const v = flags[name];
  return Array.isArray(v) ? v : [];
}
