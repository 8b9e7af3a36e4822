// The suite runs against real servers on a shared 2-core machine, where a test that waits on timers, sockets
// or another process can, rarely, miss its window. Each failed test runs once more (TEST_RETRIES, default 1);
// its first failure is printed as it happens and test/support/retry-reporter.js lists every test that passed
// only on its retry at the end of the run, so an intermittent failure is seen, not hidden. A test that fails
// twice fails the run.
const retries = Number(process.env.TEST_RETRIES ?? '1');
if (!Number.isInteger(retries) || retries < 0 || retries > 5) {
  throw new Error(`TEST_RETRIES must be a whole number from 0 to 5, not ${JSON.stringify(process.env.TEST_RETRIES)}`);
}
jest.retryTimes(retries, { logErrorsBeforeRetry: true });
