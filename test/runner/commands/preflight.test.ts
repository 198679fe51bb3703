import * as assert from 'assert';
import { preflightReport } from '../../../runner/commands/preflight';

describe('layerlens preflight --json', () => {
  it('reports everything ok on this machine (Linux, user namespaces, helper built)', function () {
    if (process.platform !== 'linux') this.skip(); // the runner is Linux-only
    const report = preflightReport();
    assert.deepStrictEqual(report.errors, []);
    assert.strictEqual(report.ok, true);
    assert.strictEqual(report.platform, 'linux');
    assert.match(report.helper ?? '', /layerlens-helper$/);
  });

  it('explains a missing helper with where it looked and how to build it', function () {
    if (process.platform !== 'linux') this.skip();
    const report = preflightReport({ ...process.env, LAYERLENS_HELPER: '/nonexistent/layerlens-helper' });
    assert.strictEqual(report.ok, false);
    assert.strictEqual(report.helper, null);
    assert.strictEqual(report.errors.length, 1);
    assert.match(report.errors[0], /native helper is missing \(looked in \/nonexistent\/layerlens-helper\).*npm run build/);
  });
});
