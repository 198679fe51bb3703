import * as assert from 'assert';
import { DebianIndex, parseDpkgStatus } from '../../../server/packages/debian/debianIndex';
import { resolveAptInstall } from '../../../server/packages/debian/resolveAptInstall';
import { PACKAGES, STATUS } from './debianFixture';

describe('resolveAptInstall (apt dependency closure)', () => {
  const index = new DebianIndex();
  index.add(PACKAGES, 'amd64');
  const installed = parseDpkgStatus(STATUS);

  const names = (requested: string[], recommends = true): string[] =>
    resolveAptInstall(index, installed, requested, { recommends }).packages.map((p) => p.name).sort();

  it('reads the installed set from dpkg status, ignoring removed packages', () => {
    assert.deepStrictEqual([...installed.names].sort(), ['base-files', 'debconf', 'libc6']);
    assert.ok(installed.provided.has('debconf-2.0'));
  });

  it('keeps the newest version of a package and ignores other architectures', () => {
    assert.strictEqual(index.candidate('libc6')?.version, '2.36-9+deb12u4');
    assert.strictEqual(index.candidate('winelib'), undefined);
  });

  it('adds Depends and Recommends minus what is installed, taking the first OR alternative', () => {
    assert.deepStrictEqual(names(['curl']), ['ca-certificates', 'curl', 'libcurl4', 'libssl3', 'openssl']);
  });

  it('leaves Recommends out with --no-install-recommends', () => {
    assert.deepStrictEqual(names(['curl'], false), ['curl', 'libcurl4', 'libssl3']);
  });

  it('installs a provider for a virtual package', () => {
    assert.deepStrictEqual(names(['mutt']), ['mutt', 'postfix']);
  });

  it('accepts name=version, name/release and name:arch, reports unknown and installed names', () => {
    const r = resolveAptInstall(index, installed, ['curl=7.88.1-10+deb12u5', 'libssl3/bookworm', 'nope', 'libc6:amd64', 'mutt-'], { recommends: false });
    assert.deepStrictEqual(r.packages.map((p) => p.name).sort(), ['curl', 'libcurl4', 'libssl3']);
    assert.deepStrictEqual(r.missing, ['nope']);
    assert.deepStrictEqual(r.alreadyInstalled, ['libc6']);
  });

  it('counts Installed-Size in bytes', () => {
    assert.strictEqual(index.candidate('curl')?.installedBytes, 500 * 1024);
  });

  it('derives a minimal base (Essential, required and apt) when the image is not local', () => {
    assert.deepStrictEqual([...index.minimalBaseSet()].sort(), ['base-files', 'debconf', 'libc6']);
  });
});
