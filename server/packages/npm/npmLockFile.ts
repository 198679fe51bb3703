// The packages a lock file (package-lock.json / npm-shrinkwrap.json) puts in node_modules:
// lockfileVersion 2 and 3 list them in `packages` keyed by install path; version 1 nests them
// in `dependencies`. npm's filters: dev / optional / devOptional / peer flags against --omit,
// and `os` / `cpu` / `libc` against the platform (a failed optional is skipped).
import type { NpmInstallOptions } from './npmInstallOptions';

export interface LockedPackage {
  /** Install path relative to the project (`node_modules/a/node_modules/b`). */
  path: string;
  name: string;
  version: string;
  /** Tarball URL (`resolved`), when it is a registry or URL package. */
  resolved?: string;
  /** A symlink (workspace or `file:` dependency) rather than a package tree. */
  link: boolean;
  /** Bin names (each a symlink in node_modules/.bin). */
  bins: string[];
}

interface LockEntry {
  name?: string;
  version?: string;
  resolved?: string;
  link?: boolean;
  dev?: boolean;
  optional?: boolean;
  devOptional?: boolean;
  peer?: boolean;
  inBundle?: boolean;
  os?: string[];
  cpu?: string[];
  libc?: string[];
  bin?: Record<string, string> | string;
  dependencies?: Record<string, LockEntry>;
  bundled?: boolean;
}

interface LockFile {
  lockfileVersion?: number;
  packages?: Record<string, LockEntry>;
  dependencies?: Record<string, LockEntry>;
}

export interface Platform {
  /** Node's `process.platform` names: linux. */
  os: string;
  /** Node's `process.arch` names: x64, arm64, arm, ia32, ppc64, s390x. */
  cpu: string;
  libc: 'glibc' | 'musl';
}

/** `linux/amd64` (OCI) -> Node's names; Alpine images use musl. */
export function nodePlatform(platform: string, baseImage: string | undefined): Platform {
  const [os = 'linux', arch = 'amd64'] = platform.split('/');
  const cpu: Record<string, string> = { amd64: 'x64', arm64: 'arm64', arm: 'arm', '386': 'ia32', ppc64le: 'ppc64', s390x: 's390x' };
  return { os, cpu: cpu[arch] ?? arch, libc: /alpine/.test(baseImage ?? '') ? 'musl' : 'glibc' };
}

/** npm's checkPlatform: a list allows its names, `!name` excludes one. */
function allows(list: string[] | undefined, value: string): boolean {
  if (!list || list.length === 0) return true;
  if (list.includes(`!${value}`)) return false;
  const positive = list.filter((x) => !x.startsWith('!'));
  return positive.length === 0 || positive.includes(value) || positive.includes('any');
}

function binsOf(name: string, bin: LockEntry['bin']): string[] {
  if (!bin) return [];
  if (typeof bin === 'string') return [name.replace(/^@[^/]+\//, '')];
  return Object.keys(bin);
}

export type LockFileParse = { ok: true; lockfileVersion: number; packages: LockedPackage[]; skipped: number } | { ok: false; reason: string };

export function lockedPackages(text: string, options: NpmInstallOptions, platform: Platform): LockFileParse {
  let lock: LockFile;
  try {
    lock = JSON.parse(text) as LockFile;
  } catch (error) {
    return { ok: false, reason: `the lock file is not JSON (${(error as Error).message})` };
  }
  if (typeof lock !== 'object' || lock === null) return { ok: false, reason: 'the lock file is not a JSON object' };
  const version = lock.lockfileVersion ?? 1;
  const omitted = (e: LockEntry): boolean =>
    (options.omitDev && e.dev === true) ||
    (options.omitOptional && e.optional === true) ||
    (options.omitDev && options.omitOptional && e.devOptional === true) ||
    (options.omitPeer && e.peer === true);
  const out: LockedPackage[] = [];
  let skipped = 0;
  if (lock.packages && version >= 2) {
    for (const [path, e] of Object.entries(lock.packages)) {
      // The root project and workspace folders are not under node_modules; bundled packages come inside their parent's tarball.
      if (!path.includes('node_modules/') || e.inBundle) continue;
      if (omitted(e)) {
        skipped++;
        continue;
      }
      if (!allows(e.os, platform.os) || !allows(e.cpu, platform.cpu) || !allows(e.libc, platform.libc)) {
        skipped++;
        continue;
      }
      const name = e.name ?? path.slice(path.lastIndexOf('node_modules/') + 'node_modules/'.length);
      out.push({ path, name, version: e.version ?? '', resolved: e.resolved, link: e.link === true, bins: binsOf(name, e.bin) });
    }
    return { ok: true, lockfileVersion: version, packages: out, skipped };
  }
  // Version 1: a nested `dependencies` tree; no os/cpu or bin information.
  const walk = (deps: Record<string, LockEntry> | undefined, prefix: string): void => {
    for (const [name, e] of Object.entries(deps ?? {})) {
      const path = `${prefix}node_modules/${name}`;
      if (e.bundled) continue;
      if (omitted(e)) {
        skipped++;
        continue;
      }
      const link = (e.version ?? '').startsWith('file:');
      out.push({ path, name, version: e.version ?? '', resolved: e.resolved, link, bins: [] });
      walk(e.dependencies, `${path}/`);
    }
  };
  walk(lock.dependencies, '');
  return { ok: true, lockfileVersion: version, packages: out, skipped };
}
