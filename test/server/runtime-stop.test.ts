// stop() while a Temporal client call waits to retry. The runtime reaches the suite's Temporal through a
// TCP proxy the test cuts: client calls then fail UNAVAILABLE and the client's gRPC retry backs off (up to
// 5 s a wait). CI once saw the SDK's retry timer fire after stop() had closed the connection and throw
// "Channel has been shut down" inside the timer, failing a suite whose tests had all passed. Here the call
// must end when the runtime stops (with the error it was retrying), stop() must stay bounded, and nothing
// may throw during the retry window after. An AbortSignal must also end a call waiting to retry.
import net from 'node:net';
import { ServiceError, WorkflowNotFoundError } from '@temporalio/client';
import { startTestRuntime } from '../support/test-runtime';
import { requireEnv } from '../support/mongo';
import { settlesWithin } from '../../activities/infra/settles-within';
import type { Runtime } from '../../server/runtime';

jest.setTimeout(60_000);

interface Proxy {
  address: string;
  /** Refuses new connections and drops the open ones, as if Temporal went away. */
  cut(): Promise<void>;
}

async function startProxy(target: string): Promise<Proxy> {
  const [host, port] = [target.slice(0, target.lastIndexOf(':')), Number(target.slice(target.lastIndexOf(':') + 1))];
  const sockets = new Set<net.Socket>();
  const server = net.createServer((client) => {
    const upstream = net.connect(port, host);
    for (const s of [client, upstream]) {
      sockets.add(s);
      s.on('close', () => sockets.delete(s));
      s.on('error', () => undefined);
    }
    client.pipe(upstream).pipe(client);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    address: `127.0.0.1:${(server.address() as net.AddressInfo).port}`,
    cut: async () => {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      for (const s of sockets) s.destroy();
      await closed;
    },
  };
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

let rt: Runtime | undefined;
let proxy: Proxy | undefined;
const uncaught: unknown[] = [];
const onUncaught = (err: unknown): void => {
  uncaught.push(err);
};

beforeAll(() => {
  process.on('uncaughtException', onUncaught);
});

afterAll(async () => {
  await rt?.mongo.db.dropDatabase().catch(() => undefined);
  await rt?.stop();
  await proxy?.cut().catch(() => undefined);
  process.off('uncaughtException', onUncaught);
});

// One test from start to stop, so that a retry of it (test/support/retry-once.ts) starts afresh.
test('Temporal gone: an aborted call waiting to retry ends at once; stop() ends the one still retrying, and no retry fires after', async () => {
  await rt?.stop(); // a failed first run's (retry-once)
  await proxy?.cut().catch(() => undefined);
  proxy = await startProxy(requireEnv('TEMPORAL_ADDRESS'));
  rt = await startTestRuntime('runtime-stop', { env: { TEMPORAL_ADDRESS: proxy.address }, runWorker: false });
  const t = rt.temporal;
  // Through the proxy the client answers.
  await expect(t.client.workflow.getHandle('runtime-stop-none').describe()).rejects.toBeInstanceOf(WorkflowNotFoundError);
  await proxy.cut();
  uncaught.length = 0;

  // An AbortSignal (the SDK's way to cancel) ends a call in backoff instead of leaving its retry pending.
  const ctrl = new AbortController();
  const aborted = t.connection.withAbortSignal(ctrl.signal, () => t.client.workflow.getHandle('runtime-stop-aborted').describe()).then(
    () => 'answered',
    (e: unknown) => e,
  );
  // A call left retrying when the runtime stops.
  const retrying = t.client.workflow.getHandle('runtime-stop-none').describe().then(
    () => 'answered',
    (e: unknown) => e,
  );
  await sleep(1000);
  expect(t.pendingCalls()).toBe(2);
  ctrl.abort();
  expect(await settlesWithin(aborted, 500)).toBe(true);
  expect(await aborted).toBeInstanceOf(Error);
  expect(t.pendingCalls()).toBe(1);

  await rt.mongo.db.dropDatabase();
  const started = Date.now();
  await rt.stop();
  const stopMs = Date.now() - started;
  rt = undefined;
  expect(stopMs).toBeLessThan(10_000);
  // The call fails with the error it was retrying (UNAVAILABLE) as soon as the connection closes.
  expect(await settlesWithin(retrying, 500)).toBe(true);
  const failure = (await retrying) as ServiceError;
  expect(failure).toBeInstanceOf(ServiceError);
  expect(failure.cause).toMatchObject({ code: 14 /* UNAVAILABLE */, details: expect.stringContaining('the Temporal connection closed') });
  expect(t.pendingCalls()).toBe(0);

  // The longest backoff is 5 s (+20 % jitter): any retry left pending would have fired by now.
  await sleep(6500);
  expect(uncaught).toEqual([]);
  console.log(`stop() with a Temporal call in retry backoff: ${stopMs} ms`);
});
