// The build cache: `<store>/build-cache/index.json` maps a step's build key to the layer it made
// (an uncompressed tar blob in `blobs/sha256/`, unpacked in `layers/`), or to "no change". It is
// shared by every Dockerfile built against the store and survives restarts. A hit is only used
// while its blob is still in the store; entries whose blob went (store garbage collection) are
// dropped. See docs/build.md for the file format and what the store's prune must keep.
import * as fs from 'fs';
import * as path from 'path';
import { writeFileAtomic } from '../store/atomicFile';
import { cacheDir, cacheIndexPath, readCacheIndex, type CacheEntry, type CacheIndexFile } from '../store/buildCacheIndex';
import type { ImageStore } from '../store/imageStore';
import { treeSize } from '../store/treeSize';

export { buildCacheRoots, CACHE_DIR, CACHE_INDEX, cacheDir, cacheIndexPath, readCacheIndex, type CachedLayer, type CacheEntry, type CacheIndexFile } from '../store/buildCacheIndex';

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
