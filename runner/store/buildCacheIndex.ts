// The build cache's index file, as the store sees it: where it lives, how to read it, and which
// layers it keeps alive (what a store garbage collection must not remove). The build engine
// (runner/build/buildCache.ts) owns the lookups and writes; see docs/build.md for the format.
import * as fs from 'fs';
import * as path from 'path';
import type { ImageStore } from './imageStore';

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
