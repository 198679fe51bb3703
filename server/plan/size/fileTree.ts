// A read-only file tree: the build context as it would be sent, or a stage's known files.

export type FileKind = 'file' | 'dir' | 'symlink' | 'other';

export interface FileNode {
  kind: FileKind;
  /** Content bytes (regular files); 0 otherwise. */
  size: number;
  /** Permission bits. */
  mode: number;
  /** Symlink target as stored. */
  linkTarget?: string;
  /** Same value for hard links to one content (e.g. `dev:ino`). */
  inode?: string;
  /** Directory entries by name. */
  children?: ReadonlyMap<string, FileNode>;
}

/** Byte-wise (UTF-8) name order, as Go's ReadDir and BuildKit's walkers list a directory. */
export function compareNames(a: string, b: string): number {
  const length = Math.min(a.length, b.length);
  for (let i = 0; i < length; i++) {
    const x = a.charCodeAt(i);
    const y = b.charCodeAt(i);
    if (x === y) continue;
    // Below the surrogates UTF-16 units order like UTF-8 bytes; past them, compare the bytes.
    if (x < 0xd800 && y < 0xd800) return x < y ? -1 : 1;
    return Buffer.compare(Buffer.from(a), Buffer.from(b));
  }
  return a.length === b.length ? 0 : a.length < b.length ? -1 : 1;
}

export function sortedChildren(node: FileNode): [string, FileNode][] {
  return [...(node.children ?? new Map<string, FileNode>()).entries()].sort((x, y) => compareNames(x[0], y[0]));
}

/** Looks `path` (relative, slash-separated, clean or '.') up without following symlinks. */
export function lookupNode(root: FileNode, path: string): FileNode | undefined {
  if (path === '.' || path === '') return root;
  let node: FileNode | undefined = root;
  for (const part of path.split('/')) {
    node = node?.children?.get(part);
    if (!node) return undefined;
  }
  return node;
}

/**
 * Resolves `path` inside the tree, following symlinks the way BuildKit's scoped path resolution
 * does (absolute targets are relative to the tree root, `..` never leaves it). Returns the
 * resolved relative path and node, or undefined when something along the way is missing.
 */
export function resolveNode(root: FileNode, path: string, followLast = true): { path: string; node: FileNode } | undefined {
  const pending = path === '.' || path === '' ? [] : path.split('/');
  const resolved: string[] = [];
  let node: FileNode = root;
  let hops = 0;
  while (pending.length > 0) {
    const part = pending.shift() as string;
    if (part === '' || part === '.') continue;
    if (part === '..') {
      resolved.pop();
      node = lookupNode(root, resolved.join('/') || '.') ?? root;
      continue;
    }
    const child = node.children?.get(part);
    if (!child) return undefined;
    if (child.kind === 'symlink' && (pending.length > 0 || followLast)) {
      if (++hops > 255) return undefined;
      const target = child.linkTarget ?? '';
      if (target.startsWith('/')) {
        resolved.length = 0;
        node = root;
      }
      pending.unshift(...target.split('/'));
      continue;
    }
    resolved.push(part);
    node = child;
  }
  return { path: resolved.join('/') || '.', node };
}

/** Sum of regular-file bytes below (and including) a node; hard links counted once. */
export function contentBytes(node: FileNode, seen = new Set<string>()): number {
  if (node.kind === 'file') {
    if (node.inode !== undefined) {
      if (seen.has(node.inode)) return 0;
      seen.add(node.inode);
    }
    return node.size;
  }
  let total = 0;
  for (const child of node.children?.values() ?? []) total += contentBytes(child, seen);
  return total;
}
