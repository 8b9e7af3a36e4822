// The collaboration server: takes WebSocket upgrades for `/collab/<docName>` from an existing http.Server,
// authenticates them from the request (session cookie), authorizes them per document, and joins them to
// the document's room (loaded from MongoDB on first use, unloaded when idle). Extensions observe every
// step (see ./types.ts `CollabExtension`); the logging extension is on by default. With a relay (Redis,
// ./redis-relay.ts) several processes serve the same documents: each loaded room is joined to the relay,
// permission refreshes reach every process, and after a relay outage every room resynchronises.
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import type { Db } from 'mongodb';
import { WebSocketServer, type WebSocket } from 'ws';
import type * as Y from 'yjs';
import type { Logger } from '../../activities/infra/logger';
import { createLogger } from '../../activities/infra/logger';
import { settlesWithin } from '../../activities/infra/settles-within';
import { CloseCode, closeReason, type CloseCodeName } from '../../editor/collab/close-codes';
import { PeerConnection } from './connection';
import { createLoggingExtension } from './logging-extension';
import { createMongoDocumentStore, type DocumentStore } from '../../activities/data/documents';
import { Room } from './room';
import type { CollabRelay } from './redis-relay';
import type { UpdateVerdict } from './suggest-guard';
import { createKeyedBuckets } from './token-bucket';
import {
  collabLimitsSchema,
  type AuthenticateHook,
  type AuthorizeHook,
  type CollabExtension,
  type CollabLimitsInput,
  type CollabServer,
  type EmitHook,
  type Permission,
  type Principal,
} from './types';

/** Document names: letters, digits, `_`, `:` and `-`, 1–100 characters (e.g. `standard:6650…`). */
/** How long opening a document waits for Redis to confirm its channel before it opens without it. */
const RELAY_JOIN_WAIT_MS = 3000;

export const DOC_NAME_PATTERN = /^[A-Za-z0-9_:-]{1,100}$/;

export interface CollabServerOptions {
  db: Db;
  authenticate: AuthenticateHook;
  authorize: AuthorizeHook;
  logger?: Logger;
  limits?: CollabLimitsInput;
  /** Path prefix of collaboration sockets. Default '/collab'. */
  basePath?: string;
  /** Extra extensions, called after the built-in logging extension. */
  extensions?: CollabExtension[];
  /** Storage; default MongoDB collections `collabUpdates` and `collabSnapshots` in `db`. */
  store?: DocumentStore;
  /** The address rate limits count by. Default: the socket's remote address. */
  clientAddress?: (req: IncomingMessage) => string;
  /** Cross-process relay (Redis); without it the server serves this process's sockets only. */
  relay?: CollabRelay;
  /** Checks each update of a socket before it is applied; `{ ok: false }` refuses it and closes the socket 4403, a `followUp` is applied right after it (./suggest-guard.ts). */
  updateGuard?: (principal: Principal, docName: string, doc: Y.Doc, update: Uint8Array) => UpdateVerdict;
}

/**
 * Builds the collaboration server. Nothing listens: wire `handleUpgrade` into the application's
 * http.Server 'upgrade' event. See CollabServer in ./types.ts for the handle's contract.
 */
export function createCollabServer(options: CollabServerOptions): CollabServer {
  const limits = collabLimitsSchema.parse(options.limits ?? {});
  const logger = options.logger ?? createLogger('collab');
  const basePath = (options.basePath ?? '/collab').replace(/\/+$/, '');
  const store = options.store ?? createMongoDocumentStore(options.db);
  const extensions: CollabExtension[] = [createLoggingExtension(logger), ...(options.extensions ?? [])];
  const clientAddress = options.clientAddress ?? ((req: IncomingMessage) => req.socket.remoteAddress ?? 'unknown');
  const wss = new WebSocketServer({ noServer: true, maxPayload: limits.maxMessageBytes, perMessageDeflate: false });
  const connectionBuckets = createKeyedBuckets(limits.connectionsPerSecondPerAddress, limits.connectionBurstPerAddress);

  const rooms = new Map<string, Promise<Room>>();
  const unloading = new Map<string, Promise<void>>();
  const peersByDoc = new Map<string, Set<PeerConnection>>();
  /** Bumped by refreshPermissions: a connection authorized under an older generation is re-authorized. */
  const permissionGeneration = new Map<string, number>();
  const idleTimers = new Map<string, NodeJS.Timeout>();
  let pendingUpgrades = 0;
  let closing = false;
  const relay = options.relay;
  const indexesReady = store.ensureIndexes().catch((error: unknown) => emit('onError', { error, during: 'ensureIndexes' }));

  const emit: EmitHook = (hook, ctx) => {
    for (const ext of extensions) {
      const fn = ext[hook] as ((c: typeof ctx) => void) | undefined;
      if (!fn) continue;
      try {
        fn.call(ext, ctx);
      } catch (error) {
        logger.error({ err: error, extension: ext.name, hook }, 'collab extension hook failed');
      }
    }
  };

  // --- rooms ------------------------------------------------------------------------------------

  async function getRoom(docName: string): Promise<Room> {
    for (;;) {
      const leaving = unloading.get(docName);
      if (leaving) await leaving.catch(() => undefined);
      const existing = rooms.get(docName);
      if (existing) return existing;
      if (unloading.has(docName)) continue;
      const loading = indexesReady.then(() => Room.load(docName, { store, limits, emit })).then(async (room) => {
        if (relay) {
          // Subscribe before asking: an answer (or an edit) sent after the question is not missed. A
          // subscription Redis does not confirm in time (it is away: the subscriber queues commands until it
          // is back) must not keep the document from opening: co-editing goes on within this process, and
          // once the subscription is confirmed the room asks the others for what it missed.
          let late = false;
          const joined = relay.join(docName, (m) => room.onRelay(m)).then(
            () => {
              if (late) void room.resync().catch((error: unknown) => emit('onError', { docName, error, during: 'relay' }));
            },
            (error: unknown) => emit('onError', { docName, error, during: 'relay' }),
          );
          if (!(await settlesWithin(joined, RELAY_JOIN_WAIT_MS))) {
            late = true;
            emit('onError', { docName, error: new Error(`redis did not confirm the subscription within ${RELAY_JOIN_WAIT_MS} ms; opening the document without it`), during: 'relay' });
          }
          room.connect({ publish: (kind, payload, to) => relay.publish(docName, kind, payload, to), lockCompaction: () => relay.lockCompaction(docName, 60_000) });
        }
        return room;
      });
      rooms.set(docName, loading);
      loading.catch(() => rooms.delete(docName));
      const room = await loading;
      scheduleIdleCheck(docName);
      return room;
    }
  }

  function scheduleIdleCheck(docName: string): void {
    clearTimeout(idleTimers.get(docName));
    if ((peersByDoc.get(docName)?.size ?? 0) > 0) return;
    const timer = setTimeout(() => {
      idleTimers.delete(docName);
      if ((peersByDoc.get(docName)?.size ?? 0) === 0) void unloadRoom(docName);
    }, limits.idleUnloadMs);
    timer.unref();
    idleTimers.set(docName, timer);
  }

  async function unloadRoom(docName: string): Promise<void> {
    const roomPromise = rooms.get(docName);
    if (!roomPromise) return;
    rooms.delete(docName);
    const done = (async () => {
      const room = await roomPromise;
      if (relay) await relay.leave(docName);
      await room.unload();
      emit('onUnloadDocument', { docName });
    })();
    unloading.set(docName, done);
    try {
      await done;
    } catch (error) {
      emit('onError', { docName, error, during: 'unload' });
    } finally {
      unloading.delete(docName);
    }
  }

  // --- upgrades ---------------------------------------------------------------------------------

  function refuse(req: IncomingMessage, socket: Duplex, head: Buffer, name: CloseCodeName, docName: string | null, principal?: Principal): void {
    emit('onRefuse', { docName, code: CloseCode[name], reason: closeReason[name], remoteAddress: clientAddress(req), principal });
    if (socket.destroyed) return;
    // Accepting, then closing with a code, is the only way a browser learns why it was refused.
    wss.handleUpgrade(req, socket, head, (ws) => {
      ws.on('error', () => undefined);
      ws.close(CloseCode[name], closeReason[name]);
      setTimeout(() => ws.terminate(), 2000).unref();
    });
  }

  async function decide(principal: Principal, docName: string): Promise<Permission | 'unknown'> {
    try {
      return await options.authorize(principal, docName);
    } catch (error) {
      if ((error as { code?: unknown }).code === 'NOT_FOUND') return 'unknown';
      throw error;
    }
  }

  function handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): boolean {
    const path = (req.url ?? '').split('?')[0];
    if (!path.startsWith(`${basePath}/`)) return false;
    if (closing || pendingUpgrades >= limits.maxPendingUpgrades) {
      socket.destroy();
      return true;
    }
    let docName: string | null;
    try {
      docName = decodeURIComponent(path.slice(basePath.length + 1));
    } catch {
      docName = null;
    }
    if (!connectionBuckets.take(clientAddress(req))) {
      refuse(req, socket, head, 'TOO_MANY', docName);
      return true;
    }
    pendingUpgrades += 1;
    // Bytes a client sends before it is authenticated stay unread in the socket (TCP pushes back); the
    // timeout bounds how long such a socket is held.
    const timeout = setTimeout(() => socket.destroy(), limits.authTimeoutMs);
    timeout.unref();
    socket.on('error', () => undefined);
    void (async () => {
      try {
        const principal = await options.authenticate(req);
        if (!principal) return refuse(req, socket, head, 'UNAUTHORIZED', docName);
        if (docName === null || !DOC_NAME_PATTERN.test(docName)) return refuse(req, socket, head, 'UNKNOWN_DOCUMENT', docName, principal);
        const generation = permissionGeneration.get(docName) ?? 0;
        const permission = await decide(principal, docName);
        if (permission === 'unknown') return refuse(req, socket, head, 'UNKNOWN_DOCUMENT', docName, principal);
        if (permission === 'none') return refuse(req, socket, head, 'FORBIDDEN', docName, principal);
        if ((peersByDoc.get(docName)?.size ?? 0) >= limits.maxConnectionsPerDocument) return refuse(req, socket, head, 'TOO_MANY', docName, principal);
        if (socket.destroyed) return;
        const name = docName;
        const access = permission;
        wss.handleUpgrade(req, socket, head, (ws) => {
          void accept(ws, req, name, principal, access, generation);
        });
      } catch (error) {
        emit('onError', { docName: docName ?? undefined, error, during: 'upgrade' });
        refuse(req, socket, head, 'INTERNAL_ERROR', docName);
      } finally {
        clearTimeout(timeout);
        pendingUpgrades -= 1;
      }
    })();
    return true;
  }

  async function accept(ws: WebSocket, req: IncomingMessage, docName: string, principal: Principal, access: 'edit' | 'read', generation: number): Promise<void> {
    const peer = new PeerConnection(ws, docName, principal, access, clientAddress(req), limits, {
      onClose: (p, code, reason) => {
        const set = peersByDoc.get(docName);
        set?.delete(p);
        if (set?.size === 0) peersByDoc.delete(docName);
        emit('onDisconnect', { connection: p.info, code, reason });
        if (rooms.has(docName)) scheduleIdleCheck(docName);
      },
      onError: (_p, error, during) => emit('onError', { docName, error, during }),
      ...(options.updateGuard ? { allowUpdate: (p: PeerConnection, doc: Y.Doc, update: Uint8Array) => options.updateGuard?.(p.principal, p.docName, doc, update) ?? { ok: true } } : {}),
    });
    let set = peersByDoc.get(docName);
    if (!set) peersByDoc.set(docName, (set = new Set()));
    set.add(peer);
    clearTimeout(idleTimers.get(docName));
    emit('onConnect', { connection: peer.info });
    try {
      if ((permissionGeneration.get(docName) ?? 0) !== generation) await reauthorize(peer);
      const room = await getRoom(docName);
      peer.attach(room);
    } catch (error) {
      emit('onError', { docName, error, during: 'load' });
      peer.close('UNAVAILABLE');
    }
  }

  async function reauthorize(peer: PeerConnection): Promise<void> {
    const before = peer.access;
    let permission: Permission;
    try {
      const decided = await decide(peer.principal, peer.docName);
      permission = decided === 'unknown' ? 'none' : decided;
    } catch (error) {
      emit('onError', { docName: peer.docName, error, during: 'authorize' });
      permission = 'none';
    }
    if (permission !== before) emit('onAccessChange', { connection: peer.info, from: before, to: permission });
    if (permission === 'none') peer.close('FORBIDDEN');
    else peer.setAccess(permission);
  }

  /** Re-authorizes the document's sockets on this process (a refresh here or from another process). */
  async function refreshLocal(docName: string): Promise<void> {
    permissionGeneration.set(docName, (permissionGeneration.get(docName) ?? 0) + 1);
    const peers = [...(peersByDoc.get(docName) ?? [])];
    await Promise.all(peers.map((p) => reauthorize(p)));
  }

  relay?.onPermissions((docName) => {
    if (DOC_NAME_PATTERN.test(docName)) void refreshLocal(docName);
  });
  relay?.onResume(() => {
    // Messages sent while Redis was away are lost: take in MongoDB and the other processes' state again,
    // and re-authorize every socket (a permission refresh may have been missed too).
    for (const [docName, roomPromise] of rooms) {
      void roomPromise.then((room) => room.resync()).catch((error: unknown) => emit('onError', { docName, error, during: 'relay' }));
    }
    for (const docName of peersByDoc.keys()) void refreshLocal(docName);
  });

  // --- the handle -------------------------------------------------------------------------------

  return {
    handleUpgrade,

    async refreshPermissions(docName) {
      const others = relay?.publishPermissions(docName).catch((error: unknown) => emit('onError', { docName, error, during: 'relay' }));
      await Promise.all([refreshLocal(docName), others]);
    },

    async getDoc(docName) {
      if (!DOC_NAME_PATTERN.test(docName)) throw new RangeError(`invalid document name ${JSON.stringify(docName)}`);
      const room = await getRoom(docName);
      scheduleIdleCheck(docName);
      return room.doc;
    },

    async flush(docName) {
      const room = rooms.get(docName);
      if (room) await (await room).flush();
      else await unloading.get(docName);
    },

    stats() {
      let connections = 0;
      for (const s of peersByDoc.values()) connections += s.size;
      return { documents: rooms.size, connections, pendingUpgrades };
    },

    async close() {
      closing = true;
      for (const set of peersByDoc.values()) for (const p of set) p.close('GOING_AWAY');
      for (const t of idleTimers.values()) clearTimeout(t);
      idleTimers.clear();
      await Promise.all([...rooms.keys()].map((name) => unloadRoom(name)));
      await Promise.all([...unloading.values()]);
      wss.close();
    },
  };
}
