// The container's process from the image config and the command line, by Docker's rules:
// --entrypoint replaces the image's Entrypoint and drops its Cmd; arguments after the image replace
// Cmd; -e overrides the image's Env by name; -w and -u override WorkingDir and User.
import { ContainerError } from './containerError';
import type { ProcessSpec, Rlimit } from './containerSpec';

/** The runtime part of an image config (OCI `config`), as far as a process needs it. */
export interface ImageRuntimeConfig {
  Entrypoint?: string[] | null;
  Cmd?: string[] | null;
  Env?: string[];
  WorkingDir?: string;
  User?: string;
}

export interface ProcessOverrides {
  entrypoint?: string;
  command: string[];
  env: string[];
  workdir?: string;
  user?: string;
  tty: boolean;
  hostname: string;
  rlimits?: Rlimit[];
}

export const DEFAULT_PATH = '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin';

/** Later entries replace earlier ones with the same name; order of first appearance is kept. */
export function mergeEnv(...lists: string[][]): string[] {
  const merged = new Map<string, string>();
  for (const list of lists) {
    for (const entry of list) {
      const eq = entry.indexOf('=');
      merged.set(eq < 0 ? entry : entry.slice(0, eq), entry);
    }
  }
  return [...merged.values()];
}

export function processFromImage(config: ImageRuntimeConfig | undefined, o: ProcessOverrides): ProcessSpec {
  const entrypoint = o.entrypoint !== undefined ? (o.entrypoint === '' ? [] : [o.entrypoint]) : (config?.Entrypoint ?? []);
  const cmd = o.command.length ? o.command : o.entrypoint !== undefined ? [] : (config?.Cmd ?? []);
  const args = [...entrypoint, ...cmd];
  if (!args.length) throw new ContainerError('no command specified: the image has no Entrypoint or Cmd; give one after the image', 2);
  const defaults = [`PATH=${DEFAULT_PATH}`, `HOSTNAME=${o.hostname}`, ...(o.tty ? ['TERM=xterm'] : [])];
  const workdir = o.workdir ?? (config?.WorkingDir || '/');
  if (!workdir.startsWith('/')) throw new ContainerError(`the working directory '${workdir}' must be absolute`, 2);
  return {
    args,
    env: mergeEnv(defaults, config?.Env ?? [], o.env),
    cwd: workdir,
    user: o.user ?? config?.User ?? '',
    tty: o.tty,
    rlimits: o.rlimits?.length ? o.rlimits : undefined,
  };
}
