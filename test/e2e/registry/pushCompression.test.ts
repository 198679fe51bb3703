// Push compresses: a built image (uncompressed layers in the store) is pushed to a local
// docker-registry as gzip layers under a new manifest with the same config; pulled back into a
// fresh store it has the same diff_ids and files and runs; skopeo reads it; a second push
// neither compresses nor uploads anything.
import * as assert from 'assert';
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import * as zlib from 'zlib';
import { RegistryClient } from '../../../runner/registry/registryClient';
import { compressedLayersPath } from '../../../runner/store/compressedLayers';
import { sha256Digest } from '../../../runner/store/digest';
import { ImageStore } from '../../../runner/store/imageStore';
import { MediaTypes, type ImageManifest } from '../../../runner/store/ociTypes';
import { LocalRegistry, startLocalRegistry } from '../../fixtures/localRegistry';
import { assertBuilt, buildOk, cli, cliOk, imageFiles, storeWithBusybox, tempDir, writeTree } from '../build/buildFixture';

describe('push compresses built layers (docker-registry on 127.0.0.1)', function () {
  this.timeout(180000);
  let work: string;
  let store: string;
  let registry: LocalRegistry;
  let ctx: string;

  before(async () => {
    assertBuilt();
    work = tempDir('layerlens-e2e-push-gzip-');
    store = await storeWithBusybox(work);
    ctx = writeTree(path.join(work, 'ctx'), {
      Dockerfile: 'FROM busybox:e2e\nRUN seq 1 50000 > /numbers\nCOPY a.txt /a.txt\nCMD ["cat", "/a.txt"]\n',
      'a.txt': 'hello from a compressed layer\n'.repeat(200),
    });
    registry = await startLocalRegistry();
  });
  after(async () => {
    await registry?.stop();
    fs.rmSync(work, { recursive: true, force: true });
  });

  it('build, push (gzip layers, new manifest, same config), pull back into a fresh store, run; second push uploads nothing', async () => {
    const name = `${registry.host}/test/built:1`;
    await buildOk(['-t', name, ctx], { store });
    const local = await (await ImageStore.open(store)).resolveImage(name);
    assert.ok(local);
    const builtLayers = local.layers.filter((l) => l.mediaType === MediaTypes.ociLayer);
    assert.strictEqual(builtLayers.length, 2, 'RUN and COPY layers are stored uncompressed');

    const first = await cli(['push', name], { store });
    assert.strictEqual(first.code, 0, first.stderr);
    assert.strictEqual((first.stderr.match(/compressed .* -> .* \(gzip/g) ?? []).length, 2, first.stderr);
    const [pushedRef, pushedDigest] = first.stdout.trim().split('@');
    assert.strictEqual(pushedRef, name);
    assert.notStrictEqual(pushedDigest, local.manifestDigest, 'a new manifest lists the gzip layers');

    const client = new RegistryClient(registry.host);
    const remote = await client.getManifest('test/built', '1');
    assert.strictEqual(remote.digest, pushedDigest);
    const manifest = JSON.parse(remote.bytes.toString()) as ImageManifest;
    assert.strictEqual(manifest.config.digest, local.configDigest, 'same config: diff_ids name the uncompressed tars');
    assert.strictEqual(manifest.layers.length, local.layers.length);
    for (const [i, layer] of manifest.layers.entries()) {
      assert.strictEqual(layer.mediaType, MediaTypes.ociLayerGzip, `layer ${i}`);
      const stored: { mediaType: string; size: number; digest: string; diffId: string } = local.layers[i];
      if (stored.mediaType === MediaTypes.ociLayer) {
        assert.ok(layer.size < stored.size, `layer ${i}: ${layer.size} bytes pushed for a ${stored.size}-byte tar`);
        const blob: { body: AsyncIterable<Buffer> } = await client.request('GET', `/v2/test/built/blobs/${layer.digest}`, { scope: 'repository:test/built:pull' });
        const chunks: Buffer[] = [];
        for await (const c of blob.body) chunks.push(c);
        const gz = Buffer.concat(chunks);
        assert.strictEqual(sha256Digest(gz), layer.digest);
        assert.strictEqual(sha256Digest(zlib.gunzipSync(gz)), stored.diffId, `layer ${i} decompresses to its diff_id`);
      } else {
        assert.strictEqual(layer.digest, stored.digest, 'already-compressed base layer pushed as it is');
      }
    }

    // skopeo, an independent client, reads the pushed image
    const inspected = JSON.parse(execFileSync('skopeo', ['inspect', '--tls-verify=false', `docker://${name}`], { encoding: 'utf8' })) as { Digest: string; Layers: string[] };
    assert.strictEqual(inspected.Digest, pushedDigest);
    assert.deepStrictEqual(inspected.Layers, manifest.layers.map((l) => l.digest));

    // second push: every blob exists, nothing is compressed or uploaded, same digest
    const recordMtime = fs.statSync(compressedLayersPath({ root: store })).mtimeMs;
    const second = await cli(['push', name], { store });
    assert.strictEqual(second.code, 0, second.stderr);
    assert.strictEqual(second.stdout.trim(), `${name}@${pushedDigest}`);
    assert.doesNotMatch(second.stderr, /compressed|pushed \(/);
    assert.strictEqual((second.stderr.match(/already exists/g) ?? []).length, local.layers.length + 1, second.stderr);
    assert.strictEqual(fs.statSync(compressedLayersPath({ root: store })).mtimeMs, recordMtime);

    // to another repository: nothing there yet, so everything is uploaded, still the same digest
    const other = await cli(['push', name, `${registry.host}/test/copy:1`], { store });
    assert.strictEqual(other.code, 0, other.stderr);
    assert.strictEqual(other.stdout.trim(), `${registry.host}/test/copy:1@${pushedDigest}`);

    // pull back into a fresh store: same config and diff_ids, same files, runs
    const fresh = path.join(work, 'fresh-store');
    await cliOk(['pull', name], { store: fresh });
    const pulled = await (await ImageStore.open(fresh)).resolveImage(name);
    assert.ok(pulled);
    assert.strictEqual(pulled.manifestDigest, pushedDigest);
    assert.strictEqual(pulled.configDigest, local.configDigest);
    assert.deepStrictEqual(pulled.config.rootfs.diff_ids, local.config.rootfs.diff_ids);
    const [before, after] = [await imageFiles(store, name), await imageFiles(fresh, name)];
    for (const file of ['/numbers', '/a.txt', '/bin/busybox']) {
      const a = before.readFile(file);
      assert.ok(a && a.length > 0, file);
      assert.ok(after.readFile(file)?.equals(a), file);
    }
    assert.strictEqual(await cliOk(['run', '--rm', name], { store: fresh }), 'hello from a compressed layer\n'.repeat(200));
    assert.strictEqual((await cli(['fsck'], { store: fresh })).code, 0);
  });
});
