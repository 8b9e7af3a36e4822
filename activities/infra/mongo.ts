// The MongoDB connection. Code here and in the repositories must run on both FerretDB 1.x (the embedded
// default) and a MongoDB replica set: no transactions across documents, no change streams, no `.`/`$` in keys,
// no nested arrays.
//
// It also guards the wire, through the driver's command monitoring. The Node driver reads replies in order
// and does not match them to requests, so one stray reply on a pooled connection hands every later command
// on it the previous command's reply (FerretDB 1.24 as released answered unacknowledged writes and caused
// exactly that: requests got other requests' sessions). Hence:
// - no command may ask for an unacknowledged write (`writeConcern.w === 0`): it is logged at error level and
//   counted, and refused outright (before it is sent) where the policy is 'throw', as the tests and benchmarks ask;
// - a reply that does not fit its command (a find answered without a cursor, or with another collection's
//   cursor; a write answered without its count; or the driver's own MongoUnexpectedServerResponseError) is
//   logged, counted and turned into a network error of the driver's own class. The driver then does what it
//   does on a broken socket: clears the connection pool (the desynchronised connection is destroyed when it
//   is checked in), re-checks the server, and retries a retryable read once on a fresh connection. A write
//   is retried only by the driver's retryable writes (replica sets: the server recognises the retry by its
//   transaction number), never blindly; on a standalone server or FerretDB the write fails to the caller.
import {
  MongoClient,
  MongoNetworkError,
  MongoUnexpectedServerResponseError,
  type CommandFailedEvent,
  type CommandStartedEvent,
  type CommandSucceededEvent,
  type Db,
  type Document,
  type MongoClientOptions,
} from 'mongodb';
import { AppError } from './errors';
import { createLogger, type Logger } from './logger';

/** What a command asking for an unacknowledged write meets: always logged and counted; 'throw' also refuses it. */
export type UnacknowledgedWritePolicy = 'log' | 'throw';

export interface MongoIntegrity {
  /** Commands that asked for `w: 0` (refused under the 'throw' policy, sent under 'log'). */
  unacknowledgedWrites: number;
  /** Replies that did not fit their command; each cleared the connection pool. */
  crossedReplies: number;
}

export interface MongoOptions {
  /** Default 'log' (production: count and log, never refuse a user's request); tests and benchmarks pass 'throw'. */
  onUnacknowledgedWrite?: UnacknowledgedWritePolicy;
  /** Overrides of the client options (tests: a pool of one connection, a proxy's address). */
  clientOptions?: MongoClientOptions;
  logger?: Logger;
}

export interface Mongo {
  client: MongoClient;
  db: Db;
  /** This client's guard counters (live values). */
  readonly integrity: Readonly<MongoIntegrity>;
  close(): Promise<void>;
}

/**
 * Raised in place of a reply that does not fit its command. It is a MongoNetworkError so that the driver
 * treats the connection as broken (pool cleared, read retried once); the driver marks its constructor as
 * internal, so test/activities/infra/mongo-guards.test.ts pins that behaviour on every driver upgrade.
 */
export class MongoCrossedReplyError extends MongoNetworkError {
  override get name(): string {
    return 'MongoCrossedReplyError';
  }
}

const processIntegrity: MongoIntegrity = { unacknowledgedWrites: 0, crossedReplies: 0 };

/** The guard counters of every client of this process (for /readyz and the soak benchmark). */
export function mongoIntegrity(): MongoIntegrity {
  return { ...processIntegrity };
}

export async function connectMongo(uri: string, dbName: string, opts: MongoOptions = {}): Promise<Mongo> {
  const client = new MongoClient(uri, {
    serverSelectionTimeoutMS: 10_000,
    maxPoolSize: 50,
    ...opts.clientOptions,
    // The guards below live on command monitoring; it cannot be turned off.
    monitorCommands: true,
  });
  const integrity: MongoIntegrity = { unacknowledgedWrites: 0, crossedReplies: 0 };
  guardWire(client, { policy: opts.onUnacknowledgedWrite ?? 'log', integrity, logger: opts.logger ?? createLogger('mongo') });
  await client.connect();
  const db = client.db(dbName);
  return { client, db, integrity, close: () => client.close() };
}

/** A check of a reply against its command: null when it fits, else what is wrong. */
type ReplyCheck = (reply: Document) => string | null;

function isDoc(v: unknown): v is Document {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function cursorReply(batch: 'firstBatch' | 'nextBatch', ns: string | null): ReplyCheck {
  return (reply) => {
    const cursor = reply.cursor;
    if (!isDoc(cursor) || !Array.isArray(cursor[batch])) return `reply has no cursor.${batch}`;
    if (ns !== null && typeof cursor.ns === 'string' && cursor.ns !== ns) return `reply is a cursor on ${cursor.ns}, not ${ns}`;
    return null;
  };
}

function replyField(field: string): ReplyCheck {
  return (reply) => (field in reply ? null : `reply has no ${field}`);
}

/**
 * A write's reply: its count field, or — when a write failed (a duplicate key, a validation error) — only
 * `writeErrors` (FerretDB answers `{ok: 1, writeErrors}` with no counts). Only writes carry writeErrors, so
 * a read's reply still does not pass for one.
 */
function writeReply(field: string): ReplyCheck {
  return (reply) => (field in reply || Array.isArray(reply.writeErrors) || isDoc(reply.writeConcernError) ? null : `reply has no ${field}`);
}

/**
 * What the reply to a command must hold, for the commands the app sends whose replies are told apart by
 * shape. A stray reply of the same shape (one find answered by another find on the same collection) cannot
 * be recognised here; the first reply that does not fit clears the pool, which also drops that connection.
 */
function replyCheckFor(ev: CommandStartedEvent): ReplyCheck | null {
  const c = ev.command;
  if (c.explain) return null;
  switch (ev.commandName) {
    case 'find':
      // MongoDB and FerretDB name the collection in the cursor: a reply to a find on another collection
      // (the users collection answering a session read) is caught too.
      return cursorReply('firstBatch', typeof c.find === 'string' ? `${ev.databaseName}.${c.find}` : null);
    case 'aggregate':
    case 'listCollections':
    case 'listIndexes':
      return cursorReply('firstBatch', null);
    case 'getMore':
      return cursorReply('nextBatch', null);
    case 'insert':
    case 'delete':
      return writeReply('n');
    case 'count':
      return replyField('n');
    case 'update':
      // Only update replies carry nModified: an insert's or delete's reply does not pass for one.
      return writeReply('nModified');
    case 'distinct':
      return replyField('values');
    case 'findAndModify':
      return replyField('value');
    default:
      return null;
  }
}

function guardWire(client: MongoClient, g: { policy: UnacknowledgedWritePolicy; integrity: MongoIntegrity; logger: Logger }): void {
  const pending = new Map<number, ReplyCheck>();

  // Listeners run synchronously inside the driver's command path (EventEmitter), so what one throws becomes
  // that command's error: thrown on commandStarted it stops the command before it is written; thrown on
  // commandSucceeded/commandFailed it replaces the command's outcome.
  const crossed = (ev: CommandSucceededEvent | CommandFailedEvent, why: string, cause?: Error): never => {
    g.integrity.crossedReplies += 1;
    processIntegrity.crossedReplies += 1;
    g.logger.error(
      { command: ev.commandName, db: ev.databaseName, address: ev.address, connectionId: ev.connectionId, requestId: ev.requestId, why },
      'MongoDB reply does not fit its command: connection pool discarded',
    );
    throw new MongoCrossedReplyError(`reply to ${ev.commandName} does not fit it (${why}); the connection pool was discarded`, cause ? { cause } : {});
  };

  client.on('commandStarted', (ev) => {
    const wc = ev.command.writeConcern as unknown;
    if (isDoc(wc) && wc.w === 0) {
      g.integrity.unacknowledgedWrites += 1;
      processIntegrity.unacknowledgedWrites += 1;
      g.logger.error(
        { command: ev.commandName, db: ev.databaseName, policy: g.policy },
        'unacknowledged write (w: 0) sent to MongoDB: its reply, if the server sends one, answers the next command on the connection',
      );
      if (g.policy === 'throw') {
        throw new AppError('INTERNAL', {
          zh: `拒绝发送不确认的写操作（w: 0）：${ev.commandName}`,
          en: `Refused an unacknowledged write (w: 0): ${ev.commandName}`,
        });
      }
      return;
    }
    const check = replyCheckFor(ev);
    if (check) pending.set(ev.requestId, check);
  });

  client.on('commandSucceeded', (ev) => {
    const check = pending.get(ev.requestId);
    if (!check) return;
    pending.delete(ev.requestId);
    const why = isDoc(ev.reply) ? check(ev.reply) : 'reply is not a document';
    if (why !== null) crossed(ev, why);
  });

  client.on('commandFailed', (ev) => {
    pending.delete(ev.requestId);
    if (ev.failure instanceof MongoUnexpectedServerResponseError) crossed(ev, ev.failure.message, ev.failure);
  });
}
