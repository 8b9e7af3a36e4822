// The wire guards of connectMongo against the suite's real FerretDB/MongoDB: unacknowledged (w: 0) writes
// are counted and, under the 'throw' policy, refused before they are sent; a reply that does not fit its
// command (produced here by a small TCP proxy that sends one reply twice, the effect FerretDB 1.24's reply to
// a w: 0 write had) discards the connection pool, is counted, and a read is retried once on a fresh
// connection while a write is not.
import net from 'node:net';
import { randomBytes } from 'node:crypto';
import type { CommandStartedEvent } from 'mongodb';
import { AppError } from '../../../activities/infra/errors';
import { connectMongo, mongoIntegrity, MongoCrossedReplyError, type Mongo } from '../../../activities/infra/mongo';
import { requireEnv } from '../../support/mongo';

const dbName = `t_mongoguards_${randomBytes(4).toString('hex')}`;
const opMsg = 2013;

interface Person {
  _id: string;
  who: string;
}

/** The first host of the suite's MONGODB_URI. */
function upstream(): { host: string; port: number } {
  const m = /^mongodb:\/\/(?:[^@/]*@)?([^,/?]+)/.exec(requireEnv('MONGODB_URI'));
  if (!m) throw new Error('MONGODB_URI has no host');
  const [host, port] = m[1]!.split(':');
  return { host: host!, port: Number(port ?? 27017) };
}

/** Splits a byte stream into wire-protocol messages (each starts with its int32 length). */
function framer(onMessage: (msg: Buffer) => void): (chunk: Buffer) => void {
  let buf = Buffer.alloc(0);
  return (chunk) => {
    buf = Buffer.concat([buf, chunk]);
    while (buf.length >= 4 && buf.length >= buf.readInt32LE(0)) {
      const len = buf.readInt32LE(0);
      onMessage(buf.subarray(0, len));
      buf = buf.subarray(len);
    }
  };
}

/** The command name of an OP_MSG request: the first key of its body section. */
function commandOf(msg: Buffer): string | null {
  if (msg.readInt32LE(12) !== opMsg || msg[20] !== 0) return null;
  const start = 26; // header 16 + flags 4 + section kind 1 + document length 4 + element type 1
  return msg.toString('utf8', start, msg.indexOf(0, start));
}

/**
 * A TCP proxy between the driver and the server. `duplicateNextReplyTo(command, collection)` makes it send
 * the server's reply to the next such command twice: the second copy then answers the connection's next
 * command, exactly as a stray reply from the server would.
 */
async function startProxy(): Promise<{ port: number; duplicateNextReplyTo(command: string, collection: string): void; close(): Promise<void> }> {
  const to = upstream();
  let armed: { command: string; collection: string } | null = null;
  const requestsToDuplicate = new Set<number>();
  const sockets = new Set<net.Socket>();
  const server = net.createServer((client) => {
    const server = net.connect(to.port, to.host);
    sockets.add(client).add(server);
    client.on(
      'data',
      framer((msg) => {
        if (armed && commandOf(msg) === armed.command && msg.includes(Buffer.from(`${armed.collection}\0`))) {
          requestsToDuplicate.add(msg.readInt32LE(4));
          armed = null;
        }
        server.write(msg);
      }),
    );
    server.on(
      'data',
      framer((msg) => {
        client.write(msg);
        if (requestsToDuplicate.delete(msg.readInt32LE(8))) client.write(msg);
      }),
    );
    const end = (): void => {
      client.destroy();
      server.destroy();
    };
    client.on('close', end).on('error', end);
    server.on('close', end).on('error', end);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as net.AddressInfo).port,
    duplicateNextReplyTo: (command, collection) => {
      armed = { command, collection };
    },
    close: async () => {
      for (const s of sockets) s.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

let direct: Mongo;

beforeAll(async () => {
  direct = await connectMongo(requireEnv('MONGODB_URI'), dbName, { onUnacknowledgedWrite: 'throw' });
});

afterAll(async () => {
  await direct?.db.dropDatabase().catch(() => undefined);
  await direct?.close();
});

describe('unacknowledged writes', () => {
  it('are refused before they are sent under the throw policy, counted and logged', async () => {
    const people = direct.db.collection<Person>('refused');
    await people.insertOne({ _id: 'c', who: 'carol' });
    const before = mongoIntegrity().unacknowledgedWrites;
    const err = await people.deleteMany({ _id: 'c' }, { writeConcern: { w: 0 } }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AppError);
    expect((err as AppError).messages.en).toMatch(/unacknowledged write \(w: 0\): delete/);
    expect(direct.integrity.unacknowledgedWrites).toBe(1);
    expect(mongoIntegrity().unacknowledgedWrites).toBe(before + 1);
    // Never sent: carol is still there, and the connection answers the next command rightly.
    expect(await people.findOne({ _id: 'c' })).toEqual({ _id: 'c', who: 'carol' });
  });

  it("are refused under the tests' 'throw' policy, whatever the operation (a bulk write too)", async () => {
    const m = await connectMongo(requireEnv('MONGODB_URI'), dbName, { onUnacknowledgedWrite: 'throw' });
    try {
      const people = m.db.collection<Person>('refused');
      await expect(people.insertOne({ _id: 'd', who: 'dave' }, { writeConcern: { w: 0 } })).rejects.toBeInstanceOf(AppError);
      // The driver wraps a bulk write's error in its own class (which trips over AppError's name): it still rejects.
      await expect(people.bulkWrite([{ insertOne: { document: { _id: 'e', who: 'eve' } } }], { writeConcern: { w: 0 } })).rejects.toThrow();
      expect(m.integrity.unacknowledgedWrites).toBe(2);
      expect(await people.countDocuments({ _id: { $in: ['d', 'e'] } })).toBe(0);
    } finally {
      await m.close();
    }
  });

  it('are counted but sent under the log policy (the patched FerretDB sends no reply, so nothing crosses)', async () => {
    const m = await connectMongo(requireEnv('MONGODB_URI'), dbName, { onUnacknowledgedWrite: 'log', clientOptions: { maxPoolSize: 1 } });
    try {
      const people = m.db.collection<Person>('logged');
      await people.insertMany([
        { _id: 'a', who: 'alice' },
        { _id: 'b', who: 'bob' },
      ]);
      await people.deleteMany({ _id: 'zzz' }, { writeConcern: { w: 0 } });
      expect(m.integrity.unacknowledgedWrites).toBe(1);
      expect(await people.findOne({ _id: 'a' })).toEqual({ _id: 'a', who: 'alice' });
      expect(await people.findOne({ _id: 'b' })).toEqual({ _id: 'b', who: 'bob' });
      expect(m.integrity.crossedReplies).toBe(0);
    } finally {
      await m.close();
    }
  });
});

describe('write errors are replies that fit', () => {
  // FerretDB answers a failed write with `{ok: 1, writeErrors}` and no counts: that is the write's own reply,
  // and the caller must see the duplicate key (E11000), not a crossed reply (which would also mark the store
  // down and answer 503). Found by the soak, where a racing upsert failed this way every few seconds.
  it('a duplicate key on insert, on an upserting update and in a bulk write surfaces as E11000 and counts no crossed reply', async () => {
    const people = direct.db.collection<Person & { email?: string }>('dupes');
    await people.createIndex({ email: 1 }, { unique: true });
    await people.insertOne({ _id: 'a', who: 'alice', email: 'a@x' });
    const before = mongoIntegrity().crossedReplies;
    const codeOf = (e: unknown): unknown => (e as { code?: unknown }).code;
    expect(codeOf(await people.insertOne({ _id: 'a', who: 'again' }).catch((e: unknown) => e))).toBe(11000);
    expect(codeOf(await people.updateOne({ _id: 'b' }, { $set: { who: 'bob', email: 'a@x' } }, { upsert: true }).catch((e: unknown) => e))).toBe(11000);
    expect(codeOf(await people.insertMany([{ _id: 'c', who: 'carol' }, { _id: 'a', who: 'dup' }]).catch((e: unknown) => e))).toBe(11000);
    expect(mongoIntegrity().crossedReplies).toBe(before);
    expect(await people.findOne({ _id: 'a' })).toEqual({ _id: 'a', who: 'alice', email: 'a@x' });
  });
});

describe('a reply that does not fit its command', () => {
  let proxy: Awaited<ReturnType<typeof startProxy>>;
  let m: Mongo;
  let started: CommandStartedEvent[];
  let poolClears: number;

  beforeEach(async () => {
    proxy = await startProxy();
    // One pooled connection, as in the reproduction: every command shares the desynchronised socket.
    // (The driver leaves the retry's server-selection timer running until it expires: kept short.)
    m = await connectMongo(`mongodb://127.0.0.1:${proxy.port}/?directConnection=true`, dbName, {
      clientOptions: { maxPoolSize: 1, serverSelectionTimeoutMS: 2_000 },
    });
    started = [];
    poolClears = 0;
    m.client.on('commandStarted', (e) => started.push(e));
    m.client.on('connectionPoolCleared', () => (poolClears += 1));
    const people = m.db.collection<Person>('people');
    await people.deleteMany({});
    await people.insertMany([
      { _id: 'a', who: 'alice' },
      { _id: 'b', who: 'bob' },
    ]);
    await m.db.collection<Person>('users').deleteMany({});
    await m.db.collection<Person>('users').insertOne({ _id: 'u', who: 'user' });
  });

  afterEach(async () => {
    await m?.close();
    await proxy?.close();
  });

  it('(a write reply answering a find) discards the pool, is counted, and the find is retried to the right document', async () => {
    const people = m.db.collection<Person>('people');
    const before = mongoIntegrity().crossedReplies;
    proxy.duplicateNextReplyTo('insert', 'people');
    await people.insertOne({ _id: 'c', who: 'carol' });
    // The stray {n: 1} reply answers this find first; then the same find goes out again on a new connection.
    expect(await people.findOne({ _id: 'a' })).toEqual({ _id: 'a', who: 'alice' });
    expect(m.integrity.crossedReplies).toBe(1);
    expect(mongoIntegrity().crossedReplies).toBe(before + 1);
    expect(poolClears).toBe(1);
    const finds = started.filter((e) => e.commandName === 'find');
    expect(finds).toHaveLength(2);
    const [first, retry] = finds;
    expect(retry!.connectionId).not.toBe(first!.connectionId);
    // The connection is in step again.
    expect(await people.findOne({ _id: 'b' })).toEqual({ _id: 'b', who: 'bob' });
    expect(await people.findOne({ _id: 'c' })).toEqual({ _id: 'c', who: 'carol' });
    expect(m.integrity.crossedReplies).toBe(1);
  });

  it('(another collection’s cursor answering a find) is caught by the namespace and recovered the same way', async () => {
    const users = m.db.collection<Person>('users');
    const people = m.db.collection<Person>('people');
    proxy.duplicateNextReplyTo('find', 'users');
    expect(await users.findOne({ _id: 'u' })).toEqual({ _id: 'u', who: 'user' });
    // Without the namespace check this find would return the user document.
    expect(await people.findOne({ _id: 'a' })).toEqual({ _id: 'a', who: 'alice' });
    expect(m.integrity.crossedReplies).toBe(1);
    expect(poolClears).toBe(1);
  });

  it('(a find reply answering a write) fails the write to its caller without sending it again', async () => {
    const people = m.db.collection<Person>('people');
    proxy.duplicateNextReplyTo('find', 'people');
    expect(await people.findOne({ _id: 'a' })).toEqual({ _id: 'a', who: 'alice' });
    const err = await people.updateOne({ _id: 'b' }, { $set: { who: 'bobby' } }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(MongoCrossedReplyError);
    expect(started.filter((e) => e.commandName === 'update')).toHaveLength(1);
    expect(m.integrity.crossedReplies).toBe(1);
    expect(poolClears).toBe(1);
    // The server did run it (its reply was on the discarded connection): the outcome is unknown to the
    // caller, as after any network error, and reading shows it.
    expect(await people.findOne({ _id: 'b' })).toEqual({ _id: 'b', who: 'bobby' });
  });
});
