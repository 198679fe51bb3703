// `npm ci` / `npm install` without names: the layer holds what the lock file lists under
// node_modules (filtered as npm filters it), each package as its tarball unpacks (files padded to
// tar blocks, its directories), the directories npm adds (node_modules, @scope, nested
// node_modules, .bin with a symlink per bin), the hidden lock file node_modules/.package-lock.json,
// and the parents of the project directory. The npm cache (/root/.npm) gets the compressed
// tarballs plus an index entry each.
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
/** A cache index entry (`index-v5/xx/yy/<sha256>`: one JSON line with the request's metadata). */
const CACHE_INDEX_BYTES = BLOCK + 1024;
/** Cache directories per entry (content-v2/sha512/xx/yy, index-v5/xx/yy), shared only at random. */
const CACHE_DIRS_PER_ENTRY = 3;
/** The cache's debug log and bookkeeping files. */
const CACHE_FIXED_BYTES = 32 * 1024;

function padded(bytes: number): number {
  return Math.ceil(bytes / BLOCK) * BLOCK;
}

export interface ProjectLayer {
  installedBytes: number;
  cacheBytes: number;
  /** Packages whose tarball size is unknown. */
  unsized: string[];
}

/** Layer bytes of a project install from the locked packages and their tarball facts. */
export function projectLayerBytes(dir: string, packages: readonly LockedPackage[], facts: ReadonlyMap<LockedPackage, TarballFacts | undefined>, hiddenLockBytes: number): ProjectLayer {
  const dirs = new Set<string>();
  const addDir = (p: string): void => {
    for (let d = p; d && d !== '/' && !dirs.has(d); d = d.slice(0, d.lastIndexOf('/')) || '/') dirs.add(d);
  };
  const base = dir === '/' ? '' : dir;
  addDir(`${base}/node_modules`);
  let bytes = tarEntryBytes({ path: `${base}/node_modules/.package-lock.json`, kind: 'file', size: hiddenLockBytes });
  let cacheBytes = packages.length > 0 ? CACHE_FIXED_BYTES : 0;
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
    if (f.compressedBytes !== undefined) cacheBytes += BLOCK + padded(f.compressedBytes) + CACHE_INDEX_BYTES + CACHE_DIRS_PER_ENTRY * BLOCK;
  }
  bytes += dirs.size * BLOCK;
  return { installedBytes: bytes, cacheBytes, unsized };
}

/** The estimate a project install reports. */
export function projectEstimate(layer: ProjectLayer, packages: readonly LockedPackage[], notes: string[], confidence: PackageInstallEstimate['confidence']): PackageInstallEstimate {
  return {
    installedBytes: layer.installedBytes,
    bookkeepingBytes: 0,
    cacheBytes: layer.cacheBytes,
    cacheDir: '/root/.npm',
    packages: packages.map((p) => ({ name: p.name, version: p.version, installedBytes: 0 })),
    missing: [],
    confidence: layer.unsized.length > 0 ? 'low' : confidence,
    notes: layer.unsized.length > 0 ? [...notes, `size unknown for ${layer.unsized.slice(0, 3).join(', ')}${layer.unsized.length > 3 ? ` and ${layer.unsized.length - 3} more` : ''}`] : notes,
  };
}
