// Index files from apt lists stream the same bytes whatever their compression, and a fetcher that
// fails before handing over bytes gives way to the next one.
import * as assert from 'assert';
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as zlib from 'zlib';
import { aptListName, aptListsFetcher, firstOf, type IndexFetcher, streamIndex } from '../../../../server/packages/debian/indexFetchers';
import { syntheticPackagesFile } from './syntheticIndex';

const URL = 'http://deb.example.org/debian/dists/x/main/binary-amd64/Packages';

describe('Debian index fetchers (streamed)', () => {
  const text = syntheticPackagesFile(2000);
  const dirs: string[] = [];
  after(() => dirs.forEach((d) => fs.rmSync(d, { recursive: true, force: true })));

  function listsWith(suffix: string, data: Buffer): string {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lists-'));
    dirs.push(dir);
    fs.writeFileSync(path.join(dir, aptListName(URL) + suffix), data);
    return dir;
  }

  async function chunksOf(fetcher: IndexFetcher): Promise<Buffer[]> {
    const chunks: Buffer[] = [];
    // Copies: a chunk may be a buffer the fetcher reuses for the next one.
    await streamIndex(fetcher, URL, (c) => void chunks.push(Buffer.from(c)));
    return chunks;
  }

  const compressed: [string, () => Buffer | undefined][] = [
    ['', () => Buffer.from(text)],
    ['.gz', () => zlib.gzipSync(text)],
    ['.lz4', () => tool('lz4')],
    ['.xz', () => tool('xz')],
  ];
  function tool(name: string): Buffer | undefined {
    const r = spawnSync(name, ['-c'], { input: text, maxBuffer: 1 << 28 });
    return r.status === 0 ? r.stdout : undefined;
  }

  for (const [suffix, make] of compressed) {
    it(`streams ${suffix || 'a plain file'} in several chunks that join to the text`, async function () {
      const data = make();
      if (!data) this.skip();
      const fetcher = aptListsFetcher(listsWith(suffix, data as Buffer));
      const chunks = await chunksOf(fetcher);
      assert.ok(chunks.length > 1, `${chunks.length} chunks`);
      assert.strictEqual(Buffer.concat(chunks).toString('utf8'), text);
      assert.strictEqual(await fetcher(URL), text);
    });
  }

  it('falls back to the next fetcher when one fails before any bytes (missing file, corrupt archive)', async function () {
    if (!tool('lz4')) this.skip();
    const missing = aptListsFetcher(fs.mkdtempSync(path.join(os.tmpdir(), 'lists-')));
    const corrupt = aptListsFetcher(listsWith('.lz4', Buffer.from('not lz4 at all')));
    const good = aptListsFetcher(listsWith('.gz', zlib.gzipSync(text)));
    assert.strictEqual(Buffer.concat(await chunksOf(firstOf(missing, corrupt, good))).toString('utf8'), text);
    await assert.rejects(chunksOf(firstOf(missing, corrupt)), /is not in .*lz4/s);
  });

  for (const suffix of ['', '.lz4']) {
    it(`leaves no garbage of its size outside the heap while reading a big ${suffix || 'plain'} list`, async function () {
      this.timeout(60000);
      const big = Buffer.from(syntheticPackagesFile(30000));
      const data = suffix === '' ? big : spawnSync('lz4', ['-c'], { input: big, maxBuffer: 1 << 28 });
      if (!Buffer.isBuffer(data)) {
        if (data.status !== 0) this.skip();
      }
      const fetcher = aptListsFetcher(listsWith(suffix, Buffer.isBuffer(data) ? data : data.stdout));
      const before = process.memoryUsage().arrayBuffers;
      let bytes = 0;
      let most = 0;
      await streamIndex(fetcher, URL, (c) => {
        bytes += c.length;
        most = Math.max(most, process.memoryUsage().arrayBuffers - before);
      });
      assert.strictEqual(bytes, big.length);
      // Fresh chunks (or the whole file read at once) stay allocated until V8 collects them.
      assert.ok(most < big.length / 4, `${(most / 1e6).toFixed(1)} MB of buffers held for ${(big.length / 1e6).toFixed(1)} MB read`);
    });
  }

  it('keeps no temporary file where a server that exits while reading would leave it', async function () {
    const data = tool('lz4');
    if (!data) this.skip();
    const fetcher = aptListsFetcher(listsWith('.lz4', data));
    const ours = (): string[] => fs.readdirSync(os.tmpdir()).filter((n) => n.startsWith('layerlens-index-'));
    const before = new Set(ours());
    const during: string[] = [];
    await streamIndex(fetcher, URL, () => void during.push(...ours().filter((n) => !before.has(n))));
    assert.ok(during.length === 0, `left while reading: ${[...new Set(during)].join(', ')}`);
  });
});
