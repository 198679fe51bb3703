'use strict';
// Mocha's spec reporter, plus one JSON line of counts (and the failing tests, with the first lines of
// their errors) appended to $LAYERLENS_TEST_TALLY so that scripts/test-all.sh can print one closing
// summary for all suites, with every failure repeated where a truncated CI log still shows it.
const fs = require('fs');
const Mocha = require('mocha');

class TallyReporter extends Mocha.reporters.Spec {
  constructor(runner, options) {
    super(runner, options);
    const failed = [];
    runner.on('fail', (test, err) => {
      const message = String((err && (err.stack || err.message)) || err).split('\n').slice(0, 8).join('\n');
      failed.push({ title: test.fullTitle(), file: test.file || '', message });
    });
    runner.once('end', () => {
      const file = process.env.LAYERLENS_TEST_TALLY;
      if (!file) return;
      const { passes, failures, pending } = runner.stats;
      const suite = process.env.LAYERLENS_TEST_SUITE || 'mocha';
      fs.appendFileSync(file, JSON.stringify({ suite, passes, failures, pending, failed }) + '\n');
    });
  }
}
module.exports = TallyReporter;
