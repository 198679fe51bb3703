// The in-memory build-context tree the scanner keeps up to date. Nodes are FileNodes; a
// directory that .dockerignore excludes but that may hold re-included files is kept hidden
// until something below it is visible (BuildKit sends such a directory only then).
import type { FileKind, FileNode } from '../plan/size/fileTree';
import type { ParentMatchInfo } from '../plan/size/patternMatcher';

export class ContextNode implements FileNode {
  kind: FileKind;
  size: number;
  mode: number;
  linkTarget?: string;
  inode?: string;
  /** Change stamp for content caches. */
  mtimeMs = 0;
  ctimeMs = 0;
  /** Visible entries (what BuildKit would send). */
  readonly children = new Map<string, ContextNode>();
  /** Excluded directories that are still walked because an exception may match below them. */
  readonly hiddenDirs = new Map<string, ContextNode>();
  /** Exclude-pattern state of this directory, passed to its children. */
  matchInfo: ParentMatchInfo | undefined;
  /** True when .dockerignore excludes this directory itself. */
  excluded = false;
  /** Watched (the scanner entered it). */
  walked = false;

  constructor(kind: FileKind, size = 0, mode = 0) {
    this.kind = kind;
    this.size = size;
    this.mode = mode;
  }

  /** Every walked subdirectory, visible or hidden. */
  walkedDirs(): [string, ContextNode][] {
    return [...this.children.entries(), ...this.hiddenDirs.entries()].filter(([, n]) => n.kind === 'dir' && n.walked);
  }

  /** Number of files and directories visible below this node. */
  countVisible(): number {
    let count = 0;
    for (const child of this.children.values()) count += 1 + child.countVisible();
    return count;
  }
}
