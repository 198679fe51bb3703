// RUN accuracy with a real Debian: a debootstrap'ed bookworm as the base image (plain, and with
// the official images' apt settings), each RUN executed in a chroot over overlayfs with real
// downloads from the Debian mirror, measured by packing the overlay upper directory.
import { execFileSync, spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { DebianPackageSizes } from '../../server/packages/debian/debianPackageSizes';
import { parseParagraphs } from '../../server/packages/debian/parseControl';
import { httpIndexFetcher } from '../../server/packages/debian/indexFetchers';
import { DownloadSizes } from '../../server/packages/downloadSizes';
import { rootfsImageFiles } from '../../server/packages/imageFiles';
import { PackageSizes } from '../../server/packages/packageSizes';
import { packLayer } from './packLayer';
import { predictSettled } from './predictSteps';
import type { Sample } from './stats';

const MIRROR = 'http://deb.debian.org/debian';
const PLAIN = 'docker.io/bench/debian:plain';
const OFFICIAL = 'docker.io/bench/debian:official';

interface RunCase {
  base: 'plain' | 'official';
  script: string;
  kind: string;
  /** Runs outside the chroot (e.g. a download with the host's curl) instead of `script`. */
  host?: (merged: string) => void;
}

function run(cmd: string, args: string[], options: { env?: Record<string, string> } = {}): void {
  execFileSync(cmd, args, { stdio: ['ignore', 'ignore', 'inherit'], env: { ...process.env, ...options.env }, maxBuffer: 2 ** 30 });
}

/** Debootstraps Debian 12 once, then derives the two bases (cleaned like an image build). */
function prepareBases(work: string, log: (line: string) => void): { plain: string; official: string } {
  const raw = path.join(work, 'rootfs');
  if (!fs.existsSync(path.join(raw, 'var/lib/dpkg/status'))) {
    log('  debootstrap --variant=minbase bookworm (about two minutes)...');
    run('debootstrap', ['--variant=minbase', 'bookworm', raw, MIRROR]);
  }
  const plain = path.join(work, 'base-plain');
  const official = path.join(work, 'base-official');
  if (!fs.existsSync(plain)) {
    run('cp', ['-a', raw, plain]);
    run('bash', ['-c', `rm -rf "${plain}"/var/lib/apt/lists/* "${plain}"/var/cache/apt/*.bin "${plain}"/var/cache/apt/archives/*.deb && mkdir -p "${plain}/var/lib/apt/lists/partial"`]);
  }
  if (!fs.existsSync(official)) {
    run('cp', ['-a', plain, official]);
    for (const f of ['docker-clean', 'docker-gzip-indexes', 'docker-no-languages', 'docker-autoremove-suggests']) {
      const host = path.join('/etc/apt/apt.conf.d', f);
      if (fs.existsSync(host)) fs.copyFileSync(host, path.join(official, 'etc/apt/apt.conf.d', f));
    }
  }
  return { plain, official };
}

/** Runs `c` on `lower` through overlayfs and returns the upper directory. */
function runOverlay(work: string, lower: string, c: RunCase, index: number): string {
  const dir = path.join(work, 'runs', String(index));
  fs.rmSync(dir, { recursive: true, force: true });
  for (const d of ['upper', 'work', 'merged']) fs.mkdirSync(path.join(dir, d), { recursive: true });
  const merged = path.join(dir, 'merged');
  run('mount', ['-t', 'overlay', 'overlay', '-o', `lowerdir=${lower},upperdir=${dir}/upper,workdir=${dir}/work`, merged]);
  const mounts: string[] = [];
  try {
    run('mount', ['-t', 'proc', 'proc', path.join(merged, 'proc')]);
    mounts.push(path.join(merged, 'proc'));
    run('mount', ['--bind', '/dev', path.join(merged, 'dev')]);
    mounts.push(path.join(merged, 'dev'));
    run('mount', ['--bind', '/etc/resolv.conf', path.join(merged, 'etc/resolv.conf')]);
    mounts.push(path.join(merged, 'etc/resolv.conf'));
    if (c.host) c.host(merged);
    else {
      const result = spawnSync('chroot', [merged, '/bin/sh', '-c', c.script], {
        env: { PATH: '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin', DEBIAN_FRONTEND: 'noninteractive', HOME: '/root' },
        stdio: ['ignore', 'ignore', 'pipe'],
        maxBuffer: 2 ** 28,
      });
      if (result.status !== 0) throw new Error(`RUN ${c.script} failed: ${result.stderr.toString().slice(-500)}`);
    }
  } finally {
    for (const m of mounts.reverse()) spawnSync('umount', [m]);
    spawnSync('umount', [merged]);
  }
  return path.join(dir, 'upper');
}

/** apt's own "additional disk space": Installed-Size of the packages the RUN added. */
function installedSizeOfNew(lower: string, upper: string): number | undefined {
  const after = path.join(upper, 'var/lib/dpkg/status');
  if (!fs.existsSync(after)) return undefined;
  const read = (p: string): Map<string, number> =>
    new Map(parseParagraphs(fs.readFileSync(p, 'utf8'), ['Package', 'Status', 'Installed-Size']).filter((x) => / installed$/.test(x.Status ?? '')).map((x) => [x.Package, Number(x['Installed-Size'] ?? 0) * 1024]));
  const before = read(path.join(lower, 'var/lib/dpkg/status'));
  let total = 0;
  for (const [name, bytes] of read(after)) if (!before.has(name)) total += bytes;
  return total;
}

function debFilename(pkg: string): string | undefined {
  const out = spawnSync('apt-cache', ['show', '--no-all-versions', pkg], { encoding: 'utf8' }).stdout;
  return /^Filename: (.*)$/m.exec(out)?.[1];
}

export async function runAptSuite(work: string, which: { apt: boolean; download: boolean }, log: (line: string) => void): Promise<Sample[]> {
  const bases = prepareBases(work, log);
  const cases: RunCase[] = [];
  if (which.apt) {
    const install = 'apt-get update && apt-get install -y';
    cases.push(
      { base: 'plain', kind: 'RUN apt-get install', script: `${install} --no-install-recommends curl` },
      { base: 'plain', kind: 'RUN apt-get install', script: `${install} curl` },
      { base: 'plain', kind: 'RUN apt-get install', script: `${install} --no-install-recommends python3 && rm -rf /var/lib/apt/lists/*` },
      { base: 'official', kind: 'RUN apt-get install', script: `${install} --no-install-recommends curl` },
      { base: 'official', kind: 'RUN apt-get install', script: `${install} --no-install-recommends git && rm -rf /var/lib/apt/lists/*` },
      { base: 'official', kind: 'RUN apt-get install', script: `${install} --no-install-recommends python3 && rm -rf /var/lib/apt/lists/*` },
      { base: 'official', kind: 'RUN apt-get install', script: `${install} jq nginx-light && apt-get clean && rm -rf /var/lib/apt/lists/*` },
      { base: 'official', kind: 'RUN apt-get install', script: `${install} --no-install-recommends build-essential && rm -rf /var/lib/apt/lists/*` },
      { base: 'official', kind: 'RUN apt-get update', script: 'apt-get update' },
      { base: 'plain', kind: 'RUN apt-get update', script: 'apt-get update' },
    );
  }
  if (which.download) {
    for (const pkg of ['hello', 'jq', 'curl', 'git']) {
      const file = debFilename(pkg);
      if (!file) continue;
      const url = file.startsWith("pool/updates/") ? `http://deb.debian.org/debian-security/${file}` : `${MIRROR}/${file}`;
      cases.push({
        base: 'official',
        kind: 'RUN curl download',
        script: `curl -fsSL -o /opt/${pkg}.deb ${url}`,
        host: (merged) => {
          fs.mkdirSync(path.join(merged, 'opt'), { recursive: true });
          run('curl', ['-fsSL', '-o', path.join(merged, 'opt', `${pkg}.deb`), url]);
        },
      });
    }
  }
  const debian = new DebianPackageSizes({ fetchIndex: httpIndexFetcher(), images: rootfsImageFiles({ [PLAIN]: bases.plain, [OFFICIAL]: bases.official }) });
  const downloads = new DownloadSizes();
  const readers = { packages: new PackageSizes({ apt: debian }), downloads };
  const settle = async (): Promise<void> => {
    await debian.settled();
    await downloads.settled();
  };
  const samples: Sample[] = [];
  for (const [i, c] of cases.entries()) {
    const lower = c.base === 'plain' ? bases.plain : bases.official;
    const text = `FROM ${c.base === 'plain' ? PLAIN : OFFICIAL}\nRUN ${c.script}\n`;
    const sized = await predictSettled(text, readers, settle);
    const step = sized.stages[0].steps[1];
    const started = Date.now();
    let upper: string;
    try {
      upper = runOverlay(work, lower, c, i);
    } catch (error) {
      log(`  ${c.base}: ${c.script}: ${(error as Error).message}`);
      continue;
    }
    const measured = await packLayer(upper, { overlay: true });
    const peer = c.kind === 'RUN apt-get install' ? installedSizeOfNew(lower, upper) : c.kind === 'RUN curl download' ? measured.contentBytes : undefined;
    samples.push({ kind: c.kind, name: `${c.base}: ${c.script}`, predicted: step.predictedBytes, measured: measured.tarBytes, peer });
    log(`  ${c.base}: ${c.script.slice(0, 70)}: predicted ${step.predictedBytes ?? 'unknown'} measured ${measured.tarBytes} (${((Date.now() - started) / 1000).toFixed(0)} s)${step.predictedBytes === undefined ? ` [${step.basis}]` : ''}`);
    fs.rmSync(path.dirname(upper), { recursive: true, force: true });
  }
  return samples;
}
