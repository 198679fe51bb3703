// Which plan cache keys the local build cache holds (`<store>/build-cache/index.json`, written by
// runner/build): a layer step whose key is there is reused by the next build. Read in the
// background, re-read when the file changes; a request never waits for it.
import { promises as fs } from 'fs';
import { cacheIndexPath, type CacheIndexFile } from '../../runner/build/buildCache';
import { defaultStoreRoot } from '../../runner/store/storeRoot';

export interface BuildCacheView {
  /** True when a build cached the step with this plan key; undefined while the cache is not read yet. */
  cached(planKey: string): boolean | undefined;
  /** Changes whenever a new reading is in use (for memoising figures derived from it). */
  readonly generation: number;
  /** True once read and holding no key (no build yet): nothing is cached, and no key needs working out to tell. */
  readonly empty?: boolean;
  /** Resolves once the read in progress (or a fresh one) has finished. */
  loaded(): Promise<void>;
}

export class StoreBuildCacheKeys implements BuildCacheView {
  private keys: Set<string> | undefined;
  private mtimeMs = -1;
  private checkedAt = -Infinity;
  private loading: Promise<void> | undefined;
  private readonly file: string;
  generation = 0;

  get empty(): boolean {
    return this.keys?.size === 0;
  }

  constructor(root: string = defaultStoreRoot(), private readonly maxAgeMs = 2000) {
    this.file = cacheIndexPath({ root });
  }

  cached(planKey: string): boolean | undefined {
    if (!this.loading && performance.now() - this.checkedAt > this.maxAgeMs) void this.reload();
    return this.keys?.has(planKey);
  }

  loaded(): Promise<void> {
    return this.loading ?? this.reload();
  }

  private reload(): Promise<void> {
    this.loading = this.read().finally(() => {
      this.checkedAt = performance.now();
      this.loading = undefined;
    });
    return this.loading;
  }

  private async read(): Promise<void> {
    let mtimeMs: number;
    try {
      mtimeMs = (await fs.stat(this.file)).mtimeMs;
    } catch {
      this.replace(new Set(), -1); // no build yet: nothing is cached
      return;
    }
    if (mtimeMs === this.mtimeMs && this.keys) return;
    try {
      const index = JSON.parse(await fs.readFile(this.file, 'utf8')) as Partial<CacheIndexFile>;
      const keys = new Set<string>();
      for (const entry of Object.values(index.entries ?? {})) if (typeof entry?.planKey === 'string') keys.add(entry.planKey);
      this.replace(keys, mtimeMs);
    } catch {
      // being rewritten or damaged: keep the previous reading, look again next time
    }
  }

  private replace(keys: Set<string>, mtimeMs: number): void {
    if (this.keys && this.keys.size === 0 && keys.size === 0) return;
    this.keys = keys;
    this.mtimeMs = mtimeMs;
    this.generation++;
  }
}
