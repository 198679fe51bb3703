// The size of a container's writable layer (overlay's upper directory), as `docker ps --size`
// counts it: the bytes of the files the container created or changed; a file with several hard
// links counts once, directories and whiteouts count nothing. Symlinks are never followed.
import * as fs from 'fs';
import * as path from 'path';

export interface WritableLayerSize {
  bytes: number;
  /** Directories that could not be read (the sum leaves them out). */
  unreadable: number;
}

export async function measureWritableLayer(upper: string): Promise<WritableLayerSize> {
  const seen = new Set<string>();
  let bytes = 0;
  let unreadable = 0;
  const pending = [upper];
  for (let dir = pending.pop(); dir !== undefined; dir = pending.pop()) {
    let entries: fs.Dirent[];
    try {
      entries = await fs.promises.readdir(dir, { withFileTypes: true });
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') unreadable++;
      continue;
    }
    for (const entry of entries) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) {
        pending.push(full);
        continue;
      }
      if (!entry.isFile() && !entry.isSymbolicLink()) continue;
      try {
        const stat = await fs.promises.lstat(full, { bigint: false });
        if (stat.nlink > 1) {
          const inode = `${stat.dev}:${stat.ino}`;
          if (seen.has(inode)) continue;
          seen.add(inode);
        }
        bytes += stat.size;
      } catch {
        // Removed meanwhile (a running container changes its layer).
      }
    }
  }
  return { bytes, unreadable };
}
