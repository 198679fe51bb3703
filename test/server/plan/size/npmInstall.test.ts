import * as assert from 'assert';
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { openBuildContext, type OpenBuildContext } from '../../../../server/context';
import { NpmPackageSizes } from '../../../../server/packages/npm/npmPackageSizes';
import { PackageSizes } from '../../../../server/packages/packageSizes';
import { parseDockerfile } from '../../../../server/parser';
import { planDockerfile } from '../../../../server/plan';
import { predictLayerSizes, predictStepSizes } from '../../../../server/plan/size';
import type { SizeReaders } from '../../../../server/plan/size/sizeReaders';
import { tarLayerSize, type LayerEntry } from '../../../../server/plan/size/tarLayerSize';
import type { PlannedStep } from '../../../../server/plan/types';

const fixtures = path.resolve(__dirname, '../../../../../test/fixtures');

/** The layer entries a directory tree makes below `prefix` (what a RUN leaves there). */
function entriesOf(dir: string, prefix: string): LayerEntry[] {
  const out: LayerEntry[] = [];
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const abs = path.join(dir, e.name);
    const p = `${prefix}/${e.name}`;
    if (e.isSymbolicLink()) out.push({ path: p, kind: 'symlink', size: 0, linkTarget: fs.readlinkSync(abs) });
    else if (e.isDirectory()) out.push({ path: p, kind: 'dir', size: 0 }, ...entriesOf(abs, p));
    else out.push({ path: p, kind: 'file', size: fs.statSync(abs).size });
  }
  return out;
}

describe('npm ci / npm install predicted from the lock file a COPY put in the working directory', function () {
  this.timeout(180_000);
  let dir: string;
  let ctx: OpenBuildContext;
  let npm: NpmPackageSizes;
  let readers: SizeReaders;

  before(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'layerlens-npmci-'));
    for (const name of ['package.json', 'package-lock.json']) fs.copyFileSync(path.join(fixtures, 'npm-lock-v3', name), path.join(dir, name));
    fs.mkdirSync(path.join(dir, 'nolock'));
    fs.copyFileSync(path.join(fixtures, 'npm-lock-v3', 'package.json'), path.join(dir, 'nolock', 'package.json'));
    ctx = openBuildContext({ contextDir: dir, watch: false });
    await ctx.ready;
    npm = new NpmPackageSizes();
    readers = { context: ctx.reader, packages: new PackageSizes({ npm }) };
  });

  after(() => {
    ctx.dispose();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  async function predicted(text: string): Promise<PlannedStep[]> {
    const p = planDockerfile(parseDockerfile(text));
    for (let i = 0; i < 6; i++) {
      const report = predictLayerSizes(p, readers);
      if (!report.steps.some((s) => /waiting for|looking up|reading /.test(s.prediction.basis))) break;
      await Promise.all([ctx.reader.settle(), npm.settled()]);
    }
    return predictStepSizes(p, readers).stages[0].steps;
  }

  it('predicts `npm ci --omit=dev` within 10% of what a real npm ci writes (real registry, real npm)', async () => {
    const steps = await predicted('FROM scratch\nWORKDIR /app\nCOPY package.json package-lock.json ./\nRUN --mount=type=cache,target=/root/.npm npm ci --omit=dev\n');
    const run = steps[steps.length - 1];
    assert.strictEqual(run.confidence, 'medium', run.basis);
    assert.match(run.basis ?? '', /6 packages from package-lock.json \(lockfileVersion 3\), 1 left out \(dev\)/);
    const work = fs.mkdtempSync(path.join(os.tmpdir(), 'layerlens-npmci-real-'));
    try {
      for (const name of ['package.json', 'package-lock.json']) fs.copyFileSync(path.join(dir, name), path.join(work, name));
      execFileSync('npm', ['ci', '--omit=dev', '--ignore-scripts', '--no-audit', '--no-fund', '--cache', path.join(work, '.cache')], { cwd: work, stdio: 'ignore' });
      const layer = tarLayerSize([{ path: '/app', kind: 'dir', size: 0 }, { path: '/app/node_modules', kind: 'dir', size: 0 }, ...entriesOf(path.join(work, 'node_modules'), '/app/node_modules')]);
      const error = Math.abs((run.predictedBytes ?? 0) - layer.tarBytes) / layer.tarBytes;
      assert.ok(error < 0.1, `predicted ${run.predictedBytes}, measured ${layer.tarBytes}`);
    } finally {
      fs.rmSync(work, { recursive: true, force: true });
    }
  });

  it('counts the npm cache left in the layer, and drops it when `npm cache clean` follows', async () => {
    const kept = await predicted('FROM scratch\nWORKDIR /app\nCOPY package*.json ./\nRUN npm ci\n');
    const cleaned = await predicted('FROM scratch\nWORKDIR /app\nCOPY package*.json ./\nRUN npm ci && npm cache clean --force\n');
    const withCache = kept[kept.length - 1].predictedBytes ?? 0;
    const without = cleaned[cleaned.length - 1].predictedBytes ?? 0;
    assert.ok(without > 0 && withCache > without, `${withCache} vs ${without}: ${kept[kept.length - 1].basis}`);
  });

  it('resolves package.json ranges when there is no lock file, with low confidence; npm ci then is unknown', async () => {
    const install = await predicted('FROM scratch\nWORKDIR /app\nCOPY nolock/package.json ./\nRUN --mount=type=cache,target=/root/.npm npm install\n');
    assert.strictEqual(install[install.length - 1].confidence, 'low', install[install.length - 1].basis);
    assert.ok((install[install.length - 1].predictedBytes ?? 0) > 10_000);
    const ci = await predicted('FROM scratch\nWORKDIR /app\nCOPY nolock/package.json ./\nRUN npm ci\n');
    assert.match(ci[ci.length - 1].basis ?? '', /npm ci needs a package-lock.json/);
  });

  it('says a project install is unknown when no package.json was copied to the working directory', async () => {
    const steps = await predicted('FROM scratch\nWORKDIR /srv\nRUN npm ci\n');
    assert.match(steps[steps.length - 1].basis ?? '', /no package.json known in \/srv/);
  });
});
