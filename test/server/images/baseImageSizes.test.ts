import * as assert from 'assert';
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as http from 'http';
import type { AddressInfo } from 'net';
import * as os from 'os';
import * as path from 'path';
import { BaseImageSizes } from '../../../server/images/baseImageSizes';
import { parseDockerfile } from '../../../server/parser';
import { planDockerfile } from '../../../server/plan';
import { predictStepSizes } from '../../../server/plan/size';
import type { ImageSize, Lookup } from '../../../server/plan/size/sizeReaders';
import { pushImage } from '../../../runner/registry/pushImage';
import { RegistryClient } from '../../../runner/registry/registryClient';
import { MediaTypes } from '../../../runner/store/ociTypes';
import { ImageStore } from '../../../runner/store/imageStore';
import { type LocalRegistry, registryAvailable, startLocalRegistry } from '../../fixtures/localRegistry';

const PLATFORM = 'linux/amd64';

async function settle(sizes: BaseImageSizes, ref: string, platform = PLATFORM): Promise<Lookup<ImageSize>> {
  let answer = sizes.imageSize(ref, platform);
  for (let i = 0; i < 5 && answer.state === 'pending'; i++) {
    await sizes.settled();
    answer = sizes.imageSize(ref, platform);
  }
  return answer;
}

describe('BaseImageSizes (FROM sizes from the local store or a registry)', function () {
  this.timeout(60_000);
  let work: string;
  let store: ImageStore;
  let tarball: string;
  let registry: LocalRegistry | undefined;
  let ref: string;

  before(async function () {
    if (!registryAvailable()) throw new Error('docker-registry is missing: apt-get install docker-registry');
    work = fs.mkdtempSync(path.join(os.tmpdir(), 'layerlens-base-sizes-'));
    const rootfs = path.join(work, 'rootfs');
    fs.mkdirSync(path.join(rootfs, 'app'), { recursive: true });
    fs.writeFileSync(path.join(rootfs, 'app', 'data.bin'), Buffer.alloc(100_000, 7));
    fs.writeFileSync(path.join(rootfs, 'app', 'notes.txt'), 'hello\n');
    tarball = path.join(work, 'rootfs.tar');
    execFileSync('tar', ['-C', rootfs, '-cf', tarball, '.']);
    registry = await startLocalRegistry();
    ref = `${registry.host}/test/base:1`;
    store = await ImageStore.open(path.join(work, 'store'));
    await store.importRootfsTarball(tarball, ref, { platform: { os: 'linux', architecture: 'amd64' } });
    await pushImage(store, ref);
  });
  after(async () => {
    await registry?.stop();
    if (work) fs.rmSync(work, { recursive: true, force: true });
  });

  it('a local image: pending first, then exact uncompressed layer sizes', async () => {
    const changes: number[] = [];
    const sizes = new BaseImageSizes({ storeRoot: store.root, registry: false, onChange: () => changes.push(1) });
    assert.strictEqual(sizes.imageSize(ref, PLATFORM).state, 'pending');
    const answer = await settle(sizes, ref);
    assert.strictEqual(answer.state, 'known', JSON.stringify(answer));
    if (answer.state !== 'known') return;
    const stored = await store.resolveImage(ref);
    assert.strictEqual(answer.value.source, 'local');
    assert.strictEqual(answer.value.layers.length, 1);
    // The uncompressed layer is the imported tar itself, byte for byte.
    assert.strictEqual(answer.value.layers[0].uncompressedBytes, fs.statSync(tarball).size);
    assert.strictEqual(answer.value.layers[0].compressedBytes, stored?.layers[0].size);
    assert.ok(changes.length >= 1, 'a re-plan is asked for when the answer arrives');
    // Another platform is not this image.
    assert.strictEqual((await settle(sizes, ref, 'linux/arm64')).state, 'unknown');
  });

  it('not local: the registry manifest gives compressed sizes, fetched in the background and cached', async () => {
    const sizes = new BaseImageSizes({ storeRoot: path.join(work, 'empty-store') });
    assert.strictEqual(sizes.imageSize(ref, PLATFORM).state, 'pending');
    const answer = await settle(sizes, ref);
    assert.strictEqual(answer.state, 'known', JSON.stringify(answer));
    if (answer.state !== 'known') return;
    const stored = await store.resolveImage(ref);
    assert.strictEqual(answer.value.source, 'registry');
    assert.deepStrictEqual(answer.value.layers, stored?.layers.map((l) => ({ digest: l.digest, compressedBytes: l.size })));
    assert.strictEqual(sizes.imageSize(ref, PLATFORM).state, 'known', 'answered from the cache at once');

    // Through the plan: compressed size in the basis, no made-up uncompressed number.
    const plan = planDockerfile(parseDockerfile(`FROM ${ref}\n`), { platform: PLATFORM });
    const from = predictStepSizes(plan, { images: sizes }).stages[0].steps[0];
    assert.strictEqual(from.predictedBytes, undefined);
    assert.match(from.basis ?? '', /compressed in the registry \(1 layer\); unpacked size unknown until pulled/);
  });

  it('the same through the local store wins over the registry and is exact in the plan', async () => {
    const sizes = new BaseImageSizes({ storeRoot: store.root });
    await settle(sizes, ref);
    const plan = planDockerfile(parseDockerfile(`FROM ${ref}\n`), { platform: PLATFORM });
    const from = predictStepSizes(plan, { images: sizes }).stages[0].steps[0];
    assert.strictEqual(from.predictedBytes, fs.statSync(tarball).size);
    assert.strictEqual(from.confidence, 'exact');
  });

  it('chooses the platform\'s manifest from an image index, and says which platforms there are', async () => {
    const stored = await store.resolveImage(ref);
    assert.ok(stored && registry);
    const manifest = await store.readBlob(stored.manifestDigest);
    const index = Buffer.from(JSON.stringify({
      schemaVersion: 2,
      mediaType: MediaTypes.ociIndex,
      manifests: [{ mediaType: stored.manifest.mediaType ?? MediaTypes.ociManifest, digest: stored.manifestDigest, size: manifest.length, platform: { os: 'linux', architecture: 'amd64' } }],
    }));
    await new RegistryClient(registry.host).putManifest('test/base', 'multi', index, MediaTypes.ociIndex);
    const sizes = new BaseImageSizes({ storeRoot: path.join(work, 'empty-store') });
    const amd64 = await settle(sizes, `${registry.host}/test/base:multi`);
    assert.ok(amd64.state === 'known', JSON.stringify(amd64));
    if (amd64.state === 'known') assert.deepStrictEqual(amd64.value.layers.map((l) => l.compressedBytes), stored.layers.map((l) => l.size));
    const arm64 = await settle(sizes, `${registry.host}/test/base:multi`, 'linux/arm64');
    assert.strictEqual(arm64.state, 'unknown');
    assert.match(arm64.state === 'unknown' ? arm64.reason : '', /no image for linux\/arm64 \(available: linux\/amd64\)/);
  });

  it('unknown with the reason when the tag or the registry is missing, or the registry does not answer in time', async () => {
    const sizes = new BaseImageSizes({ storeRoot: path.join(work, 'empty-store'), registryTimeoutMs: 1000 });
    const missing = await settle(sizes, `${registry?.host}/test/base:nope`);
    assert.strictEqual(missing.state, 'unknown');
    assert.match(missing.state === 'unknown' ? missing.reason : '', /registry lookup failed: .*404/);
    const unreachable = await settle(sizes, '127.0.0.1:1/test/base:1');
    assert.strictEqual(unreachable.state, 'unknown');
    assert.match(unreachable.state === 'unknown' ? unreachable.reason : '', /cannot reach|ECONNREFUSED/);

    const silent = http.createServer(() => { /* never answers */ });
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    try {
      const host = `127.0.0.1:${(silent.address() as AddressInfo).port}`;
      const started = Date.now();
      const slow = await settle(sizes, `${host}/test/base:1`);
      assert.strictEqual(slow.state, 'unknown');
      assert.match(slow.state === 'unknown' ? slow.reason : '', /timed out after 1000 ms/);
      assert.ok(Date.now() - started < 5000);
    } finally {
      silent.closeAllConnections();
      silent.close();
    }
  });
});
