import * as assert from 'assert';
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { NpmPackageSizes, parseNpmSpec } from '../../../server/packages/npm/npmPackageSizes';
import type { Lookup, PackageInstallEstimate, PackageInstallRequest } from '../../../server/plan/size/sizeReaders';

function request(packages: string[]): PackageInstallRequest {
  return { manager: 'npm', baseImage: 'node:20', platform: 'linux/amd64', packages, installedBefore: [], env: {}, command: `npm install ${packages.join(' ')}` };
}

async function settle(sizes: NpmPackageSizes, packages: string[]): Promise<Lookup<PackageInstallEstimate>> {
  let answer = sizes.estimateInstall(request(packages));
  for (let i = 0; i < 5 && answer.state === 'pending'; i++) {
    await sizes.settled();
    answer = sizes.estimateInstall(request(packages));
  }
  return answer;
}

/** Regular files and their bytes below `dir`. */
function fileBytes(dir: string): number {
  let total = 0;
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) total += fileBytes(p);
    else if (e.isFile()) total += fs.statSync(p).size;
  }
  return total;
}

describe('NpmPackageSizes (npm install from the npm registry\'s metadata)', function () {
  this.timeout(120_000);

  it('parses package specs', () => {
    assert.deepStrictEqual(parseNpmSpec('lodash'), { name: 'lodash', range: 'latest' });
    assert.deepStrictEqual(parseNpmSpec('@types/node@20'), { name: '@types/node', range: '20' });
    assert.deepStrictEqual(parseNpmSpec('debug@^4.3.0'), { name: 'debug', range: '^4.3.0' });
    assert.strictEqual(parseNpmSpec('../local'), undefined);
  });

  it('says why `npm ci` and local paths are unknown', () => {
    const sizes = new NpmPackageSizes();
    const ci = sizes.estimateInstall(request([]));
    assert.ok(ci.state === 'unknown' && /lock file/.test(ci.reason));
    const local = sizes.estimateInstall(request(['./vendor/pkg']));
    assert.ok(local.state === 'unknown' && /not a registry package/.test(local.reason));
  });

  it('resolves the same packages npm installs, and their bytes (real registry.npmjs.org and a real npm install)', async () => {
    const specs = ['debug@4.3.4', 'left-pad@1.3.0'];
    const answer = await settle(new NpmPackageSizes(), specs);
    assert.strictEqual(answer.state, 'known', JSON.stringify(answer));
    if (answer.state !== 'known') return;
    const work = fs.mkdtempSync(path.join(os.tmpdir(), 'layerlens-npm-'));
    try {
      fs.writeFileSync(path.join(work, 'package.json'), '{"name":"probe","version":"1.0.0"}');
      execFileSync('npm', ['install', '--ignore-scripts', '--no-audit', '--no-fund', '--no-save', ...specs], { cwd: work, stdio: 'ignore' });
      const modules = path.join(work, 'node_modules');
      const installed = fs.readdirSync(modules).filter((n) => !n.startsWith('.')).map((n) => {
        const pkg = JSON.parse(fs.readFileSync(path.join(modules, n, 'package.json'), 'utf8')) as { name: string; version: string };
        return `${pkg.name}@${pkg.version}`;
      }).sort();
      assert.deepStrictEqual(answer.value.packages.map((p) => `${p.name}@${p.version}`).sort(), installed);
      // Content bytes on disk within the prediction, the tar overhead on top (< 2x for these).
      const onDisk = installed.reduce((s, id) => s + fileBytes(path.join(modules, id.slice(0, id.lastIndexOf('@')))), 0);
      assert.ok(answer.value.installedBytes >= onDisk && answer.value.installedBytes < 2 * onDisk, `${answer.value.installedBytes} vs ${onDisk}`);
      assert.deepStrictEqual(answer.value.missing, []);
    } finally {
      fs.rmSync(work, { recursive: true, force: true });
    }
  });

  it('lists names the registry does not know as missing', async () => {
    const answer = await settle(new NpmPackageSizes(), ['layerlens-no-such-package-0c1f2e']);
    assert.ok(answer.state === 'known');
    if (answer.state === 'known') assert.deepStrictEqual(answer.value.missing, ['layerlens-no-such-package-0c1f2e']);
  });
});
