// A directory (an overlay upper dir after RUN, or the staging dir of COPY/ADD/WORKDIR) as an
// uncompressed OCI layer: entries in byte order, parents before children, numeric owners as the
// container sees them, no user/group names, mtimes clamped to SOURCE_DATE_EPOCH when it is set,
// overlay whiteouts (0:0 character devices, opaque directories) as `.wh.` entries, hard links kept,
// file capabilities and user.* attributes as PAX records. Same tree in, same bytes out.
import { createHash } from 'crypto';
import * as fs from 'fs';
import * as path from 'path';
import type { ContainerIds } from './containerIds';
import { readXattrs, type XattrTable } from './readXattrs';
import { encodeTarHeader, END_OF_ARCHIVE, padding, type TarEntry } from './tarHeader';

export interface LayerTarOptions {
  /** Turn overlay whiteouts and opaque directories into OCI whiteouts (RUN upper dirs). */
  overlay?: boolean;
  /** Clamp every mtime to this many seconds since the epoch. */
  sourceDateEpoch?: number;
  /** Host owner -> container owner (default: unchanged). */
  ids?: Pick<ContainerIds, 'uid' | 'gid'>;
  /** Owners by path relative to the directory, when they could not be set on disk (rootless COPY --chown). */
  owners?: ReadonlyMap<string, { uid: number; gid: number }>;
  /** Record xattrs (default true). */
  xattrs?: boolean;
}

export interface LayerTar {
  /** sha256 of the tar (`sha256:...`): the diff_id, and the blob digest of an uncompressed layer. */
  diffId: string;
  size: number;
  /** Entries written (0: the directory held nothing, an empty layer). */
  entries: number;
}

const OPAQUE = '.wh..wh..opq';
const WHITEOUT = '.wh.';
const CHUNK = 1 << 20;
const SINK_BUFFER = 4 << 20;
const XATTR_PATTERN = '^(user\\.|security\\.capability$|trusted\\.overlay\\.opaque$)';

/** Buffers small writes, hashes everything, and writes to a file (or only hashes). */
class TarSink {
  private readonly hash = createHash('sha256');
  private buffer = Buffer.allocUnsafe(SINK_BUFFER);
  private used = 0;
  bytes = 0;

  constructor(private readonly fh: fs.promises.FileHandle | undefined) {}

  async write(data: Buffer): Promise<void> {
    this.hash.update(data);
    this.bytes += data.length;
    if (!this.fh) return;
    if (this.used + data.length > this.buffer.length) await this.flush();
    if (data.length >= this.buffer.length) {
      await this.fh.write(data);
      return;
    }
    data.copy(this.buffer, this.used);
    this.used += data.length;
  }

  async flush(): Promise<void> {
    if (!this.fh || this.used === 0) return;
    await this.fh.write(this.buffer, 0, this.used);
    this.buffer = Buffer.allocUnsafe(SINK_BUFFER);
    this.used = 0;
  }

  digest(): string {
    return `sha256:${this.hash.digest('hex')}`;
  }
}

function compareBytes(a: string, b: string): number {
  return Buffer.compare(Buffer.from(a), Buffer.from(b));
}

/**
 * Writes `dir` as a layer tar to `file` (created, must not exist; undefined: only hash it).
 * The file is fsynced before this resolves.
 */
export async function writeLayerTar(dir: string, file: string | undefined, options: LayerTarOptions = {}): Promise<LayerTar> {
  const root = path.resolve(dir);
  const overlay = options.overlay ?? false;
  const xattrs: XattrTable = options.xattrs === false ? new Map() : await readXattrs(root, XATTR_PATTERN);
  const fh = file === undefined ? undefined : await fs.promises.open(file, 'wx', 0o644);
  const sink = new TarSink(fh);
  const inodes = new Map<string, string>();
  const epoch = options.sourceDateEpoch;
  const ids = options.ids;
  let entries = 0;

  const isOpaque = (abs: string): boolean => {
    const attrs = xattrs.get(abs);
    return overlay && !!attrs && (attrs.get('user.overlay.opaque')?.toString() === 'y' || attrs.get('trusted.overlay.opaque')?.toString() === 'y');
  };
  const recordedXattrs = (abs: string): Map<string, Buffer> | undefined => {
    const attrs = xattrs.get(abs);
    if (!attrs) return undefined;
    const kept = new Map([...attrs].filter(([name]) => !name.startsWith('user.overlay.') && !name.startsWith('trusted.')));
    return kept.size > 0 ? kept : undefined;
  };
  const emit = async (entry: TarEntry): Promise<void> => {
    entries++;
    await sink.write(encodeTarHeader(entry));
  };
  const ownerOf = (rel: string, st: fs.Stats): { uid: number; gid: number } => {
    const forced = options.owners?.get(rel);
    if (forced) return forced;
    return { uid: ids ? ids.uid(st.uid) : st.uid, gid: ids ? ids.gid(st.gid) : st.gid };
  };
  const mtimeOf = (st: fs.Stats): number => {
    const seconds = Math.floor(st.mtimeMs / 1000);
    return epoch !== undefined && seconds > epoch ? epoch : seconds;
  };

  // Metadata and small files are read synchronously (thousands of tiny files cost more in
  // thread-pool round trips than in I/O); large files stream. The event loop gets a turn
  // every few hundred entries so other stages' output keeps flowing.
  const small = Buffer.allocUnsafe(CHUNK);
  let sinceYield = 0;
  const copyContent = async (abs: string, size: number): Promise<void> => {
    if (size <= CHUNK) {
      const fd = fs.openSync(abs, 'r');
      try {
        let read = 0;
        while (read < size) {
          const n = fs.readSync(fd, small, read, size - read, read);
          if (n === 0) throw new Error(`${abs} shrank while it was being added to the layer`);
          read += n;
        }
      } finally {
        fs.closeSync(fd);
      }
      await sink.write(small.subarray(0, size)); // copied or hashed before `small` is reused
    } else {
      const input = await fs.promises.open(abs, 'r');
      try {
        let left = size;
        while (left > 0) {
          const chunk = Buffer.allocUnsafe(Math.min(CHUNK, left));
          const { bytesRead } = await input.read(chunk, 0, chunk.length, null);
          if (bytesRead === 0) throw new Error(`${abs} shrank while it was being added to the layer`);
          await sink.write(bytesRead === chunk.length ? chunk : chunk.subarray(0, bytesRead));
          left -= bytesRead;
        }
      } finally {
        await input.close();
      }
    }
    const pad = padding(size);
    if (pad) await sink.write(Buffer.alloc(pad));
  };

  const walk = async (absDir: string, relDir: string): Promise<void> => {
    const names = fs.readdirSync(absDir).sort(compareBytes);
    for (const name of names) {
      if (++sinceYield >= 256) {
        sinceYield = 0;
        await new Promise((resolve) => setImmediate(resolve));
      }
      const abs = path.join(absDir, name);
      const rel = relDir ? `${relDir}/${name}` : name;
      const st = fs.lstatSync(abs);
      const owner = ownerOf(rel, st);
      const base = { mode: st.mode & 0o7777, uid: owner.uid, gid: owner.gid, size: 0, mtime: mtimeOf(st) };
      if (overlay && st.isCharacterDevice() && st.rdev === 0) {
        await emit({ ...base, name: relDir ? `${relDir}/${WHITEOUT}${name}` : `${WHITEOUT}${name}`, type: 'file', mode: 0o644 });
        continue;
      }
      if (st.isDirectory()) {
        await emit({ ...base, name: `${rel}/`, type: 'dir', xattrs: recordedXattrs(abs) });
        if (isOpaque(abs)) await emit({ ...base, name: `${rel}/${OPAQUE}`, type: 'file', mode: 0o644 });
        await walk(abs, rel);
        continue;
      }
      if (st.nlink > 1) {
        const key = `${st.dev}:${st.ino}`;
        const first = inodes.get(key);
        if (first !== undefined) {
          await emit({ ...base, name: rel, type: 'link', linkname: first });
          continue;
        }
        inodes.set(key, rel);
      }
      if (st.isFile()) {
        await emit({ ...base, name: rel, type: 'file', size: st.size, xattrs: recordedXattrs(abs) });
        await copyContent(abs, st.size);
      } else if (st.isSymbolicLink()) {
        await emit({ ...base, name: rel, type: 'symlink', linkname: fs.readlinkSync(abs) });
      } else if (st.isCharacterDevice() || st.isBlockDevice()) {
        const major = Math.floor(st.rdev / 256) & 0xfff;
        const minor = (st.rdev & 0xff) | ((st.rdev >> 12) & 0xfff00);
        await emit({ ...base, name: rel, type: st.isCharacterDevice() ? 'char' : 'block', devmajor: major, devminor: minor });
      } else if (st.isFIFO()) {
        await emit({ ...base, name: rel, type: 'fifo' });
      }
      // sockets are not part of a layer
    }
  };

  try {
    await walk(root, '');
    await sink.write(END_OF_ARCHIVE);
    await sink.flush();
    if (fh) await fh.sync();
  } catch (err) {
    if (fh) {
      await fh.close();
      await fs.promises.rm(file as string, { force: true });
    }
    throw err;
  }
  if (fh) await fh.close();
  return { diffId: sink.digest(), size: sink.bytes, entries };
}

