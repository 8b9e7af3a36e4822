// The start retries while a dependency is away (the soak saw `npm start` exit when FerretDB was killed while
// it started) and stops at once on anything else.
import { MongoNetworkError, MongoServerSelectionError } from 'mongodb';
import { createLogger } from '../../activities/infra/logger';
import { retryWhileUnreachable } from '../../scripts/start-retry';

const logger = createLogger('start-retry-test');
const noSleep = async (): Promise<void> => undefined;

test('starts again after the store went away during the start, and returns the started runtime', async () => {
  let calls = 0;
  const failures = [new MongoNetworkError('connection 7 to 127.0.0.1:37249 closed'), new MongoServerSelectionError('connect ECONNREFUSED 127.0.0.1:37249', { type: 'Unknown', servers: new Map(), stale: false, compatible: true, heartbeatFrequencyMS: 10000, localThresholdMS: 15, setName: null, maxElectionId: null, maxSetVersion: null, commonWireVersion: 0, logicalSessionTimeoutMinutes: null } as never)];
  const started = await retryWhileUnreachable(
    async () => {
      calls += 1;
      const f = failures.shift();
      if (f) throw f;
      return 'runtime';
    },
    { logger, sleep: noSleep },
  );
  expect(started).toBe('runtime');
  expect(calls).toBe(3);
});

test('a failure that is not a dependency going away ends the start at once', async () => {
  let calls = 0;
  const bad = new Error('listen EADDRINUSE: address already in use 127.0.0.1:3000');
  await expect(
    retryWhileUnreachable(
      async () => {
        calls += 1;
        throw bad;
      },
      { logger, sleep: noSleep },
    ),
  ).rejects.toBe(bad);
  expect(calls).toBe(1);
});

test('gives up after its budget with the last error', async () => {
  let calls = 0;
  const err = new MongoNetworkError('connection closed');
  await expect(
    retryWhileUnreachable(
      async () => {
        calls += 1;
        throw err;
      },
      { logger, budgetMs: 0, sleep: noSleep },
    ),
  ).rejects.toBe(err);
  expect(calls).toBe(1);
});
