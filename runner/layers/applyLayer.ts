// Applies an (uncompressed) layer tarball to a directory. This is a security boundary: layers
// come from registries and tarballs we do not trust. Every entry is placed with its parent
// resolved inside the root (symlinks followed as if chrooted, `..` refused), its final component
// never followed, files opened with O_NOFOLLOW|O_EXCL, hardlinks only to files inside the root.
//
// Whiteouts (OCI image-spec layer.md) are handled in one of two modes:
// - 'overlay': the directory becomes an overlayfs lower dir on its own: `.wh.NAME` becomes a
//   0:0 character device (unprivileged mknod of a whiteout is allowed since Linux 5.8) and
//   `.wh..wh..opq` sets `user.overlay.opaque=y` (read by mounts with `userxattr`, i.e. inside a
//   user namespace) and, as root, `trusted.overlay.opaque=y` (mounts without `userxattr`);
// - 'merge': the layer is applied on top of the layers below it in the same directory, and
//   whiteouts delete what they name.
import * as fs from 'fs';
import * as path from 'path';
import { Readable } from 'stream';
import * as tar from 'tar-stream';
import { isInside, PathEscapeError, resolveInRoot, splitEntryPath } from './resolveInRoot';
import { makeNodes, setXattrs, XattrSpec } from './specialFiles';

export type WhiteoutMode = 'overlay' | 'merge';

export interface ApplyLayerOptions {
  whiteouts: WhiteoutMode;
  /** Skip chown and device nodes (running without root). Defaults to `getuid() !== 0`. */
  rootless?: boolean;
  onWarning?: (message: string) => void;
}

export interface ApplyLayerResult {
  entries: number;
  bytes: number;
  warnings: string[];
}

export class LayerApplyError extends Error {}

export const WHITEOUT_PREFIX = '.wh.';
export const OPAQUE_WHITEOUT = '.wh..wh..opq';

type TarHeader = Omit<tar.Header, 'pax'> & { pax?: Record<string, string> | null };
type EntryContent = AsyncIterable<Uint8Array>;

/** Reads `source` (a tar stream) and applies it to `root`, which must exist. */
export async function applyLayer(
  source: Readable | AsyncIterable<Uint8Array> | Iterable<Uint8Array>,
  root: string,
  options: ApplyLayerOptions,
): Promise<ApplyLayerResult> {
  const applier = new LayerApplier(path.resolve(root), options);
  const input = source instanceof Readable ? source : Readable.from(source, { objectMode: false });
  const extract = tar.extract();
  await new Promise<void>((resolve, reject) => {
    let settled = false;
    const fail = (err: unknown): void => {
      if (settled) return;
      settled = true;
      input.unpipe();
      input.destroy();
      extract.destroy();
      reject(applier.located(err));
    };
    extract.on('entry', (header, content, next) => {
      content.on('error', () => undefined); // surfaces through the read in apply() and extract's 'error'
      applier.apply(header as TarHeader, content as EntryContent).then(() => next(), fail);
    });
    extract.on('error', fail);
    input.on('error', fail);
    extract.on('finish', () => {
      if (settled) return;
      applier.finish().then(() => {
        settled = true;
        resolve();
      }, fail);
    });
    input.pipe(extract as unknown as NodeJS.WritableStream);
  });
  return applier.result();
}

class LayerApplier {
  private readonly rootless: boolean;
  private entries = 0;
  private bytes = 0;
  private currentName = '';
  private readonly warnings: string[] = [];
  /** Host paths this layer created or kept (directories), for same-layer whiteout rules. */
  private readonly created = new Set<string>();
  /** Directories whose owner, mode and times are set last (children change them). */
  private readonly dirs = new Map<string, TarHeader>();
  private readonly whiteouts = new Set<string>();
  private readonly opaque = new Set<string>();
  private readonly xattrs = new Map<string, XattrSpec[]>();

  constructor(private readonly root: string, private readonly options: ApplyLayerOptions) {
    this.rootless = options.rootless ?? process.getuid?.() !== 0;
  }

  located(err: unknown): Error {
    const message = err instanceof Error ? err.message : String(err);
    if (this.entries === 0) return new LayerApplyError(`not a valid layer tarball: ${message}`);
    return new LayerApplyError(`layer entry #${this.entries} '${this.currentName}': ${message}`);
  }

  result(): ApplyLayerResult {
    return { entries: this.entries, bytes: this.bytes, warnings: this.warnings };
  }

  private warn(message: string): void {
    const located = `layer entry #${this.entries} '${this.currentName}': ${message}`;
    this.warnings.push(located);
    this.options.onWarning?.(located);
  }

  async apply(header: TarHeader, content: EntryContent): Promise<void> {
    this.entries++;
    this.currentName = header.name;
    const parts = splitEntryPath(header.name);
    if (parts.length === 0) {
      if (header.type === 'directory') this.dirs.set(this.root, header);
      else this.warn('an entry for the root itself that is not a directory: skipped');
      return drain(content);
    }
    const base = parts[parts.length - 1];
    const parentParts = parts.slice(0, -1);
    if (base.startsWith(WHITEOUT_PREFIX)) {
      await drain(content);
      return this.applyWhiteout(parentParts, base);
    }
    const parent = this.ensureDirectory(parentParts);
    const target = path.join(parent, base);
    if (!isInside(this.root, target) || target === this.root) throw new PathEscapeError('resolves outside the layer root');

    switch (header.type) {
      case 'directory':
        await drain(content);
        if (!this.existingDirectory(target)) {
          this.removeExisting(target);
          fs.mkdirSync(target, { mode: 0o700 });
        }
        this.dirs.set(target, header);
        break;
      case 'file':
      case 'contiguous-file':
        this.removeExisting(target);
        await this.writeFile(target, header, content);
        break;
      case 'symlink':
        await drain(content);
        if (!header.linkname) throw new Error('symlink without a target');
        this.removeExisting(target);
        fs.symlinkSync(header.linkname, target);
        this.setOwner(target, header);
        fs.lutimesSync(target, header.mtime ?? new Date(0), header.mtime ?? new Date(0));
        break;
      case 'link':
        await drain(content);
        this.makeHardlink(target, header);
        break;
      case 'character-device':
      case 'block-device':
      case 'fifo':
        await drain(content);
        if (header.type !== 'fifo' && this.rootless) {
          this.warn('device node skipped (creating device nodes needs root)');
          return;
        }
        this.removeExisting(target);
        await makeNodes([{ path: target, kind: header.type === 'fifo' ? 'p' : header.type === 'block-device' ? 'b' : 'c', major: header.devmajor, minor: header.devminor }]);
        this.setOwner(target, header);
        fs.chmodSync(target, (header.mode ?? 0o600) & 0o7777);
        fs.utimesSync(target, header.mtime ?? new Date(0), header.mtime ?? new Date(0));
        break;
      default:
        await drain(content);
        this.warn(`unsupported entry type '${String(header.type)}' skipped`);
        return;
    }
    this.created.add(target);
    this.whiteouts.delete(target);
    this.recordXattrs(target, header);
  }

  /** Resolves the parent inside the root and creates what is missing of it. */
  private ensureDirectory(parts: string[]): string {
    const dir = resolveInRoot(this.root, parts);
    if (!isInside(this.root, dir)) throw new PathEscapeError('parent resolves outside the layer root');
    try {
      fs.mkdirSync(dir, { recursive: true, mode: 0o755 });
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      if (code === 'EEXIST' || code === 'ENOTDIR') throw new Error(`parent '${parts.join('/')}' exists and is not a directory`);
      throw err;
    }
    return dir;
  }

  private existingDirectory(target: string): boolean {
    try {
      return fs.lstatSync(target).isDirectory();
    } catch {
      return false;
    }
  }

  /** Removes whatever is at `target` (never following a symlink). */
  private removeExisting(target: string): void {
    let stat: fs.Stats;
    try {
      stat = fs.lstatSync(target);
    } catch {
      return;
    }
    if (stat.isDirectory()) {
      fs.rmSync(target, { recursive: true, force: true });
      for (const dir of [...this.dirs.keys()]) if (dir === target || dir.startsWith(`${target}/`)) this.dirs.delete(dir);
    } else {
      fs.unlinkSync(target);
    }
  }

  private async writeFile(target: string, header: TarHeader, content: EntryContent): Promise<void> {
    const { O_WRONLY, O_CREAT, O_EXCL, O_NOFOLLOW } = fs.constants;
    const fh = await fs.promises.open(target, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW, 0o600);
    try {
      for await (const chunk of content) {
        await fh.write(chunk);
        this.bytes += chunk.byteLength;
      }
      if (!this.rootless) await fh.chown(header.uid ?? 0, header.gid ?? 0);
      await fh.chmod((header.mode ?? 0o644) & 0o7777);
      await fh.utimes(header.mtime ?? new Date(0), header.mtime ?? new Date(0));
    } finally {
      await fh.close();
    }
  }

  private makeHardlink(target: string, header: TarHeader): void {
    const linkParts = splitEntryPath(header.linkname ?? '');
    if (linkParts.length === 0) throw new Error('hardlink without a target');
    const linkParent = resolveInRoot(this.root, linkParts.slice(0, -1));
    const source = path.join(linkParent, linkParts[linkParts.length - 1]);
    if (!isInside(this.root, source) || source === this.root) throw new PathEscapeError(`hardlink target '${header.linkname}' is outside the layer root`);
    let stat: fs.Stats;
    try {
      stat = fs.lstatSync(source);
    } catch {
      throw new Error(`hardlink target '${header.linkname}' does not exist in this layer`);
    }
    if (stat.isDirectory()) throw new Error(`hardlink target '${header.linkname}' is a directory`);
    if (source === target) return;
    this.removeExisting(target);
    fs.linkSync(source, target); // link(2) does not follow a symlink source
  }

  private setOwner(target: string, header: TarHeader): void {
    if (!this.rootless) fs.lchownSync(target, header.uid ?? 0, header.gid ?? 0);
  }

  private recordXattrs(target: string, header: TarHeader): void {
    if (!header.pax || header.type === 'link') return;
    for (const [key, raw] of Object.entries(header.pax)) {
      let name: string;
      let value: Buffer;
      if (key.startsWith('SCHILY.xattr.')) {
        name = key.slice('SCHILY.xattr.'.length);
        if (raw.includes('\uFFFD')) {
          this.warn(`extended attribute ${name} has a binary value the tar reader cannot keep: skipped`);
          continue;
        }
        value = Buffer.from(raw, 'utf8');
      } else if (key.startsWith('LIBARCHIVE.xattr.')) {
        name = decodeURIComponent(key.slice('LIBARCHIVE.xattr.'.length));
        value = Buffer.from(raw, 'base64');
      } else {
        continue;
      }
      const userAttr = name.startsWith('user.') && !name.startsWith('user.overlay.');
      const capability = name === 'security.capability' && !this.rootless;
      if (!userAttr && !capability) {
        this.warn(`extended attribute ${name} not applied (only user.* and, as root, security.capability are)`);
        continue;
      }
      if (header.type === 'symlink') continue;
      const list = this.xattrs.get(target) ?? [];
      list.push({ path: target, name, value });
      this.xattrs.set(target, list);
    }
  }

  private applyWhiteout(parentParts: string[], base: string): void {
    const parent = resolveInRoot(this.root, parentParts);
    if (!isInside(this.root, parent)) throw new PathEscapeError('whiteout parent resolves outside the layer root');
    if (base === OPAQUE_WHITEOUT) {
      if (this.options.whiteouts === 'overlay') {
        this.opaque.add(this.ensureDirectory(parentParts));
      } else if (this.existingDirectory(parent)) {
        this.clearLowerEntries(parent);
      }
      return;
    }
    const name = base.slice(WHITEOUT_PREFIX.length);
    if (name === '' || name.startsWith(WHITEOUT_PREFIX)) {
      this.warn('unknown whiteout metadata entry skipped');
      return;
    }
    const target = path.join(parent, name);
    // A whiteout hides lower layers only, never an entry of its own layer.
    if (this.created.has(target)) return;
    if (this.options.whiteouts === 'overlay') {
      this.ensureDirectory(parentParts);
      this.removeExisting(target);
      this.whiteouts.add(target);
    } else {
      this.removeExisting(target);
    }
  }

  /** Opaque directory in merge mode: remove every child this layer did not create. */
  private clearLowerEntries(dir: string): void {
    for (const child of fs.readdirSync(dir)) {
      const p = path.join(dir, child);
      if (!this.created.has(p)) this.removeExisting(p);
      else if (this.existingDirectory(p)) this.clearLowerEntries(p);
    }
  }

  private kindAt(p: string): 'dir' | 'symlink' | 'other' | undefined {
    try {
      const st = fs.lstatSync(p);
      return st.isDirectory() ? 'dir' : st.isSymbolicLink() ? 'symlink' : 'other';
    } catch {
      return undefined;
    }
  }

  async finish(): Promise<void> {
    this.currentName = '(end of layer)';
    const whiteouts = [...this.whiteouts].filter((p) => this.kindAt(p) === undefined);
    await makeNodes(whiteouts.map((p) => ({ path: p, kind: 'c', major: 0, minor: 0 })));
    const attrs: XattrSpec[] = [];
    for (const dir of this.opaque) {
      if (this.kindAt(dir) !== 'dir') continue;
      attrs.push({ path: dir, name: 'user.overlay.opaque', value: Buffer.from('y') });
      if (!this.rootless) attrs.push({ path: dir, name: 'trusted.overlay.opaque', value: Buffer.from('y') });
    }
    for (const [p, list] of this.xattrs) {
      const kind = this.kindAt(p);
      if (kind === 'dir' || kind === 'other') attrs.push(...list);
    }
    await setXattrs(attrs);
    const deepestFirst = [...this.dirs.entries()].sort((a, b) => b[0].length - a[0].length);
    for (const [dir, header] of deepestFirst) {
      if (this.kindAt(dir) !== 'dir') continue;
      this.setOwner(dir, header);
      fs.chmodSync(dir, (header.mode ?? 0o755) & 0o7777);
      fs.lutimesSync(dir, header.mtime ?? new Date(0), header.mtime ?? new Date(0));
    }
  }
}

async function drain(stream: EntryContent): Promise<void> {
  for await (const _chunk of stream) { /* discard */ }
}
