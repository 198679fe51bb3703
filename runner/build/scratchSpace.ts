// Temporary directories and files of one build, all in the store's tmp/ (same file system as
// layers/, so finished layers move into place by rename). Named with this process's pid, so a
// build that was killed leaves only what `layerlens prune` recognises as stale.
import * as fs from 'fs';
import type { ImageStore } from '../store/imageStore';
import { removeTree } from '../store/imageStore';

export class ScratchSpace {
  private readonly paths = new Set<string>();

  constructor(private readonly store: ImageStore) {}

  /** A new empty directory (mode 0755). */
  async dir(label: string): Promise<string> {
    const p = this.store.tempPath(label);
    await fs.promises.mkdir(p, { mode: 0o755 });
    this.paths.add(p);
    return p;
  }

  /** A path for a new file; removed at cleanup unless `release`d. */
  file(label: string): string {
    const p = this.store.tempPath(label);
    this.paths.add(p);
    return p;
  }

  /** Forget a path that was moved into the store (or removed) by its user. */
  release(p: string): void {
    this.paths.delete(p);
  }

  async remove(p: string): Promise<void> {
    this.paths.delete(p);
    await removeTree(p).catch(() => undefined);
  }

  /** Removes everything still held. */
  async cleanup(): Promise<void> {
    const all = [...this.paths];
    this.paths.clear();
    await Promise.all(all.map((p) => removeTree(p).catch(() => undefined)));
  }
}
