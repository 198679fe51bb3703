'use strict';
// Mocha's spec reporter, plus one JSON line of counts appended to $LAYERLENS_TEST_TALLY so that
// scripts/test-all.sh can print one closing "N passed, N failed" line for all suites.
const fs = require('fs');
const Mocha = require('mocha');

class TallyReporter extends Mocha.reporters.Spec {
  constructor(runner, options) {
    super(runner, options);
    runner.once('end', () => {
      const file = process.env.LAYERLENS_TEST_TALLY;
      if (!file) return;
      const { passes, failures, pending } = runner.stats;
      const suite = process.env.LAYERLENS_TEST_SUITE || 'mocha';
      fs.appendFileSync(file, JSON.stringify({ suite, passes, failures, pending }) + '\n');
    });
  }
}
module.exports = TallyReporter;
