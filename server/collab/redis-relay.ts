// Cross-process relay of co-editing through Redis pub/sub (REDIS_URL): each loaded document's Yjs
// updates, awareness and the inter-process sync handshake on one channel per document, and permission
// refreshes on one channel for all. Redis only relays: durability stays in MongoDB, and every process
// stores what it applies (see room.ts), so a process that dies after relaying loses nothing acknowledged.
// Pub/sub drops what is sent while a subscriber is away; after a Redis outage the `resume` listeners run
// so each room resynchronises from MongoDB and from the other processes.
import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import type { Logger } from '../../activities/infra/logger';

export type RelayKind = 'update' | 'awareness' | 'sync1' | 'sync2' | 'queryAwareness';
const KINDS: RelayKind[] = ['update', 'awareness', 'sync1', 'sync2', 'queryAwareness'];

export interface RelayMessage {
  kind: RelayKind;
  payload: Uint8Array;
  /** The sending process. */
  from: string;
  /** The one process meant (sync2 answers); absent = every process. */
  to?: string;
}

/** What a room and the collaboration server need from the relay. */
export interface CollabRelay {
  /** This process's id in relay messages. */
  readonly processId: string;
  /** Delivers the document's messages from other processes to `handler`; resolves once subscribed. */
  join(docName: string, handler: (message: RelayMessage) => void): Promise<void>;
  leave(docName: string): Promise<void>;
  /** Fire and forget: a message lost while Redis is away is made up by the resynchronisation on resume. */
  publish(docName: string, kind: RelayKind, payload: Uint8Array, to?: string): void;
  /** Tells every other process to re-authorize the document's sockets. */
  publishPermissions(docName: string): Promise<void>;
  onPermissions(handler: (docName: string) => void): void;
  /** Called each time Redis is back after an outage (messages may have been missed). */
  onResume(handler: () => void): void;
  /** A lock on the document's compaction, held by one process at a time (SET NX PX): resolves with its
   * release, or null when another process holds it or Redis is away. FerretDB's compare-and-set on the
   * snapshot version is not atomic (10 concurrent replaceOne on one version: up to 7 matched), so two
   * processes compacting at once could each delete rows only the other's snapshot holds. */
  lockCompaction(docName: string, ttlMs: number): Promise<(() => Promise<void>) | null>;
  /** True while both connections are up. */
  connected(): boolean;
  close(): Promise<void>;
}

const PREFIX = 'tongbiao:collab:';
const PERMISSIONS = `${PREFIX}permissions`;
const ID_BYTES = 16;
const docChannel = (docName: string): string => `${PREFIX}doc:${docName}`;

/** [kind][from: 16 bytes][to: 16 bytes, zero = all][payload] */
function encode(kind: RelayKind, from: Buffer, to: Buffer | null, payload: Uint8Array): Buffer {
  const out = Buffer.allocUnsafe(1 + 2 * ID_BYTES + payload.byteLength);
  out[0] = KINDS.indexOf(kind);
  from.copy(out, 1);
  if (to) to.copy(out, 1 + ID_BYTES);
  else out.fill(0, 1 + ID_BYTES, 1 + 2 * ID_BYTES);
  out.set(payload, 1 + 2 * ID_BYTES);
  return out;
}

function decode(message: Buffer): RelayMessage | null {
  if (message.length < 1 + 2 * ID_BYTES || message[0] >= KINDS.length) return null;
  const to = message.subarray(1 + ID_BYTES, 1 + 2 * ID_BYTES);
  return {
    kind: KINDS[message[0]],
    from: message.subarray(1, 1 + ID_BYTES).toString('hex'),
    ...(to.some((b) => b !== 0) ? { to: to.toString('hex') } : {}),
    payload: new Uint8Array(message.buffer, message.byteOffset + 1 + 2 * ID_BYTES, message.length - 1 - 2 * ID_BYTES),
  };
}

export function createRedisRelay(opts: { url: string; logger: Logger }): CollabRelay {
  const log = opts.logger;
  const id = randomBytes(ID_BYTES);
  const processId = id.toString('hex');
  const retryStrategy = (times: number): number => Math.min(2000, 50 * times);
  // Until the first connection is up, publishes wait for it (ioredis's offline queue); during a later
  // outage they are dropped (see `publish`): the resync on resume makes up for them.
  const pub = new Redis(opts.url, { maxRetriesPerRequest: 1, retryStrategy });
  let pubReadyOnce = false;
  pub.on('ready', () => {
    pubReadyOnce = true;
  });
  const sub = new Redis(opts.url, { retryStrategy, maxRetriesPerRequest: null });
  const handlers = new Map<string, (m: RelayMessage) => void>();
  const permissionHandlers: Array<(docName: string) => void> = [];
  const resumeHandlers: Array<() => void> = [];
  let subReadyOnce = false;
  let lostSince: number | null = null;

  for (const [name, conn] of [['publisher', pub], ['subscriber', sub]] as const) {
    conn.on('error', (err: Error) => log.debug({ err, connection: name }, 'redis connection error'));
    conn.on('close', () => {
      if (lostSince === null) {
        lostSince = Date.now();
        log.warn({ connection: name }, 'redis connection lost: co-editing continues within this process');
      }
    });
  }
  sub.on('ready', () => {
    if (!subReadyOnce) {
      subReadyOnce = true;
      return;
    }
    const away = lostSince === null ? 0 : Date.now() - lostSince;
    lostSince = null;
    log.warn({ awayMs: away }, 'redis is back: resynchronising the loaded documents');
    for (const h of resumeHandlers) h();
  });
  sub.on('messageBuffer', (channel: Buffer, message: Buffer) => {
    const name = channel.toString();
    if (name === PERMISSIONS) {
      const text = message.toString();
      const sep = text.indexOf(':');
      if (text.slice(0, sep) === processId) return;
      for (const h of permissionHandlers) h(text.slice(sep + 1));
      return;
    }
    const handler = handlers.get(name);
    const decoded = handler ? decode(message) : null;
    if (!handler || !decoded || decoded.from === processId || (decoded.to && decoded.to !== processId)) return;
    handler(decoded);
  });
  const permissionsSubscribed = sub.subscribe(PERMISSIONS).catch((err: unknown) => log.warn({ err }, 'redis: permission channel not subscribed yet'));

  return {
    processId,
    async join(docName, handler) {
      handlers.set(docChannel(docName), handler);
      await sub.subscribe(docChannel(docName));
    },
    async leave(docName) {
      handlers.delete(docChannel(docName));
      await sub.unsubscribe(docChannel(docName)).catch(() => undefined);
    },
    publish(docName, kind, payload, to) {
      if (pubReadyOnce && pub.status !== 'ready') return;
      pub.publish(docChannel(docName), encode(kind, id, to ? Buffer.from(to, 'hex') : null, payload)).catch((err: unknown) => log.debug({ err, docName }, 'redis publish failed'));
    },
    async publishPermissions(docName) {
      await permissionsSubscribed;
      await pub.publish(PERMISSIONS, `${processId}:${docName}`);
    },
    onPermissions(handler) {
      permissionHandlers.push(handler);
    },
    onResume(handler) {
      resumeHandlers.push(handler);
    },
    async lockCompaction(docName, ttlMs) {
      if (pub.status !== 'ready') return null;
      const key = `${PREFIX}compact:${docName}`;
      const token = randomBytes(8).toString('hex');
      const ok = await pub.set(key, token, 'PX', ttlMs, 'NX').catch(() => null);
      if (ok !== 'OK') return null;
      return async () => {
        // Delete only our own lock (it may have expired and been taken by another process).
        await pub.eval("if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end return 0", 1, key, token).catch(() => undefined);
      };
    },
    connected() {
      return pub.status === 'ready' && sub.status === 'ready';
    },
    async close() {
      handlers.clear();
      await Promise.all([pub.quit().catch(() => pub.disconnect()), sub.quit().catch(() => sub.disconnect())]);
    },
  };
}
