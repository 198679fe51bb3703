// The container runtime creates mount points that the image lacks (/proc, /etc/hosts, a cache
// mount's target...) in the writable layer. They are not part of what the step made: afterwards,
// mount points that did not exist before are removed when they are still empty, and so are the
// directories created or copied up only to hold them.
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import type { LayerUnion } from './layerUnion';

/** What the runtime always mounts, besides the step's own mounts. */
export const RUNTIME_MOUNT_POINTS = ['/proc', '/sys', '/dev', '/etc/hosts', '/etc/hostname', '/etc/resolv.conf'];

export interface StubPlan {
  /** Resolved mount point paths that did not exist in the lower layers. */
  created: string[];
  /** Ancestors of mount points, with whether they existed below. */
  ancestors: Map<string, fs.Stats | undefined>;
}

/** Before the step: which mount points (and parents) the runtime will have to create. */
export function planStubs(union: LayerUnion, targets: readonly string[]): StubPlan {
  const created: string[] = [];
  const ancestors = new Map<string, fs.Stats | undefined>();
  for (const target of [...RUNTIME_MOUNT_POINTS, ...targets]) {
    const resolved = union.resolve(target);
    if (resolved === undefined || resolved === '/') continue;
    if (!union.lookup(resolved)) created.push(resolved);
    for (let dir = path.posix.dirname(resolved); dir !== '/'; dir = path.posix.dirname(dir)) {
      if (!ancestors.has(dir)) ancestors.set(dir, union.lookup(dir)?.stat);
    }
  }
  return { created, ancestors };
}

function emptyDir(p: string): boolean {
  try {
    return fs.readdirSync(p).length === 0;
  } catch {
    return false;
  }
}

function isOpaque(p: string): boolean {
  try {
    const out = execFileSync('getfattr', ['-h', '-d', '-m', '^(user|trusted)\\.overlay\\.opaque$', '--absolute-names', '--', p], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
    return /overlay\.opaque="y"/.test(out);
  } catch {
    return false;
  }
}

/** After the step: removes the stubs from the upper directory. */
export function removeStubs(upper: string, plan: StubPlan): void {
  const deepestFirst = (a: string, b: string) => b.split('/').length - a.split('/').length;
  for (const p of [...plan.created].sort(deepestFirst)) {
    const host = upper + p;
    let st: fs.Stats;
    try {
      st = fs.lstatSync(host);
    } catch {
      continue;
    }
    if ((st.isFile() && st.size === 0) || (st.isDirectory() && emptyDir(host))) fs.rmSync(host, { recursive: true, force: true });
  }
  for (const dir of [...plan.ancestors.keys()].sort(deepestFirst)) {
    const host = upper + dir;
    let st: fs.Stats;
    try {
      st = fs.lstatSync(host);
    } catch {
      continue;
    }
    if (!st.isDirectory() || !emptyDir(host)) continue;
    const below = plan.ancestors.get(dir);
    // New and empty: only there for a mount point. Copied up, empty and unchanged: the same.
    const unchanged = below?.isDirectory() && below.mode === st.mode && below.uid === st.uid && below.gid === st.gid && !isOpaque(host);
    if (below === undefined || unchanged) fs.rmdirSync(host);
  }
}
