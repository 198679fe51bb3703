// `npm ci` / `npm install` without names: the layer holds what the lock file lists under
// node_modules (filtered as npm filters it), each package as its tarball unpacks (files padded to
// tar blocks, its directories), the directories npm adds (node_modules, @scope, nested
// node_modules, .bin with a symlink per bin), the hidden lock file node_modules/.package-lock.json,
// and the parents of the project directory. The npm cache (/root/.npm/_cacache) gets the
// compressed tarballs plus an index entry each; npm's debug log (/root/.npm/_logs) and its
// update-notifier stamp stay even after `npm cache clean` (measured with npm 9 in bench/size-accuracy).
import { tarEntryBytes } from '../../plan/size/tarLayerSize';
import type { PackageInstallEstimate } from '../../plan/size/sizeReaders';
import type { LockedPackage } from './npmLockFile';

/** What a package tarball unpacks to. */
export interface TarballFacts {
  files: number;
  /** Content bytes. */
  bytes: number;
  /** Layer bytes of the files (512-byte header plus content padded to 512 each). */
  tarBytes?: number;
  /** Directories below the package root. */
  dirs?: number;
  /** The .tgz as downloaded (what the npm cache stores). */
  compressedBytes?: number;
}

const BLOCK = 512;
/** A cache index entry (`index-v5/xx/yy/<sha256>`: one JSON line naming the tarball URL twice). */
const CACHE_INDEX_BASE_BYTES = 410;
const CACHE_CONTENT_PATH = `/root/.npm/_cacache/content-v2/sha512/00/00/${'0'.repeat(124)}`;
const CACHE_INDEX_PATH = `/root/.npm/_cacache/index-v5/00/00/${'0'.repeat(60)}`;
/** _cacache, content-v2, sha512, index-v5, tmp. */
const CACHE_FIXED_DIRS = 5;
/** npm's debug log of an install: config and reify timings, the audit request. */
const LOG_FIXED_BYTES = 4096;
/** Per package the log has an audit line, a tarball line, a fetch line, a reify timing and an ADD line. */
const LOG_PER_PACKAGE_BYTES = 200;

export interface ProjectLayer {
  installedBytes: number;
  cacheBytes: number;
  /** npm's debug log of the install (kept in the cache directory, not removed by `npm cache clean`). */
  logBytes: number;
  /** Packages whose tarball size is unknown. */
  unsized: string[];
}

/** Expected distinct buckets when `n` keys hash uniformly into `buckets`. */
function distinctBuckets(n: number, buckets: number): number {
  return buckets * (1 - Math.pow(1 - 1 / buckets, n));
}

/** The cache's tree (cacache): content-v2/sha512/xx/yy/<hash> and index-v5/xx/yy/<hash> per tarball. */
export function npmCacheBytes(entries: readonly { compressedBytes: number; url: string }[]): number {
  if (entries.length === 0) return 0;
  const dirs = CACHE_FIXED_DIRS + 2 * Math.round(distinctBuckets(entries.length, 256) + distinctBuckets(entries.length, 65536));
  let bytes = dirs * BLOCK;
  for (const e of entries) {
    // Content files are named by their sha512 in hex (126 characters after xx/yy): a PAX header each.
    bytes += tarEntryBytes({ path: CACHE_CONTENT_PATH, kind: 'file', size: e.compressedBytes });
    bytes += tarEntryBytes({ path: CACHE_INDEX_PATH, kind: 'file', size: CACHE_INDEX_BASE_BYTES + 2 * e.url.length });
  }
  return bytes;
}

/** The size of npm's debug log for an install of these packages (its lines name each one's path, name and URL). */
export function npmInstallLogBytes(packages: readonly { path: string; name: string; version: string; url?: string }[]): number {
  return packages.reduce((sum, p) => sum + LOG_PER_PACKAGE_BYTES + 2 * p.name.length + p.version.length + 2 * (p.url?.length ?? 0) + 2 * p.path.length, LOG_FIXED_BYTES);
}

/** Layer bytes of a project install from the locked packages and their tarball facts (and URLs, for the cache and log). */
export function projectLayerBytes(dir: string, packages: readonly LockedPackage[], facts: ReadonlyMap<LockedPackage, TarballFacts | undefined>, hiddenLockBytes: number, urls: ReadonlyMap<LockedPackage, string> = new Map()): ProjectLayer {
  const dirs = new Set<string>();
  const addDir = (p: string): void => {
    for (let d = p; d && d !== '/' && !dirs.has(d); d = d.slice(0, d.lastIndexOf('/')) || '/') dirs.add(d);
  };
  const base = dir === '/' ? '' : dir;
  addDir(`${base}/node_modules`);
  let bytes = tarEntryBytes({ path: `${base}/node_modules/.package-lock.json`, kind: 'file', size: hiddenLockBytes });
  const cached: { compressedBytes: number; url: string }[] = [];
  const unsized: string[] = [];
  for (const pkg of packages) {
    const path = `${base}/${pkg.path}`;
    addDir(path.slice(0, path.lastIndexOf('/')));
    const parentModules = path.slice(0, path.lastIndexOf('/node_modules/') + '/node_modules'.length);
    if (pkg.bins.length > 0) {
      addDir(`${parentModules}/.bin`);
      bytes += pkg.bins.length * BLOCK;
    }
    if (pkg.link) {
      bytes += BLOCK;
      continue;
    }
    addDir(path);
    const f = facts.get(pkg);
    if (!f) {
      unsized.push(`${pkg.name}@${pkg.version}`);
      continue;
    }
    bytes += (f.tarBytes ?? f.bytes + f.files * (BLOCK + BLOCK / 2)) + (f.dirs ?? 0) * BLOCK;
    if (f.compressedBytes !== undefined) cached.push({ compressedBytes: f.compressedBytes, url: urls.get(pkg) ?? '' });
  }
  bytes += dirs.size * BLOCK;
  const logBytes = packages.length > 0 ? npmInstallLogBytes(packages.filter((p) => !p.link).map((p) => ({ ...p, url: urls.get(p) }))) : 0;
  return { installedBytes: bytes, cacheBytes: npmCacheBytes(cached), logBytes, unsized };
}

/** The estimate a project install reports. */
export function projectEstimate(layer: ProjectLayer, packages: readonly LockedPackage[], notes: string[], confidence: PackageInstallEstimate['confidence']): PackageInstallEstimate {
  return {
    installedBytes: layer.installedBytes,
    bookkeepingBytes: 0,
    cacheBytes: layer.cacheBytes,
    cacheDir: '/root/.npm',
    files: layer.logBytes > 0 ? npmLogFiles(layer.logBytes) : undefined,
    packages: packages.map((p) => ({ name: p.name, version: p.version, installedBytes: 0 })),
    missing: [],
    confidence: layer.unsized.length > 0 ? 'low' : confidence,
    notes: layer.unsized.length > 0 ? [...notes, `size unknown for ${layer.unsized.slice(0, 3).join(', ')}${layer.unsized.length > 3 ? ` and ${layer.unsized.length - 3} more` : ''}`] : notes,
  };
}

/** What any npm command leaves in /root/.npm besides the cache: its debug log and the update-notifier stamp. */
export function npmLogFiles(logBytes: number, command = 'install'): { path: string; bytes: number }[] {
  return [
    { path: `/root/.npm/_logs/npm-${command}-debug-0.log`, bytes: logBytes },
    { path: '/root/.npm/_update-notifier-last-checked', bytes: 0 },
  ];
}
