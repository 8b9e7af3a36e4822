// The benchmark's client, one implementation for the three servers: the y-websocket framing (ours and
// the y-websocket reference) and Hocuspocus's (every frame prefixed with the document name, an Auth
// frame first). Three modes keep the bench process from being the bottleneck: 'full' keeps a Y.Doc and
// applies everything (latency is measured there), 'write' edits its own Y.Doc without applying what it
// receives, 'drain' reads and counts frames only.
import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import WebSocket from 'ws';
import * as Y from 'yjs';
import { MessageType, SyncType, encodeSaveBarrier } from '../../editor/collab/wire';

export type ServerKind = 'ours' | 'ywebsocket' | 'hocuspocus';
export type ClientMode = 'full' | 'write' | 'drain';

const HOCUS_SYNC_REPLY = 4;
const HOCUS_SYNC_STATUS = 8;
const EMPTY_UPDATE = Y.encodeStateAsUpdate(new Y.Doc());

export function socketUrl(kind: ServerKind, port: number, docName: string, user: string): string {
  switch (kind) {
    case 'ours':
      return `ws://127.0.0.1:${port}/collab/${encodeURIComponent(docName)}?user=${encodeURIComponent(user)}`;
    case 'ywebsocket':
      return `ws://127.0.0.1:${port}/${encodeURIComponent(docName)}`;
    case 'hocuspocus':
      return `ws://127.0.0.1:${port}/`;
  }
}

export class BenchClient {
  readonly doc: Y.Doc | null;
  readonly ws: WebSocket;
  /** Sync frames carrying an update or a step 2, received. */
  received = 0;
  bytesReceived = 0;
  readonly synced: Promise<void>;
  readonly closed: Promise<number>;
  /** Ours: answers to save barriers (token); Hocuspocus: SyncStatus acks (counted as token = running count). */
  private ackListeners: Array<(token: number, status: number) => void> = [];
  private hocusAcks = 0;
  private markSynced!: () => void;

  constructor(
    readonly kind: ServerKind,
    port: number,
    readonly docName: string,
    readonly mode: ClientMode,
    user: string,
    /** Another address (the app's own socket path) and headers (session cookie, Origin): the soak uses them. */
    connect: { url?: string; headers?: Record<string, string> } = {},
  ) {
    this.doc = mode === 'drain' ? null : new Y.Doc();
    this.synced = new Promise((r) => (this.markSynced = r));
    this.ws = new WebSocket(connect.url ?? socketUrl(kind, port, docName, user), { perMessageDeflate: false, headers: connect.headers });
    this.ws.binaryType = 'nodebuffer';
    this.ws.on('error', () => undefined);
    this.closed = new Promise((r) => this.ws.on('close', (code) => r(code)));
    this.ws.on('open', () => {
      if (kind === 'hocuspocus') {
        this.sendRaw((e) => {
          encoding.writeVarUint(e, MessageType.AUTH);
          encoding.writeVarUint(e, 0);
          encoding.writeVarString(e, 'bench');
        });
      }
      this.sendRaw((e) => {
        encoding.writeVarUint(e, MessageType.SYNC);
        encoding.writeVarUint(e, SyncType.STEP1);
        encoding.writeVarUint8Array(e, this.doc ? Y.encodeStateVector(this.doc) : new Uint8Array([0]));
      });
    });
    this.ws.on('message', (data: Buffer) => this.onMessage(data));
    this.doc?.on('update', (update: Uint8Array, origin: unknown) => {
      if (origin === this) return;
      this.sendRaw((e) => {
        encoding.writeVarUint(e, MessageType.SYNC);
        encoding.writeVarUint(e, SyncType.UPDATE);
        encoding.writeVarUint8Array(e, update);
      });
    });
  }

  /** Ours only: asks for a `stored` answer covering everything sent so far. */
  barrier(token: number): void {
    if (this.ws.readyState === WebSocket.OPEN) this.ws.send(encodeSaveBarrier(token));
  }

  /** `status` is the server's answer to the barrier (ours: 0 stored, 1 refused as read-only); Hocuspocus: always 0. */
  onAck(listener: (token: number, status: number) => void): void {
    this.ackListeners.push(listener);
  }

  close(): void {
    this.ws.terminate();
    this.doc?.destroy();
  }

  private sendRaw(write: (e: encoding.Encoder) => void): void {
    if (this.ws.readyState !== WebSocket.OPEN) return;
    const e = encoding.createEncoder();
    if (this.kind === 'hocuspocus') encoding.writeVarString(e, this.docName);
    write(e);
    this.ws.send(encoding.toUint8Array(e));
  }

  private onMessage(data: Buffer): void {
    this.bytesReceived += data.byteLength;
    const d = decoding.createDecoder(new Uint8Array(data.buffer, data.byteOffset, data.byteLength));
    if (this.kind === 'hocuspocus') decoding.readVarString(d);
    const type = decoding.readVarUint(d);
    if (type === MessageType.SYNC || (this.kind === 'hocuspocus' && type === HOCUS_SYNC_REPLY)) {
      const sub = decoding.readVarUint(d);
      if (sub === SyncType.STEP1) {
        const sv = decoding.readVarUint8Array(d);
        const reply = this.doc ? Y.encodeStateAsUpdate(this.doc, sv) : EMPTY_UPDATE;
        this.sendRaw((e) => {
          encoding.writeVarUint(e, this.kind === 'hocuspocus' ? HOCUS_SYNC_REPLY : MessageType.SYNC);
          encoding.writeVarUint(e, SyncType.STEP2);
          encoding.writeVarUint8Array(e, reply);
        });
        return;
      }
      const update = decoding.readVarUint8Array(d);
      this.received += 1;
      if (this.mode === 'full' && this.doc) Y.applyUpdate(this.doc, update, this);
      if (sub === SyncType.STEP2) this.markSynced();
      return;
    }
    if (this.kind === 'ours' && type === MessageType.SAVE_BARRIER) {
      const token = decoding.readVarUint(d);
      const status = decoding.hasContent(d) ? decoding.readVarUint(d) : 0;
      for (const l of this.ackListeners) l(token, status);
      return;
    }
    if (this.kind === 'hocuspocus' && type === HOCUS_SYNC_STATUS) {
      if (decoding.readVarUint(d) === 1) {
        this.hocusAcks += 1;
        for (const l of this.ackListeners) l(this.hocusAcks, 0);
      }
    }
  }
}
