const { writeSync } = require('node:fs');

/**
 * Ends the run with one plain line, "Tests: N passed, N failed", so that CI (and a person
 * scanning a long log) reads the outcome without knowing jest's own summary format. Written at
 * exit so that it is the last line, after jest's summary.
 */
class SummaryLineReporter {
  onRunComplete(_contexts, results) {
    const skipped = results.numPendingTests + results.numTodoTests;
    const line = `Tests: ${results.numPassedTests} passed, ${results.numFailedTests} failed${skipped ? `, ${skipped} skipped` : ''}\n`;
    process.once('exit', () => writeSync(2, line));
  }
}
module.exports = SummaryLineReporter;
