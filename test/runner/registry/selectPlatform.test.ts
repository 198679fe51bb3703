import * as assert from 'assert';
import { parsePlatform, selectPlatform } from '../../../runner/registry/selectPlatform';
import { Descriptor, ImageIndex } from '../../../runner/store/ociTypes';

const d = (n: number, platform?: Descriptor['platform'], annotations?: Record<string, string>): Descriptor => ({
  mediaType: 'application/vnd.oci.image.manifest.v1+json', digest: `sha256:${String(n).repeat(64).slice(0, 64)}`, size: 1, platform, annotations,
});

describe('selectPlatform', () => {
  const index: ImageIndex = {
    schemaVersion: 2,
    manifests: [
      d(1, { os: 'unknown', architecture: 'unknown' }, { 'vnd.docker.reference.type': 'attestation-manifest' }),
      d(2, { os: 'linux', architecture: 'arm', variant: 'v6' }),
      d(3, { os: 'linux', architecture: 'arm64' }),
      d(4, { os: 'linux', architecture: 'amd64' }),
      d(5, { os: 'linux', architecture: 'arm', variant: 'v7' }),
    ],
  };
  it('picks the exact platform and skips attestations', () => {
    assert.strictEqual(selectPlatform(index, { os: 'linux', architecture: 'amd64' }).digest, index.manifests[3].digest);
    assert.strictEqual(selectPlatform(index, parsePlatform('linux/arm64/v8')).digest, index.manifests[2].digest, 'arm64 without variant is v8');
    assert.strictEqual(selectPlatform(index, parsePlatform('linux/arm/v7')).digest, index.manifests[4].digest);
  });
  it('falls back to older arm variants, and explains when nothing fits', () => {
    const noV7: ImageIndex = { ...index, manifests: index.manifests.filter((m) => m.platform?.variant !== 'v7') };
    assert.strictEqual(selectPlatform(noV7, parsePlatform('linux/arm/v7')).digest, index.manifests[1].digest);
    assert.throws(() => selectPlatform(index, parsePlatform('linux/riscv64')), /no image for linux\/riscv64 \(available: linux\/arm\/v6, linux\/arm64, linux\/amd64, linux\/arm\/v7\)/);
    assert.throws(() => parsePlatform('linux'), /expected os\/arch\[\/variant\]/);
  });
});
