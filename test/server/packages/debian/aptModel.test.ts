import * as assert from 'assert';
import { byteCompiledBytes, debconfBytesWritten, PYC_PER_MODULE_BYTE, PYC_PER_PYTHON_BYTE } from '../../../../server/packages/debian/aptModel';
import { parseRelations } from '../../../../server/packages/debian/relations';

const pkg = (name: string, depends: string, installedBytes = 1_000_000): { name: string; installedBytes: number; depends: { name: string }[][] } => ({ name, installedBytes, depends: parseRelations(depends) });

describe('aptModel.byteCompiledBytes (the .pyc files py3compile adds at install)', () => {
  it('counts the interpreter and standard library at the stdlib ratio', () => {
    for (const name of ['python3', 'python3-minimal', 'python3.11', 'python3.11-minimal', 'libpython3.11-stdlib', 'libpython3-stdlib']) {
      assert.strictEqual(byteCompiledBytes(pkg(name, 'libc6 (>= 2.34)')), 1_000_000 * PYC_PER_PYTHON_BYTE, name);
    }
  });

  it('counts module packages, also those without a python3- name that depend on python3 (gyp, from npm)', () => {
    assert.strictEqual(byteCompiledBytes(pkg('gyp', 'python3:any, python3-pkg-resources, python3-six')), 1_000_000 * PYC_PER_MODULE_BYTE);
    assert.strictEqual(byteCompiledBytes(pkg('python3-six', 'python3:any')), 1_000_000 * PYC_PER_MODULE_BYTE);
  });

  it('adds nothing for development files and packages without Python modules', () => {
    assert.strictEqual(byteCompiledBytes(pkg('libpython3.11-dev', 'libpython3.11-stdlib (= 3.11.2-6), libpython3.11 (= 3.11.2-6)')), 0);
    assert.strictEqual(byteCompiledBytes(pkg('python3.11-dev', 'python3.11 (= 3.11.2-6), libpython3.11-dev (= 3.11.2-6)')), 0);
    assert.strictEqual(byteCompiledBytes(pkg('nodejs', 'libc6 (>= 2.34), libnode108 (= 18.19.0)')), 0);
  });
});

describe('aptModel.debconfBytesWritten (the debconf databases in an install layer)', () => {
  const deb = (depends: string, preDepends = ''): { depends: { name: string }[][]; preDepends: { name: string }[][] } => ({ depends: parseRelations(depends), preDepends: parseRelations(preDepends) });

  it('doubles the databases when a new package has templates (depends on debconf): saved again with *-old copies', () => {
    assert.strictEqual(debconfBytesWritten(757_558, [deb('libc6'), deb('openssl (>= 1.1.1), debconf (>= 0.5) | debconf-2.0')]), 2 * 757_558);
    assert.strictEqual(debconfBytesWritten(1000, [deb('', 'debconf-2.0')]), 2000);
  });

  it('counts them once (copied up, unchanged) when no new package uses debconf, as for curl alone', () => {
    assert.strictEqual(debconfBytesWritten(757_558, [deb('libc6 (>= 2.34), libcurl4 (= 7.88.1-10)'), deb('libc6')]), 757_558);
  });
});
