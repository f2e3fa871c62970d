/**
 * Ends the run with one plain line, "Tests: N passed, N failed", so that CI (and a person
 * scanning a long log) reads the outcome without knowing jest's own summary format.
 */
class SummaryLineReporter {
  onRunComplete(_contexts, results) {
    const skipped = results.numPendingTests + results.numTodoTests;
    process.stderr.write(`\nTests: ${results.numPassedTests} passed, ${results.numFailedTests} failed${skipped ? `, ${skipped} skipped` : ''}\n`);
  }
}
module.exports = SummaryLineReporter;
