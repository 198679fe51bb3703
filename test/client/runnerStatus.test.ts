import * as assert from 'assert';
import { preflightReport } from '../../runner/commands/preflight';
import { parsePreflight, runnerProblemDetails, runnerProblemSummary } from '../../client/runnerStatus';

describe('runner status in the views', () => {
  it('says nothing when preflight is ok on this machine', function () {
    if (process.platform !== 'linux') this.skip();
    const report = parsePreflight(0, JSON.stringify(preflightReport()), '');
    assert.strictEqual(runnerProblemSummary(report), undefined);
    assert.match(runnerProblemDetails(report), /Everything the runner needs is here/);
  });

  it('explains a missing helper: what is wrong and how to fix it', function () {
    if (process.platform !== 'linux') this.skip();
    const report = parsePreflight(0, JSON.stringify(preflightReport({ ...process.env, LAYERLENS_HELPER: '/nowhere/layerlens-helper' })), '');
    assert.match(runnerProblemSummary(report) ?? '', /^Containers cannot run here: the native helper is missing \(looked in \/nowhere\/layerlens-helper\).*npm run build/);
    assert.match(runnerProblemDetails(report), /native helper missing/);
  });

  it('counts further problems and turns a CLI that cannot start into a problem', () => {
    const report = parsePreflight(1, '', 'Error: Cannot find module dist/cli.js\n');
    assert.strictEqual(report.ok, false);
    assert.match(runnerProblemSummary(report) ?? '', /the bundled CLI failed: Error: Cannot find module dist\/cli\.js$/);
    const two = { ...report, errors: ['a', 'b', 'c'] };
    assert.strictEqual(runnerProblemSummary(two), 'Containers cannot run here: a (and 2 more problems)');
  });
});
