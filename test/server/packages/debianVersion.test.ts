import * as assert from 'assert';
import { execFileSync } from 'child_process';
import { compareDebianVersions } from '../../../server/packages/debian/debianVersion';

const VERSIONS = [
  '1.0', '1.0.1', '1.0~rc1', '1.0~rc1~1', '1:0.9', '2.0', '1.0-1', '1.0-2', '1.0-10', '1.0a', '1.0+b1', '2.30-4', '2.30-10',
  '7.88.1-10+deb12u5', '7.88.1-10+deb12u8', '1.0~~', '1.0~', '0.9.9', '1.00', '2:1', '1.2.3-0ubuntu1', '1.2.3-0ubuntu1.22.04.1', '3.0.11-1~deb12u2',
];

describe('Debian version ordering', () => {
  it('agrees with dpkg --compare-versions on every pair', () => {
    const disagreements: string[] = [];
    for (const a of VERSIONS) {
      for (const b of VERSIONS) {
        if (a >= b) continue;
        let dpkgLess: boolean;
        try {
          execFileSync('dpkg', ['--compare-versions', a, 'lt', b]);
          dpkgLess = true;
        } catch {
          dpkgLess = false;
        }
        if (dpkgLess !== compareDebianVersions(a, b) < 0) disagreements.push(`${a} vs ${b}`);
      }
    }
    assert.deepStrictEqual(disagreements, []);
  });

  it('orders tildes before everything and epochs first', () => {
    assert.ok(compareDebianVersions('1.0~rc1', '1.0') < 0);
    assert.ok(compareDebianVersions('1:0.9', '9.9') > 0);
    assert.strictEqual(compareDebianVersions('1.0', '1.00'), 0);
  });
});
