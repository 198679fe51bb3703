// Resolves a path inside a root directory the way the kernel would after chroot(root): symlinks
// are followed, absolute targets restart at `root`, `..` stops at `root`. The result is always
// `root` or below it, so writes through it cannot escape. Nothing else may write into `root`
// while this runs (the store keeps layer directories private to one unpacker).
import * as fs from 'fs';
import * as path from 'path';

const MAX_SYMLINKS = 40;

export class PathEscapeError extends Error {}

/** Resolves every component of `parts` (symlinks included) inside `root`. */
export function resolveInRoot(root: string, parts: readonly string[]): string {
  let resolved: string[] = [];
  const queue = [...parts];
  let links = 0;
  while (queue.length > 0) {
    const part = queue.shift() as string;
    if (part === '' || part === '.') continue;
    if (part === '..') {
      resolved.pop();
      continue;
    }
    const candidate = path.join(root, ...resolved, part);
    let stat: fs.Stats;
    try {
      stat = fs.lstatSync(candidate);
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      if (code === 'ENOENT') {
        resolved.push(part);
        continue;
      }
      if (code === 'ENOTDIR') throw new PathEscapeError(`'${path.join(...resolved, part)}' goes through something that is not a directory`);
      throw err;
    }
    if (stat.isSymbolicLink()) {
      if (++links > MAX_SYMLINKS) throw new PathEscapeError(`too many levels of symbolic links at '${parts.join('/')}'`);
      const target = fs.readlinkSync(candidate);
      if (target.startsWith('/')) resolved = [];
      queue.unshift(...target.split('/'));
      continue;
    }
    resolved.push(part);
  }
  return path.join(root, ...resolved);
}

/** Splits a tar entry name into components: leading `/` and `./` dropped, `..` refused. */
export function splitEntryPath(name: string): string[] {
  if (name.includes('\0')) throw new PathEscapeError(`entry name contains a NUL byte`);
  const parts = name.split('/').filter((p) => p !== '' && p !== '.');
  if (parts.includes('..')) throw new PathEscapeError(`'${name}' contains '..'`);
  return parts;
}

/** True when `p` is `root` or inside it (lexically). */
export function isInside(root: string, p: string): boolean {
  const rel = path.relative(root, p);
  return rel === '' || (rel !== '..' && !rel.startsWith('../') && !path.isAbsolute(rel));
}
