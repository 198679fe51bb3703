// What ADD would unpack from a local file: BuildKit unpacks it when, after decompression
// (gzip, bzip2, xz, zstd or none), it reads as a tar archive; otherwise the file is copied.
import { spawn } from 'child_process';
import { createReadStream } from 'fs';
import { open } from 'fs/promises';
import { Readable, Transform, type TransformCallback } from 'stream';
import { pipeline } from 'stream/promises';
import * as zlib from 'zlib';
import * as tar from 'tar-stream';
import { Decompress } from 'fzstd';
import type { ArchiveContents } from '../plan/size/sizeReaders';
import type { LayerEntry } from '../plan/size/tarLayerSize';
import { cleanGoPath } from '../plan/size/goPath';

type Compression = 'gzip' | 'bzip2' | 'xz' | 'zstd' | 'none';

function detectCompression(head: Buffer): Compression {
  if (head[0] === 0x1f && head[1] === 0x8b && head[2] === 0x08) return 'gzip';
  if (head.subarray(0, 3).toString('latin1') === 'BZh') return 'bzip2';
  if (head.subarray(0, 6).equals(Buffer.from([0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00]))) return 'xz';
  if (head.subarray(0, 4).equals(Buffer.from([0x28, 0xb5, 0x2f, 0xfd]))) return 'zstd';
  return 'none';
}

class ZstdStream extends Transform {
  private readonly decoder = new Decompress((chunk) => this.push(Buffer.from(chunk)));
  override _transform(chunk: Buffer, _encoding: BufferEncoding, done: TransformCallback): void {
    try {
      this.decoder.push(new Uint8Array(chunk));
      done();
    } catch (error) {
      done(error as Error);
    }
  }
  override _flush(done: TransformCallback): void {
    try {
      this.decoder.push(new Uint8Array(0), true);
      done();
    } catch (error) {
      done(error as Error);
    }
  }
}

function decompressor(compression: Compression, path: string, onSpawnError: (error: Error) => void): Readable {
  const raw = createReadStream(path);
  switch (compression) {
    case 'gzip':
      return raw.pipe(zlib.createGunzip());
    case 'zstd':
      return raw.pipe(new ZstdStream());
    case 'bzip2':
    case 'xz': {
      const child = spawn(compression === 'xz' ? 'xz' : 'bzip2', ['-dc', path], { stdio: ['ignore', 'pipe', 'ignore'] });
      raw.destroy();
      child.on('error', (error) => {
        onSpawnError(error);
        child.stdout.destroy(error);
      });
      return child.stdout;
    }
    default:
      return raw;
  }
}

/** Lists a local file as ADD would unpack it. Never throws. */
export async function listArchive(path: string): Promise<ArchiveContents> {
  let head: Buffer;
  try {
    const handle = await open(path, 'r');
    try {
      head = Buffer.alloc(8);
      await handle.read(head, 0, 8, 0);
    } finally {
      await handle.close();
    }
  } catch (error) {
    return { state: 'unknown', reason: `cannot read ${path}: ${(error as Error).message}` };
  }
  const compression = detectCompression(head);
  const entries: LayerEntry[] = [];
  const extract = tar.extract();
  let first = true;
  extract.on('entry', (header, stream, next) => {
    first = false;
    const name = cleanGoPath('/' + header.name).slice(1);
    stream.on('end', next);
    stream.resume();
    if (name === '') return;
    switch (header.type) {
      case 'file':
      case 'contiguous-file':
        entries.push({ path: name, kind: 'file', size: header.size ?? 0, uid: header.uid, gid: header.gid });
        break;
      case 'directory':
        entries.push({ path: name, kind: 'dir', size: 0 });
        break;
      case 'symlink':
        entries.push({ path: name, kind: 'symlink', size: 0, linkTarget: header.linkname ?? '' });
        break;
      case 'link':
        entries.push({ path: name, kind: 'hardlink', size: 0, linkTarget: cleanGoPath('/' + (header.linkname ?? '')).slice(1) });
        break;
      default:
        entries.push({ path: name, kind: 'other', size: 0 });
    }
  });
  let spawnError: Error | undefined;
  try {
    await pipeline(decompressor(compression, path, (error) => (spawnError = error)), extract);
  } catch (error) {
    if (spawnError) return { state: 'unknown', reason: `cannot decompress ${compression} (${spawnError.message})` };
    if (first) return { state: 'not-archive' };
    return { state: 'unknown', reason: `${path} is a damaged archive: ${(error as Error).message}` };
  }
  if (first) return { state: 'not-archive' };
  return { state: 'archive', format: compression === 'none' ? 'tar' : `tar+${compression}`, entries };
}
