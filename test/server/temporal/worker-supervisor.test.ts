// The worker supervisor with stand-in workers: the SDK worker fails for good after about a minute without
// Temporal (and cannot be created while it is down), which is too slow to provoke in a test; the loop that
// answers it is checked here, the real recovery in test/server/availability.test.ts.
import type { NativeConnection, Worker } from '@temporalio/worker';
import { createLogger } from '../../../activities/infra/logger';
import { superviseWorker } from '../../../server/temporal/worker-supervisor';

interface FakeWorker {
  state: 'RUNNING' | 'STOPPED' | 'FAILED';
  fail(err: Error): void;
  worker: Worker;
}

function fakeWorker(): FakeWorker {
  let reject: (e: Error) => void = () => undefined;
  let resolve: () => void = () => undefined;
  const run = new Promise<void>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  const f: FakeWorker = {
    state: 'RUNNING',
    fail: (err) => {
      f.state = 'FAILED';
      reject(err);
    },
    worker: {
      run: () => run,
      getState: () => f.state,
      shutdown: () => {
        f.state = 'STOPPED';
        resolve();
      },
    } as unknown as Worker,
  };
  return f;
}

test('a failed worker is re-created on a new connection, creation is retried while the server is down, stop() ends it', async () => {
  const workers: FakeWorker[] = [];
  const closed: number[] = [];
  let connections = 0;
  let refuse = 0;
  const sup = await superviseWorker({
    logger: createLogger('test-worker-supervisor'),
    backoffInitialMs: 20,
    backoffMaxMs: 50,
    connect: async () => {
      if (refuse > 0) {
        refuse -= 1;
        throw new Error('Failed client connect: connection refused');
      }
      const id = ++connections;
      return { close: async () => void closed.push(id) } as unknown as NativeConnection;
    },
    create: async () => {
      const w = fakeWorker();
      workers.push(w);
      return w.worker;
    },
  });
  expect(sup.current()).toBe(workers[0].worker);

  const restarted = new Promise<number>((resolve) => sup.onRestarted(resolve));
  refuse = 3;
  workers[0].fail(new Error('Poll failure: transport error'));
  expect(await restarted).toBe(1);
  expect(workers).toHaveLength(2);
  expect(sup.current()).toBe(workers[1].worker);
  expect(closed).toEqual([1]);

  await sup.stop();
  expect(workers[1].state).toBe('STOPPED');
  expect(closed).toEqual([1, 2]);
  await new Promise((r) => setTimeout(r, 100));
  expect(workers).toHaveLength(2);
  expect(sup.restarts()).toBe(1);
});

test('stop() returns within its grace even when the worker never finishes shutting down', async () => {
  const closed: string[] = [];
  const stuck = {
    run: () => new Promise<void>(() => undefined),
    getState: () => 'RUNNING',
    shutdown: () => undefined,
  } as unknown as Worker;
  const sup = await superviseWorker({
    logger: createLogger('test-worker-supervisor'),
    connect: async () => ({ close: async () => void closed.push('closed') }) as unknown as NativeConnection,
    create: async () => stuck,
  });
  const started = Date.now();
  await sup.stop(300);
  expect(Date.now() - started).toBeLessThan(2_000);
  expect(closed).toEqual(['closed']);
});
