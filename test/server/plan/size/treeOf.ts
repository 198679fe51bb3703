// Builds an in-memory FileTree from a compact description, for size-prediction tests.
import type { FileNode } from '../../../../server/plan/size/fileTree';

/** `{ 'a/b.txt': 10, 'dir/': 'dir', 'ln': '-> a/b.txt', 'h1': { size: 5, inode: 'x' } }` */
export type TreeSpec = Record<string, number | 'dir' | `-> ${string}` | { size: number; inode?: string; mode?: number }>;

export function treeOf(spec: TreeSpec): FileNode {
  const root: { kind: 'dir'; size: 0; mode: number; children: Map<string, FileNode> } = { kind: 'dir', size: 0, mode: 0o755, children: new Map() };
  const dirAt = (parts: string[]): Map<string, FileNode> => {
    let children = root.children;
    for (const part of parts) {
      let next = children.get(part);
      if (!next) {
        next = { kind: 'dir', size: 0, mode: 0o755, children: new Map() };
        children.set(part, next);
      }
      children = next.children as Map<string, FileNode>;
    }
    return children;
  };
  for (const [path, value] of Object.entries(spec)) {
    const parts = path.replace(/\/$/, '').split('/');
    const name = parts.pop() as string;
    const parent = dirAt(parts);
    if (value === 'dir') dirAt([...parts, name]);
    else if (typeof value === 'number') parent.set(name, { kind: 'file', size: value, mode: 0o644 });
    else if (typeof value === 'string') parent.set(name, { kind: 'symlink', size: 0, mode: 0o777, linkTarget: value.slice(3) });
    else parent.set(name, { kind: 'file', size: value.size, mode: value.mode ?? 0o644, inode: value.inode });
  }
  return root;
}
