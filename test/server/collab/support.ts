// Test helpers for the collaboration server: an http server on port 0 with the collab server attached,
// users named in the `user` query parameter (the tests' stand-in for a session cookie), y-websocket
// clients in Node, and raw sockets for probes.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Db } from 'mongodb';
import WebSocket from 'ws';
import { WebsocketProvider } from 'y-websocket';
import * as Y from 'yjs';
import { trackSaveState, type SaveTracker } from '../../../editor/collab/save-tracker';
import { createCollabServer, type CollabServerOptions } from '../../../server/collab/server';
import { createSuggestGuard } from '../../../server/collab/suggest-guard';
import type { Logger } from '../../../activities/infra/logger';
import type { SuggestionAuthor } from '../../../editor/schema';
import { UnknownDocumentError, type CollabLimitsInput, type CollabServer, type Permission, type Principal } from '../../../server/collab/types';

export interface TestCollab {
  url: string;
  port: number;
  collab: CollabServer;
  /** Per user and document permission overrides; default: users named `reader*` read, `outsider*` none, others edit. */
  permissions: Map<string, Permission>;
  close(): Promise<void>;
}

export function principalFromUrl(url: string | undefined): Principal | null {
  const user = new URL(url ?? '/', 'http://x').searchParams.get('user');
  if (!user) return null;
  return { userId: user, displayName: user, province: user.startsWith('zj') ? 'ZJ' : 'SH' };
}

export async function startCollab(db: Db, limits: CollabLimitsInput = {}, extra: Partial<CollabServerOptions> = {}, port = 0): Promise<TestCollab> {
  const permissions = new Map<string, Permission>();
  const collab = createCollabServer({
    db,
    limits: { idleUnloadMs: 500, ...limits },
    authenticate: (req) => principalFromUrl(req.url),
    authorize: (principal, docName) => {
      if (docName.startsWith('missing')) throw new UnknownDocumentError(docName);
      const override = permissions.get(`${principal.userId}@${docName}`);
      if (override) return override;
      if (principal.userId.startsWith('reader')) return 'read';
      if (principal.userId.startsWith('outsider')) return 'none';
      return 'edit';
    },
    ...extra,
  });
  const server = http.createServer((_req, res) => res.writeHead(404).end());
  server.on('upgrade', (req, socket, head) => {
    if (!collab.handleUpgrade(req, socket, head)) socket.destroy();
  });
  await new Promise<void>((r) => server.listen(port, '127.0.0.1', r));
  const bound = (server.address() as AddressInfo).port;
  return {
    url: `ws://127.0.0.1:${bound}/collab`,
    port: bound,
    collab,
    permissions,
    async close() {
      await collab.close();
      server.closeAllConnections();
      await new Promise<void>((r) => server.close(() => r()));
    },
  };
}

/** A refused update as test/editor/suggestions-captured.test.ts replays it (base64 Yjs updates). */
export interface CapturedRefusal {
  author: SuggestionAuthor;
  room: string;
  update: string;
}

/**
 * A collab server whose users named `bureau…` may only suggest (the real guard of server/collab/suggest-guard.ts,
 * JS market regulators) and whose other users draft `standardId`; counts the sockets it refused (4403) and keeps
 * each refused update with the room's state just before it (`captured()`, so a timing-dependent refusal of a
 * randomized test becomes a deterministic one). `port`: listen on that port (a restarted server on the same port
 * and store).
 */
export async function startSuggestCollab(
  db: Db,
  standardId: string,
  logger: Logger,
  limits: CollabLimitsInput = {},
  port = 0,
): Promise<TestCollab & { refused(): number; captured(): CapturedRefusal[] }> {
  const guard = createSuggestGuard(db, logger);
  let refused = 0;
  const captured: CapturedRefusal[] = [];
  const suggestOnly = (userId: string): boolean => userId.startsWith('bureau');
  const srv = await startCollab(db, limits, {
    authenticate: (req) => {
      const p = principalFromUrl(req.url);
      if (!p) return null;
      const grants = suggestOnly(p.userId) ? [{ role: 'marketRegulator', province: 'JS' }] : [{ role: 'drafter', standardIds: [standardId] }];
      return { ...p, grants } as Principal;
    },
    authorize: guard.authorize(async (principal) => (suggestOnly(principal.userId) ? 'read' : 'edit')),
    updateGuard: (principal, docName, doc, update) => {
      const room = guard.isSuggestOnly(principal, docName) ? Buffer.from(Y.encodeStateAsUpdate(doc)).toString('base64') : '';
      const verdict = guard.allowUpdate(principal, docName, doc, update);
      if (!verdict.ok && room) {
        const author = { sid: 'captured-1', by: principal.userId, name: principal.displayName, province: principal.province ?? '', at: new Date().toISOString() };
        captured.push({ author, room, update: Buffer.from(update).toString('base64') });
      }
      return verdict;
    },
    extensions: [{ name: 'count-refusals', onDisconnect: ({ code }) => void (code === 4403 && (refused += 1)) }],
  }, port);
  return { ...srv, refused: () => refused, captured: () => captured };
}

export interface TestClient {
  doc: Y.Doc;
  provider: WebsocketProvider;
  tracker: SaveTracker;
  synced(): Promise<void>;
  /** Resolves when the server stored every local edit so far. */
  saved(timeoutMs?: number): Promise<void>;
  destroy(): void;
}

export function connectClient(url: string, docName: string, user: string, doc: Y.Doc = new Y.Doc()): TestClient {
  const provider = new WebsocketProvider(url, docName, doc, {
    WebSocketPolyfill: WebSocket as unknown as typeof globalThis.WebSocket,
    params: { user },
    disableBc: true,
    maxBackoffTime: 300,
  });
  const tracker = trackSaveState(provider, { barrierDelayMs: 20 });
  return {
    doc,
    provider,
    tracker,
    synced: () =>
      provider.synced ? Promise.resolve() : new Promise<void>((resolve) => {
        const h = (s: boolean) => {
          if (s) {
            provider.off('sync', h);
            resolve();
          }
        };
        provider.on('sync', h);
      }),
    saved: (timeoutMs = 20_000) =>
      new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`${user} not saved within ${timeoutMs} ms`)), timeoutMs);
        const check = (): boolean => {
          if (tracker.state.saved && provider.synced) {
            clearTimeout(timer);
            unsub();
            clearInterval(poll);
            resolve();
            return true;
          }
          return false;
        };
        const unsub = tracker.subscribe(() => check());
        const poll = setInterval(check, 50);
        check();
      }),
    destroy: () => {
      tracker.destroy();
      provider.destroy();
      doc.destroy();
    },
  };
}

export interface RawSocket {
  ws: WebSocket;
  messages: Uint8Array[];
  closed: Promise<{ code: number; reason: string }>;
  opened: Promise<void>;
}

/** A bare WebSocket to `/collab/<docName>` (docName is used verbatim in the path). */
export function openRaw(port: number, docPath: string, user?: string, options: WebSocket.ClientOptions = {}): RawSocket {
  const query = user ? `?user=${encodeURIComponent(user)}` : '';
  const ws = new WebSocket(`ws://127.0.0.1:${port}/collab/${docPath}${query}`, options);
  const messages: Uint8Array[] = [];
  ws.on('message', (d: Buffer) => messages.push(new Uint8Array(d)));
  ws.on('error', () => undefined);
  const closed = new Promise<{ code: number; reason: string }>((resolve) => ws.on('close', (code, reason) => resolve({ code, reason: reason.toString() })));
  const opened = new Promise<void>((resolve) => ws.on('open', () => resolve()));
  return { ws, messages, closed, opened };
}

export function until(predicate: () => boolean, timeoutMs = 10_000, what = 'condition'): Promise<void> {
  return new Promise((resolve, reject) => {
    const started = Date.now();
    const tick = (): void => {
      if (predicate()) return resolve();
      if (Date.now() - started > timeoutMs) return reject(new Error(`timed out waiting for ${what}`));
      setTimeout(tick, 20);
    };
    tick();
  });
}
