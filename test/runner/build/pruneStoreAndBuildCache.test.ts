import * as assert from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { cacheDir, cacheIndexPath, type CacheIndexFile } from '../../../runner/build/buildCache';
import { pruneStoreAndBuildCache } from '../../../runner/build/pruneStoreAndBuildCache';
import { readCompressedLayers, rememberCompressedLayer } from '../../../runner/store/compressedLayers';
import { digestHex } from '../../../runner/store/digest';
import { ImageStore } from '../../../runner/store/imageStore';
import { MediaTypes } from '../../../runner/store/ociTypes';
import { makeBusyboxRootfs, packRootfs } from '../../fixtures/busyboxRootfs';

describe('store garbage collection and the build cache', function () {
  this.timeout(60000);
  let work: string;
  let tar: Buffer;
  let store: ImageStore;
  let cached: string;

  before(() => {
    work = fs.mkdtempSync(path.join(os.tmpdir(), 'layerlens-gc-cache-'));
    tar = fs.readFileSync(packRootfs(makeBusyboxRootfs(path.join(work, 'rootfs')), path.join(work, 'rootfs.tar')));
  });
  after(() => fs.rmSync(work, { recursive: true, force: true }));

  /** A store with one layer only the build cache refers to (blob, unpacked directory, a cache mount). */
  beforeEach(async () => {
    store = await ImageStore.open(fs.mkdtempSync(path.join(work, 'store-')));
    cached = await store.putBlob(tar);
    fs.mkdirSync(path.join(store.layersDir, digestHex(cached)));
    fs.writeFileSync(path.join(store.layersDir, digestHex(cached), 'file'), 'unpacked');
    const now = new Date().toISOString();
    const index: CacheIndexFile = { version: 1, entries: { k1: { layer: { diffId: cached, size: tar.length }, planKey: 'p', step: 'RUN x', createdAt: now, usedAt: now } } };
    fs.mkdirSync(path.join(cacheDir(store), 'mounts', 'm1'), { recursive: true });
    fs.writeFileSync(path.join(cacheDir(store), 'mounts', 'm1', 'data'), Buffer.alloc(4096));
    fs.writeFileSync(cacheIndexPath(store), JSON.stringify(index));
    await rememberCompressedLayer(store, cached, { digest: `sha256:${'9'.repeat(64)}`, size: 1, mediaType: MediaTypes.ociLayerGzip });
  });

  it('prune and rmi keep layers only the build cache refers to; fsck does not call them unused', async () => {
    await store.importRootfsTarball(path.join(work, 'rootfs.tar'), 'bb');
    await store.removeImage('bb');
    const report = await store.prune();
    assert.deepStrictEqual(report.layersRemoved, []);
    assert.ok(!report.blobsRemoved.includes(cached));
    assert.ok(store.hasBlob(cached));
    assert.ok(fs.existsSync(store.layerDir(cached)));
    assert.ok(readCompressedLayers(store).has(cached), 'the push record of a kept layer stays');
    const fsck = await store.fsck();
    assert.deepStrictEqual(fsck.problems.filter((p) => p.path.includes(digestHex(cached))), []);
  });

  it('full prune clears the cache and frees its layers, mounts and push records, reported apart', async () => {
    const report = await pruneStoreAndBuildCache(store);
    assert.deepStrictEqual(report.images.blobsRemoved, []);
    assert.ok(report.buildCache);
    assert.strictEqual(report.buildCache.entries, 1);
    assert.strictEqual(report.buildCache.mounts, 1);
    assert.deepStrictEqual(report.buildCache.blobsRemoved, [cached]);
    assert.deepStrictEqual(report.buildCache.layersRemoved, [cached]);
    assert.ok(report.buildCache.bytesFreed >= tar.length + 4096 + 'unpacked'.length, String(report.buildCache.bytesFreed));
    assert.strictEqual(report.bytesFreed, report.images.bytesFreed + report.buildCache.bytesFreed);
    assert.ok(!store.hasBlob(cached));
    assert.ok(!fs.existsSync(path.join(cacheDir(store), 'mounts')));
    assert.ok(!fs.existsSync(cacheIndexPath(store)));
    assert.strictEqual(readCompressedLayers(store).size, 0);
    assert.ok((await store.fsck()).ok);
  });

  it('with keepBuildCache, prune leaves the cache alone', async () => {
    const report = await pruneStoreAndBuildCache(store, { keepBuildCache: true });
    assert.strictEqual(report.buildCache, undefined);
    assert.ok(store.hasBlob(cached));
    assert.ok(fs.existsSync(cacheIndexPath(store)));
  });
});
