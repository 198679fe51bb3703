// Copies a FileNode tree (the build context as sent, or a stage's files) into a host directory:
// regular files (reflinked where the file system can), directories, symlinks as they are. Only
// what the tree shows is copied, so ignored context files never appear. Used for bind mounts that
// must not expose more than the tree, and for writable bind mounts whose writes are thrown away.
import * as fs from 'fs';
import * as path from 'path';
import { sortedChildren, type FileNode } from '../../server/plan/size/fileTree';

/** Where a node's content is on the host. */
export type HostPathOf = (node: FileNode, relative: string) => string | undefined;

export interface CopyOwner {
  uid: number;
  gid: number;
}

/** Copies `node` (a file, symlink or directory with its visible contents) to `dest`, which must not exist. */
export async function copyTree(node: FileNode, relative: string, dest: string, hostPathOf: HostPathOf, owner?: (node: FileNode) => CopyOwner | undefined): Promise<void> {
  const source = hostPathOf(node, relative);
  const applyOwner = async (target: string): Promise<void> => {
    const o = owner?.(node);
    if (o) await fs.promises.lchown(target, o.uid, o.gid).catch(() => undefined);
  };
  if (node.kind === 'dir') {
    await fs.promises.mkdir(dest, { mode: 0o700 });
    for (const [name, child] of sortedChildren(node)) {
      await copyTree(child, relative === '.' || relative === '' ? name : `${relative}/${name}`, path.join(dest, name), hostPathOf, owner);
    }
    await fs.promises.chmod(dest, node.mode & 0o7777);
    await applyOwner(dest);
    return;
  }
  if (node.kind === 'symlink') {
    await fs.promises.symlink(node.linkTarget ?? '', dest);
    await applyOwner(dest);
    return;
  }
  if (node.kind === 'file' && source !== undefined) {
    await fs.promises.copyFile(source, dest, fs.constants.COPYFILE_FICLONE);
    await fs.promises.chmod(dest, node.mode & 0o7777);
    await applyOwner(dest);
  }
  // devices, fifos and sockets are not copied
}
