// The fs-backed build-context readers over a BuildContextScanner: content checksums for cache
// keys (BuildContextReader) and the file tree and archive listings for size prediction
// (ContextFilesReader). Both answer synchronously from caches and start background work
// (hashing, archive listing) when something is missing; the scanner's onDidChange fires when it is done.
import { createHash } from 'crypto';
import type { BuildContextReader, ChecksumOptions } from '../plan/types';
import type { FileNode } from '../plan/size/fileTree';
import { selectCopySources } from '../plan/size/selectCopySources';
import type { ArchiveContents, ContextFilesReader } from '../plan/size/sizeReaders';
import type { BuildContextScanner } from './contextScanner';
import type { ContextNode } from './contextTree';
import { listArchive } from './listArchive';

function stampOf(node: FileNode): string {
  const n = node as Partial<ContextNode>;
  return `${node.size}:${n.mtimeMs ?? 0}:${n.ctimeMs ?? 0}`;
}

export class ContextReader implements BuildContextReader, ContextFilesReader {
  private readonly archives = new Map<string, { stamp: string; contents: ArchiveContents }>();

  constructor(private readonly scanner: BuildContextScanner) {}

  tree(): FileNode | undefined {
    return this.scanner.tree();
  }

  unavailableReason(): string {
    const state = this.scanner.state();
    if (state.state === 'error') return state.message;
    if (state.state === 'scanning') return 'scanning the build context';
    return '';
  }

  /**
   * Hex sha256 over the selected files: for each, in path order, its path relative to the
   * context, kind, mode, size, link target and content hash. Undefined while hashes are computed
   * or when the source does not exist.
   */
  checksum(source: string, options: ChecksumOptions): string | undefined {
    const root = this.scanner.tree();
    if (!root) return undefined;
    const selection = selectCopySources(root, { sources: [source], destination: '/', workdir: '/', excludes: options.excludes, parents: options.parents });
    if (selection.error || selection.missing.length > 0) return undefined;
    const hash = createHash('sha256');
    let complete = true;
    const entries = [...selection.entries].sort((a, b) => (a.source < b.source ? -1 : a.source > b.source ? 1 : 0));
    for (const { source: path, node } of entries) {
      let content = '';
      if (node.kind === 'file') {
        const digest = this.scanner.hasher.hashOf(this.scanner.absolutePath(path), stampOf(node));
        if (digest === undefined) complete = false;
        content = digest ?? '';
      }
      hash.update(`${path}\0${node.kind}\0${node.mode.toString(8)}\0${node.size}\0${node.linkTarget ?? ''}\0${content}\n`);
    }
    return complete ? hash.digest('hex') : undefined;
  }

  archive(path: string): ArchiveContents {
    const root = this.scanner.tree();
    const node = root ? lookupFile(root, path) : undefined;
    if (!node) return { state: 'unknown', reason: `${path} is not in the build context` };
    const stamp = stampOf(node);
    const cached = this.archives.get(path);
    if (cached?.stamp === stamp) return cached.contents;
    const pending: ArchiveContents = { state: 'pending', reason: `reading ${path}` };
    this.archives.set(path, { stamp, contents: pending });
    void listArchive(this.scanner.absolutePath(path)).then((contents) => {
      if (this.archives.get(path)?.stamp !== stamp) return;
      this.archives.set(path, { stamp, contents });
      this.scanner.markChanged();
    });
    return pending;
  }

  /** Resolves when pending archive listings and hashes are done (tests, CLI). */
  async settle(): Promise<void> {
    await this.scanner.whenIdle();
    await this.scanner.hasher.idle();
    for (;;) {
      const pending = [...this.archives.values()].filter((a) => a.contents.state === 'pending');
      if (pending.length === 0) return;
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
  }
}

function lookupFile(root: FileNode, path: string): FileNode | undefined {
  let node: FileNode | undefined = root;
  for (const part of path.split('/').filter(Boolean)) node = node?.children?.get(part);
  return node?.kind === 'file' ? node : undefined;
}
