import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { parseNpmInstallOptions } from '../../../../server/packages/npm/npmInstallOptions';
import { lockedPackages, nodePlatform } from '../../../../server/packages/npm/npmLockFile';

// Fixtures made with `npm install --package-lock-only` (npm 11): debug, semver (dependencies),
// left-pad (devDependencies), is-number (optionalDependencies).
const fixtures = path.resolve(__dirname, '../../../../../test/fixtures');
const lock = (name: string): string => fs.readFileSync(path.join(fixtures, name, 'package-lock.json'), 'utf8');
const linux = nodePlatform('linux/amd64', 'debian:12');

function names(text: string, command: string, env: Record<string, string> = {}): string[] {
  const parsed = lockedPackages(text, parseNpmInstallOptions(command, env), linux);
  assert.ok(parsed.ok);
  return parsed.packages.map((p) => p.name).sort();
}

describe('lockedPackages (what npm ci puts in node_modules)', () => {
  const all = ['debug', 'is-number', 'left-pad', 'lru-cache', 'ms', 'semver', 'yallist'];

  for (const fixture of ['npm-lock-v3', 'npm-lock-v1']) {
    it(`lists every locked package of ${fixture}, and drops dev and optional ones as the flags say`, () => {
      assert.deepStrictEqual(names(lock(fixture), 'npm ci'), all);
      const prod = all.filter((n) => n !== 'left-pad');
      assert.deepStrictEqual(names(lock(fixture), 'npm ci --omit=dev'), prod);
      assert.deepStrictEqual(names(lock(fixture), 'npm ci --production'), prod);
      assert.deepStrictEqual(names(lock(fixture), 'npm ci --only=production'), prod);
      assert.deepStrictEqual(names(lock(fixture), 'npm ci --omit dev'), prod);
      assert.deepStrictEqual(names(lock(fixture), 'npm ci', { NODE_ENV: 'production' }), prod);
      assert.deepStrictEqual(names(lock(fixture), 'npm ci --include=dev', { NODE_ENV: 'production' }), all);
      assert.deepStrictEqual(names(lock(fixture), 'npm i --omit=dev --omit=optional'), prod.filter((n) => n !== 'is-number'));
    });
  }

  it('reads bins from lockfileVersion 3 (semver has one)', () => {
    const parsed = lockedPackages(lock('npm-lock-v3'), parseNpmInstallOptions('npm ci', {}), linux);
    assert.ok(parsed.ok);
    assert.deepStrictEqual(parsed.packages.find((p) => p.name === 'semver')?.bins, ['semver']);
  });

  it('skips packages for other platforms, bundled ones and workspace folders, keeps links', () => {
    const text = JSON.stringify({
      lockfileVersion: 3,
      packages: {
        '': { name: 'root' },
        'packages/a': { name: 'a', version: '1.0.0' },
        'node_modules/a': { resolved: 'packages/a', link: true },
        'node_modules/@esbuild/linux-x64': { version: '0.20.0', optional: true, os: ['linux'], cpu: ['x64'] },
        'node_modules/@esbuild/darwin-arm64': { version: '0.20.0', optional: true, os: ['darwin'], cpu: ['arm64'] },
        'node_modules/@esbuild/linux-x64-musl': { version: '0.20.0', optional: true, os: ['linux'], cpu: ['x64'], libc: ['musl'] },
        'node_modules/not-windows': { version: '1.0.0', os: ['!win32'] },
        'node_modules/x': { version: '1.0.0' },
        'node_modules/x/node_modules/y': { version: '2.0.0', inBundle: true },
      },
    });
    const parsed = lockedPackages(text, parseNpmInstallOptions('npm ci', {}), linux);
    assert.ok(parsed.ok);
    assert.deepStrictEqual(parsed.packages.map((p) => `${p.name}${p.link ? ' (link)' : ''}`), ['a (link)', '@esbuild/linux-x64', 'not-windows', 'x']);
    const musl = lockedPackages(text, parseNpmInstallOptions('npm ci', {}), nodePlatform('linux/amd64', 'node:20-alpine'));
    assert.ok(musl.ok && musl.packages.some((p) => p.name === '@esbuild/linux-x64-musl'));
  });

  it('reports a lock file that is not JSON', () => {
    const parsed = lockedPackages('{"lockfileVersion": 3,', parseNpmInstallOptions('npm ci', {}), linux);
    assert.ok(!parsed.ok && /not JSON/.test(parsed.reason));
  });
});

describe('parseNpmInstallOptions', () => {
  it('tells npm ci from npm install and -g from a local install', () => {
    assert.strictEqual(parseNpmInstallOptions('npm ci', {}).clean, true);
    assert.strictEqual(parseNpmInstallOptions('npm install', {}).clean, false);
    assert.strictEqual(parseNpmInstallOptions('npm i -g', {}).global, true);
    assert.strictEqual(parseNpmInstallOptions('npm ci --omit=peer', {}).omitPeer, true);
  });
});
