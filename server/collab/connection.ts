// One WebSocket of the collaboration server: reads y-websocket protocol messages, enforces the socket's
// access (a 'read' socket's updates are dropped, never applied nor relayed), its message rate and its
// send buffer, and answers save barriers once the room has stored what came before them.
import * as decoding from 'lib0/decoding';
import type { WebSocket } from 'ws';
import * as awarenessProtocol from 'y-protocols/awareness';
import * as Y from 'yjs';
import { CloseCode, closeReason, type CloseCodeName } from '../../editor/collab/close-codes';
import type { Room, RoomPeer } from './room';
import type { UpdateVerdict } from './suggest-guard';
import { createTokenBucket, type TokenBucket } from './token-bucket';
import type { Access, CollabLimits, ConnectionInfo, Principal } from './types';
import { MessageType, StoredStatus, SyncType, encodeAccess, encodeStored, encodeSyncStep1, encodeSyncStep2 } from '../../editor/collab/wire';

let nextConnectionId = 1;

/** Origin of the guard's repairs applied to a room (relayed to every socket). */
const SERVER_REPAIR = Symbol('collab-server-repair');

export interface PeerEvents {
  onClose(peer: PeerConnection, code: number, reason: string): void;
  onError(peer: PeerConnection, error: unknown, during: string): void;
  /**
   * Checks an update before it is applied (suggest-only users, ./suggest-guard.ts): refused = socket closed (4403, 'not a suggestion');
   * a `followUp` (the guard's repair of the update) is applied right after it, as the server's own change.
   */
  allowUpdate?(peer: PeerConnection, doc: Y.Doc, update: Uint8Array): UpdateVerdict;
}

export class PeerConnection implements RoomPeer {
  readonly id = nextConnectionId++;
  readonly awarenessIds = new Set<number>();
  private room: Room | null = null;
  private queue: Uint8Array[] = [];
  private readonly bucket: TokenBucket;
  /** Set when an update was refused since the last barrier (reported in the `stored` answer). */
  private refusedSinceBarrier = false;
  private closed = false;
  private alive = true;
  private pingTimer: NodeJS.Timeout;

  constructor(
    private readonly ws: WebSocket,
    readonly docName: string,
    readonly principal: Principal,
    private accessLevel: Access,
    readonly remoteAddress: string,
    private readonly limits: CollabLimits,
    private readonly events: PeerEvents,
  ) {
    this.bucket = createTokenBucket(limits.messagesPerSecond, limits.messageBurst);
    ws.binaryType = 'nodebuffer';
    ws.on('message', (data, isBinary) => this.onMessage(data as Buffer, isBinary));
    ws.on('close', (code, reason) => this.onSocketClosed(code, reason.toString()));
    ws.on('error', (error) => this.events.onError(this, error, 'socket'));
    ws.on('pong', () => {
      this.alive = true;
    });
    this.pingTimer = setInterval(() => {
      if (!this.alive) {
        ws.terminate();
        return;
      }
      this.alive = false;
      ws.ping();
    }, limits.pingIntervalMs);
    this.pingTimer.unref();
    this.send(encodeAccess(accessLevel));
  }

  get access(): Access {
    return this.accessLevel;
  }

  get info(): ConnectionInfo {
    return { id: this.id, docName: this.docName, principal: this.principal, access: this.accessLevel, remoteAddress: this.remoteAddress };
  }

  get isClosed(): boolean {
    return this.closed;
  }

  /** Joins the loaded room: sends the server's state vector and the awareness states, then handles what
   * the client sent while the document was loading. */
  attach(room: Room): void {
    if (this.closed) return;
    this.room = room;
    room.join(this);
    this.send(encodeSyncStep1(room.stateVector()));
    const states = room.awarenessSnapshot();
    if (states) this.send(states);
    const queued = this.queue;
    this.queue = [];
    for (const m of queued) {
      if (this.closed) break;
      this.handle(m);
    }
  }

  /** Changes the access of a live socket and tells the client. On becoming editable the server asks the
   * client for what it lacks (sync step 1), so edits refused while read-only are reconciled instead of
   * leaving the client and the server diverged. */
  setAccess(access: Access): void {
    if (access === this.accessLevel) return;
    this.accessLevel = access;
    this.send(encodeAccess(access));
    if (access === 'edit' && this.room) this.send(encodeSyncStep1(this.room.stateVector()));
  }

  send(message: Uint8Array): void {
    if (this.closed || this.ws.readyState !== this.ws.OPEN) return;
    if (this.ws.bufferedAmount > this.limits.maxBufferedBytes) {
      this.close('SLOW_CONSUMER');
      return;
    }
    // Write errors surface as the socket's 'error' and 'close' events; no per-frame callback needed.
    this.ws.send(message, { binary: true });
  }

  sendAll(messages: Uint8Array[]): void {
    if (messages.length === 0) return;
    // Corking the TCP socket makes ws's frames of this batch leave in one writev instead of one each.
    // `_socket` is ws's underlying net.Socket (not a public API): without it the frames go out one by one.
    const socket = (this.ws as unknown as { _socket?: { cork(): void; uncork(): void } })._socket;
    socket?.cork();
    try {
      for (const m of messages) this.send(m);
    } finally {
      socket?.uncork();
    }
  }

  close(name: CloseCodeName): void {
    if (this.closed) return;
    this.finish(CloseCode[name], closeReason[name]);
    this.ws.close(CloseCode[name], closeReason[name]);
    // A peer that never answers the close handshake must not hold the socket for ws's 30 s default.
    setTimeout(() => this.ws.terminate(), 2000).unref();
  }

  private onSocketClosed(code: number, reason: string): void {
    this.finish(code, reason);
  }

  private finish(code: number, reason: string): void {
    if (this.closed) return;
    this.closed = true;
    clearInterval(this.pingTimer);
    this.queue = [];
    this.room?.leave(this);
    this.events.onClose(this, code, reason);
  }

  private onMessage(data: Buffer, isBinary: boolean): void {
    if (this.closed) return;
    if (!this.bucket.take()) {
      this.close('TOO_MANY');
      return;
    }
    if (!isBinary) {
      this.close('BAD_MESSAGE');
      return;
    }
    const message = new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
    if (this.room === null) {
      if (this.queue.length >= this.limits.maxQueuedBeforeReady) this.close('TOO_MANY');
      else this.queue.push(message);
      return;
    }
    this.handle(message);
  }

  private handle(message: Uint8Array): void {
    const room = this.room!;
    try {
      const decoder = decoding.createDecoder(message);
      const type = decoding.readVarUint(decoder);
      switch (type) {
        case MessageType.SYNC:
          this.handleSync(room, decoder);
          break;
        case MessageType.AWARENESS:
          awarenessProtocol.applyAwarenessUpdate(room.awareness, decoding.readVarUint8Array(decoder), this);
          break;
        case MessageType.QUERY_AWARENESS: {
          const states = room.awarenessSnapshot();
          if (states) this.send(states);
          break;
        }
        case MessageType.SAVE_BARRIER:
          this.handleBarrier(room, decoding.readVarUint(decoder));
          break;
        case MessageType.AUTH:
          // Authentication happens on the upgrade request; y-protocols auth messages are ignored.
          break;
        default:
          this.close('BAD_MESSAGE');
      }
    } catch (error) {
      this.events.onError(this, error, 'message');
      this.close('BAD_MESSAGE');
    }
  }

  private handleSync(room: Room, decoder: decoding.Decoder): void {
    const syncType = decoding.readVarUint(decoder);
    switch (syncType) {
      case SyncType.STEP1: {
        const stateVector = decoding.readVarUint8Array(decoder);
        this.send(encodeSyncStep2(room.missingFor(stateVector)));
        break;
      }
      case SyncType.STEP2:
      case SyncType.UPDATE: {
        const update = decoding.readVarUint8Array(decoder);
        // The reply of a client that has nothing new (an empty update: no structs, no deletions) changes
        // nothing; skipping it keeps a document that is only being read from being built in memory.
        if (update.length === 2 && update[0] === 0 && update[1] === 0) break;
        if (this.accessLevel !== 'edit') {
          this.refusedSinceBarrier = true;
          break;
        }
        const verdict = this.events.allowUpdate?.(this, room.doc, update) ?? { ok: true };
        if (!verdict.ok) {
          this.refusedSinceBarrier = true;
          this.close('NOT_A_SUGGESTION');
          break;
        }
        // The origin makes the room skip this socket when relaying the update.
        try {
          Y.applyUpdate(room.doc, update, this);
        } finally {
          verdict.after?.();
        }
        // The repair goes to every socket, this one included, and to the store.
        if (verdict.followUp) Y.applyUpdate(room.doc, verdict.followUp, SERVER_REPAIR);
        break;
      }
      default:
        this.close('BAD_MESSAGE');
    }
  }

  private handleBarrier(room: Room, token: number): void {
    const status = this.refusedSinceBarrier ? StoredStatus.REFUSED_READ_ONLY : StoredStatus.STORED;
    this.refusedSinceBarrier = false;
    room.whenStored(room.currentSeq).then(
      () => this.send(encodeStored(token, status)),
      (error: unknown) => this.events.onError(this, error, 'barrier'),
    );
  }
}
