// cgroups for a container's resource limits: memory, CPU and pids, each on cgroup v2 when the v2
// tree has the controller, else on its v1 hierarchy (hybrid layouts such as this project's CI,
// where v2 has only hugetlb). The helper only moves the container into the directories made here.
// Root uses <hierarchy>/layerlens/<id>; a user needs a delegated v2 subtree (systemd's
// user@UID.service with Delegate=yes), and is told clearly when there is none.
import * as fs from 'fs';
import * as path from 'path';
import { ContainerError } from './containerError';
import type { ResourceLimits } from './containerSpec';

export type Controller = 'memory' | 'cpu' | 'pids';

export interface CgroupLayout {
  /** Mount point of the cgroup2 tree, if any. */
  v2Root?: string;
  /** Controllers the v2 root offers. */
  v2Controllers: Set<string>;
  /** Mount points of v1 hierarchies, by controller. */
  v1Roots: Map<string, string>;
}

export interface PreparedCgroups {
  /** Directories the container joins (one per hierarchy used). */
  dirs: string[];
  /** Why some limits could not be applied (rootless without delegation). */
  warnings: string[];
}

/** Reads /proc/self/mountinfo: `... mountpoint ... - fstype source superoptions`. */
export function parseCgroupMounts(mountinfo: string, readControllers: (dir: string) => string): CgroupLayout {
  const layout: CgroupLayout = { v2Controllers: new Set(), v1Roots: new Map() };
  for (const line of mountinfo.split('\n')) {
    const [left, right] = line.split(' - ');
    if (!left || !right) continue;
    const mountPoint = left.split(' ')[4];
    const [fstype, , superOptions = ''] = right.split(' ');
    if (!mountPoint) continue;
    if (fstype === 'cgroup2' && !layout.v2Root) {
      layout.v2Root = mountPoint;
      readControllers(mountPoint).split(/\s+/).filter(Boolean).forEach((c) => layout.v2Controllers.add(c));
    } else if (fstype === 'cgroup') {
      for (const option of superOptions.split(',')) if (!layout.v1Roots.has(option)) layout.v1Roots.set(option, mountPoint);
    }
  }
  return layout;
}

export function detectCgroupLayout(): CgroupLayout {
  const read = (dir: string) => {
    try {
      return fs.readFileSync(path.join(dir, 'cgroup.controllers'), 'utf8');
    } catch {
      return '';
    }
  };
  return parseCgroupMounts(fs.readFileSync('/proc/self/mountinfo', 'utf8'), read);
}

function neededControllers(limits: ResourceLimits): Controller[] {
  const needed: Controller[] = [];
  if (limits.memoryBytes !== undefined) needed.push('memory');
  if (limits.cpus !== undefined) needed.push('cpu');
  if (limits.pids !== undefined) needed.push('pids');
  return needed;
}

function writable(dir: string): boolean {
  try {
    fs.accessSync(dir, fs.constants.W_OK);
    return true;
  } catch {
    return false;
  }
}

/** For a user: the top of the v2 subtree delegated to them above their own cgroup, if any. */
function delegatedV2Base(v2Root: string): string | undefined {
  const own = fs.readFileSync('/proc/self/cgroup', 'utf8').split('\n').find((l) => l.startsWith('0::'))?.slice(3);
  if (!own) return undefined;
  let dir = path.join(v2Root, own);
  let top: string | undefined;
  while (dir.startsWith(v2Root) && dir !== v2Root && writable(dir) && writable(path.join(dir, 'cgroup.subtree_control'))) {
    top = dir;
    dir = path.dirname(dir);
  }
  // the container needs a sibling of our own cgroup: the top must not be the cgroup we are in
  return top && top !== path.join(v2Root, own) ? top : undefined;
}

function writeFile(file: string, value: string): void {
  try {
    fs.writeFileSync(file, value);
  } catch (err) {
    throw new ContainerError(`write ${value.trim()} to ${file}: ${(err as Error).message}`);
  }
}

function enableV2Controllers(dir: string, controllers: Controller[]): void {
  const present = fs.readFileSync(path.join(dir, 'cgroup.subtree_control'), 'utf8').split(/\s+/);
  const missing = controllers.filter((c) => !present.includes(c));
  if (missing.length) writeFile(path.join(dir, 'cgroup.subtree_control'), missing.map((c) => `+${c}`).join(' '));
}

function writeLimit(dir: string, version: 1 | 2, controller: Controller, limits: ResourceLimits): void {
  const put = (name: string, value: string | number) => writeFile(path.join(dir, name), `${value}\n`);
  const optional = (name: string, value: string | number) => { if (fs.existsSync(path.join(dir, name))) put(name, value); };
  const period = 100000;
  if (controller === 'memory') {
    const bytes = limits.memoryBytes as number;
    if (version === 2) { put('memory.max', bytes); optional('memory.swap.max', 0); }
    else { put('memory.limit_in_bytes', bytes); optional('memory.memsw.limit_in_bytes', bytes); }
  } else if (controller === 'cpu') {
    const quota = Math.max(1000, Math.round((limits.cpus as number) * period));
    if (version === 2) put('cpu.max', `${quota} ${period}`);
    else { put('cpu.cfs_period_us', period); put('cpu.cfs_quota_us', quota); }
  } else {
    put('pids.max', limits.pids as number);
  }
}

function unavailableMessage(controllers: Controller[], reason: string): string {
  const flags = controllers.map((c) => ({ memory: '--memory', cpu: '--cpus', pids: '--pids-limit' })[c]).join(', ');
  return `resource limits are unavailable, ${flags} not applied: ${reason}`;
}

/** Makes the container's cgroups with `limits` written; nothing when no limit is asked for. */
export function prepareCgroups(id: string, limits: ResourceLimits | undefined, knownLayout?: CgroupLayout): PreparedCgroups {
  const needed = limits ? neededControllers(limits) : [];
  const result: PreparedCgroups = { dirs: [], warnings: [] };
  if (!limits || needed.length === 0) return result;
  const layout = knownLayout ?? detectCgroupLayout();
  const uid = process.getuid?.() ?? 0;
  const onV2 = needed.filter((c) => layout.v2Root && layout.v2Controllers.has(c));
  const onV1 = needed.filter((c) => !onV2.includes(c));

  if (onV2.length && layout.v2Root) {
    const base = uid === 0 ? layout.v2Root : delegatedV2Base(layout.v2Root);
    const delegated = base ? new Set(fs.readFileSync(path.join(base, 'cgroup.controllers'), 'utf8').split(/\s+/)) : new Set<string>();
    const usable = onV2.filter((c) => delegated.has(c));
    const refused = onV2.filter((c) => !delegated.has(c));
    if (refused.length) {
      result.warnings.push(unavailableMessage(refused, base
        ? `the cgroup v2 subtree delegated to uid ${uid} (${base}) lacks the controllers`
        : `no cgroup v2 subtree is delegated to uid ${uid} (on systemd: \`systemd-run --user --scope -p Delegate=yes layerlens run ...\`)`));
    }
    if (base && usable.length) {
      enableV2Controllers(base, usable);
      const parent = path.join(base, 'layerlens');
      fs.mkdirSync(parent, { recursive: true });
      enableV2Controllers(parent, usable);
      const dir = path.join(parent, id);
      fs.mkdirSync(dir);
      result.dirs.push(dir);
      for (const c of usable) writeLimit(dir, 2, c, limits);
    }
  }
  for (const c of onV1) {
    const root = layout.v1Roots.get(c);
    if (!root) {
      if (uid !== 0) result.warnings.push(unavailableMessage([c], `this system has no ${c} cgroup controller`));
      else throw new ContainerError(`this system has no ${c} cgroup controller (neither cgroup v2 nor a v1 hierarchy offers it)`);
      continue;
    }
    const parent = path.join(root, 'layerlens');
    if (uid !== 0 && !writable(root) && !writable(parent)) {
      result.warnings.push(unavailableMessage([c], `cgroup v1 (${root}) is not delegated to uid ${uid}: only root can create cgroups there`));
      continue;
    }
    const dir = path.join(parent, id);
    if (!result.dirs.includes(dir)) {
      fs.mkdirSync(dir, { recursive: true });
      result.dirs.push(dir);
    }
    writeLimit(dir, 1, c, limits);
  }
  return result;
}

/** Removes the container's cgroups once it has exited (retrying while the kernel lets go of them). */
export async function removeCgroups(dirs: string[]): Promise<void> {
  for (const dir of dirs) {
    for (let attempt = 0; ; attempt++) {
      try {
        fs.rmdirSync(dir);
        break;
      } catch (err) {
        const code = (err as NodeJS.ErrnoException).code;
        if (code === 'ENOENT') break;
        if (code !== 'EBUSY' || attempt >= 50) throw new ContainerError(`rmdir ${dir}: ${(err as Error).message}`);
        await new Promise((r) => setTimeout(r, 20));
      }
    }
  }
}
