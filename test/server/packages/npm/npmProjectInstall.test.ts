import * as assert from 'assert';
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { openBuildContext, type OpenBuildContext } from '../../../../server/context';
import { parseNpmInstallOptions } from '../../../../server/packages/npm/npmInstallOptions';
import { lockedPackages, nodePlatform } from '../../../../server/packages/npm/npmLockFile';
import { httpTarballCounter, NpmPackageSizes } from '../../../../server/packages/npm/npmPackageSizes';
import { npmCacheBytes, npmInstallLogBytes, npmLogFiles, projectEstimate, projectLayerBytes } from '../../../../server/packages/npm/npmProjectInstall';
import { PackageSizes } from '../../../../server/packages/packageSizes';
import { parseDockerfile } from '../../../../server/parser';
import { planDockerfile } from '../../../../server/plan';
import { predictLayerSizes, predictStepSizes } from '../../../../server/plan/size';
import type { SizeReaders } from '../../../../server/plan/size/sizeReaders';
import { tarLayerSize, type LayerEntry } from '../../../../server/plan/size/tarLayerSize';

const fixtures = path.resolve(__dirname, '../../../../../test/fixtures');
const REGISTRY = 'https://registry.npmjs.org';

/** The fixture's lock file with `resolved` URLs, as npm writes it by default (npm ci then fetches only tarballs). */
function lockWithResolved(): string {
  const lock = JSON.parse(fs.readFileSync(path.join(fixtures, 'npm-lock-v3', 'package-lock.json'), 'utf8')) as { packages: Record<string, { name?: string; version: string; resolved?: string }> };
  for (const [key, entry] of Object.entries(lock.packages)) {
    if (!key) continue;
    const name = entry.name ?? key.slice(key.lastIndexOf('node_modules/') + 'node_modules/'.length);
    entry.resolved = `${REGISTRY}/${name}/-/${name.replace(/^@[^/]+\//, '')}-${entry.version}.tgz`;
  }
  return JSON.stringify(lock, null, 2) + '\n';
}

function entriesOf(dir: string, prefix: string): LayerEntry[] {
  const out: LayerEntry[] = [];
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const abs = path.join(dir, e.name);
    const p = `${prefix}/${e.name}`;
    if (e.isDirectory()) out.push({ path: p, kind: 'dir', size: 0 }, ...entriesOf(abs, p));
    else out.push({ path: p, kind: 'file', size: fs.statSync(abs).size });
  }
  return out;
}

describe('npm project installs: the cache and the log npm leaves in /root/.npm', function () {
  this.timeout(180_000);
  let dir: string;

  before(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'layerlens-npmcache-'));
    fs.copyFileSync(path.join(fixtures, 'npm-lock-v3', 'package.json'), path.join(dir, 'package.json'));
    fs.writeFileSync(path.join(dir, 'package-lock.json'), lockWithResolved());
  });

  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('sizes the cache tree a real npm ci writes (content files with PAX headers, index entries, xx/yy directories) within 1%', async () => {
    const cache = path.join(dir, 'cache');
    execFileSync('npm', ['ci', '--ignore-scripts', '--no-audit', '--no-fund', '--cache', cache], { cwd: dir, stdio: 'ignore' });
    const measured = tarLayerSize([{ path: '/root/.npm/_cacache', kind: 'dir', size: 0 }, ...entriesOf(path.join(cache, '_cacache'), '/root/.npm/_cacache')], { includeParents: false }).tarBytes - 1024;
    const parsed = lockedPackages(fs.readFileSync(path.join(dir, 'package-lock.json'), 'utf8'), parseNpmInstallOptions('npm ci', {}), nodePlatform('linux/amd64', 'debian:12'));
    assert.ok(parsed.ok);
    const count = httpTarballCounter();
    const entries = await Promise.all(parsed.packages.map(async (p) => ({ url: p.resolved as string, compressedBytes: (await count(p.resolved as string)).compressedBytes as number })));
    const predicted = npmCacheBytes(entries);
    assert.ok(Math.abs(predicted - measured) / measured < 0.01, `predicted ${predicted}, measured ${measured}`);
  });

  it('puts the install log and the update-notifier stamp in the estimate, the log growing with each package', () => {
    const one = npmInstallLogBytes([{ path: 'node_modules/ms', name: 'ms', version: '2.1.3', url: `${REGISTRY}/ms/-/ms-2.1.3.tgz` }]);
    const two = npmInstallLogBytes([
      { path: 'node_modules/ms', name: 'ms', version: '2.1.3', url: `${REGISTRY}/ms/-/ms-2.1.3.tgz` },
      { path: 'node_modules/debug', name: 'debug', version: '4.3.4', url: `${REGISTRY}/debug/-/debug-4.3.4.tgz` },
    ]);
    assert.ok(two > one && one > 4096, `${one} ${two}`);
    const pkg = { path: 'node_modules/ms', name: 'ms', version: '2.1.3', link: false, bins: [] };
    const layer = projectLayerBytes('/app', [pkg], new Map([[pkg, { files: 4, bytes: 6000, compressedBytes: 3000 }]]), 500);
    const estimate = projectEstimate(layer, [pkg], [], 'medium');
    assert.deepStrictEqual(estimate.files?.map((f) => f.path), npmLogFiles(layer.logBytes).map((f) => f.path));
    assert.ok(estimate.files?.some((f) => f.path.startsWith('/root/.npm/_logs/') && f.bytes === layer.logBytes));
  });

  describe('in a plan', () => {
    let ctx: OpenBuildContext;
    let npm: NpmPackageSizes;
    let readers: SizeReaders;

    before(async () => {
      ctx = openBuildContext({ contextDir: dir, watch: false });
      await ctx.ready;
      npm = new NpmPackageSizes();
      readers = { context: ctx.reader, packages: new PackageSizes({ npm }) };
    });

    after(() => ctx.dispose());

    async function lastStepBytes(text: string): Promise<number> {
      const p = planDockerfile(parseDockerfile(text));
      for (let i = 0; i < 6; i++) {
        const report = predictLayerSizes(p, readers);
        if (!report.steps.some((s) => /waiting for|looking up|reading /.test(s.prediction.basis))) break;
        await Promise.all([ctx.reader.settle(), npm.settled()]);
      }
      const steps = predictStepSizes(p, readers).stages[0].steps;
      const last = steps[steps.length - 1];
      assert.ok(last.predictedBytes !== undefined, last.basis);
      return last.predictedBytes;
    }

    it('keeps npm\'s logs after `npm cache clean --force`, and nothing of /root/.npm under a cache mount', async () => {
      const mounted = await lastStepBytes('FROM scratch\nWORKDIR /app\nCOPY package*.json ./\nRUN --mount=type=cache,target=/root/.npm npm ci\n');
      const cleaned = await lastStepBytes('FROM scratch\nWORKDIR /app\nCOPY package*.json ./\nRUN npm ci && npm cache clean --force\n');
      const kept = await lastStepBytes('FROM scratch\nWORKDIR /app\nCOPY package*.json ./\nRUN npm ci\n');
      const parsed = lockedPackages(fs.readFileSync(path.join(dir, 'package-lock.json'), 'utf8'), parseNpmInstallOptions('npm ci', {}), nodePlatform('linux/amd64', undefined));
      assert.ok(parsed.ok);
      const logs = tarLayerSize([
        { path: '/root/.npm/_logs/npm-install-debug-0.log', kind: 'file', size: npmInstallLogBytes(parsed.packages.map((p) => ({ ...p, url: p.resolved }))) },
        { path: '/root/.npm/_logs/npm-cache-debug-0.log', kind: 'file', size: 1700 },
        { path: '/root/.npm/_update-notifier-last-checked', kind: 'file', size: 0 },
      ], { includeParents: true }).tarBytes - 1024;
      assert.strictEqual(cleaned - mounted, logs);
      assert.ok(kept > cleaned + 7 * 1024, `${kept} vs ${cleaned}`);
    });
  });
});
