/**
 * Prints one plain closing line that any CI can read: "Summary: N passed, N failed, N skipped".
 * (Jest's own summary says "N passed, N total", which tools that look for failures can't read.)
 */
class SummaryReporter {
  onRunComplete(_contexts, results) {
    const skipped = results.numPendingTests + results.numTodoTests;
    process.stdout.write(`\nSummary: ${results.numPassedTests} passed, ${results.numFailedTests} failed, ${skipped} skipped\n`);
  }
}
module.exports = SummaryReporter;
