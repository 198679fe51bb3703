// A real distribution: a Debian root file system from `debootstrap --variant=minbase bookworm`
// (made once per test run, from the mirror apt already uses), imported as an image, then a
// Dockerfile runs `apt-get update && apt-get install -y --no-install-recommends hello`. That
// exercises uid mapping (apt drops to the _apt user), host networking and a package manager.
import * as assert from 'assert';
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { commitFreshLayer } from '../../../runner/build/layerStack';
import { writeLayerTar } from '../../../runner/build/writeLayerTar';
import { ImageStore } from '../../../runner/store/imageStore';
import { assertBuilt, buildOk, cliOk, finishedSteps, imageFiles, tempDir, writeTree } from './buildFixture';

/** The Debian mirror from apt's sources (deb822 `URIs:` or one-line `deb URI bookworm`). */
export function debianMirror(): string {
  const files = ['/etc/apt/sources.list', ...(() => {
    try {
      return fs.readdirSync('/etc/apt/sources.list.d').map((f) => path.join('/etc/apt/sources.list.d', f));
    } catch {
      return [];
    }
  })()];
  for (const file of files) {
    let text = '';
    try {
      text = fs.readFileSync(file, 'utf8');
    } catch {
      continue;
    }
    if (file.endsWith('.sources')) {
      for (const stanza of text.split(/\n\s*\n/)) {
        const uri = /^URIs:\s*(\S+)/m.exec(stanza)?.[1];
        if (uri && /^Suites:.*\bbookworm\b/m.test(stanza) && !uri.includes('security')) return uri;
      }
    } else if (file.endsWith('.list')) {
      for (const line of text.split('\n')) {
        const m = /^deb\s+(?:\[[^\]]*\]\s+)?(\S+)\s+bookworm\s/.exec(line);
        if (m && !m[1].includes('security')) return m[1];
      }
    }
  }
  return 'http://deb.debian.org/debian';
}

function debootstrapAvailable(): boolean {
  return fs.existsSync('/usr/sbin/debootstrap');
}

describe('build: FROM a debootstrap Debian, apt-get install', function () {
  this.timeout(420000);
  let work: string;
  let store: string;

  before(async function () {
    if (!debootstrapAvailable()) this.skip();
    assertBuilt();
    work = tempDir('layerlens-build-debian-');
    const rootfs = path.join(work, 'rootfs');
    execFileSync('debootstrap', ['--variant=minbase', 'bookworm', rootfs, debianMirror()], { stdio: 'ignore', timeout: 300000 });
    // The directory becomes the image's only layer the way a build step's result does: written
    // as an uncompressed tar and moved into the store as it is (no gzip, no unpacking again).
    store = path.join(work, 'store');
    const s = await ImageStore.open(store);
    const tarPath = s.tempPath('debian.tar');
    const tar = await writeLayerTar(rootfs, tarPath);
    const layer = await commitFreshLayer(s, { diffId: tar.diffId, size: tar.size, tarPath, dir: rootfs });
    const created = new Date().toISOString();
    await s.writeImage({
      config: {
        created, architecture: 'amd64', os: 'linux',
        config: { Cmd: ['bash'], Env: ['PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin'] },
        rootfs: { type: 'layers', diff_ids: [layer.diffId] },
        history: [{ created, created_by: 'debootstrap --variant=minbase bookworm' }],
      },
      layers: [layer],
      tags: ['debian:bookworm-e2e'],
    });
  });

  after(() => {
    if (work) fs.rmSync(work, { recursive: true, force: true });
  });

  it('installs a package with apt-get and runs it', async () => {
    const ctx = writeTree(path.join(work, 'ctx'), {
      Dockerfile: [
        'FROM debian:bookworm-e2e',
        'RUN apt-get update && apt-get install -y --no-install-recommends hello && rm -rf /var/lib/apt/lists/*',
        'RUN useradd --create-home app',
        'USER app',
        'WORKDIR /home/app',
        'CMD ["hello"]',
      ].join('\n'),
    });
    const r = await buildOk(['-t', 'debian-hello:1', ctx], { store, timeoutMs: 300000 });
    assert.ok(finishedSteps(r).every((s) => !s.cached));
    const files = await imageFiles(store, 'debian-hello:1');
    assert.ok(files.lookup('/usr/bin/hello'), 'the package is installed');
    assert.deepStrictEqual(files.readdir('/var/lib/apt/lists'), [], 'the lists were removed in the same step');
    const home = files.lookup('/home/app');
    assert.ok(home && home.stat.uid === 1000 && home.stat.gid === 1000, 'useradd made an owned home directory');
    assert.match(files.readFile('/var/lib/dpkg/status')?.toString() ?? '', /Package: hello\n/);
    assert.strictEqual((await cliOk(['run', '--rm', 'debian-hello:1'], { store })).trim(), 'Hello, world!');
    assert.strictEqual((await cliOk(['run', '--rm', 'debian-hello:1', 'sh', '-c', 'id -un; pwd'], { store })).trim(), 'app\n/home/app');
  });
});
