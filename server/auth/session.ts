// Sessions in MongoDB (express-session + connect-mongo). FerretDB has no TTL indexes, so expired
// sessions are removed by our own acknowledged interval sweep (session-sweep.ts; works on MongoDB too) and
// every read already ignores expired ones. connect-mongo's interval sweep stays off: it deletes with w: 0,
// which crossed the replies of a pooled connection on FerretDB 1.24 (issue 9). Also reads the session of a
// WebSocket upgrade request for the collaboration server.
import type { IncomingMessage, ServerResponse } from 'node:http';
import MongoStore from 'connect-mongo';
import session from 'express-session';
import type { RequestHandler } from 'express';
import type { Db } from 'mongodb';
import { findUserById, principalOf, type Principal } from '../../activities/data/users';
import { DEFAULT_SESSION_SWEEP_INTERVAL_MS, startSessionSweep, type StoredSession } from './session-sweep';

declare module 'express-session' {
  interface SessionData {
    userId?: string;
    /** One message shown once on the next page (post/redirect/get). */
    flash?: { kind: 'ok' | 'error'; zh: string; en: string };
    /** A refused 修改后重新提交 of a returned proposal: what was entered and the field messages, shown once. */
    amendForm?: { standardId: string; values: Record<string, string>; errors: Record<string, string>; errorsEn: Record<string, string> };
  }
}

export const SESSION_COOKIE = 'tongbiao.sid';
export const SESSION_TTL_SECONDS = 12 * 60 * 60;

export interface SessionOptions {
  db: Db;
  secret: string;
  /** Send the cookie only over HTTPS (set when PUBLIC_URL is https). */
  secureCookie: boolean;
  /** How often expired sessions are removed; default 10 minutes. */
  sweepIntervalMs?: number;
}

export interface SessionLayer {
  middleware: RequestHandler;
  /**
   * The principal of a raw HTTP request (e.g. a WebSocket upgrade) from its session cookie, with grants
   * read fresh from the users collection; null when there is no valid session or the user is disabled.
   */
  authenticateRequest(req: IncomingMessage): Promise<{ userId: string; displayName: string; grants: Principal['grants'] } | null>;
  /** Stops the expired-session sweep (waits for one in progress); the MongoDB client is left open. */
  close(): Promise<void>;
}

export async function createSessionLayer(opts: SessionOptions): Promise<SessionLayer> {
  const collection = opts.db.collection('sessions');
  await collection.createIndex({ expires: 1 }, { name: 'expires' });
  const store = MongoStore.create({
    client: opts.db.client,
    dbName: opts.db.databaseName,
    collectionName: 'sessions',
    ttl: SESSION_TTL_SECONDS,
    // Never 'interval' (w: 0 deletes, see the header); expired sessions go through the sweep below.
    autoRemove: 'disabled',
    // A rolling session is re-dated on every response; writing that more than once a minute buys nothing.
    touchAfter: 60,
    // The session is stored as a JSON string: no `.`/`$` key restrictions apply to its contents.
    stringify: true,
  });
  const middleware = session({
    name: SESSION_COOKIE,
    secret: opts.secret,
    store,
    resave: false,
    saveUninitialized: false,
    rolling: true,
    cookie: { httpOnly: true, sameSite: 'lax', secure: opts.secureCookie, maxAge: SESSION_TTL_SECONDS * 1000, path: '/' },
  }) as unknown as RequestHandler;

  const authenticateRequest: SessionLayer['authenticateRequest'] = async (req) => {
    // The express-session middleware only needs the cookie header and a response it can wrap; nothing is
    // written to this stub, so the upgrade socket is untouched. (The ws project's documented pattern.)
    const withSession = req as IncomingMessage & { session?: { userId?: string } };
    const stub = {} as ServerResponse;
    await new Promise<void>((resolve, reject) => {
      (middleware as unknown as (rq: IncomingMessage, rs: ServerResponse, next: (e?: unknown) => void) => void)(withSession, stub, (e?: unknown) =>
        e ? reject(e instanceof Error ? e : new Error(String(e))) : resolve(),
      );
    });
    const userId = withSession.session?.userId;
    if (!userId) return null;
    const user = await findUserById(opts.db, userId);
    if (!user || user.disabled) return null;
    const p = await principalOf(opts.db, user);
    return { userId: p.userId, displayName: p.displayName, grants: p.grants };
  };

  const sweep = startSessionSweep({ collection: opts.db.collection<StoredSession>('sessions'), intervalMs: opts.sweepIntervalMs ?? DEFAULT_SESSION_SWEEP_INTERVAL_MS });
  // Also stop when the client closes, should the owner of the layer not call close().
  opts.db.client.once('topologyClosed', () => void sweep.stop());

  return { middleware, authenticateRequest, close: () => sweep.stop() };
}
