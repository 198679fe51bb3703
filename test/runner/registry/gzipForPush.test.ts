import * as assert from 'assert';
import { createHash } from 'crypto';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as zlib from 'zlib';
import { gzipLayerForPush } from '../../../runner/registry/gzipForPush';
import { manifestForPush } from '../../../runner/registry/pushImage';
import { ImageStore, StoreCorruptionError } from '../../../runner/store/imageStore';
import { MediaTypes, type ImageManifest } from '../../../runner/store/ociTypes';
import { makeBusyboxRootfs, packRootfs } from '../../fixtures/busyboxRootfs';

const sha256 = (data: Buffer) => `sha256:${createHash('sha256').update(data).digest('hex')}`;

describe('push compression', function () {
  this.timeout(60000);
  let work: string;
  let store: ImageStore;
  let tar: Buffer;
  let diffId: string;

  before(async () => {
    work = fs.mkdtempSync(path.join(os.tmpdir(), 'layerlens-gzip-push-'));
    tar = fs.readFileSync(packRootfs(makeBusyboxRootfs(path.join(work, 'rootfs')), path.join(work, 'rootfs.tar')));
    store = await ImageStore.open(path.join(work, 'store'));
    diffId = await store.putBlob(tar);
  });
  after(() => fs.rmSync(work, { recursive: true, force: true }));

  it('gzips a stored tar into tmp/: smaller, decompresses to the diff_id, the same bytes every time', async () => {
    const one = await gzipLayerForPush(store, { digest: diffId, diffId });
    const two = await gzipLayerForPush(store, { digest: diffId, diffId });
    try {
      assert.strictEqual(path.dirname(one.stagedPath), store.tmpDir);
      const blob = fs.readFileSync(one.stagedPath);
      assert.strictEqual(one.digest, sha256(blob));
      assert.strictEqual(one.size, blob.length);
      assert.ok(one.size < tar.length * 0.6, `${one.size} bytes from ${tar.length}`);
      assert.strictEqual(sha256(zlib.gunzipSync(blob)), diffId);
      assert.strictEqual(two.digest, one.digest, 'deterministic: a second push finds the same blob');
      assert.strictEqual(blob.readUInt32LE(4), 0, 'no modification time in the gzip header');
    } finally {
      fs.rmSync(one.stagedPath, { force: true });
      fs.rmSync(two.stagedPath, { force: true });
    }
  });

  it('refuses a stored tar that does not match its digest, leaving nothing behind', async () => {
    const other = await store.putBlob(Buffer.concat([tar, Buffer.alloc(1024)]));
    fs.appendFileSync(store.blobPath(other), 'x');
    await assert.rejects(gzipLayerForPush(store, { digest: other, diffId: other }), (err: unknown) => err instanceof StoreCorruptionError && /fsck/.test((err as Error).message));
    assert.deepStrictEqual(fs.readdirSync(store.tmpDir).filter((n) => n.endsWith('push.tar.gz')), []);
  });

  it('writes a new manifest only when a layer was compressed, keeping config and annotations', () => {
    const manifest: ImageManifest = {
      schemaVersion: 2,
      mediaType: MediaTypes.ociManifest,
      config: { mediaType: MediaTypes.ociConfig, digest: `sha256:${'c'.repeat(64)}`, size: 100 },
      layers: [
        { mediaType: MediaTypes.ociLayerGzip, digest: `sha256:${'1'.repeat(64)}`, size: 5 },
        { mediaType: MediaTypes.ociLayer, digest: `sha256:${'2'.repeat(64)}`, size: 50, annotations: { a: 'b' } },
      ],
      annotations: { x: 'y' },
    };
    const stored = Buffer.from(JSON.stringify(manifest));
    assert.strictEqual(manifestForPush({ manifest }, stored, [undefined, undefined]), stored);
    const pushed = JSON.parse(manifestForPush({ manifest }, stored, [undefined, { mediaType: MediaTypes.ociLayerGzip, digest: `sha256:${'3'.repeat(64)}`, size: 7 }]).toString()) as ImageManifest;
    assert.deepStrictEqual(pushed.config, manifest.config);
    assert.deepStrictEqual(pushed.annotations, { x: 'y' });
    assert.deepStrictEqual(pushed.layers, [manifest.layers[0], { mediaType: MediaTypes.ociLayerGzip, digest: `sha256:${'3'.repeat(64)}`, size: 7, annotations: { a: 'b' } }]);
  });
});
