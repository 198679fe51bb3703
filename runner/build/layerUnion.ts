// A read-only view of a stack of unpacked layer directories (lowest first) as overlayfs would
// show it: an upper entry hides lower ones, a 0:0 character device is a whiteout, a directory
// marked opaque (user.overlay.opaque / trusted.overlay.opaque) hides everything below it.
// Paths inside the view are absolute image paths; symlinks resolve inside the view, never
// outside it (absolute targets restart at its root, `..` stops there). Synchronous: COPY and
// --mount read it while walking sources.
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import type { FileKind, FileNode } from '../../server/plan/size/fileTree';
import { parseXattrDump } from './readXattrs';

const MAX_LINKS = 255;

function lstat(p: string): fs.Stats | undefined {
  try {
    return fs.lstatSync(p);
  } catch {
    return undefined;
  }
}

function isWhiteout(st: fs.Stats): boolean {
  return st.isCharacterDevice() && st.rdev === 0;
}

function kindOf(st: fs.Stats): FileKind {
  if (st.isDirectory()) return 'dir';
  if (st.isFile()) return 'file';
  if (st.isSymbolicLink()) return 'symlink';
  return 'other';
}

/** Splits an image path into its components ('' and '.' dropped; '..' kept). */
/** What symlink resolution needs to know of a path in a view: whether it is a link, and where it lives. */
export type ViewLookup = (p: string) => { isSymlink: boolean; hostPath: string } | undefined;

/**
 * Resolves `p` inside a view, following symlinks (the last component too when `followLast`);
 * absolute targets restart at the view's root and `..` never climbs above it. Components that do
 * not exist are kept as written. Returns a clean absolute path, or undefined on a symlink loop.
 */
export function resolveSymlinks(p: string, followLast: boolean, lookup: ViewLookup): string | undefined {
  const pending = pathParts(p);
  const resolved: string[] = [];
  let hops = 0;
  while (pending.length > 0) {
    const part = pending.shift() as string;
    if (part === '..') {
      resolved.pop();
      continue;
    }
    const entry = lookup('/' + [...resolved, part].join('/'));
    if (entry?.isSymlink && (pending.length > 0 || followLast)) {
      if (++hops > MAX_LINKS) return undefined;
      const target = fs.readlinkSync(entry.hostPath);
      if (target.startsWith('/')) resolved.length = 0;
      pending.unshift(...pathParts(target));
      continue;
    }
    resolved.push(part);
  }
  return '/' + resolved.join('/');
}

export function pathParts(p: string): string[] {
  return p.split('/').filter((part) => part !== '' && part !== '.');
}

function join(dir: string, name: string): string {
  return dir === '/' ? `/${name}` : `${dir}/${name}`;
}

/** Where an image path is found: the layer directory holding it and its stat. */
export interface UnionEntry {
  hostPath: string;
  stat: fs.Stats;
}

export class LayerUnion {
  private readonly stacks = new Map<string, number[] | null>();
  private readonly opaque = new Map<number, Set<string>>();

  /** `layers`: unpacked layer directories, lowest first. */
  constructor(readonly layers: readonly string[]) {}

  /** Layer indices (top first) whose directory `dir` makes up the merged directory; null: not a directory. */
  private stackOf(dir: string): number[] | null {
    const cached = this.stacks.get(dir);
    if (cached !== undefined) return cached;
    let stack: number[] | null;
    if (dir === '/') {
      stack = this.layers.map((_, i) => this.layers.length - 1 - i);
    } else {
      const parent = this.stackOf(path.posix.dirname(dir));
      stack = parent ? this.childStack(parent, dir) : null;
    }
    this.stacks.set(dir, stack);
    return stack;
  }

  private childStack(parentStack: number[], child: string): number[] | null {
    const stack: number[] = [];
    for (const layer of parentStack) {
      const st = lstat(this.layers[layer] + child);
      if (!st) continue;
      if (isWhiteout(st) || !st.isDirectory()) break;
      stack.push(layer);
      if (this.isOpaque(layer, child)) break;
    }
    return stack.length > 0 ? stack : null;
  }

  private isOpaque(layer: number, dir: string): boolean {
    if (layer === 0) return false; // nothing below to hide
    let set = this.opaque.get(layer);
    if (!set) {
      set = new Set();
      const root = this.layers[layer];
      let out = '';
      try {
        out = execFileSync('getfattr', ['-R', '-P', '-d', '-m', '^(user|trusted)\\.overlay\\.opaque$', '-e', 'text', '--absolute-names', '--', root], { encoding: 'utf8', maxBuffer: 1 << 26, stdio: ['ignore', 'pipe', 'ignore'] });
      } catch (err) {
        out = (err as { stdout?: string }).stdout ?? '';
      }
      for (const [file, attrs] of parseXattrDump(out)) {
        const value = attrs.get('user.overlay.opaque') ?? attrs.get('trusted.overlay.opaque');
        if (value?.toString() === 'y') set.add(file.slice(root.length) || '/');
      }
      this.opaque.set(layer, set);
    }
    return set.has(dir);
  }

  /** The entry at `p` itself (no symlink is followed anywhere along the path). */
  lookup(p: string): UnionEntry | undefined {
    const clean = path.posix.resolve('/', p);
    if (clean === '/') {
      const top = this.layers[this.layers.length - 1];
      return top ? { hostPath: top, stat: fs.lstatSync(top) } : undefined;
    }
    const parent = this.stackOf(path.posix.dirname(clean));
    if (!parent) return undefined;
    for (const layer of parent) {
      const hostPath = this.layers[layer] + clean;
      const st = lstat(hostPath);
      if (!st) continue;
      if (isWhiteout(st)) return undefined;
      return { hostPath, stat: st };
    }
    return undefined;
  }

  /** Names in the merged directory `dir` (empty when it is not a directory). */
  readdir(dir: string): string[] {
    const stack = this.stackOf(path.posix.resolve('/', dir));
    if (!stack) return [];
    const seen = new Set<string>();
    const names: string[] = [];
    for (const layer of stack) {
      let entries: string[];
      try {
        entries = fs.readdirSync(this.layers[layer] + (dir === '/' ? '' : dir));
      } catch {
        continue;
      }
      for (const name of entries) {
        if (seen.has(name)) continue;
        seen.add(name);
        const st = lstat(this.layers[layer] + join(dir, name));
        if (st && !isWhiteout(st)) names.push(name);
      }
    }
    return names;
  }

  /**
   * Resolves `p` following symlinks inside the view (the last component too when `followLast`).
   * Components that do not exist are kept as written, so a destination that is still to be
   * created resolves as well. Returns a clean absolute path, or undefined on a symlink loop.
   */
  resolve(p: string, followLast = true): string | undefined {
    return resolveSymlinks(p, followLast, (candidate) => {
      const entry = this.lookup(candidate);
      return entry ? { isSymlink: entry.stat.isSymbolicLink(), hostPath: entry.hostPath } : undefined;
    });
  }

  /** Reads a file of the view (symlinks followed), or undefined. */
  readFile(p: string): Buffer | undefined {
    const resolved = this.resolve(p);
    const entry = resolved === undefined ? undefined : this.lookup(resolved);
    if (!entry || !entry.stat.isFile()) return undefined;
    return fs.readFileSync(entry.hostPath);
  }

  /** A lazily read FileNode tree rooted at `p` (no symlinks followed), for copy selection. */
  node(p = '/'): UnionNode | undefined {
    const clean = path.posix.resolve('/', p);
    const entry = this.lookup(clean);
    if (!entry) return this.layers.length === 0 && clean === '/' ? new UnionNode(this, '/', undefined) : undefined;
    return new UnionNode(this, clean, entry);
  }
}

/** One entry of a LayerUnion as a FileNode; `children` is read on first use. */
export class UnionNode implements FileNode {
  readonly kind: FileKind;
  readonly size: number;
  readonly mode: number;
  readonly linkTarget?: string;
  readonly inode?: string;
  /** Where the content lives (undefined for the root of an empty view). */
  readonly hostPath?: string;
  readonly uid: number;
  readonly gid: number;
  readonly mtimeMs: number;
  private loaded?: Map<string, UnionNode>;

  constructor(private readonly union: LayerUnion, readonly imagePath: string, entry: UnionEntry | undefined) {
    const st = entry?.stat;
    this.kind = st ? kindOf(st) : 'dir';
    this.size = st?.isFile() ? st.size : 0;
    this.mode = st ? st.mode & 0o7777 : 0o755;
    this.uid = st?.uid ?? 0;
    this.gid = st?.gid ?? 0;
    this.mtimeMs = st?.mtimeMs ?? 0;
    this.hostPath = entry?.hostPath;
    if (st?.isSymbolicLink() && entry) this.linkTarget = fs.readlinkSync(entry.hostPath);
    if (st && !st.isDirectory() && st.nlink > 1) this.inode = `${st.dev}:${st.ino}`;
  }

  get children(): ReadonlyMap<string, FileNode> | undefined {
    if (this.kind !== 'dir') return undefined;
    if (!this.loaded) {
      this.loaded = new Map();
      for (const name of this.union.readdir(this.imagePath)) {
        const childPath = join(this.imagePath, name);
        const entry = this.union.lookup(childPath);
        if (entry) this.loaded.set(name, new UnionNode(this.union, childPath, entry));
      }
    }
    return this.loaded;
  }
}
