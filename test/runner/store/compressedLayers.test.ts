import * as assert from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { compressedLayersPath, forgetCompressedLayers, readCompressedLayers, rememberCompressedLayer } from '../../../runner/store/compressedLayers';
import { ImageStore } from '../../../runner/store/imageStore';
import { MediaTypes } from '../../../runner/store/ociTypes';

const digest = (c: string) => `sha256:${c.repeat(64)}`;

describe('compressed layer records', () => {
  let store: ImageStore;
  beforeEach(async () => {
    store = await ImageStore.open(fs.mkdtempSync(path.join(os.tmpdir(), 'layerlens-compressed-')));
  });
  afterEach(() => fs.rmSync(store.root, { recursive: true, force: true }));

  it('remembers, merges and forgets what each diff_id compressed to', async () => {
    assert.strictEqual(readCompressedLayers(store).size, 0, 'no file: nothing known');
    await rememberCompressedLayer(store, digest('a'), { digest: digest('1'), size: 10, mediaType: MediaTypes.ociLayerGzip });
    await rememberCompressedLayer(store, digest('b'), { digest: digest('2'), size: 20, mediaType: MediaTypes.ociLayerGzip });
    const known = readCompressedLayers(store);
    assert.deepStrictEqual([...known.keys()].sort(), [digest('a'), digest('b')]);
    assert.deepStrictEqual(known.get(digest('b')), { digest: digest('2'), size: 20, mediaType: MediaTypes.ociLayerGzip });
    assert.deepStrictEqual(fs.readdirSync(store.tmpDir), [], 'written atomically, nothing left in tmp/');
    assert.strictEqual(await forgetCompressedLayers(store, (d) => d === digest('a')), 1);
    assert.deepStrictEqual([...readCompressedLayers(store).keys()], [digest('a')]);
  });

  it('reads a damaged file or damaged entries as unknown, never as a wrong digest', async () => {
    fs.writeFileSync(compressedLayersPath(store), '{"version":1,"layers":{');
    assert.strictEqual(readCompressedLayers(store).size, 0);
    fs.writeFileSync(compressedLayersPath(store), JSON.stringify({
      version: 1,
      layers: {
        [digest('a')]: { digest: '../../etc/passwd', size: 1, mediaType: 'x' },
        [digest('b')]: { digest: digest('2'), size: -1, mediaType: 'x' },
        'not-a-digest': { digest: digest('3'), size: 1, mediaType: 'x' },
        [digest('c')]: { digest: digest('4'), size: 4, mediaType: MediaTypes.ociLayerGzip },
      },
    }));
    assert.deepStrictEqual([...readCompressedLayers(store).keys()], [digest('c')]);
  });
});
