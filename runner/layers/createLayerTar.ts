// Writes a directory as an OCI layer tarball. For an overlayfs upper directory (a container's or a
// build step's changes) overlay whiteouts become OCI whiteouts: a 0:0 character device NAME
// becomes an empty `.wh.NAME` file (each its own entry: the kernel may share one inode between
// whiteouts, which must not turn into hardlinks) and a directory with an opaque xattr
// (`trusted.overlay.opaque` or `user.overlay.opaque` = y) gets a `.wh..wh..opq` entry.
// Entries are sorted, owners numeric, other hardlinks kept as hardlinks.
import * as fs from 'fs';
import * as path from 'path';
import { Readable } from 'stream';
import * as tar from 'tar-stream';
import { OPAQUE_WHITEOUT, WHITEOUT_PREFIX } from './applyLayer';
import { findXattr } from './specialFiles';

export interface CreateLayerOptions {
  /** Convert overlay whiteouts and opaque dirs (default true). */
  overlayWhiteouts?: boolean;
}

/** A tar stream of `dir`'s contents (paths relative to `dir`). */
export function createLayerTar(dir: string, options: CreateLayerOptions = {}): Readable {
  const pack = tar.pack();
  writeEntries(pack, path.resolve(dir), options.overlayWhiteouts ?? true).then(
    () => pack.finalize(),
    (err: unknown) => pack.destroy(err as Error),
  );
  return pack as unknown as Readable;
}

function addEntry(pack: tar.Pack, header: Partial<tar.Header> & { name: string }, body?: Buffer): Promise<void> {
  return new Promise((resolve, reject) => {
    const cb = (err?: Error | null) => (err ? reject(err) : resolve());
    // A file entry without a buffer would wait for its data to be written.
    if (body || header.type === 'file') pack.entry(header, body ?? Buffer.alloc(0), cb);
    else pack.entry(header, cb);
  });
}

/** Streams a file into one entry, respecting the pack's back-pressure. */
async function addFile(pack: tar.Pack, header: Partial<tar.Header> & { name: string }, file: string): Promise<void> {
  let failed: Error | undefined;
  const done = new Promise<void>((resolve, reject) => {
    const sink = pack.entry(header, (err) => (err ? reject(err) : resolve()));
    (async () => {
      for await (const chunk of fs.createReadStream(file, { highWaterMark: 1 << 20 })) {
        if (!sink.write(chunk as Buffer)) await new Promise<void>((r) => sink.once('drain', () => r()));
      }
      sink.end(undefined);
    })().catch((err: Error) => {
      failed = err;
      sink.destroy(err);
      reject(err);
    });
  });
  await done;
  if (failed) throw failed;
}

async function writeEntries(pack: tar.Pack, root: string, overlay: boolean): Promise<void> {
  const opaque = new Set<string>();
  if (overlay) {
    for (const name of ['trusted.overlay.opaque', 'user.overlay.opaque']) {
      for (const [p, value] of await findXattr(root, name)) if (value.toString() === 'y') opaque.add(p);
    }
  }
  const inodes = new Map<string, string>();

  const walk = async (dir: string): Promise<void> => {
    const names = (await fs.promises.readdir(dir)).sort();
    if (opaque.has(dir) && dir !== root) {
      await addEntry(pack, { name: path.posix.join(path.relative(root, dir), OPAQUE_WHITEOUT), type: 'file', mode: 0o644, size: 0, mtime: new Date(0) });
    }
    for (const name of names) {
      const full = path.join(dir, name);
      const rel = path.relative(root, full);
      const st = await fs.promises.lstat(full);
      const base = { name: rel, mode: st.mode & 0o7777, uid: st.uid, gid: st.gid, mtime: st.mtime, uname: '', gname: '' };
      if (overlay && st.isCharacterDevice() && st.rdev === 0) {
        await addEntry(pack, { ...base, name: path.posix.join(path.dirname(rel), `${WHITEOUT_PREFIX}${name}`), type: 'file', mode: 0o644, size: 0 });
        continue;
      }
      if (st.isDirectory()) {
        await addEntry(pack, { ...base, name: `${rel}/`, type: 'directory' });
        await walk(full);
        continue;
      }
      const key = `${st.dev}:${st.ino}`;
      if (st.nlink > 1 && !st.isDirectory()) {
        const first = inodes.get(key);
        if (first) {
          await addEntry(pack, { ...base, type: 'link', linkname: first, size: 0 });
          continue;
        }
        inodes.set(key, rel);
      }
      if (st.isSymbolicLink()) {
        await addEntry(pack, { ...base, type: 'symlink', linkname: await fs.promises.readlink(full) });
      } else if (st.isFile()) {
        await addFile(pack, { ...base, type: 'file', size: st.size }, full);
      } else if (st.isCharacterDevice() || st.isBlockDevice()) {
        const major = Math.floor(st.rdev / 256) & 0xfff;
        const minor = (st.rdev & 0xff) | ((st.rdev >> 12) & 0xfff00);
        await addEntry(pack, { ...base, type: st.isCharacterDevice() ? 'character-device' : 'block-device', devmajor: major, devminor: minor });
      } else if (st.isFIFO()) {
        await addEntry(pack, { ...base, type: 'fifo' });
      }
      // sockets are not part of a layer
    }
  };
  await walk(root);
}
