// Scans a build context once, the way BuildKit's sender walks it (.dockerignore applied with the
// same pruning), then keeps the tree current from per-directory file-system watchers, so reading
// it never walks the disk. Directories .dockerignore skips entirely are neither read nor watched.
import * as fs from 'fs';
import { lstat, readFile, readdir, readlink } from 'fs/promises';
import * as path from 'path';
import { compareNames, type FileKind, type FileNode } from '../plan/size/fileTree';
import { ContentHasher } from './contentHasher';
import { ContextNode } from './contextTree';
import { type DockerignoreFile, readDockerignore } from './readDockerignore';
import { dockerignoreCandidates } from './selectDockerignore';

export interface ContextScannerOptions {
  contextDir: string;
  /** The Dockerfile, for `<Dockerfile>.dockerignore`. */
  dockerfilePath?: string;
  /** Keep the tree current from file-system events (default true). */
  watch?: boolean;
  /** Give up (state `error`) beyond this many entries (default 1,000,000). */
  maxEntries?: number;
  /** Quiet period before change listeners run (default 40 ms). */
  debounceMs?: number;
}

export type ContextScanState = { state: 'scanning' } | { state: 'ready' } | { state: 'error'; message: string };

class TooManyEntries extends Error {}

function kindOf(stat: fs.Stats): FileKind {
  if (stat.isDirectory()) return 'dir';
  if (stat.isFile()) return 'file';
  if (stat.isSymbolicLink()) return 'symlink';
  return 'other';
}

export class BuildContextScanner {
  readonly contextDir: string;
  private root: ContextNode | undefined;
  private ignore: DockerignoreFile | undefined;
  private status: ContextScanState = { state: 'scanning' };
  private readonly watchers = new Map<string, fs.FSWatcher>();
  private readonly ignoreWatchers: fs.FSWatcher[] = [];
  private readonly listeners = new Set<() => void>();
  private queue: Promise<void> = Promise.resolve();
  private started: Promise<void> | undefined;
  private entries = 0;
  private readonly counters = { directoriesRead: 0, entriesStatted: 0 };
  private notifyTimer: NodeJS.Timeout | undefined;
  private notifyWaiters: (() => void)[] = [];
  private disposed = false;
  private watchFailure: string | undefined;
  /** Incremented on every change of the tree, the ignore file or a content hash. */
  version = 0;
  readonly hasher: ContentHasher;

  constructor(private readonly options: ContextScannerOptions) {
    this.contextDir = path.resolve(options.contextDir);
    this.hasher = new ContentHasher(() => this.markChanged());
  }

  /** Runs the first scan (once); resolves when the tree is ready or the scan failed. */
  start(): Promise<void> {
    this.started ??= this.enqueue(() => this.fullScan()).then(() => this.watchIgnoreFiles());
    return this.started;
  }

  /** The context as it would be sent, or undefined until the first scan is done. */
  tree(): FileNode | undefined {
    return this.status.state === 'ready' ? this.root : undefined;
  }

  state(): ContextScanState {
    return this.status;
  }

  /** The ignore file in effect (undefined when there is none). */
  ignoreFile(): DockerignoreFile | undefined {
    return this.ignore;
  }

  /** Set when watching failed (e.g. the inotify limit): the tree may then be stale. */
  watchProblem(): string | undefined {
    return this.watchFailure;
  }

  /** Disk work done so far, and directories watched (to show that reads never walk the disk). */
  stats(): { directoriesRead: number; entriesStatted: number; watchedDirectories: number } {
    return { ...this.counters, watchedDirectories: this.watchers.size };
  }

  absolutePath(relative: string): string {
    return path.join(this.contextDir, relative);
  }

  /** Runs `listener` (debounced) after the tree, the ignore rules or a content hash changed. */
  onDidChange(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Resolves when queued updates are applied (tests, benchmarks). */
  async whenIdle(): Promise<void> {
    await this.start();
    let current: Promise<void>;
    do {
      current = this.queue;
      await current;
    } while (current !== this.queue);
  }

  /** Resolves once listeners were told of every change so far (none is waiting for its debounce). */
  async whenNotified(): Promise<void> {
    while (this.notifyTimer !== undefined && !this.disposed) await new Promise<void>((resolve) => this.notifyWaiters.push(resolve));
  }

  /** Forces a fresh walk (for example after `watchProblem()`). */
  rescan(): Promise<void> {
    return this.enqueue(() => this.fullScan());
  }

  dispose(): void {
    this.disposed = true;
    clearTimeout(this.notifyTimer);
    this.notifyTimer = undefined;
    this.notifyWaiters.splice(0).forEach((w) => w());
    for (const watcher of [...this.watchers.values(), ...this.ignoreWatchers]) watcher.close();
    this.watchers.clear();
    this.hasher.dispose();
    this.listeners.clear();
  }

  private enqueue(task: () => Promise<void>): Promise<void> {
    this.queue = this.queue.then(task).catch((error: unknown) => {
      this.status = { state: 'error', message: error instanceof Error ? error.message : String(error) };
      this.markChanged();
    });
    return this.queue;
  }

  /** Bumps the version and notifies listeners (debounced); readers call it when their caches fill. */
  markChanged(): void {
    this.version++;
    if (this.disposed) return;
    clearTimeout(this.notifyTimer);
    this.notifyTimer = setTimeout(() => {
      this.notifyTimer = undefined;
      for (const listener of this.listeners) listener();
      this.notifyWaiters.splice(0).forEach((w) => w());
    }, this.options.debounceMs ?? 40);
  }

  private async readIgnore(): Promise<DockerignoreFile | undefined> {
    for (const candidate of dockerignoreCandidates(this.contextDir, this.options.dockerfilePath)) {
      try {
        return readDockerignore(await readFile(candidate, 'utf8'), candidate);
      } catch {
        // Not there: try the next one.
      }
    }
    return undefined;
  }

  private async fullScan(): Promise<void> {
    for (const watcher of this.watchers.values()) watcher.close();
    this.watchers.clear();
    this.ignore = await this.readIgnore();
    if (this.ignore && !this.ignore.matcher) {
      const first = this.ignore.problems[0];
      this.status = { state: 'error', message: `${first.file}:${first.location.line + 1}:${first.location.startColumn + 1}: ${first.message}` };
      this.root = undefined;
      this.markChanged();
      return;
    }
    const root = new ContextNode('dir', 0, 0o755);
    this.entries = 0;
    try {
      const stat = await lstat(this.contextDir);
      if (!stat.isDirectory()) throw new Error(`${this.contextDir} is not a directory`);
      await this.scanDir(root, '');
      this.root = root;
      this.status = { state: 'ready' };
    } catch (error) {
      this.root = undefined;
      for (const watcher of this.watchers.values()) watcher.close();
      this.watchers.clear();
      this.status = { state: 'error', message: error instanceof TooManyEntries ? error.message : `cannot read the build context: ${(error as Error).message}` };
    }
    this.markChanged();
  }

  private async scanDir(node: ContextNode, rel: string): Promise<void> {
    node.walked = true;
    this.watchDir(rel);
    let names: string[];
    this.counters.directoriesRead++;
    try {
      names = (await readdir(this.absolutePath(rel))).sort(compareNames);
    } catch {
      return;
    }
    for (const name of names) await this.scanEntry(node, rel, name, false);
  }

  /** Adds, updates or removes one entry; new directories are walked. */
  private async scanEntry(parent: ContextNode, parentRel: string, name: string, refresh: boolean): Promise<void> {
    const rel = parentRel ? `${parentRel}/${name}` : name;
    let stat: fs.Stats;
    this.counters.entriesStatted++;
    try {
      stat = await lstat(this.absolutePath(rel));
    } catch {
      this.removeEntry(parent, parentRel, name);
      return;
    }
    if (++this.entries > (this.options.maxEntries ?? 1_000_000)) throw new TooManyEntries(`the build context has more than ${this.options.maxEntries ?? 1_000_000} entries; sizes are not predicted`);
    const kind = kindOf(stat);
    const matcher = this.ignore?.matcher;
    let excluded = false;
    let info: readonly boolean[] | undefined;
    if (matcher && matcher.patterns.length > 0) {
      const result = matcher.matchesUsingParent(rel, parent.matchInfo);
      excluded = result.matched;
      info = result.info;
      if (excluded && (kind !== 'dir' || matcher.canSkipExcludedDir(rel))) {
        this.removeEntry(parent, parentRel, name);
        return;
      }
    }
    const identity = `${stat.dev}:${stat.ino}`;
    let node = parent.children.get(name) ?? parent.hiddenDirs.get(name);
    if (node && (node.kind !== kind || (kind === 'dir' && node.inode !== identity))) {
      this.removeEntry(parent, parentRel, name);
      node = undefined;
    }
    const fresh = node === undefined;
    node ??= new ContextNode(kind);
    node.size = kind === 'file' ? stat.size : 0;
    node.mode = stat.mode & 0o7777;
    node.mtimeMs = stat.mtimeMs;
    node.ctimeMs = stat.ctimeMs;
    node.inode = kind === 'dir' || stat.nlink > 1 ? identity : undefined;
    node.matchInfo = info;
    node.excluded = excluded;
    if (kind === 'symlink') node.linkTarget = await readlink(this.absolutePath(rel)).catch(() => '');
    if (kind === 'dir') {
      if (fresh || !node.walked) await this.scanDir(node, rel);
      this.placeDir(parent, name, node);
    } else {
      parent.children.set(name, node);
    }
    if (refresh) this.reconcileUp(parent, parentRel);
  }

  /** A directory is visible unless excluded and empty of visible entries. */
  private placeDir(parent: ContextNode, name: string, node: ContextNode): void {
    const visible = !node.excluded || node.children.size > 0;
    if (visible) {
      parent.hiddenDirs.delete(name);
      parent.children.set(name, node);
    } else {
      parent.children.delete(name);
      parent.hiddenDirs.set(name, node);
    }
  }

  /** After a change inside `dir`, re-decide the visibility of excluded ancestors. */
  private reconcileUp(dir: ContextNode, dirRel: string): void {
    let rel = dirRel;
    let node = dir;
    while (rel !== '') {
      const parentRel = rel.includes('/') ? rel.slice(0, rel.lastIndexOf('/')) : '';
      const parent = this.nodeAt(parentRel);
      if (!parent) return;
      this.placeDir(parent, rel.slice(rel.lastIndexOf('/') + 1), node);
      node = parent;
      rel = parentRel;
    }
  }

  private removeEntry(parent: ContextNode, parentRel: string, name: string): void {
    const rel = parentRel ? `${parentRel}/${name}` : name;
    const node = parent.children.get(name) ?? parent.hiddenDirs.get(name);
    parent.children.delete(name);
    parent.hiddenDirs.delete(name);
    if (!node) return;
    this.hasher.forget(this.absolutePath(rel));
    for (const [watched, watcher] of this.watchers) {
      if (watched === rel || watched.startsWith(rel + '/')) {
        watcher.close();
        this.watchers.delete(watched);
      }
    }
  }

  /** The walked directory at `rel` (visible or hidden). */
  private nodeAt(rel: string): ContextNode | undefined {
    let node = this.root;
    if (rel === '') return node;
    for (const part of rel.split('/')) {
      node = node?.children.get(part) ?? node?.hiddenDirs.get(part);
      if (!node) return undefined;
    }
    return node?.kind === 'dir' ? node : undefined;
  }

  private watchDir(rel: string): void {
    if (this.options.watch === false || this.watchers.has(rel)) return;
    try {
      const watcher = fs.watch(this.absolutePath(rel), { persistent: false }, (_event, filename) => this.onEvent(rel, filename));
      watcher.on('error', () => {
        watcher.close();
        this.watchers.delete(rel);
      });
      this.watchers.set(rel, watcher);
    } catch (error) {
      this.watchFailure = `cannot watch ${this.absolutePath(rel)}: ${(error as Error).message}`;
    }
  }

  private onEvent(dirRel: string, filename: string | Buffer | null): void {
    if (this.disposed) return;
    const name = filename === null ? undefined : filename.toString();
    const candidates = dockerignoreCandidates(this.contextDir, this.options.dockerfilePath);
    if (name !== undefined && candidates.includes(this.absolutePath(dirRel ? `${dirRel}/${name}` : name))) {
      void this.rescan();
      return;
    }
    void this.enqueue(async () => {
      const dir = this.nodeAt(dirRel);
      if (!dir || this.status.state !== 'ready') return;
      if (name !== undefined) await this.scanEntry(dir, dirRel, name, true);
      else {
        const present = new Set(await readdir(this.absolutePath(dirRel)).catch(() => [] as string[]));
        for (const known of [...dir.children.keys(), ...dir.hiddenDirs.keys()]) if (!present.has(known)) this.removeEntry(dir, dirRel, known);
        for (const entry of present) await this.scanEntry(dir, dirRel, entry, true);
      }
      this.markChanged();
    });
  }

  /** Watches the directory of a Dockerfile-specific ignore file that lies outside the context. */
  private watchIgnoreFiles(): void {
    if (this.options.watch === false || this.disposed) return;
    for (const candidate of dockerignoreCandidates(this.contextDir, this.options.dockerfilePath)) {
      const dir = path.dirname(candidate);
      if (dir === this.contextDir) continue;
      try {
        const watcher = fs.watch(dir, { persistent: false }, (_event, filename) => {
          if (filename === null || filename.toString() === path.basename(candidate)) void this.rescan();
        });
        watcher.on('error', () => watcher.close());
        this.ignoreWatchers.push(watcher);
      } catch {
        // The Dockerfile's directory is gone; nothing to watch.
      }
    }
  }
}
