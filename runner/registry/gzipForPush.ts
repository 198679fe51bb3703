// Compresses an uncompressed layer blob for a push: the stored tar is read (and checked against
// its digest, which is its diff_id), gzipped with zlib into the store's tmp/ and hashed on the
// way. Level 1: measured here (bench/build/pushCompression.ts, docs/build.md) about twice as
// fast as zlib's default level 6 for blobs 4-10% larger; uploads, not compression, should be
// what a push waits for. The gzip header carries no time or name, so the same tar always gives
// the same blob.
import * as fs from 'fs';
import { Transform } from 'stream';
import { pipeline } from 'stream/promises';
import * as zlib from 'zlib';
import { DigestCounter } from '../store/digest';
import { ImageStore, StoreCorruptionError, type StagedBlob, type StoredLayer } from '../store/imageStore';

export const PUSH_GZIP_LEVEL = 1;

function hashing(counter: DigestCounter): Transform {
  return new Transform({
    transform(chunk: Buffer, _enc, done) {
      counter.update(chunk);
      done(null, chunk);
    },
  });
}

/** Gzips the stored uncompressed `layer` into a staged file of tmp/ (the caller removes it). */
export async function gzipLayerForPush(store: ImageStore, layer: Pick<StoredLayer, 'digest' | 'diffId'>, level = PUSH_GZIP_LEVEL): Promise<StagedBlob> {
  const stagedPath = store.tempPath('push.tar.gz');
  const tar = new DigestCounter();
  const blob = new DigestCounter();
  try {
    await pipeline(
      fs.createReadStream(store.blobPath(layer.digest), { highWaterMark: 1 << 20 }),
      hashing(tar),
      zlib.createGzip({ level }),
      hashing(blob),
      fs.createWriteStream(stagedPath, { flags: 'wx', mode: 0o600 }),
    );
  } catch (err) {
    await fs.promises.rm(stagedPath, { force: true });
    throw err;
  }
  if (tar.digest() !== layer.digest || layer.digest !== layer.diffId) {
    await fs.promises.rm(stagedPath, { force: true });
    throw new StoreCorruptionError(`layer ${layer.diffId}: the stored tar reads as ${tar.digest()} (run 'layerlens fsck --repair')`);
  }
  return { digest: blob.digest(), size: blob.bytes, stagedPath };
}
