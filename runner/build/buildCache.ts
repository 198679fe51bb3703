// The build cache: `<store>/build-cache/index.json` maps a step's build key to the layer it made
// (an uncompressed tar blob in `blobs/sha256/`, unpacked in `layers/`), or to "no change". It is
// shared by every Dockerfile built against the store and survives restarts. A hit is only used
// while its blob is still in the store; entries whose blob went (store garbage collection) are
// dropped. See docs/build.md for the file format and what the store's prune must keep.
import * as fs from 'fs';
import * as path from 'path';
import { writeFileAtomic } from '../store/atomicFile';
import type { ImageStore } from '../store/imageStore';
import { treeSize } from '../store/treeSize';

export const CACHE_DIR = 'build-cache';
export const CACHE_INDEX = 'index.json';

export interface CachedLayer {
  /** sha256 of the uncompressed tar; also its blob digest. */
  diffId: string;
  /** Tar size in bytes. */
  size: number;
}

export interface CacheEntry {
  /** The layer the step made; absent when the step changed nothing. */
  layer?: CachedLayer;
  /** The plan's cache key of the step (what the editor shows). */
  planKey: string;
  /** The step as displayed, for people reading the file. */
  step: string;
  createdAt: string;
  usedAt: string;
}

export interface CacheIndexFile {
  version: 1;
  entries: Record<string, CacheEntry>;
}

export function cacheDir(store: Pick<ImageStore, 'root'>): string {
  return path.join(store.root, CACHE_DIR);
}

export function cacheIndexPath(store: Pick<ImageStore, 'root'>): string {
  return path.join(cacheDir(store), CACHE_INDEX);
}

/** Reads the index; a missing or unreadable file is an empty cache. */
export function readCacheIndex(store: Pick<ImageStore, 'root'>): CacheIndexFile {
  try {
    const parsed = JSON.parse(fs.readFileSync(cacheIndexPath(store), 'utf8')) as Partial<CacheIndexFile>;
    if (parsed.version === 1 && parsed.entries && typeof parsed.entries === 'object') return { version: 1, entries: parsed.entries };
  } catch {
    // no cache yet, or a damaged file: start empty
  }
  return { version: 1, entries: {} };
}

/** Blobs and unpacked layers the cache refers to (what a store garbage collection should keep). */
export function buildCacheRoots(store: Pick<ImageStore, 'root'>): { diffIds: Set<string> } {
  const diffIds = new Set<string>();
  for (const entry of Object.values(readCacheIndex(store).entries)) if (entry.layer) diffIds.add(entry.layer.diffId);
  return { diffIds };
}

/** One build's view of the cache: lookups from a snapshot, new entries written back at the end. */
export class BuildCache {
  private readonly index: CacheIndexFile;
  private readonly added = new Map<string, CacheEntry>();
  private readonly used = new Set<string>();
  private readonly dropped = new Set<string>();

  constructor(private readonly store: ImageStore, private readonly enabled: boolean) {
    this.index = enabled ? readCacheIndex(store) : { version: 1, entries: {} };
  }

  /** The entry for `buildKey`, when its layer is still in the store. */
  lookup(buildKey: string): CacheEntry | undefined {
    if (!this.enabled) return undefined;
    const entry = this.added.get(buildKey) ?? this.index.entries[buildKey];
    if (!entry) return undefined;
    if (entry.layer && !this.store.hasBlob(entry.layer.diffId)) {
      this.dropped.add(buildKey);
      return undefined;
    }
    this.used.add(buildKey);
    return entry;
  }

  record(buildKey: string, entry: Omit<CacheEntry, 'createdAt' | 'usedAt'>): void {
    const now = new Date().toISOString();
    this.added.set(buildKey, { ...entry, createdAt: now, usedAt: now });
    this.dropped.delete(buildKey);
  }

  /** Writes new entries (and drops stale ones) under the store lock, merging with other builds' changes. */
  async save(): Promise<void> {
    if (this.added.size === 0 && this.dropped.size === 0 && !this.needsTouch()) return;
    await this.store.withLock(async () => {
      const current = readCacheIndex(this.store);
      const now = new Date().toISOString();
      for (const key of this.dropped) delete current.entries[key];
      for (const key of this.used) if (current.entries[key]) current.entries[key].usedAt = now;
      for (const [key, entry] of this.added) current.entries[key] = entry;
      await fs.promises.mkdir(cacheDir(this.store), { recursive: true, mode: 0o700 });
      await writeFileAtomic(cacheIndexPath(this.store), `${JSON.stringify(current, null, 1)}\n`, this.store.tmpDir);
    });
  }

  /** Refresh `usedAt` at most once a day per entry, so fully cached builds rarely write. */
  private needsTouch(): boolean {
    const dayAgo = Date.now() - 24 * 3600 * 1000;
    for (const key of this.used) {
      const entry = this.index.entries[key];
      if (entry && Date.parse(entry.usedAt) < dayAgo) return true;
    }
    return false;
  }
}

/** What clearing the build cache removed. */
export interface ClearedBuildCache {
  entries: number;
  mounts: number;
  /** Bytes of the cache mounts (the layers only the cache held are freed by the next collection). */
  mountBytes: number;
}

/** Empties the build cache (index and RUN cache mounts). The layers it held become unreferenced. */
export async function clearBuildCache(store: ImageStore): Promise<ClearedBuildCache> {
  return store.withLock(async () => {
    const entries = Object.keys(readCacheIndex(store).entries).length;
    const mountsDir = path.join(cacheDir(store), 'mounts');
    let mounts = 0;
    try {
      mounts = (await fs.promises.readdir(mountsDir)).length;
    } catch {
      // no cache mounts
    }
    const mountBytes = mounts > 0 ? await treeSize(mountsDir) : 0;
    const trash = store.tempPath('build-cache');
    try {
      await fs.promises.rename(mountsDir, trash);
      await fs.promises.rm(trash, { recursive: true, force: true });
    } catch {
      // nothing to remove
    }
    await fs.promises.rm(cacheIndexPath(store), { force: true });
    return { entries, mounts, mountBytes };
  });
}
