import * as assert from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { listImageEntries, type ImageListEntry } from '../../../runner/commands/images';
import { layerWasteOf } from '../../../runner/commands/imagesFigures';
import { ImageStore, type StagedLayer, type StoredLayer } from '../../../runner/store/imageStore';
import { buildTar, type TarEntry } from '../layers/tarBuilder';

const dir = (name: string): TarEntry => ({ name, type: 'directory' });
const file = (name: string, bytes: number): TarEntry => ({ name, content: Buffer.alloc(bytes, 1) });

describe('layerlens images --json', function () {
  this.timeout(30000);
  let work: string;
  let store: ImageStore;
  let cacheDir: string;

  async function layer(entries: TarEntry[]): Promise<StagedLayer> {
    const tar = await buildTar(entries);
    return store.commitLayer({ tar: (async function* () { yield tar; })() });
  }

  async function image(tag: string, layers: (StoredLayer | StagedLayer)[], created: string): Promise<void> {
    await store.writeImage({
      tags: [tag],
      layers,
      config: {
        created, architecture: 'amd64', os: 'linux',
        rootfs: { type: 'layers', diff_ids: layers.map((l) => l.diffId) },
        history: layers.map((_, i) => ({ created_by: `step ${i}` })),
      },
    });
  }

  before(async () => {
    work = fs.mkdtempSync(path.join(os.tmpdir(), 'layerlens-images-'));
    cacheDir = path.join(work, 'cache');
    store = await ImageStore.open(path.join(work, 'store'));
    const base = await layer([file('big', 1000), file('keep', 10), dir('var/'), dir('var/cache/'), dir('var/cache/apt/'), file('var/cache/apt/a', 300), file('var/cache/apt/b', 200)]);
    // The base layer is staged once; writeImage moves it, so the second image reuses the stored one.
    const cleanup = await layer([file('.wh.big', 0), dir('var/cache/'), file('var/cache/.wh.apt', 0), file('keep', 20)]);
    await image('waste:1', [base, cleanup], '2026-01-01T00:00:00Z');
    const stored = (await store.resolveImage('waste:1'))!.layers[0];
    const extra = await layer([file('other', 50)]);
    await image('other:1', [{ ...stored }, extra], '2026-01-02T00:00:00Z');
  });
  after(() => fs.rmSync(work, { recursive: true, force: true }));

  const find = (rows: ImageListEntry[], name: string) => rows.find((r) => r.name === `docker.io/library/${name}`)!;

  it('gives shared and unique bytes: two images from one base share it', async () => {
    const rows = await listImageEntries(store, { figures: true, cacheDir });
    const waste = find(rows, 'waste:1');
    const other = find(rows, 'other:1');
    const baseSize = waste.layerDetails![0].size;
    assert.strictEqual(other.layerDetails![0].digest, waste.layerDetails![0].digest);
    assert.strictEqual(waste.sharedBytes, baseSize);
    assert.strictEqual(other.sharedBytes, baseSize);
    assert.strictEqual(waste.uniqueBytes, waste.size - baseSize);
    assert.strictEqual(waste.created, '2026-01-01T00:00:00Z');
  });

  it('flags the bytes of a layer that a later layer deletes or overwrites, largest path first', async () => {
    const waste = find(await listImageEntries(store, { figures: true, cacheDir }), 'waste:1');
    const [bottom, top] = waste.layerDetails!;
    assert.strictEqual(bottom.wastedBytes, 1000 + 500 + 10);
    assert.deepStrictEqual(bottom.wastedPaths, [{ path: '/big', bytes: 1000 }, { path: '/var/cache/apt', bytes: 500 }, { path: '/keep', bytes: 10 }]);
    assert.strictEqual(bottom.createdBy, 'step 0');
    assert.strictEqual(top.wastedBytes, 0);
    assert.strictEqual(waste.wastedBytes, 1510);
    assert.ok(waste.efficiency! > 0 && waste.efficiency! < 1, String(waste.efficiency));
    const other = find(await listImageEntries(store, { figures: true, cacheDir }), 'other:1');
    assert.strictEqual(other.wastedBytes, 0);
    assert.strictEqual(other.efficiency, 1);
  });

  it('caches the figures per image id', async () => {
    const waste = find(await listImageEntries(store, { figures: true, cacheDir }), 'waste:1');
    const cached = path.join(cacheDir, `${waste.id.slice(7)}.json`);
    const content = JSON.parse(fs.readFileSync(cached, 'utf8')) as { figures: { efficiency: number } };
    content.figures.efficiency = 0.125; // the next listing must come from this file
    fs.writeFileSync(cached, JSON.stringify(content));
    assert.strictEqual(find(await listImageEntries(store, { figures: true, cacheDir }), 'waste:1').efficiency, 0.125);
    fs.rmSync(cached);
  });

  it('keeps listing when a layer cannot be read, with null figures and a note', async () => {
    const emptyCache = path.join(work, 'cache-2');
    const other = (await store.resolveImage('other:1'))!;
    const blob = store.blobPath(other.layers[1].digest);
    const saved = fs.readFileSync(blob);
    fs.writeFileSync(blob, 'not a tar');
    try {
      const notes: string[] = [];
      const rows = await listImageEntries(store, { figures: true, cacheDir: emptyCache, onUnreadable: (_i, e) => notes.push(e.message) });
      const broken = find(rows, 'other:1');
      assert.strictEqual(broken.efficiency, null);
      assert.strictEqual(broken.layerDetails![1].wastedBytes, null);
      assert.strictEqual(find(rows, 'waste:1').wastedBytes, 1510);
      assert.strictEqual(notes.length, 1);
      assert.match(notes[0], /cannot be listed/);
    } finally {
      fs.writeFileSync(blob, saved);
    }
  });

  it('filters by repository and tag, and leaves figures out unless asked', async () => {
    const rows = await listImageEntries(store, { filter: 'waste' });
    assert.deepStrictEqual(rows.map((r) => r.name), ['docker.io/library/waste:1']);
    assert.strictEqual(rows[0].layerDetails, undefined);
    assert.deepStrictEqual(await listImageEntries(store, { filter: 'waste:2' }), []);
  });
});

describe('layerWasteOf', () => {
  const f = (p: string, size: number) => ({ path: p, kind: 'file' as const, size });
  const d = (p: string) => ({ path: p, kind: 'dir' as const, size: 0 });

  it('counts files under an opaque directory, not the files the same layer adds there', () => {
    const waste = layerWasteOf([[d('etc'), f('etc/a', 7), f('etc/b', 3)], [d('etc'), f('etc/c', 100), f('etc/.wh..wh..opq', 0)]]);
    assert.deepStrictEqual(waste[0], { wastedBytes: 10, wastedPaths: [{ path: '/etc', bytes: 10 }] });
    assert.strictEqual(waste[1].wastedBytes, 0);
  });

  it('counts a directory replaced by a file, and a file replaced by a directory', () => {
    const waste = layerWasteOf([[d('x'), f('x/1', 4), f('y', 9)], [f('x', 1), d('y')]]);
    assert.deepStrictEqual(waste[0].wastedPaths, [{ path: '/y', bytes: 9 }, { path: '/x', bytes: 4 }]);
  });

  it('attributes waste to the layer that held the file, across several layers', () => {
    const waste = layerWasteOf([[f('a', 5)], [f('a', 6)], [f('.wh.a', 0)]]);
    assert.deepStrictEqual(waste.map((w) => w.wastedBytes), [5, 6, 0]);
  });
});
