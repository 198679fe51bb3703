import * as assert from 'assert';
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Readable } from 'stream';
import * as tar from 'tar-stream';
import { StoreImageFiles } from '../../../server/images/storeImageFiles';
import { DebianPackageSizes } from '../../../server/packages/debian/debianPackageSizes';
import { aptListsFetcher } from '../../../server/packages/debian/indexFetchers';
import { ImageStore } from '../../../runner/store/imageStore';
import { writeDebianFixture, type DebianFixture } from '../packages/debianFixture';

/** A layer tar from a list of entries (tar-stream, as a registry layer would hold them). */
async function layerTar(entries: { name: string; type?: 'file' | 'directory' | 'symlink'; content?: string; linkname?: string }[]): Promise<Buffer> {
  const pack = tar.pack();
  for (const e of entries) {
    const type = e.type ?? 'file';
    const header = { name: e.name, type, mode: type === 'directory' ? 0o755 : 0o644, ...(e.linkname ? { linkname: e.linkname } : {}) };
    if (type === 'file') pack.entry(header, e.content ?? '');
    else pack.entry(header);
  }
  pack.finalize();
  const chunks: Buffer[] = [];
  for await (const c of pack) chunks.push(c as Buffer);
  return Buffer.concat(chunks);
}

const PLATFORM = 'linux/amd64';

describe('StoreImageFiles (a stored image\'s files from its layer blobs)', function () {
  this.timeout(60_000);
  let work: string;
  let store: ImageStore;
  let fixture: DebianFixture;

  before(async () => {
    work = fs.mkdtempSync(path.join(os.tmpdir(), 'layerlens-store-files-'));
    store = await ImageStore.open(path.join(work, 'store'));
    fixture = writeDebianFixture({ dockerClean: true });
    // The Debian fixture's root filesystem as a one-layer image, imported as `docker import` does.
    const tarball = path.join(work, 'rootfs.tar');
    execFileSync('tar', ['-C', fixture.rootfs, '-cf', tarball, '.']);
    await store.importRootfsTarball(tarball, 'local/deb:1', { platform: { os: 'linux', architecture: 'amd64' } });
    // Two layers: the second deletes a file, makes a directory opaque and adds a symlink.
    const lower = await store.commitLayer({ tar: Readable.from([await layerTar([
      { name: 'etc/', type: 'directory' },
      { name: 'etc/apt/', type: 'directory' },
      { name: 'etc/apt/sources.list', content: 'deb http://old.example/debian bookworm main\n' },
      { name: 'etc/apt/apt.conf.d/', type: 'directory' },
      { name: 'etc/apt/apt.conf.d/gone', content: 'x' },
      { name: 'etc/apt/apt.conf.d/also-gone', content: 'y' },
      { name: 'var/lib/dpkg/status', content: 'Package: lower\n' },
    ])]) });
    const upper = await store.commitLayer({ tar: Readable.from([await layerTar([
      { name: 'etc/apt/apt.conf.d/', type: 'directory' },
      { name: 'etc/apt/apt.conf.d/.wh..wh..opq', content: '' },
      { name: 'etc/apt/apt.conf.d/kept', content: 'APT::Install-Recommends "false";\n' },
      { name: 'etc/apt/.wh.sources.list', content: '' },
      { name: 'etc/os-release', type: 'symlink', linkname: '../usr/lib/os-release' },
      { name: 'usr/lib/os-release', content: 'ID=debian\n' },
    ])]) });
    await store.writeImage({
      config: { architecture: 'amd64', os: 'linux', config: {}, rootfs: { type: 'layers', diff_ids: [lower.diffId, upper.diffId] } },
      layers: [lower, upper],
      tags: ['local/stacked:1'],
    });
  });
  after(() => {
    fs.rmSync(work, { recursive: true, force: true });
    fs.rmSync(fixture.root, { recursive: true, force: true });
  });

  it('reads files and directories of an imported image, and says when an image is not stored', async () => {
    const files = new StoreImageFiles({ root: store.root });
    assert.strictEqual(await files.has('local/deb:1', PLATFORM), true);
    assert.strictEqual(await files.has('local/deb:1', 'linux/arm64'), false);
    assert.strictEqual(await files.has('local/absent:1', PLATFORM), false);
    assert.strictEqual((await files.readFile('local/deb:1', PLATFORM, '/var/lib/dpkg/status'))?.toString(), fs.readFileSync(path.join(fixture.rootfs, 'var/lib/dpkg/status'), 'utf8'));
    assert.deepStrictEqual(await files.listDirectory('local/deb:1', PLATFORM, '/etc/apt/apt.conf.d'), ['docker-clean', 'docker-gzip-indexes', 'docker-no-languages']);
    assert.strictEqual(await files.readFile('local/absent:1', PLATFORM, '/var/lib/dpkg/status'), undefined);
    assert.strictEqual(await files.readFile('local/deb:1', PLATFORM, '/no/such/file'), undefined);
  });

  it('stacks layers: whiteouts delete, opaque directories hide what is below, symlinks are followed', async () => {
    const files = new StoreImageFiles({ root: store.root });
    assert.strictEqual(await files.readFile('local/stacked:1', PLATFORM, '/etc/apt/sources.list'), undefined);
    assert.deepStrictEqual(await files.listDirectory('local/stacked:1', PLATFORM, '/etc/apt/apt.conf.d'), ['kept']);
    assert.deepStrictEqual(await files.listDirectory('local/stacked:1', PLATFORM, '/etc/apt'), ['apt.conf.d']);
    assert.strictEqual((await files.readFile('local/stacked:1', PLATFORM, '/etc/os-release'))?.toString(), 'ID=debian\n');
    assert.strictEqual((await files.readFile('local/stacked:1', PLATFORM, '/var/lib/dpkg/status'))?.toString(), 'Package: lower\n');
  });

  it('lets the apt model read a local base image\'s dpkg status: packages already installed are not counted', async () => {
    const apt = new DebianPackageSizes({ fetchIndex: aptListsFetcher(fixture.lists), images: new StoreImageFiles({ root: store.root }) });
    const ask = () => apt.estimateInstall({ manager: 'apt', baseImage: 'local/deb:1', platform: PLATFORM, packages: ['curl', 'libc6', 'debconf'], installedBefore: [], env: {}, command: 'apt-get install -y curl libc6 debconf' });
    let answer = ask();
    for (let i = 0; i < 5 && answer.state === 'pending'; i++) {
      await apt.settled();
      answer = ask();
    }
    assert.strictEqual(answer.state, 'known', JSON.stringify(answer));
    if (answer.state !== 'known') return;
    const names = answer.value.packages.map((p) => p.name);
    // libc6 and debconf are in the image's dpkg status: not installed again, not counted.
    assert.ok(!names.includes('libc6') && !names.includes('debconf'), names.join(' '));
    assert.ok(names.includes('curl'));
    assert.match(answer.value.notes.join(' '), /local image/);
    // docker-clean from the image's apt.conf.d: no archives kept.
    assert.strictEqual(answer.value.cacheBytes, 0);
  });
});
