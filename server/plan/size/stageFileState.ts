// The files a stage is known to contain, layer by layer, as far as the plan can tell: what COPY
// and ADD wrote (exactly) and what modelled RUN commands wrote or removed. Used for COPY --from
// another stage and for wasted space (bytes written in one layer, deleted or replaced later).
import { cleanGoPath } from './goPath';
import { type FileNode, sortedChildren } from './fileTree';
import { sameData } from './sameSizeInputs';
import { rootedPath, tarEntryBytes, type LayerEntry } from './tarLayerSize';

/** A step of the plan: stage index and step index within it. */
export interface StepRef {
  stage: number;
  step: number;
}

export function sameStep(a: StepRef, b: StepRef): boolean {
  return a.stage === b.stage && a.step === b.step;
}

export interface KnownFile {
  path: string;
  entry: LayerEntry;
  /** Bytes this path takes in its layer tar (headers and padding included). */
  tarBytes: number;
  /** The step whose layer holds it (possibly in a parent stage). */
  writer: StepRef;
  /** The source node, for copying it on (undefined for modelled RUN output). */
  node?: FileNode;
}

/** Bytes an earlier layer still carries although a later step deleted or replaced them. */
export interface WastedPath {
  path: string;
  bytes: number;
  /** Step that wrote the bytes. */
  writtenBy: StepRef;
  /** Step that deleted or replaced them. */
  hiddenBy: StepRef;
  how: 'deleted' | 'replaced' | 'copied-up';
}

export class StageFileState {
  // Known files are replaced, never changed in place: a clone shares them.
  private readonly files: Map<string, KnownFile>;
  /** Paths (and everything below) that some step wrote in a way the model does not know. */
  private readonly opaque: Map<string, StepRef>;
  /** Directories known to exist (WORKDIR, COPY destinations, mkdir). */
  private readonly dirs: Set<string>;
  readonly wasted: WastedPath[];
  /** `toTree()` until the files change (several COPY --from may read one stage). */
  private tree: FileNode | undefined;

  constructor(from?: StageFileState) {
    this.files = new Map(from?.files);
    this.opaque = new Map(from?.opaque);
    this.dirs = new Set(from ? from.dirs : ['/']);
    this.wasted = from ? [...from.wasted] : [];
  }

  clone(): StageFileState {
    return new StageFileState(this);
  }

  isDirectory(path: string): boolean {
    const p = cleanGoPath(path);
    if (this.dirs.has(p)) return true;
    return this.files.get(p)?.entry.kind === 'dir';
  }

  addDirectory(path: string): void {
    for (let p = cleanGoPath(path); p !== '/'; p = p.slice(0, p.lastIndexOf('/')) || '/') this.dirs.add(p);
  }

  /** Records what `stepIndex` writes; earlier versions of the same paths become waste. */
  write(step: StepRef, entries: readonly { entry: LayerEntry; node?: FileNode }[]): void {
    this.tree = undefined;
    for (const { entry, node } of entries) {
      const path = rootedPath(entry.path);
      const previous = this.files.get(path);
      if (previous && !sameStep(previous.writer, step) && previous.entry.kind !== 'dir') {
        this.wasted.push({ path, bytes: previous.tarBytes, writtenBy: previous.writer, hiddenBy: step, how: 'replaced' });
      }
      const stored = { ...entry, path };
      this.files.set(path, { path, entry: stored, tarBytes: tarEntryBytes(stored), writer: step, node });
      if (entry.kind === 'dir') this.addDirectory(path);
      else this.addDirectory(path.slice(0, path.lastIndexOf('/')) || '/');
    }
  }

  /** Known files at or below `path`. */
  below(path: string): KnownFile[] {
    const p = cleanGoPath(path);
    const prefix = p === '/' ? '/' : p + '/';
    return [...this.files.values()].filter((f) => f.path === p || f.path.startsWith(prefix));
  }

  /** Known files whose path matches `test` (for globs in rm). */
  matching(test: (path: string) => boolean): KnownFile[] {
    return [...this.files.values()].filter((f) => test(f.path));
  }

  /**
   * `stepIndex` deletes these paths: files of earlier layers become waste, files of the same
   * step simply disappear. Returns the bytes removed from the step's own layer.
   */
  remove(step: StepRef, files: readonly KnownFile[]): number {
    let ownBytes = 0;
    this.tree = undefined;
    for (const file of files) {
      this.files.delete(file.path);
      if (sameStep(file.writer, step)) ownBytes += file.tarBytes;
      else if (file.entry.kind !== 'dir') {
        this.wasted.push({ path: file.path, bytes: file.tarBytes, writtenBy: file.writer, hiddenBy: step, how: 'deleted' });
      }
    }
    return ownBytes;
  }

  /** `stepIndex` changed metadata of earlier files (chmod/chown -R): overlayfs copies them up. */
  copyUp(step: StepRef, files: readonly KnownFile[]): number {
    let bytes = 0;
    this.tree = undefined;
    for (const file of files) {
      if (sameStep(file.writer, step)) continue;
      bytes += file.tarBytes;
      if (file.entry.kind === 'file') {
        this.wasted.push({ path: file.path, bytes: file.tarBytes, writtenBy: file.writer, hiddenBy: step, how: 'copied-up' });
      }
      this.files.set(file.path, { ...file, writer: step });
    }
    return bytes;
  }

  /** A RUN step wrote somewhere unknown below `path` ('/' when anywhere). */
  markOpaque(step: StepRef, path = '/'): void {
    this.opaque.set(cleanGoPath(path), step);
  }

  /** Whether a step of this stage after `afterStep` may have changed `path` in ways the model does not know. */
  touchedLaterByUnknown(path: string, after: StepRef): boolean {
    const p = cleanGoPath(path);
    for (const [prefix, step] of this.opaque) {
      if (step.stage === after.stage && step.step <= after.step) continue;
      if (step.stage < after.stage) continue;
      if (prefix === '/' || p === prefix || p.startsWith(prefix + '/') || prefix.startsWith(p + '/')) return true;
    }
    return false;
  }

  /** The known files as a tree (for COPY --from this stage). */
  toTree(): FileNode {
    this.tree ??= this.buildTree();
    return this.tree;
  }

  private buildTree(): FileNode {
    type MutableNode = { kind: 'dir'; size: 0; mode: number; children: Map<string, FileNode> };
    const root: MutableNode = { kind: 'dir', size: 0, mode: 0o755, children: new Map() };
    const ensureDir = (parts: string[]): MutableNode => {
      let node = root;
      for (const part of parts) {
        let next = node.children.get(part) as MutableNode | undefined;
        if (!next || next.kind !== 'dir') {
          next = { kind: 'dir', size: 0, mode: 0o755, children: new Map() };
          node.children.set(part, next);
        }
        node = next;
      }
      return node;
    };
    const sorted = [...this.files.values()].sort((a, b) => a.path.localeCompare(b.path));
    for (const file of sorted) {
      const parts = file.path.split('/').filter(Boolean);
      if (file.entry.kind === 'dir') {
        ensureDir(parts);
        continue;
      }
      const name = parts.pop() as string;
      const kind = file.entry.kind === 'symlink' ? 'symlink' : file.entry.kind === 'file' || file.entry.kind === 'hardlink' ? 'file' : 'other';
      ensureDir(parts).children.set(name, file.node && file.node.kind !== 'dir' ? file.node : { kind, size: file.entry.size, mode: 0o644, linkTarget: file.entry.linkTarget, inode: file.entry.inode });
    }
    return root;
  }

  /**
   * Whether `other` holds the same files (in the same order, from the same source nodes), opaque
   * paths, directories and waste: what a stage reading either would predict alike.
   */
  sameContent(other: StageFileState): boolean {
    if (other === this) return true;
    if (this.files.size !== other.files.size || this.opaque.size !== other.opaque.size || this.dirs.size !== other.dirs.size || this.wasted.length !== other.wasted.length) return false;
    const theirs = other.files.values();
    for (const file of this.files.values()) {
      const o = theirs.next().value as KnownFile;
      if (file === o) continue;
      if (file.path !== o.path || file.tarBytes !== o.tarBytes || file.node !== o.node || !sameStep(file.writer, o.writer) || !sameData(file.entry, o.entry)) return false;
    }
    for (const [path, step] of this.opaque) {
      const o = other.opaque.get(path);
      if (!o || !sameStep(step, o)) return false;
    }
    for (const dir of this.dirs) if (!other.dirs.has(dir)) return false;
    for (let i = 0; i < this.wasted.length; i++) {
      const a = this.wasted[i];
      const b = other.wasted[i];
      if (a !== b && (a.path !== b.path || a.bytes !== b.bytes || a.how !== b.how || !sameStep(a.writtenBy, b.writtenBy) || !sameStep(a.hiddenBy, b.hiddenBy))) return false;
    }
    return true;
  }

  /** The step that last wrote `path` (or undefined when not known). */
  writerOf(path: string): StepRef | undefined {
    return this.files.get(cleanGoPath(path))?.writer;
  }
}

/** Flattens a FileNode subtree into layer entries below `dest` (for ADD archives and stage trees). */
export function entriesOf(node: FileNode, dest: string): { entry: LayerEntry; node: FileNode }[] {
  const out: { entry: LayerEntry; node: FileNode }[] = [];
  const walk = (n: FileNode, path: string): void => {
    for (const [name, child] of sortedChildren(n)) {
      const p = `${path}/${name}`;
      out.push({ entry: { path: p, kind: child.kind === 'dir' ? 'dir' : child.kind, size: child.size, linkTarget: child.linkTarget, inode: child.inode }, node: child });
      if (child.kind === 'dir') walk(child, p);
    }
  };
  walk(node, dest === '/' ? '' : dest);
  return out;
}
