// Crash-safe file writes: write a temporary file, fsync it, rename it over the target, fsync the
// directory. A reader (or a process that was killed half-way) sees the old file or the new one.
import { randomBytes } from 'crypto';
import * as fs from 'fs';
import * as path from 'path';

/** A unique temporary name inside `dir` that records the writer's pid (so cleanup can tell live from dead). */
export function tempName(dir: string, label: string): string {
  return path.join(dir, `${process.pid}-${randomBytes(6).toString('hex')}-${label}`);
}

/** The pid a `tempName` was made by, or undefined when the name is not one. */
export function tempOwnerPid(name: string): number | undefined {
  const m = /^(\d+)-[0-9a-f]{12}-/.exec(path.basename(name));
  return m ? Number(m[1]) : undefined;
}

export function processIsAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

export async function fsyncPath(p: string): Promise<void> {
  const fh = await fs.promises.open(p, 'r');
  try {
    await fh.sync();
  } finally {
    await fh.close();
  }
}

/** Writes `data` to `target` atomically, staging in `tmpDir` (same file system). */
export async function writeFileAtomic(target: string, data: string | Buffer, tmpDir: string, mode = 0o644): Promise<void> {
  const tmp = tempName(tmpDir, path.basename(target));
  const fh = await fs.promises.open(tmp, 'wx', mode);
  try {
    await fh.writeFile(data);
    await fh.sync();
  } finally {
    await fh.close();
  }
  try {
    await fs.promises.rename(tmp, target);
  } catch (err) {
    await fs.promises.rm(tmp, { force: true });
    throw err;
  }
  await fsyncPath(path.dirname(target));
}

/** Moves a finished, fsynced file or directory into place and makes the rename durable. */
export async function renameDurably(from: string, to: string): Promise<void> {
  await fs.promises.rename(from, to);
  await fsyncPath(path.dirname(to));
}
