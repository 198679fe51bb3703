import * as assert from 'assert';
import { execFile, execFileSync } from 'child_process';
import { createHash } from 'crypto';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { promisify } from 'util';
import { ImageStore, StoreError } from '../../../runner/store/imageStore';
import { makeBusyboxRootfs, packRootfs } from '../../fixtures/busyboxRootfs';

const execFileAsync = promisify(execFile);

function sha(file: string): string {
  return `sha256:${createHash('sha256').update(fs.readFileSync(file)).digest('hex')}`;
}

describe('ImageStore', function () {
  this.timeout(60000);
  let work: string;
  let tarball: string;
  let store: ImageStore;

  before(() => {
    work = fs.mkdtempSync(path.join(os.tmpdir(), 'layerlens-store-'));
    makeBusyboxRootfs(path.join(work, 'rootfs'));
    tarball = packRootfs(path.join(work, 'rootfs'), path.join(work, 'rootfs.tar'));
  });
  after(() => fs.rmSync(work, { recursive: true, force: true }));
  beforeEach(async () => {
    store = await ImageStore.open(fs.mkdtempSync(path.join(work, 'store-')));
  });

  it('creates an OCI image layout', () => {
    assert.deepStrictEqual(JSON.parse(fs.readFileSync(path.join(store.root, 'oci-layout'), 'utf8')), { imageLayoutVersion: '1.0.0' });
    assert.deepStrictEqual(JSON.parse(fs.readFileSync(path.join(store.root, 'index.json'), 'utf8')).manifests, []);
    assert.strictEqual(fs.statSync(store.root).mode & 0o777, 0o700);
    assert.strictEqual(store.containersDir, path.join(store.root, 'containers'));
  });

  it('imports a rootfs tarball and resolves it by name, tag, id, short id and digest', async () => {
    const image = await store.importRootfsTarball(tarball, 'bb', { config: { Cmd: ['/bin/sh'] }, message: 'from test' });
    assert.deepStrictEqual(image.names, ['docker.io/library/bb:latest']);
    assert.strictEqual(image.layers.length, 1);
    assert.strictEqual(image.config.rootfs.diff_ids[0], sha(tarball), 'diff_id is the digest of the uncompressed tarball');
    assert.deepStrictEqual(image.config.config?.Cmd, ['/bin/sh']);
    assert.strictEqual(image.config.history?.[0].comment, 'from test');
    for (const ref of ['bb', 'bb:latest', 'docker.io/library/bb', image.configDigest, image.configDigest.slice(7, 19), image.manifestDigest, `bb@${image.manifestDigest}`]) {
      assert.strictEqual((await store.resolveImage(ref))?.manifestDigest, image.manifestDigest, ref);
    }
    assert.strictEqual(await store.resolveImage('bb:other'), undefined);
    assert.strictEqual(await store.resolveImage('sha256:' + 'f'.repeat(64)), undefined);
    // every blob is named by its content
    for (const name of fs.readdirSync(path.join(store.root, 'blobs/sha256'))) {
      assert.strictEqual(sha(path.join(store.root, 'blobs/sha256', name)), `sha256:${name}`);
    }
    // skopeo reads the layout as an OCI image
    const inspected = JSON.parse(execFileSync('skopeo', ['inspect', `oci:${store.root}:docker.io/library/bb:latest`], { encoding: 'utf8' })) as { Digest: string; Layers: string[] };
    assert.strictEqual(inspected.Digest, image.manifestDigest);
    assert.deepStrictEqual(inspected.Layers, [image.layers[0].digest]);
  });

  it('imports gzip and zstd tarballs to the same diff_id, and refuses what is not a tarball', async () => {
    execFileSync('sh', ['-c', `gzip -c ${tarball} > ${tarball}.gz && zstd -q -f ${tarball} -o ${tarball}.zst`]);
    const gz = await store.importRootfsTarball(`${tarball}.gz`, 'gz');
    const zst = await store.importRootfsTarball(`${tarball}.zst`, 'zst');
    assert.strictEqual(gz.layers[0].diffId, sha(tarball));
    assert.strictEqual(zst.layers[0].diffId, sha(tarball));
    fs.writeFileSync(path.join(work, 'junk'), 'this is not a tarball at all, not even close'.repeat(40));
    await assert.rejects(store.importRootfsTarball(path.join(work, 'junk'), 'junk'), /junk: not a valid tarball/);
    assert.deepStrictEqual(fs.readdirSync(store.tmpDir), [], 'a failed import leaves nothing in tmp/');
  });

  it('unpacks layers on demand into shared directories', async () => {
    const image = await store.importRootfsTarball(tarball, 'bb');
    const [dir] = await store.unpackedLayerDirs(image);
    assert.strictEqual(dir, path.join(store.root, 'layers', image.layers[0].diffId.slice(7)));
    assert.ok(fs.statSync(path.join(dir, 'bin/busybox')).isFile());
    assert.strictEqual(fs.readlinkSync(path.join(dir, 'bin/sh')), 'busybox');
    const inode = fs.statSync(dir).ino;
    const again = await store.tagImage('bb', 'other:1');
    assert.deepStrictEqual(await store.unpackedLayerDirs(again), [dir]);
    assert.strictEqual(fs.statSync(dir).ino, inode, 'not unpacked twice');
  });

  it('commits an overlay upper directory as a layer with OCI whiteouts and writes an image on top', async () => {
    const base = await store.importRootfsTarball(tarball, 'bb');
    const upper = path.join(work, `upper-${Date.now()}`);
    fs.mkdirSync(path.join(upper, 'etc'), { recursive: true });
    fs.writeFileSync(path.join(upper, 'etc/motd'), 'hello\n');
    execFileSync('mknod', [path.join(upper, 'etc/group'), 'c', '0', '0']);
    fs.mkdirSync(path.join(upper, 'home'));
    execFileSync('setfattr', ['-n', 'trusted.overlay.opaque', '-v', 'y', path.join(upper, 'home')]);
    const layer = await store.commitLayer({ directory: upper });
    const listing = execFileSync('tar', ['-tzf', layer.stagedPath], { encoding: 'utf8' }).split('\n').filter(Boolean).sort();
    assert.deepStrictEqual(listing, ['etc/', 'etc/.wh.group', 'etc/motd', 'home/', 'home/.wh..wh..opq']);
    const config = { ...base.config, rootfs: { type: 'layers' as const, diff_ids: [...base.config.rootfs.diff_ids, layer.diffId] } };
    const image = await store.writeImage({ config, layers: [...base.layers, layer], tags: ['bb:two'] });
    assert.ok(!fs.existsSync(layer.stagedPath), 'staged blob moved into blobs/');
    const dirs = await store.unpackedLayerDirs(image);
    assert.strictEqual(dirs.length, 2);
    assert.ok(fs.lstatSync(path.join(dirs[1], 'etc/group')).isCharacterDevice());
    const merged = execFileSync('unshare', ['-m', 'sh', '-c', `mount -t overlay o -o lowerdir=${dirs[1]}:${dirs[0]} ${upper} && ls ${upper}/etc; cat ${upper}/etc/motd; umount ${upper}`], { encoding: 'utf8' });
    assert.strictEqual(merged, 'motd\npasswd\nhello\n');
  });

  it('tags, untags and removes images; collects their blobs and layers', async () => {
    const image = await store.importRootfsTarball(tarball, 'bb');
    await store.unpackedLayerDirs(image);
    await store.tagImage('bb', 'localhost:5000/team/bb:v1');
    assert.deepStrictEqual((await store.resolveImage('bb'))?.names.sort(), ['docker.io/library/bb:latest', 'localhost:5000/team/bb:v1']);
    assert.deepStrictEqual(await store.removeImage('bb'), { untagged: ['docker.io/library/bb:latest'], deleted: [] });
    assert.strictEqual(await store.resolveImage('bb'), undefined);
    await assert.rejects(store.removeImage('bb'), /no such image: bb/);
    const result = await store.removeImage('localhost:5000/team/bb:v1');
    assert.strictEqual(result.deleted[0], image.manifestDigest);
    assert.deepStrictEqual(fs.readdirSync(path.join(store.root, 'blobs/sha256')), []);
    assert.deepStrictEqual(fs.readdirSync(store.layersDir), []);
    assert.deepStrictEqual(await store.listImages(), []);
  });

  it('never collects what a container uses; rmi refuses without --force', async () => {
    const image = await store.importRootfsTarball(tarball, 'bb');
    const [layerDir] = await store.unpackedLayerDirs(image);
    fs.mkdirSync(path.join(store.containersDir, 'c1'));
    fs.writeFileSync(path.join(store.containersDir, 'c1/container.json'), JSON.stringify({ id: 'c1', name: 'web', image: image.manifestDigest, imageRef: 'bb', state: 'running' }));
    await assert.rejects(store.removeImage('bb'), (err: unknown) => err instanceof StoreError && /used by container\(s\) web/.test(err.message));
    await store.removeImage('bb', { force: true });
    assert.strictEqual(await store.resolveImage('bb'), undefined);
    let report = await store.prune();
    assert.deepStrictEqual(report.blobsRemoved, []);
    assert.ok(fs.existsSync(layerDir), 'layer kept for the container');
    assert.ok(store.hasBlob(image.manifestDigest));
    assert.ok((await store.fsck()).ok);
    fs.rmSync(path.join(store.containersDir, 'c1'), { recursive: true });
    report = await store.prune();
    assert.strictEqual(report.blobsRemoved.length, 3);
    assert.deepStrictEqual(report.layersRemoved, [image.layers[0].diffId]);
  });

  it('prune removes untagged images and stale temporary files, keeps tagged ones', async () => {
    const first = await store.importRootfsTarball(tarball, 'bb', { message: 'one' });
    const second = await store.importRootfsTarball(tarball, 'bb', { message: 'two' }); // takes the name
    assert.notStrictEqual(first.manifestDigest, second.manifestDigest);
    assert.strictEqual((await store.listImages()).length, 2, 'the first image stays, untagged');
    fs.writeFileSync(path.join(store.tmpDir, '999999999-0123456789ab-blob'), 'left by a dead process');
    const report = await store.prune();
    assert.deepStrictEqual(report.imagesRemoved, [first.manifestDigest]);
    assert.strictEqual(report.tempRemoved.length, 1);
    assert.deepStrictEqual((await store.listImages()).map((i) => i.manifestDigest), [second.manifestDigest]);
    assert.strictEqual(report.blobsRemoved.length, 2, 'manifest and config of the first image; the shared layer stays');
  });

  it('fsck finds corrupt blobs, broken references and a broken index, and repairs them', async () => {
    const image = await store.importRootfsTarball(tarball, 'bb');
    await store.importRootfsTarball(tarball, 'keep', { message: 'other config' });
    assert.deepStrictEqual((await store.fsck()).problems, []);
    // corrupt the config blob of bb, drop in a stray file
    const configPath = store.blobPath(image.configDigest);
    fs.appendFileSync(configPath, ' ');
    fs.writeFileSync(path.join(store.blobsDir, 'not-a-digest'), 'x');
    let report = await store.fsck();
    assert.strictEqual(report.ok, false);
    const messages = report.problems.map((p) => `${p.severity} ${p.path}: ${p.message}`).join('\n');
    assert.match(messages, new RegExp(`error blobs/sha256/${image.configDigest.slice(7)}: content is sha256:`));
    assert.match(messages, /error blobs\/sha256\/not-a-digest: not a blob/);
    assert.match(messages, /error index.json: image sha256:.* \(docker.io\/library\/bb:latest\): config blob .* missing or corrupt/);
    report = await store.fsck({ repair: true });
    assert.ok(report.ok);
    assert.strictEqual(await store.resolveImage('bb'), undefined);
    assert.ok(await store.resolveImage('keep'));
    assert.deepStrictEqual((await store.fsck()).problems.filter((p) => p.severity === 'error'), []);
    // a broken index.json is rebuilt from the manifests (untagged)
    fs.writeFileSync(path.join(store.root, 'index.json'), '{"schemaVersion": 2, "manif');
    report = await store.fsck({ repair: true });
    assert.match(report.problems[0].message, /not valid JSON.*rebuilt/);
    assert.strictEqual((await store.listImages()).length, 1);
    assert.ok((await store.fsck()).ok);
  });

  it('serialises concurrent writers across processes (no lost tag updates)', async () => {
    await store.importRootfsTarball(tarball, 'bb');
    const storeModule = path.resolve(__dirname, '../../../runner/store/imageStore.js');
    const script = `const { ImageStore } = require(${JSON.stringify(storeModule)});
      (async () => { const s = await ImageStore.open(process.argv[1]); for (let i = 0; i < 5; i++) await s.tagImage('bb', 'bb:p' + process.argv[2] + '-' + i); })()
        .catch((e) => { console.error(e); process.exit(1); });`;
    await Promise.all([1, 2, 3, 4].map((n) => execFileAsync(process.execPath, ['-e', script, store.root, String(n)])));
    const names = (await store.resolveImage('bb'))?.names ?? [];
    assert.strictEqual(names.length, 1 + 4 * 5, names.join(' '));
  });

  it('waits for the lock while another process holds it', async () => {
    const lockFile = path.join(store.root, 'lock');
    const holder = execFile('flock', ['-x', lockFile, 'sleep', '0.6']);
    const exited = new Promise((r) => holder.on('exit', r));
    await new Promise((r) => setTimeout(r, 150));
    const started = Date.now();
    await store.withLock(async () => undefined);
    assert.ok(Date.now() - started >= 300, 'withLock returned while another process held the lock');
    await exited;
  });
});
