// The directory a COPY/ADD/WORKDIR layer is written into, laid over the stage's layers like an
// overlay upper dir: paths resolve through both (symlinks followed inside the image, never out of
// it), parents that exist below are copied up with their metadata, missing ones are created.
// Directory metadata is applied last, deepest first, so writing children does not disturb it.
// Owners are container ids: set on disk as root, recorded for the tar writer otherwise.
import * as fs from 'fs';
import * as path from 'path';
import { BuildError } from './buildError';
import type { ContainerIds } from './containerIds';
import { pathParts, resolveSymlinks, type LayerUnion } from './layerUnion';
import type { Owner } from './resolveOwner';


export interface EntryMeta {
  mode: number;
  owner: Owner;
  /** Seconds since the epoch. */
  mtime: number;
}

export class LayerStaging {
  /** Owners to record in the tar when they could not be set on disk (path relative to `dir`). */
  readonly owners = new Map<string, Owner>();
  private readonly dirMeta = new Map<string, EntryMeta>();

  constructor(
    readonly dir: string,
    private readonly base: LayerUnion,
    private readonly ids: ContainerIds,
    /** Metadata of directories that have to be created (mode, owner, time). */
    private readonly newDir: EntryMeta,
  ) {}

  hostPath(p: string): string {
    return p === '/' ? this.dir : this.dir + p;
  }

  /** What is at `p` (staged first, then the layers below); no symlink followed. */
  stat(p: string): { stat: fs.Stats; host: string } | undefined {
    const host = this.hostPath(p);
    try {
      return { stat: fs.lstatSync(host), host };
    } catch {
      const entry = this.base.lookup(p);
      return entry ? { stat: entry.stat, host: entry.hostPath } : undefined;
    }
  }

  /** Resolves `p` through staged and lower entries, following symlinks inside the image. */
  resolve(p: string, followLast: boolean): string {
    const resolved = resolveSymlinks(p, followLast, (candidate) => {
      const found = this.stat(candidate);
      return found ? { isSymlink: found.stat.isSymbolicLink(), hostPath: found.host } : undefined;
    });
    if (resolved === undefined) throw new BuildError(`too many levels of symbolic links resolving ${p}`);
    return resolved;
  }

  isDirectory(p: string): boolean {
    const found = this.stat(this.resolve(p, true));
    return found?.stat.isDirectory() ?? false;
  }

  private setOwner(p: string, owner: Owner): void {
    const host = this.hostPath(p);
    if (this.ids.canChown) fs.lchownSync(host, owner.uid, owner.gid);
    else this.owners.set(path.posix.relative('/', p), owner);
  }

  /** Makes `p` (resolved, absolute) a staged directory, creating or copying up its parents. */
  ensureDir(p: string, meta?: EntryMeta): void {
    if (p === '/') return;
    const parts = pathParts(p);
    let current = '';
    for (let i = 0; i < parts.length; i++) {
      current += `/${parts[i]}`;
      const host = this.hostPath(current);
      let staged: fs.Stats | undefined;
      try {
        staged = fs.lstatSync(host);
      } catch {
        staged = undefined;
      }
      if (staged?.isDirectory()) continue;
      if (staged) throw new BuildError(`cannot create directory ${current}: a file is in the way`);
      const below = this.base.lookup(current);
      if (below && !below.stat.isDirectory()) {
        if (below.stat.isSymbolicLink()) throw new BuildError(`cannot create directory ${current}: it is a symbolic link in the image`);
        throw new BuildError(`cannot create directory ${current}: a file of that name exists in the image`);
      }
      fs.mkdirSync(host, { mode: 0o700 });
      const last = i === parts.length - 1;
      const m = below
        ? { mode: below.stat.mode & 0o7777, owner: { uid: this.ids.uid(below.stat.uid), gid: this.ids.gid(below.stat.gid) }, mtime: Math.floor(below.stat.mtimeMs / 1000) }
        : last && meta ? meta : this.newDir;
      this.dirMeta.set(current, m);
      this.setOwner(current, m.owner);
    }
  }

  /** Whether `p` exists below (in the layers the stage already has). */
  existsBelow(p: string): boolean {
    return this.base.lookup(p) !== undefined;
  }

  /** A copied directory: created with the source's metadata, or left as it is when it exists. */
  writeDir(p: string, meta: EntryMeta): void {
    const found = this.stat(p);
    if (found && !found.stat.isDirectory()) throw new BuildError(`cannot copy a directory to ${p}: a file of that name exists`);
    this.ensureDir(p, found ? undefined : meta);
  }

  private prepareFile(p: string): string {
    this.ensureDir(path.posix.dirname(p));
    const host = this.hostPath(p);
    const found = this.stat(p);
    if (found?.stat.isDirectory()) throw new BuildError(`cannot copy a file to ${p}: a directory of that name exists`);
    fs.rmSync(host, { force: true });
    return host;
  }

  private finishEntry(p: string, host: string, meta: EntryMeta, symlink: boolean): void {
    if (!symlink) fs.chmodSync(host, meta.mode & 0o7777);
    this.setOwner(p, meta.owner);
    if (symlink) fs.lutimesSync(host, meta.mtime, meta.mtime);
    else fs.utimesSync(host, meta.mtime, meta.mtime);
  }

  /** Copies a host file to `p`; `noFollow` refuses a source that became a symlink. */
  writeFile(p: string, source: string, meta: EntryMeta, noFollow: boolean): void {
    const host = this.prepareFile(p);
    if (!noFollow) {
      fs.copyFileSync(source, host, fs.constants.COPYFILE_FICLONE);
    } else {
      const input = fs.openSync(source, fs.constants.O_RDONLY | fs.constants.O_NOFOLLOW);
      try {
        if (!fs.fstatSync(input).isFile()) throw new BuildError(`${source} is not a regular file`);
        const output = fs.openSync(host, 'wx', 0o600);
        try {
          const buffer = Buffer.allocUnsafe(1 << 20);
          for (;;) {
            const n = fs.readSync(input, buffer, 0, buffer.length, null);
            if (n === 0) break;
            fs.writeSync(output, buffer, 0, n);
          }
        } finally {
          fs.closeSync(output);
        }
      } finally {
        fs.closeSync(input);
      }
    }
    this.finishEntry(p, host, meta, false);
  }

  writeContent(p: string, content: Buffer | string, meta: EntryMeta): void {
    const host = this.prepareFile(p);
    fs.writeFileSync(host, content, { mode: 0o600, flag: 'wx' });
    this.finishEntry(p, host, meta, false);
  }

  writeSymlink(p: string, target: string, meta: EntryMeta): void {
    const host = this.prepareFile(p);
    fs.symlinkSync(target, host);
    this.finishEntry(p, host, meta, true);
  }

  /** Applies directory modes and times, deepest first. */
  finish(): void {
    const dirs = [...this.dirMeta.entries()].sort(([a], [b]) => b.split('/').length - a.split('/').length);
    for (const [p, meta] of dirs) {
      const host = this.hostPath(p);
      fs.chmodSync(host, meta.mode & 0o7777);
      fs.utimesSync(host, meta.mtime, meta.mtime);
    }
  }

  /** The staged file system is empty (the step changed nothing). */
  isEmpty(): boolean {
    return fs.readdirSync(this.dir).length === 0;
  }
}
