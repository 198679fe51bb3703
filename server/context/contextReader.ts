// The fs-backed build-context readers over a BuildContextScanner: content checksums for cache
// keys (BuildContextReader) and the file tree and archive listings for size prediction
// (ContextFilesReader). Both answer synchronously from caches and start background work
// (hashing, archive listing) when something is missing; the scanner's onDidChange fires when it is done.
import { createHash } from 'crypto';
import { readFile } from 'fs/promises';
import type { BuildContextReader, ChecksumOptions } from '../plan/types';
import type { FileNode } from '../plan/size/fileTree';
import { selectCopySources } from '../plan/size/selectCopySources';
import type { ArchiveContents, ContextFilesReader, Lookup } from '../plan/size/sizeReaders';
import type { BuildContextScanner } from './contextScanner';
import type { ContextNode } from './contextTree';
import { listArchive } from './listArchive';

function stampOf(node: FileNode): string {
  const n = node as Partial<ContextNode>;
  return `${node.size}:${n.mtimeMs ?? 0}:${n.ctimeMs ?? 0}`;
}

export class ContextReader implements BuildContextReader, ContextFilesReader {
  private readonly archives = new Map<string, { stamp: string; contents: ArchiveContents }>();
  private readonly texts = new WeakMap<FileNode, Lookup<string>>();
  private textReads = 0;
  private paths: { root: FileNode; byNode: WeakMap<FileNode, string> } | undefined;
  /** Files larger than this are not read as text. */
  static readonly MAX_TEXT = 32 * 1024 * 1024;

  constructor(private readonly scanner: BuildContextScanner) {}

  tree(): FileNode | undefined {
    return this.scanner.tree();
  }

  /** Changes with the tree, the ignore rules, content hashes and archive listings (size prediction reuse). */
  version(): number {
    return this.scanner.version;
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

  /** The text of a context file (lock files for npm), read once per node in the background. */
  text(node: FileNode): Lookup<string> {
    const known = this.texts.get(node);
    if (known) return known;
    const path = this.pathOf(node);
    if (path === undefined || node.kind !== 'file') return { state: 'unknown', reason: 'the file is not in the build context' };
    if (node.size > ContextReader.MAX_TEXT) return { state: 'unknown', reason: `${path} is larger than ${ContextReader.MAX_TEXT} bytes` };
    const pending: Lookup<string> = { state: 'pending', reason: `reading ${path}` };
    this.texts.set(node, pending);
    this.textReads++;
    void readFile(this.scanner.absolutePath(path), 'utf8').then(
      (value) => this.texts.set(node, { state: 'known', value }),
      (error: Error) => this.texts.set(node, { state: 'unknown', reason: `cannot read ${path}: ${error.message}` }),
    ).then(() => {
      this.textReads--;
      this.scanner.markChanged();
    });
    return pending;
  }

  /** Context path of a node of the current tree (the tree is walked once per scan). */
  private pathOf(node: FileNode): string | undefined {
    const root = this.scanner.tree();
    if (!root) return undefined;
    if (this.paths?.root !== root) {
      const byNode = new WeakMap<FileNode, string>();
      const walk = (n: FileNode, path: string): void => {
        byNode.set(n, path);
        for (const [name, child] of n.children ?? []) walk(child, path ? `${path}/${name}` : name);
      };
      walk(root, '');
      this.paths = { root, byNode };
    }
    return this.paths.byNode.get(node);
  }

  /** Resolves when pending archive listings and hashes are done and their news told (tests, CLI). */
  async settle(): Promise<void> {
    await this.scanner.whenIdle();
    await this.scanner.hasher.idle();
    for (;;) {
      const pending = [...this.archives.values()].filter((a) => a.contents.state === 'pending');
      if (pending.length === 0 && this.textReads === 0) break;
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    // Hashes and listings done: their news reaches the listeners after the scanner's debounce.
    await this.scanner.whenNotified();
  }
}

function lookupFile(root: FileNode, path: string): FileNode | undefined {
  let node: FileNode | undefined = root;
  for (const part of path.split('/').filter(Boolean)) node = node?.children?.get(part);
  return node?.kind === 'file' ? node : undefined;
}
