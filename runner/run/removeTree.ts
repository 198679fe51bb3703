// Removes a container's directory. overlayfs leaves its work/work directory with mode 000, which a
// user cannot descend into until it is made accessible again.
import * as fs from 'fs';
import * as path from 'path';
import { ContainerError } from './containerError';

function makeAccessible(dir: string): void {
  try {
    fs.chmodSync(dir, 0o700);
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      if (entry.isDirectory()) makeAccessible(path.join(dir, entry.name));
    }
  } catch {
    // not ours: rm reports it
  }
}

export function removeTree(dir: string): void {
  try {
    fs.rmSync(dir, { recursive: true, force: true });
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code !== 'EACCES' && code !== 'EPERM') throw err;
    makeAccessible(dir);
    try {
      fs.rmSync(dir, { recursive: true, force: true });
    } catch (again) {
      throw new ContainerError(`cannot remove ${dir}: ${(again as Error).message}`);
    }
  }
}
