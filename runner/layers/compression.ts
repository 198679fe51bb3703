// Layer compression: gzip through Node's zlib; zstd through zlib when the Node version has it
// (22.15+) and otherwise through `fzstd`, a small, dependency-free, streaming pure-JS decoder
// (Node 20 has no zstd; a native addon would need a compiler at install time).
import { Decompress as ZstdDecompress } from 'fzstd';
import { pipeline, Readable, Transform, TransformCallback } from 'stream';
import * as zlib from 'zlib';
import { MediaTypes } from '../store/ociTypes';

export type Compression = 'none' | 'gzip' | 'zstd';

/** Sniffs the compression from the first bytes of a blob. */
export function detectCompression(head: Uint8Array): Compression {
  if (head.length >= 2 && head[0] === 0x1f && head[1] === 0x8b) return 'gzip';
  if (head.length >= 4 && head[0] === 0x28 && head[1] === 0xb5 && head[2] === 0x2f && head[3] === 0xfd) return 'zstd';
  return 'none';
}

/** The compression a layer media type declares, or undefined for an unknown type. */
export function compressionOfMediaType(mediaType: string): Compression | undefined {
  if (mediaType.endsWith('+gzip') || mediaType.endsWith('.tar.gzip')) return 'gzip';
  if (mediaType.endsWith('+zstd')) return 'zstd';
  if (mediaType === MediaTypes.ociLayer || mediaType.endsWith('.tar') || mediaType === 'application/vnd.docker.image.rootfs.diff.tar') return 'none';
  return undefined;
}

class FzstdTransform extends Transform {
  private readonly decoder = new ZstdDecompress((chunk) => {
    this.push(Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength));
  });

  override _transform(chunk: Buffer, _enc: BufferEncoding, done: TransformCallback): void {
    try {
      this.decoder.push(new Uint8Array(chunk));
      done();
    } catch (err) {
      done(new Error(`zstd: ${(err as Error).message}`));
    }
  }

  override _flush(done: TransformCallback): void {
    try {
      this.decoder.push(new Uint8Array(0), true);
      done();
    } catch (err) {
      done(new Error(`zstd: ${(err as Error).message}`));
    }
  }
}

type ZlibWithZstd = typeof zlib & { createZstdDecompress?: () => Transform };

/** A stream that decompresses `compression` (a pass-through for `none`). */
export function createDecompressor(compression: Compression): Transform {
  switch (compression) {
    case 'gzip':
      return zlib.createGunzip();
    case 'zstd': {
      const native = (zlib as ZlibWithZstd).createZstdDecompress;
      return native ? native() : new FzstdTransform();
    }
    case 'none':
      return new Transform({ transform: (chunk, _enc, done) => done(null, chunk) });
  }
}

/** The layer media type for a compression. */
export function layerMediaType(compression: Compression): string {
  switch (compression) {
    case 'gzip': return MediaTypes.ociLayerGzip;
    case 'zstd': return MediaTypes.ociLayerZstd;
    case 'none': return MediaTypes.ociLayer;
  }
}

/** Opens `source` decompressed, choosing the decompressor from its first bytes. */
export async function decompressAuto(source: AsyncIterable<Uint8Array>, declared?: Compression): Promise<{ compression: Compression; stream: Readable }> {
  const iterator = source[Symbol.asyncIterator]();
  const head: Buffer[] = [];
  let headBytes = 0;
  let ended = false;
  while (headBytes < 6) {
    const next = await iterator.next();
    if (next.done) {
      ended = true;
      break;
    }
    head.push(Buffer.from(next.value));
    headBytes += next.value.byteLength;
  }
  const first = Buffer.concat(head);
  if (first.subarray(0, 3).toString('latin1') === 'BZh' || first.subarray(0, 6).equals(Buffer.from([0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00]))) {
    throw new Error('bzip2 and xz compressed tarballs are not supported: decompress it first, or use gzip or zstd');
  }
  const sniffed = detectCompression(first);
  const compression = sniffed !== 'none' ? sniffed : declared === undefined || first.length === 0 ? 'none' : declared;
  async function* all(): AsyncGenerator<Buffer> {
    if (first.length) yield first;
    if (ended) return;
    for (;;) {
      const next = await iterator.next();
      if (next.done) return;
      yield Buffer.from(next.value);
    }
  }
  const decompressor = createDecompressor(compression);
  const stream = pipeline(Readable.from(all()), decompressor, () => undefined) as unknown as Readable;
  return { compression, stream };
}
