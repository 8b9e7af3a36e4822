// The typed surface of the collaboration server: who connects (Principal), the hooks the application
// supplies (authenticate, authorize), the extension interface (logging and the like), and the limits with
// their defaults and trade-offs.
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { z } from 'zod';
import type * as Y from 'yjs';
import type { Access } from '../../editor/collab/wire';

export type { Access } from '../../editor/collab/wire';

/** The person behind a connection, as the session knows them. */
export interface Principal {
  userId: string;
  displayName: string;
  /** 'SH' | 'JS' | 'ZJ' for provincial users; absent for committee, experts and the public. */
  province?: string;
}

/** What `authorize` answers for one principal and one document. */
export type Permission = Access | 'none';

/** Reads the session from the upgrade request; null = no valid session (close 4401). */
export type AuthenticateHook = (req: IncomingMessage) => Promise<Principal | null> | Principal | null;

/**
 * Decides access to one document. 'none' closes with 4403. Throwing `unknownDocument()` (or any error
 * whose `code` is 'NOT_FOUND') closes with 4404. Called on connect and for every live connection of the
 * document on `refreshPermissions(docName)`.
 */
export type AuthorizeHook = (principal: Principal, docName: string) => Promise<Permission> | Permission;

export interface ConnectionInfo {
  id: number;
  docName: string;
  principal: Principal;
  access: Access;
  remoteAddress: string;
}

/**
 * Optional hooks, each called with a context object; an extension implements the ones it needs. Hooks
 * observe: their errors are logged and never break the connection or the document.
 */
export interface CollabExtension {
  name: string;
  onConnect?(ctx: { connection: ConnectionInfo }): void;
  onDisconnect?(ctx: { connection: ConnectionInfo; code: number; reason: string }): void;
  /** A connection attempt that was refused before it joined a document. */
  onRefuse?(ctx: { docName: string | null; code: number; reason: string; remoteAddress: string; principal?: Principal }): void;
  onAccessChange?(ctx: { connection: ConnectionInfo; from: Access; to: Permission }): void;
  onLoadDocument?(ctx: { docName: string; storedUpdates: number; storedBytes: number; loadMs: number }): void;
  onStored?(ctx: { docName: string; updates: number; bytes: number; ms: number }): void;
  onCompact?(ctx: { docName: string; removedUpdates: number; snapshotBytes: number; ms: number }): void;
  onUnloadDocument?(ctx: { docName: string }): void;
  onError?(ctx: { docName?: string; error: unknown; during: string }): void;
}

/** The context object a hook receives. */
export type HookContext<K extends keyof CollabExtension> = Parameters<Extract<CollabExtension[K], (...args: never[]) => unknown>>[0];

/** Calls hook `K` of every extension. */
export type EmitHook = <K extends Exclude<keyof CollabExtension, 'name'>>(hook: K, ctx: HookContext<K>) => void;

export const collabLimitsSchema = z.object({
  /** Largest frame accepted (bytes). Larger → close 1009. 10 MB lets a client resend a large document after a
   * server data loss; lower it to bound the memory one socket can make the server buffer. */
  maxMessageBytes: z.number().int().positive().default(10 * 1024 * 1024),
  /** Bytes queued for one socket before it counts as a slow consumer (close 4408). Larger tolerates slower
   * networks at the cost of server memory; the closed client reconnects and resynchronises. */
  maxBufferedBytes: z.number().int().positive().default(8 * 1024 * 1024),
  /** Messages a socket may send per second on average, and the burst allowed. Exceeding → close 4429.
   * Typing produces at most a few dozen per second; the burst covers reconnect bursts. */
  messagesPerSecond: z.number().positive().default(300),
  messageBurst: z.number().positive().default(3000),
  /** New connections per remote address per second, and burst. Exceeding → close 4429. Behind a reverse
   * proxy every client shares its address: raise these, or supply `clientAddress`. */
  connectionsPerSecondPerAddress: z.number().positive().default(20),
  connectionBurstPerAddress: z.number().positive().default(100),
  /** Open sockets per document. Exceeding → close 4429. */
  maxConnectionsPerDocument: z.number().int().positive().default(500),
  /** Upgrade requests whose `authenticate` has not answered yet, server-wide. Exceeding → the socket is
   * destroyed without answer (cheapest refusal under a flood). */
  maxPendingUpgrades: z.number().int().positive().default(1000),
  /** How long `authenticate` + `authorize` may take before the socket is dropped (ms). */
  authTimeoutMs: z.number().int().positive().default(10_000),
  /** Messages a socket may send while its document is still loading; more → close 4429. */
  maxQueuedBeforeReady: z.number().int().positive().default(500),
  /** Awareness changes are coalesced per document over this window (ms): one frame carries every state that
   * changed, so cursor traffic grows with users × windows instead of users². Smaller = snappier cursors. */
  awarenessFlushMs: z.number().int().nonnegative().default(40),
  /** A document with no connection is written back and unloaded after this long (ms). */
  idleUnloadMs: z.number().int().nonnegative().default(30_000),
  /** Compact the update log into a snapshot once this many updates were stored since the last snapshot.
   * Smaller keeps cold loads shorter; larger writes fewer snapshots (each rewrites the whole state). */
  compactAfterUpdates: z.number().int().positive().default(500),
  /** How long an update may wait for others before it is written (ms). Every write costs a MongoDB round trip
   * and server CPU; waiting a little lets the updates of many writers share one write, at the price of a
   * later "saved" (the relay to other users is not delayed). 0 = write at once (still grouped while a write
   * is in flight). */
  storeDelayMs: z.number().int().nonnegative().default(50),
  /** Updates written per insertMany at most (one batch = one MongoDB round trip = one acknowledgement). */
  maxBatchUpdates: z.number().int().positive().default(1000),
  /** Ping interval (ms); a socket that did not answer the previous ping is terminated. */
  pingIntervalMs: z.number().int().positive().default(30_000),
});

export type CollabLimits = z.infer<typeof collabLimitsSchema>;
export type CollabLimitsInput = z.input<typeof collabLimitsSchema>;

/** The handle the application gets from `createCollabServer`. */
export interface CollabServer {
  /** Call from the http server's 'upgrade' event; paths other than `/collab/<docName>` are left alone
   * (returns false) so other upgrade handlers may take them. */
  handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): boolean;
  /** Re-runs `authorize` for every connection of the document: closes 4403 on 'none', tells the others
   * their (possibly new) access with an `access` message. Resolves when done. */
  refreshPermissions(docName: string): Promise<void>;
  /** The live Y.Doc (loaded from storage if needed). Transactions on it are stored and relayed like a
   * client's edits. Keep it no longer than the call that needs it: idle documents are unloaded. */
  getDoc(docName: string): Promise<Y.Doc>;
  /** Resolves once every update applied so far to the document is durable. */
  flush(docName: string): Promise<void>;
  /** Counters for tests and monitoring. */
  stats(): { documents: number; connections: number; pendingUpgrades: number };
  /** Closes every socket (1001), writes every document back, stops timers. */
  close(): Promise<void>;
}

/** Error to throw from `authorize` for a document that does not exist (close 4404). */
export class UnknownDocumentError extends Error {
  readonly code = 'NOT_FOUND';
  constructor(docName: string) {
    super(`unknown document ${docName}`);
    this.name = 'UnknownDocumentError';
  }
}
