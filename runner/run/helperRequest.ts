// The request the native helper reads on fd 3: NUL-terminated `key=value` records (see
// runner/native/spec.c). Nothing needs escaping: argv, env and paths cannot contain NUL.
import type { IdMapping } from './idMapping';
import type { MountSpec, NetworkMode, ProcessSpec } from './containerSpec';
import { ContainerError } from './containerError';

export interface HelperRootfs {
  lowerDirs: string[];
  upperDir?: string;
  workDir?: string;
  mountPoint: string;
  readOnly?: boolean;
}

export interface HelperRequest {
  /** Absent for `exec`, which joins `execPid`'s namespaces instead. */
  rootfs?: HelperRootfs;
  execPid?: number;
  idMapping: IdMapping;
  hostname?: string;
  network?: NetworkMode;
  mounts?: MountSpec[];
  /** cgroup directories (prepared, limits written) the process joins. */
  cgroups?: string[];
  process: ProcessSpec;
  /** Written atomically by the helper when the container ends: `exited N` or `signaled N`. */
  statusFile?: string;
  /** The container's output is copied here as well. */
  logFile?: string;
  /** argv the helper execs after the container ended (for `run --rm -d`). */
  onExit?: string[];
  /** Kill the container when the process that started the helper dies. */
  dieWithParent?: boolean;
}

/** The status fd the helper reports on (`started`, `warning`, `error`, `exited`, `signaled`). */
export const STATUS_FD = 4;

/** The records that describe the user namespace's id map. */
export function idMappingRecords(ids: IdMapping): string[] {
  const records = [`idmap=${ids.mode}`, `host-uid=${ids.hostUid}`, `host-gid=${ids.hostGid}`];
  if (ids.mode === 'subid') records.push(`subuid=${ids.subuid.start}:${ids.subuid.count}`, `subgid=${ids.subgid.start}:${ids.subgid.count}`);
  return records;
}

export function encodeRecords(records: string[]): Buffer {
  return Buffer.from(records.map((r) => `${r}\0`).join(''), 'utf8');
}

export function encodeHelperRequest(request: HelperRequest): Buffer {
  const records: string[] = [];
  const add = (key: string, value: string | number) => {
    const text = String(value);
    if (text.includes('\0')) throw new ContainerError(`${key}: a NUL character cannot be passed to a container`);
    records.push(`${key}=${text}`);
  };
  const { rootfs, process: proc } = request;
  if (rootfs) {
    rootfs.lowerDirs.forEach((dir) => add('lower', dir));
    if (rootfs.upperDir) add('upper', rootfs.upperDir);
    if (rootfs.workDir) add('work', rootfs.workDir);
    add('rootfs', rootfs.mountPoint);
    if (rootfs.readOnly) add('readonly-rootfs', 1);
  }
  if (request.execPid !== undefined) add('exec-pid', request.execPid);
  records.push(...idMappingRecords(request.idMapping));
  if (request.hostname) add('hostname', request.hostname);
  if (request.network) add('network', request.network);
  for (const m of request.mounts ?? []) {
    add('mount', m.type);
    if (m.type === 'bind') add('mount.source', m.source);
    add('mount.target', m.target);
    const options = m.type === 'bind' ? (m.readOnly ? ['ro'] : []) : (m.options ?? []);
    if (options.length) add('mount.options', options.join(','));
  }
  (request.cgroups ?? []).forEach((dir) => add('cgroup', dir));
  proc.args.forEach((arg) => add('arg', arg));
  proc.env.forEach((entry) => add('env', entry));
  add('cwd', proc.cwd);
  if (proc.user) add('user', proc.user);
  if (proc.tty) add('tty', 1);
  if (proc.privileged) add('privileged', 1);
  for (const r of proc.rlimits ?? []) add('rlimit', `${r.name}:${r.soft}:${r.hard}`);
  add('status-fd', STATUS_FD);
  if (request.statusFile) add('status-file', request.statusFile);
  if (request.logFile) add('log-file', request.logFile);
  (request.onExit ?? []).forEach((arg) => add('on-exit', arg));
  if (request.dieWithParent) add('die-with-parent', 1);
  return encodeRecords(records);
}
