// `layerlens prune` in full: first what images no longer need (untagged images, content no image,
// container or cache entry uses, stale temporary files), then the build cache (its index, its
// RUN cache mounts, and the layers only it kept). The two parts are reported apart.
import type { ImageStore } from '../store/imageStore';
import type { PruneReport } from '../store/storeTypes';
import { clearBuildCache } from './buildCache';

export interface BuildCachePruneReport {
  entries: number;
  mounts: number;
  blobsRemoved: string[];
  layersRemoved: string[];
  /** Cache mounts plus the layers only the cache kept. */
  bytesFreed: number;
}

export interface FullPruneReport {
  images: PruneReport;
  /** Absent when the cache was kept. */
  buildCache?: BuildCachePruneReport;
  bytesFreed: number;
}

/** Prunes the store, then (unless `keepBuildCache`) clears the build cache and collects what it held. */
export async function pruneStoreAndBuildCache(store: ImageStore, options: { keepBuildCache?: boolean } = {}): Promise<FullPruneReport> {
  return store.withLock(async () => {
    const images = await store.prune();
    if (options.keepBuildCache) return { images, bytesFreed: images.bytesFreed };
    const cleared = await clearBuildCache(store);
    const gc = await store.collect();
    const buildCache: BuildCachePruneReport = {
      entries: cleared.entries,
      mounts: cleared.mounts,
      blobsRemoved: gc.blobsRemoved,
      layersRemoved: gc.layersRemoved,
      bytesFreed: cleared.mountBytes + gc.bytesFreed,
    };
    return { images, buildCache, bytesFreed: images.bytesFreed + buildCache.bytesFreed };
  });
}
