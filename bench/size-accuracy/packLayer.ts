// Packs a directory into a layer tar with tar-stream (USTAR headers, PAX where needed) and
// returns its length: the "measured" side of the benchmark, written independently of the
// prediction's arithmetic. An overlayfs upper directory is converted the way containerd does:
// whiteout devices become `.wh.<name>`, opaque directories get `.wh..wh..opq`.
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import * as tar from 'tar-stream';

export interface PackedLayer {
  tarBytes: number;
  contentBytes: number;
  entries: number;
}

function isOpaque(abs: string): boolean {
  try {
    return execFileSync('getfattr', ['--absolute-names', '--only-values', '-n', 'trusted.overlay.opaque', abs], { stdio: ['ignore', 'pipe', 'ignore'] }).toString() === 'y';
  } catch {
    return false;
  }
}

/** Packs `root` (its contents, not itself). `overlay` converts whiteouts and opaque markers. */
export async function packLayer(root: string, options: { overlay?: boolean } = {}): Promise<PackedLayer> {
  const pack = tar.pack();
  let tarBytes = 0;
  let contentBytes = 0;
  let entries = 0;
  const counted = new Promise<void>((resolve, reject) => {
    pack.on('data', (chunk: unknown) => {
      tarBytes += (chunk as Buffer).length;
    });
    pack.on('end', resolve);
    pack.on('error', reject);
  });
  const inodes = new Map<string, string>();
  const add = (header: Partial<tar.Header> & { name: string }, body?: Buffer): Promise<void> =>
    new Promise((resolve, reject) => {
      entries++;
      const done = (error?: Error | null): void => (error ? reject(error) : resolve());
      if (body) pack.entry(header, body, done);
      else pack.entry(header, done);
    });
  const walk = async (rel: string): Promise<void> => {
    const names = fs.readdirSync(path.join(root, rel)).sort((a, b) => Buffer.compare(Buffer.from(a), Buffer.from(b)));
    for (const name of names) {
      const r = rel ? `${rel}/${name}` : name;
      const abs = path.join(root, r);
      const st = fs.lstatSync(abs);
      const common = { mode: st.mode & 0o7777, uid: st.uid, gid: st.gid, mtime: new Date(Math.floor(st.mtimeMs / 1000) * 1000) };
      if (options.overlay && st.isCharacterDevice() && st.rdev === 0) {
        await add({ name: `${rel ? rel + '/' : ''}.wh.${name}`, type: 'file', size: 0, ...common }, Buffer.alloc(0));
      } else if (st.isDirectory()) {
        await add({ name: r + '/', type: 'directory', ...common });
        if (options.overlay && isOpaque(abs)) await add({ name: `${r}/.wh..wh..opq`, type: 'file', size: 0, ...common }, Buffer.alloc(0));
        await walk(r);
      } else if (st.isSymbolicLink()) {
        await add({ name: r, type: 'symlink', linkname: fs.readlinkSync(abs), ...common });
      } else if (st.isFile()) {
        const id = `${st.dev}:${st.ino}`;
        const first = st.nlink > 1 ? inodes.get(id) : undefined;
        if (first !== undefined) await add({ name: r, type: 'link', linkname: first, ...common });
        else {
          if (st.nlink > 1) inodes.set(id, r);
          contentBytes += st.size;
          await add({ name: r, type: 'file', size: st.size, ...common }, fs.readFileSync(abs));
        }
      } else {
        await add({ name: r, type: st.isFIFO() ? 'fifo' : st.isCharacterDevice() ? 'character-device' : 'block-device', ...common });
      }
    }
  };
  await walk('');
  pack.finalize();
  pack.resume();
  await counted;
  return { tarBytes, contentBytes, entries };
}

/** The peer measurement: GNU tar in POSIX format with 512-byte records. */
export function gnuTarBytes(root: string): number {
  const out = execFileSync('tar', ['--format=posix', '--pax-option=delete=atime,delete=ctime', '-b', '1', '-C', root, '-cf', '-', '.'], { maxBuffer: 2 ** 31 });
  return out.length;
}
