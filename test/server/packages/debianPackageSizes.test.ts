import * as assert from 'assert';
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import { DebianPackageSizes } from '../../../server/packages/debian/debianPackageSizes';
import { aptListsFetcher } from '../../../server/packages/debian/indexFetchers';
import { DebianIndex, parseDpkgStatus } from '../../../server/packages/debian/debianIndex';
import { resolveAptInstall } from '../../../server/packages/debian/resolveAptInstall';
import * as model from '../../../server/packages/debian/aptModel';
import { rootfsImageFiles } from '../../../server/packages/imageFiles';
import type { Lookup, PackageInstallRequest } from '../../../server/plan/size/sizeReaders';
import { type DebianFixture, writeDebianFixture } from './debianFixture';

async function settle<T>(reader: DebianPackageSizes, ask: () => Lookup<T>): Promise<Lookup<T>> {
  for (let i = 0; i < 5; i++) {
    const answer = ask();
    if (answer.state !== 'pending') return answer;
    await reader.settled();
  }
  return ask();
}

function request(baseImage: string, packages: string[], extra: Partial<PackageInstallRequest> = {}): PackageInstallRequest {
  return { manager: 'apt', baseImage, platform: 'linux/amd64', packages, installedBefore: [], env: {}, command: `apt-get install -y ${packages.join(' ')}`, ...extra };
}

describe('DebianPackageSizes (apt installs from the base image and its index)', () => {
  const fixtures: DebianFixture[] = [];
  after(() => fixtures.forEach((f) => fs.rmSync(f.root, { recursive: true, force: true })));

  function reader(options: Parameters<typeof writeDebianFixture>[0] = {}): DebianPackageSizes {
    const f = writeDebianFixture(options);
    fixtures.push(f);
    return new DebianPackageSizes({ fetchIndex: aptListsFetcher(f.lists), images: rootfsImageFiles({ 'local/base:1': f.rootfs }) });
  }

  it('answers pending first, then sizes the closure from Installed-Size with dpkg bookkeeping and kept archives', async () => {
    const sizes = reader();
    assert.strictEqual(sizes.estimateInstall(request('local/base:1', ['curl'])).state, 'pending');
    const answer = await settle(sizes, () => sizes.estimateInstall(request('local/base:1', ['curl'])));
    assert.strictEqual(answer.state, 'known');
    if (answer.state !== 'known') return;
    const e = answer.value;
    assert.deepStrictEqual(e.packages.map((p) => p.name).sort(), ['ca-certificates', 'curl', 'libcurl4', 'libssl3', 'openssl']);
    assert.strictEqual(e.installedBytes, (500 + 1000 + 6000 + 400 + 2000) * 1024 * model.TAR_PER_INSTALLED_BYTE);
    assert.strictEqual(e.cacheBytes, 315000 + 390000 + 2000000 + 150000 + 1400000 + 5 * 512);
    assert.ok(e.bookkeepingBytes > 2 * Buffer.byteLength(fs.readFileSync(fixtures[0].rootfs + '/var/lib/dpkg/status')));
    assert.strictEqual(e.confidence, 'medium');
    assert.match(e.notes[0], /Debian GNU\/Linux 12 \(bookworm\) \(local image\), with Recommends/);
  });

  it('follows the image: docker-clean keeps no archives, APT::Install-Recommends "false" drops Recommends', async () => {
    const sizes = reader({ dockerClean: true, recommends: false });
    const answer = await settle(sizes, () => sizes.estimateInstall(request('local/base:1', ['curl'])));
    assert.ok(answer.state === 'known');
    if (answer.state !== 'known') return;
    assert.strictEqual(answer.value.cacheBytes, 0);
    assert.deepStrictEqual(answer.value.packages.map((p) => p.name).sort(), ['curl', 'libcurl4', 'libssl3']);
    const apt = await settle(sizes, () => sizes.estimateInstall(request('local/base:1', ['curl'], { installRecommends: true, command: 'apt install -y curl' })));
    assert.ok(apt.state === 'known' && apt.value.packages.length === 5);
  });

  it('sizes apt-get update: lists as stored (plain or lz4) and pkgcache files without docker-clean', async () => {
    const plain = reader();
    const footprint = await settle(plain, () => plain.indexFootprint('local/base:1', 'linux/amd64'));
    assert.ok(footprint.state === 'known');
    if (footprint.state !== 'known') return;
    assert.ok(footprint.value.files.some((f) => f.path === '/var/cache/apt/pkgcache.bin'));
    assert.ok(footprint.value.files.some((f) => f.path.endsWith('_main_i18n_Translation-en')));
    const clean = reader({ dockerClean: true });
    const small = await settle(clean, () => clean.indexFootprint('local/base:1', 'linux/amd64'));
    assert.ok(small.state === 'known' && small.value.bytes < footprint.value.bytes);
    assert.ok(small.state === 'known' && small.value.files.every((f) => !f.path.includes('pkgcache') && !f.path.includes('Translation')));
  });

  it('says why it cannot answer: unknown distribution, scratch, not Debian-based', async () => {
    const sizes = reader();
    const unknown = await settle(sizes, () => sizes.estimateInstall(request('example.com/app:1', ['curl'])));
    assert.ok(unknown.state === 'unknown' && /distribution of example.com\/app:1 is unknown/.test(unknown.reason));
    const scratch = sizes.estimateInstall({ ...request('x', ['curl']), baseImage: undefined });
    assert.ok(scratch.state === 'unknown' && /scratch/.test(scratch.reason));
  });

  it('matches `apt-get install -s` on this machine for packages it does not have', async function () {
    this.timeout(300000);
    const fetch = aptListsFetcher('/var/lib/apt/lists');
    const index = new DebianIndex();
    for (const suite of ['debian/dists/bookworm', 'debian/dists/bookworm-updates', 'debian-security/dists/bookworm-security']) {
      index.add(await fetch(`http://deb.debian.org/${suite}/main/binary-amd64/Packages`), 'amd64');
    }
    const installed = parseDpkgStatus(fs.readFileSync('/var/lib/dpkg/status', 'utf8'));
    const disagreements: string[] = [];
    let compared = 0;
    for (const pkg of ['cowsay', 'nginx', 'emacs-nox', 'jq', 'imagemagick']) {
      for (const recommends of [false, true]) {
        const out = spawnSync('apt-get', ['install', '-s', '-y', ...(recommends ? [] : ['--no-install-recommends']), pkg], { encoding: 'utf8' }).stdout;
        const apt = out.split('\n').filter((l) => l.startsWith('Inst ')).map((l) => l.split(' ')[1]).sort();
        if (apt.length === 0) continue;
        compared++;
        const ours = resolveAptInstall(index, installed, [pkg], { recommends }).packages.map((p) => p.name).sort();
        if (JSON.stringify(ours) !== JSON.stringify(apt)) disagreements.push(`${pkg}${recommends ? '' : ' --no-install-recommends'}: apt ${apt.join(',')} / ours ${ours.join(',')}`);
      }
    }
    assert.ok(compared >= 6, `only ${compared} packages could be compared`);
    assert.deepStrictEqual(disagreements, []);
  });
});
