// Disk use of a file or directory tree, as garbage collection reports it.
import * as fs from 'fs';
import * as path from 'path';

/** Bytes of the files under `p` (0 when it is missing; unreadable directories count as empty). */
export async function treeSize(p: string): Promise<number> {
  let st: fs.Stats;
  try {
    st = await fs.promises.lstat(p);
  } catch {
    return 0;
  }
  if (!st.isDirectory()) return st.size;
  let total = 0;
  try {
    for (const name of await fs.promises.readdir(p)) total += await treeSize(path.join(p, name));
  } catch { /* unreadable: counted as empty */ }
  return total;
}
