// Turns an uncompressed layer tar stream into a staged gzip blob, computing both digests on the
// way (diff_id of the tar, digest of the blob) and checking that the stream really is a tarball.
import * as fs from 'fs';
import { Readable, Transform } from 'stream';
import { pipeline } from 'stream/promises';
import * as tar from 'tar-stream';
import * as zlib from 'zlib';
import { DigestCounter } from './digest';
import { MediaTypes } from './ociTypes';
import type { StagedLayer } from './storeTypes';

function hashing(counter: DigestCounter, also?: (chunk: Buffer) => void, atEnd?: () => void): Transform {
  return new Transform({
    transform(chunk: Buffer, _enc, done) {
      counter.update(chunk);
      also?.(chunk);
      done(null, chunk);
    },
    flush(done) {
      atEnd?.();
      done();
    },
  });
}

/** Gzips `tarStream` into `stagedPath` (fsynced); rejects a stream that is not a valid tarball. */
export async function gzipLayer(tarStream: Readable, stagedPath: string): Promise<StagedLayer> {
  const diff = new DigestCounter();
  const blob = new DigestCounter();
  const validator = tar.extract();
  const validated = new Promise<void>((resolve, reject) => {
    validator.on('entry', (_header, content, next) => {
      content.on('end', () => next());
      content.on('error', () => undefined);
      content.resume();
    });
    validator.on('finish', () => resolve());
    validator.on('error', (err: Error) => reject(new Error(`not a valid tarball: ${err.message}`)));
  });
  validated.catch(() => undefined);
  try {
    await pipeline(
      tarStream,
      hashing(diff, (chunk) => validator.write(chunk), () => { validator.end(undefined); }),
      zlib.createGzip(),
      hashing(blob),
      fs.createWriteStream(stagedPath, { flags: 'wx', mode: 0o644 }),
    );
    await validated;
    const fh = await fs.promises.open(stagedPath, 'r');
    await fh.sync();
    await fh.close();
  } catch (err) {
    validator.destroy();
    await fs.promises.rm(stagedPath, { force: true });
    throw err;
  }
  return { digest: blob.digest(), diffId: diff.digest(), size: blob.bytes, mediaType: MediaTypes.ociLayerGzip, stagedPath };
}
