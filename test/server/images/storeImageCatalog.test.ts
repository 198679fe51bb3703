import * as assert from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { StoreImageCatalog } from '../../../server/images/storeImageCatalog';
import { ImageStore } from '../../../runner/store/imageStore';
import { makeBusyboxRootfs, packRootfs } from '../../fixtures/busyboxRootfs';

describe('store image catalog', () => {
  let storeDir: string;
  let tarball: string;
  let work: string;
  before(function () {
    this.timeout(60000);
    work = fs.mkdtempSync(path.join(os.tmpdir(), 'layerlens-catalog-rootfs-'));
    tarball = packRootfs(makeBusyboxRootfs(path.join(work, 'rootfs')), path.join(work, 'rootfs.tar'));
  });
  beforeEach(() => {
    storeDir = fs.mkdtempSync(path.join(os.tmpdir(), 'layerlens-catalog-store-'));
  });
  afterEach(() => fs.rmSync(storeDir, { recursive: true, force: true }));
  after(() => fs.rmSync(work, { recursive: true, force: true }));

  it('answers at once with the last listing and reads the store a turn later, never in the caller\'s turn', async () => {
    const store = await ImageStore.open(storeDir);
    const image = await store.importRootfsTarball(tarball, 'catalog-test/busybox:1.36');
    const catalog = new StoreImageCatalog({ root: storeDir });
    // Nothing listed yet: the caller gets the empty listing, and no store access ran in its turn.
    const accessed: string[] = [];
    const access = fs.promises.access;
    fs.promises.access = (file: fs.PathLike, mode?: number) => {
      accessed.push(String(file));
      return access(file, mode);
    };
    try {
      assert.deepStrictEqual(catalog.images(), []);
      assert.strictEqual(catalog.find('catalog-test/busybox:1.36'), undefined);
      assert.deepStrictEqual(accessed, [], 'the store is not touched in the caller\'s turn');
      await new Promise((resolve) => setImmediate(resolve));
      await new Promise((resolve) => setImmediate(resolve));
      assert.deepStrictEqual(accessed, [storeDir], 'the listing started a turn later');
    } finally {
      fs.promises.access = access;
    }
    await catalog.loaded();
    const found = catalog.find('catalog-test/busybox:1.36');
    assert.ok(found, 'listed once loaded');
    assert.strictEqual(found.digest, image.manifestDigest);
    assert.strictEqual(catalog.find(`docker.io/catalog-test/busybox@${image.manifestDigest}`), found);
    assert.ok(found.size > 0 && found.layers === 1, JSON.stringify(found));
  });

  it('lists a store created after it first looked, and keeps the listing object while the store is unchanged', async () => {
    const catalog = new StoreImageCatalog({ root: path.join(storeDir, 'later'), maxAgeMs: 0 });
    await catalog.loaded();
    assert.deepStrictEqual(catalog.images(), []);
    const store = await ImageStore.open(path.join(storeDir, 'later'));
    await store.importRootfsTarball(tarball, 'catalog-test/late:1');
    catalog.images();
    await catalog.loaded();
    const listed = catalog.images();
    assert.deepStrictEqual(listed.map((i) => i.names), [['docker.io/catalog-test/late:1']]);
    await catalog.loaded();
    assert.strictEqual(catalog.images(), listed, 'same images: same array');
  });
});
