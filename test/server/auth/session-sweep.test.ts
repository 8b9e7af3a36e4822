// The expired-session sweep on the suite's real FerretDB/MongoDB: it removes exactly the expired sessions
// with an acknowledged delete, runs on its interval until stopped, logs instead of throwing, and the session
// layer uses it in place of connect-mongo's w: 0 interval sweep (the freshMongo client refuses w: 0).
import { Writable } from 'node:stream';
import pino from 'pino';
import type { Collection, CommandStartedEvent } from 'mongodb';
import { createSessionLayer } from '../../../server/auth/session';
import { startSessionSweep, type StoredSession } from '../../../server/auth/session-sweep';
import { freshMongo } from '../../support/mongo';

let mongo: Awaited<ReturnType<typeof freshMongo>>;
let started: CommandStartedEvent[];

beforeAll(async () => {
  mongo = await freshMongo('sessionsweep');
  mongo.client.on('commandStarted', (e) => started.push(e));
});
beforeEach(() => {
  started = [];
});
afterAll(async () => {
  await mongo?.drop();
});

const hour = 3600_000;
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

async function seed(col: Collection<StoredSession>): Promise<void> {
  await col.deleteMany({});
  await col.insertMany([
    { _id: 'old', expires: new Date(Date.now() - hour), session: '{}' },
    { _id: 'older', expires: new Date(Date.now() - 24 * hour), session: '{}' },
    { _id: 'live', expires: new Date(Date.now() + hour), session: '{}' },
  ]);
}

async function ids(col: Collection<StoredSession>): Promise<string[]> {
  return (await col.find({}, { sort: { _id: 1 } }).toArray()).map((d) => String(d._id));
}

it('removes the expired sessions only, with an acknowledged delete', async () => {
  const col = mongo.db.collection<StoredSession>('sweep_now');
  await seed(col);
  started = [];
  const sweep = startSessionSweep({ collection: col, intervalMs: hour });
  try {
    expect(await sweep.sweepNow()).toBe(2);
    expect(await ids(col)).toEqual(['live']);
    const deletes = started.filter((e) => e.commandName === 'delete');
    expect(deletes).toHaveLength(1);
    expect((deletes[0]!.command.writeConcern as { w?: unknown } | undefined)?.w).not.toBe(0);
  } finally {
    await sweep.stop();
  }
});

it('sweeps on its interval and not after stop()', async () => {
  const col = mongo.db.collection<StoredSession>('sweep_interval');
  await seed(col);
  const sweep = startSessionSweep({ collection: col, intervalMs: 40 });
  for (let i = 0; i < 50 && (await col.countDocuments({})) > 1; i++) await sleep(20);
  expect(await ids(col)).toEqual(['live']);
  await sweep.stop();
  await sweep.stop(); // idempotent
  await col.insertOne({ _id: 'late', expires: new Date(Date.now() - hour), session: '{}' });
  await sleep(150);
  expect(await ids(col)).toEqual(['late', 'live']);
});

it('logs a failed sweep and carries on', async () => {
  const lines: string[] = [];
  const logger = pino(
    { level: 'error' },
    new Writable({
      write(chunk: Buffer, _enc, cb) {
        lines.push(chunk.toString());
        cb();
      },
    }),
  );
  let calls = 0;
  const failing = {
    deleteMany: () => {
      calls += 1;
      return Promise.reject(new Error('store down'));
    },
  } as unknown as Collection<StoredSession>;
  const sweep = startSessionSweep({ collection: failing, intervalMs: 20, logger });
  expect(await sweep.sweepNow()).toBe(0);
  for (let i = 0; i < 50 && calls < 3; i++) await sleep(10);
  await sweep.stop();
  expect(calls).toBeGreaterThanOrEqual(3);
  expect(lines.length).toBe(calls);
  expect(JSON.parse(lines[0]!)).toMatchObject({ level: 50, msg: expect.stringMatching(/sweeping expired sessions failed/), err: { message: 'store down' } });
});

it('the session layer sweeps the sessions collection itself, never with w: 0, and stops on close()', async () => {
  const col = mongo.db.collection<StoredSession>('sessions');
  await seed(col);
  const layer = await createSessionLayer({ db: mongo.db, secret: 'x'.repeat(32), secureCookie: false, sweepIntervalMs: 40 });
  try {
    for (let i = 0; i < 50 && (await col.countDocuments({})) > 1; i++) await sleep(20);
    expect(await ids(col)).toEqual(['live']);
  } finally {
    await layer.close();
  }
  expect(started.some((e) => e.commandName === 'delete' && e.command.delete === 'sessions')).toBe(true);
  expect(mongo.integrity.unacknowledgedWrites).toBe(0);
  await col.insertOne({ _id: 'late', expires: new Date(Date.now() - hour), session: '{}' });
  await sleep(150);
  expect(await ids(col)).toEqual(['late', 'live']);
});
