// Memory and event-loop blocking of the bookworm package index, loaded as the language server
// does (apt lists of this machine, else deb.debian.org). Run with `node --expose-gc`.
// Prints memory held by the index after GC (heap and buffers), the package count, the longest wait between loop turns
// while loading, and a digest of estimates for a set of installs (same digest = same answers).
import { createHash } from 'crypto';
import * as os from 'os';
import { DebianPackageSizes } from '../../server/packages/debian/debianPackageSizes';
import { DebianIndex } from '../../server/packages/debian/debianIndex';
import { aptListsFetcher, firstOf, httpIndexFetcher, streamIndex } from '../../server/packages/debian/indexFetchers';
import type { PackageInstallRequest } from '../../server/plan/size/sizeReaders';
import { loopGapsDuring } from '../../test/server/packages/loopGaps';

const INSTALLS = [
  ['curl'], ['ca-certificates', 'curl'], ['git'], ['build-essential'], ['python3', 'python3-pip'], ['nginx'], ['emacs-nox'],
  ['imagemagick'], ['jq'], ['openjdk-17-jre-headless'], ['postgresql-client'], ['gcc', 'make', 'libssl-dev'], ['nodejs', 'npm'],
  ['vim'], ['wget', 'unzip'], ['texlive-latex-base'], ['libpq-dev'], ['default-mysql-client'], ['cowsay'], ['no-such-package'],
];

function gc(): void {
  const collect = (globalThis as { gc?: () => void }).gc;
  if (!collect) throw new Error('run with node --expose-gc');
  for (let i = 0; i < 3; i++) collect();
}

function request(packages: string[], recommends: boolean): PackageInstallRequest {
  return { manager: 'apt', baseImage: 'debian:bookworm', platform: 'linux/amd64', packages, installedBefore: [], env: {}, command: `apt-get install -y ${packages.join(' ')}`, installRecommends: recommends };
}

async function main(): Promise<void> {
  gc();
  const before = process.memoryUsage();
  const fetchIndex = firstOf(aptListsFetcher(), httpIndexFetcher());
  const sizes = new DebianPackageSizes({ fetchIndex });
  const t0 = performance.now();
  const ask = (): ReturnType<DebianPackageSizes['estimateInstall']> => sizes.estimateInstall(request(['curl'], false));
  const { longestMs } = await loopGapsDuring(async () => {
    while (ask().state === 'pending') await sizes.settled();
  });
  const loadMs = performance.now() - t0;
  const t1 = performance.now();
  const answers = INSTALLS.flatMap((p) => [false, true].map((r) => sizes.estimateInstall(request(p, r))));
  const estimateMs = performance.now() - t1;
  const digest = createHash('sha256').update(JSON.stringify(answers)).digest('hex').slice(0, 16);
  gc();
  const after = process.memoryUsage();
  const first = answers[0];
  const curl = first.state === 'known' ? `${first.value.packages.length} packages, ${first.value.installedBytes} bytes` : first.state;
  console.log(`index loaded in ${loadMs.toFixed(0)} ms, longest wait between loop turns ${longestMs.toFixed(1)} ms`);
  const mib = (bytes: number): string => (bytes / 2 ** 20).toFixed(1);
  console.log(`held after GC: heap ${mib(after.heapUsed - before.heapUsed)} MiB, outside the heap ${mib(after.external - before.external)} MiB (heap used ${mib(after.heapUsed)} MiB, rss ${(after.rss / 2 ** 20).toFixed(0)} MiB)`);
  console.log(`curl: ${curl}; ${answers.length} estimates in ${estimateMs.toFixed(0)} ms, digest ${digest}; load average ${os.loadavg().map((l) => l.toFixed(2)).join(' ')}`);
  // Keeps the index alive until after the measurement.
  if (sizes.version() < 0) console.log('');
  // The package count, from the same lists read again.
  const index = new DebianIndex();
  for (const suite of ['debian/dists/bookworm', 'debian/dists/bookworm-updates', 'debian-security/dists/bookworm-security']) {
    const feeder = index.feeder('amd64');
    await streamIndex(fetchIndex, `http://deb.debian.org/${suite}/main/binary-amd64/Packages`, (chunk) => feeder.push(chunk));
    feeder.end();
  }
  console.log(`${index.size} packages (amd64 and all), ${(index.indexBytes / 1e6).toFixed(1)} MB of index text`);
}

void main();
