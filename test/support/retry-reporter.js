// Jest reporter: at the end of the run, every test that failed and then passed on its retry
// (test/support/retry-once.ts), with the first lines of the failure it retried after. Plain JavaScript
// because Jest loads reporters without transforming them.
'use strict';

class RetryReporter {
  onRunComplete(_contexts, results) {
    const retried = [];
    for (const file of results.testResults) {
      for (const t of file.testResults) {
        if ((t.invocations ?? 1) > 1) {
          const reason = (t.retryReasons ?? [])[0] ?? '';
          retried.push({ file: file.testFilePath.replace(process.cwd() + '/', ''), name: t.fullName, status: t.status, reason: String(reason).split('\n').slice(0, 6).join('\n      ') });
        }
      }
    }
    if (retried.length === 0) {
      process.stdout.write('\n重试 Retries: no test needed a retry.\n');
      return;
    }
    process.stdout.write(`\n重试 Retries: ${retried.length} test(s) failed once and were run again:\n`);
    for (const r of retried) process.stdout.write(`  ${r.status === 'passed' ? 'passed on retry' : 'failed again'}: ${r.file} › ${r.name}\n      ${r.reason}\n`);
  }
}

module.exports = RetryReporter;
