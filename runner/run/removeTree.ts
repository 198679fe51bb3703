// Removes a container's directory. overlayfs leaves its work/work directory with mode 000, which a
// user cannot descend into until it is made accessible again; and a rootless container with a
// subordinate id range leaves files owned by those ids, which only a user namespace with the same
// map can delete (the helper's `rmtree` mode).
import { spawn } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { ContainerError } from './containerError';
import { helperBinary } from './helperBinary';
import { encodeRecords, idMappingRecords } from './helperRequest';
import { decideIdMapping } from './idMapping';

function makeAccessible(dir: string): void {
  try {
    fs.chmodSync(dir, 0o700);
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      if (entry.isDirectory()) makeAccessible(path.join(dir, entry.name));
    }
  } catch {
    // not ours: the user namespace removal below deals with it
  }
}

function removeInUserNamespace(dir: string): Promise<void> {
  const spec = encodeRecords([...idMappingRecords(decideIdMapping()), `remove=${dir}`]);
  return new Promise((resolve, reject) => {
    const child = spawn(helperBinary(), ['rmtree'], { stdio: ['ignore', 'ignore', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr?.on('data', (d: Buffer) => { stderr += d.toString(); });
    (child.stdio[3] as NodeJS.WritableStream).end(spec);
    child.on('error', reject);
    child.on('close', (code) => (code === 0 ? resolve() : reject(new ContainerError(`cannot remove ${dir}: ${stderr.trim() || `helper exited ${code}`}`))));
  });
}

/** A plain depth-first removal: a container's directory is small, and fs.rmSync's recursive mode costs more to load than to run. */
function removeRecursively(target: string): void {
  let entries: fs.Dirent[];
  try {
    entries = fs.readdirSync(target, { withFileTypes: true });
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return;
    if (code !== 'ENOTDIR') throw err;
    fs.unlinkSync(target);
    return;
  }
  for (const entry of entries) {
    const child = path.join(target, entry.name);
    if (entry.isDirectory()) removeRecursively(child);
    else fs.unlinkSync(child);
  }
  fs.rmdirSync(target);
}

export async function removeTree(dir: string): Promise<void> {
  try {
    removeRecursively(dir);
    return;
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code !== 'EACCES' && code !== 'EPERM' && code !== 'ENOTEMPTY') throw err;
  }
  makeAccessible(dir);
  try {
    removeRecursively(dir);
  } catch (err) {
    if (process.getuid?.() === 0) throw new ContainerError(`cannot remove ${dir}: ${(err as Error).message}`);
    await removeInUserNamespace(dir);
  }
}

/** unlink, where a missing file is fine (fs.rmSync would load its whole recursive machinery). */
export function removeFile(file: string): void {
  try {
    fs.unlinkSync(file);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
  }
}
