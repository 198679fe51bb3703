// `layerlens run` flags (the ones Docker users know), checked and turned into values.
import * as fs from 'fs';
import * as path from 'path';
import { ContainerError } from './containerError';
import type { MountSpec, NetworkMode, ResourceLimits, Rlimit } from './containerSpec';
import { listFlag, parseFlags, stringFlag, type FlagDef } from './parseFlags';
import { parseSize } from './parseSize';

export interface RunOptions {
  /** The image reference, or undefined with --rootfs. */
  image?: string;
  /** `--rootfs DIR` (as in podman): a directory used as the only, read-only lower layer. */
  rootfsDir?: string;
  /** Arguments after the image: the command (or the entrypoint's arguments). */
  command: string[];
  remove: boolean;
  detach: boolean;
  interactive: boolean;
  tty: boolean;
  readOnly: boolean;
  name?: string;
  /** `--entrypoint`; '' clears the image's. */
  entrypoint?: string;
  /** KEY=VALUE in the order given (-e, --env-file). */
  env: string[];
  workdir?: string;
  user?: string;
  hostname?: string;
  network: NetworkMode;
  mounts: MountSpec[];
  limits: ResourceLimits;
  rlimits: Rlimit[];
}

export const runFlagDefs: Record<string, FlagDef> = {
  rm: {}, detach: { short: 'd' }, interactive: { short: 'i' }, tty: { short: 't' }, 'read-only': {},
  name: { value: true }, env: { short: 'e', value: true, multiple: true }, 'env-file': { value: true, multiple: true },
  workdir: { short: 'w', value: true }, user: { short: 'u', value: true }, hostname: { value: true },
  entrypoint: { value: true }, network: { value: true }, net: { value: true },
  volume: { short: 'v', value: true, multiple: true }, tmpfs: { value: true, multiple: true },
  memory: { short: 'm', value: true }, cpus: { value: true }, 'pids-limit': { value: true },
  ulimit: { value: true, multiple: true }, rootfs: { value: true },
};

/** `-e KEY=VALUE`, or `-e KEY` to pass this process's value (dropped when unset, as Docker does). */
export function envEntry(text: string, hostEnv: NodeJS.ProcessEnv): string | undefined {
  const eq = text.indexOf('=');
  if (eq === 0) throw new ContainerError(`invalid environment variable '${text}': empty name`, 2);
  if (eq > 0) return text;
  const value = hostEnv[text];
  return value === undefined ? undefined : `${text}=${value}`;
}

export function readEnvFile(file: string, hostEnv: NodeJS.ProcessEnv): string[] {
  let content: string;
  try {
    content = fs.readFileSync(file, 'utf8');
  } catch (err) {
    throw new ContainerError(`--env-file ${file}: ${(err as Error).message}`, 2);
  }
  const entries: string[] = [];
  content.split('\n').forEach((raw, i) => {
    const line = raw.replace(/\r$/, '');
    if (!line.trim() || line.trimStart().startsWith('#')) return;
    if (line.startsWith('=') || /\s/.test(line.split('=')[0])) throw new ContainerError(`${file}:${i + 1}: '${line}' is not KEY=VALUE`, 2);
    const entry = envEntry(line, hostEnv);
    if (entry) entries.push(entry);
  });
  return entries;
}

/** `-v HOST:CONTAINER[:ro|rw]`; HOST absolute or ./relative (named volumes are not supported). */
export function parseVolume(text: string, cwd = process.cwd()): MountSpec {
  const parts = text.split(':');
  if (parts.length < 2 || parts.length > 3) throw new ContainerError(`-v ${text}: expected HOST:CONTAINER[:ro]`, 2);
  const [host, target, mode = 'rw'] = parts;
  if (!host.startsWith('/') && !host.startsWith('.')) {
    throw new ContainerError(`-v ${text}: '${host}' is not a path: named volumes are not supported, give an absolute host path`, 2);
  }
  if (!target.startsWith('/')) throw new ContainerError(`-v ${text}: the container path '${target}' must be absolute`, 2);
  if (mode !== 'ro' && mode !== 'rw') throw new ContainerError(`-v ${text}: unknown option '${mode}' (ro or rw)`, 2);
  const source = path.resolve(cwd, host);
  if (!fs.existsSync(source)) fs.mkdirSync(source, { recursive: true }); // as Docker does
  return { type: 'bind', source, target: path.posix.normalize(target), readOnly: mode === 'ro' };
}

/** `--tmpfs /run[:size=64m,mode=1777,noexec]` */
export function parseTmpfs(text: string): MountSpec {
  const colon = text.indexOf(':');
  const target = colon < 0 ? text : text.slice(0, colon);
  if (!target.startsWith('/')) throw new ContainerError(`--tmpfs ${text}: the container path must be absolute`, 2);
  const options = colon < 0 ? [] : text.slice(colon + 1).split(',').filter(Boolean);
  for (const o of options) {
    if (!/^(ro|rw|nosuid|nodev|noexec|size=\d+[kmg%]?|mode=[0-7]{3,4}|nr_inodes=\d+[kmg]?|uid=\d+|gid=\d+)$/.test(o)) {
      throw new ContainerError(`--tmpfs ${text}: unsupported option '${o}'`, 2);
    }
  }
  return { type: 'tmpfs', target: path.posix.normalize(target), options };
}

/** `--ulimit nofile=1024[:2048]` */
export function parseUlimit(text: string): Rlimit {
  const m = /^([a-z]+)=(-?\d+|unlimited)(?::(-?\d+|unlimited))?$/.exec(text);
  const names = ['as', 'core', 'cpu', 'data', 'fsize', 'locks', 'memlock', 'msgqueue', 'nice', 'nofile', 'nproc', 'rss', 'rtprio', 'rttime', 'sigpending', 'stack'];
  if (!m || !names.includes(m[1])) throw new ContainerError(`--ulimit ${text}: expected NAME=SOFT[:HARD] with NAME one of ${names.join(', ')}`, 2);
  const value = (v: string) => (v === 'unlimited' || v === '-1' ? 'unlimited' as const : Number(v));
  const soft = value(m[2]);
  return { name: m[1].toUpperCase() as Rlimit['name'], soft, hard: m[3] ? value(m[3]) : soft };
}

export function parseRunOptions(args: string[], hostEnv: NodeJS.ProcessEnv = process.env): RunOptions {
  const { flags, positionals } = parseFlags(args, runFlagDefs, true);
  const rootfsDir = stringFlag(flags, 'rootfs');
  const image = rootfsDir ? undefined : positionals[0];
  const command = rootfsDir ? positionals : positionals.slice(1);
  if (!rootfsDir && !image) throw new ContainerError('run needs an image: layerlens run [OPTIONS] IMAGE [COMMAND] [ARG...]', 2);
  const network = stringFlag(flags, 'network') ?? stringFlag(flags, 'net') ?? 'none';
  if (network !== 'none' && network !== 'host') throw new ContainerError(`--network ${network}: only 'none' and 'host' are supported`, 2);
  const env: string[] = [];
  for (const file of listFlag(flags, 'env-file')) env.push(...readEnvFile(file, hostEnv));
  for (const e of listFlag(flags, 'env')) {
    const entry = envEntry(e, hostEnv);
    if (entry) env.push(entry);
  }
  const limits: ResourceLimits = {};
  const memory = stringFlag(flags, 'memory');
  if (memory) limits.memoryBytes = parseSize(memory, '--memory');
  const cpus = stringFlag(flags, 'cpus');
  if (cpus !== undefined) {
    if (!/^\d+(\.\d+)?$/.test(cpus) || Number(cpus) <= 0) throw new ContainerError(`--cpus ${cpus}: expected a positive number like 0.5 or 2`, 2);
    limits.cpus = Number(cpus);
  }
  const pids = stringFlag(flags, 'pids-limit');
  if (pids !== undefined) {
    if (!/^\d+$/.test(pids) || Number(pids) < 1) throw new ContainerError(`--pids-limit ${pids}: expected a positive whole number`, 2);
    limits.pids = Number(pids);
  }
  const workdir = stringFlag(flags, 'workdir');
  if (workdir !== undefined && !workdir.startsWith('/')) throw new ContainerError(`-w ${workdir}: the working directory must be absolute`, 2);
  const hostname = stringFlag(flags, 'hostname');
  if (hostname !== undefined && !/^[A-Za-z0-9]([A-Za-z0-9.-]{0,62})$/.test(hostname)) throw new ContainerError(`--hostname ${hostname}: not a valid host name`, 2);
  const remove = flags.rm === true;
  const detach = flags.detach === true;
  return {
    image, rootfsDir: rootfsDir ? path.resolve(rootfsDir) : undefined, command,
    remove, detach, interactive: flags.interactive === true, tty: flags.tty === true, readOnly: flags['read-only'] === true,
    name: stringFlag(flags, 'name'), entrypoint: stringFlag(flags, 'entrypoint'), env, workdir, user: stringFlag(flags, 'user'), hostname,
    network, mounts: [...listFlag(flags, 'volume').map((v) => parseVolume(v)), ...listFlag(flags, 'tmpfs').map(parseTmpfs)],
    limits, rlimits: listFlag(flags, 'ulimit').map(parseUlimit),
  };
}
