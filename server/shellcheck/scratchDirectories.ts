// Temporary directories for shellcheck's script files. A server that exits while a batch runs
// (the editor closed, a bench or test stopped it) would leave its directory in /tmp: directories
// under way are removed when the process exits, and the first batch of a process removes those of
// processes that are gone (killed before they could), as their names carry the process id.
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

const PREFIX = 'layerlens-shellcheck-';
const live = new Set<string>();
let hooked = false;
let swept = false;

/** A new private directory for one batch; removed by `removeScratchDirectory` or at process exit. */
export async function makeScratchDirectory(root = os.tmpdir()): Promise<string> {
  if (!swept) {
    swept = true;
    // In the background: reading /tmp need not hold up the first batch.
    void sweepLeftovers(root);
  }
  if (!hooked) {
    hooked = true;
    process.on('exit', () => {
      for (const dir of live) fs.rmSync(dir, { recursive: true, force: true });
    });
  }
  const dir = await fs.promises.mkdtemp(path.join(root, `${PREFIX}${process.pid}-`));
  live.add(dir);
  return dir;
}

export async function removeScratchDirectory(dir: string): Promise<void> {
  try {
    await fs.promises.rm(dir, { recursive: true, force: true });
  } finally {
    live.delete(dir);
  }
}

/** Removes this user's scratch directories whose process no longer runs; resolves with their names. */
export async function sweepLeftovers(root = os.tmpdir()): Promise<string[]> {
  const removed: string[] = [];
  let names: string[];
  try {
    names = await fs.promises.readdir(root);
  } catch {
    return removed;
  }
  const uid = process.getuid?.();
  for (const name of names) {
    const pid = /^layerlens-shellcheck-(\d+)-[A-Za-z0-9]{6}$/.exec(name)?.[1];
    if (!pid || Number(pid) === process.pid || running(Number(pid))) continue;
    const dir = path.join(root, name);
    try {
      const stat = await fs.promises.lstat(dir);
      if (!stat.isDirectory() || (uid !== undefined && stat.uid !== uid)) continue;
      await fs.promises.rm(dir, { recursive: true, force: true });
      removed.push(name);
    } catch { /* removed meanwhile */ }
  }
  return removed;
}

function running(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it runs, as another user.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
