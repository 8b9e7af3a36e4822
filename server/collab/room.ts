// One loaded document: its Y.Doc and awareness, the sockets editing it, the write-behind pipeline to
// MongoDB (group commit: every update applied while a write is in flight goes into the next insert) and
// background compaction into a snapshot. Acknowledgements (`stored`) are answered from here once the
// updates before a barrier are durable. With a relay (Redis, several app processes) local edits are also
// published, and updates from other processes are applied, sent to the local sockets and stored here too:
// every process stores what it applies, so an acknowledgement never depends on another process surviving.
import type { ObjectId } from 'mongodb';
import * as awarenessProtocol from 'y-protocols/awareness';
import * as Y from 'yjs';
import type { DocumentStore } from '../../activities/data/documents';
import type { CollabLimits, EmitHook } from './types';
import { encodeAwareness, encodeSyncUpdate } from '../../editor/collab/wire';
import type { RelayKind, RelayMessage } from './redis-relay';

/** What a room needs from a socket; implemented by PeerConnection. */
export interface RoomPeer {
  send(message: Uint8Array): void;
  /** Sends several messages in one socket write. */
  sendAll(messages: Uint8Array[]): void;
  /** Awareness client ids this socket set, removed when it leaves. */
  readonly awarenessIds: Set<number>;
}

/** The room's side of the relay to other processes (bound to its document). */
export interface RoomBus {
  publish(kind: RelayKind, payload: Uint8Array, to?: string): void;
  /** With several processes only the holder of this lock compacts (null: not now). */
  lockCompaction(): Promise<(() => Promise<void>) | null>;
}

export interface RoomDeps {
  store: DocumentStore;
  limits: CollabLimits;
  emit: EmitHook;
}

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms).unref());

/** Origin of the transaction that applies the stored state: neither stored again nor relayed. */
const HYDRATE_ORIGIN = Symbol('hydrate');
/** Origin of updates from another process: stored and sent to local sockets, not published again. */
const REMOTE_ORIGIN = Symbol('remote');
/** Origin of a resynchronisation from MongoDB: sent to local sockets only (it is stored already). */
const STORED_ORIGIN = Symbol('stored');
const EMPTY_UPDATE = (u: Uint8Array): boolean => u.length === 2 && u[0] === 0 && u[1] === 0;

export class Room {
  private readonly ydoc: Y.Doc;
  /** The stored state (snapshot and log) not yet applied to `ydoc`. A document is served from these bytes
   * until something needs the Y.Doc (an edit, getDoc): a reader's cold load then costs one read and one
   * send, and the Y.Doc is only built for documents that are edited. */
  private base: Uint8Array[] | null;
  /** State vector of `base` when known without decoding it (stored with the snapshot). */
  private baseStateVector: Uint8Array | null;
  readonly awareness: awarenessProtocol.Awareness;
  readonly peers = new Set<RoomPeer>();

  /** Relayed batches waiting to be stored; `count` = how many applied updates each one holds. */
  private pending: Array<{ update: Uint8Array; count: number }> = [];
  /** Updates applied (queued for storage) and stored so far, counted since load. */
  private appendedSeq = 0;
  private storedSeq = 0;
  private waiters: Array<{ seq: number; resolve: () => void; reject: (e: Error) => void }> = [];
  private flushing: Promise<void> | null = null;
  /** Ids of stored update rows not yet folded into a snapshot. */
  private uncompactedIds: ObjectId[] = [];
  private snapshotVersion: number;
  private compacting: Promise<void> | null = null;
  private compactionDisabled = false;
  private awarenessChanged = new Set<number>();
  private awarenessTimer: NodeJS.Timeout | null = null;
  private closed = false;
  private outgoing: Array<{ update: Uint8Array; origin: unknown }> = [];
  private relayScheduled = false;
  private bus: RoomBus | null = null;
  /** Awareness client ids changed by this process's sockets since the last flush (to publish). */
  private awarenessToPublish = new Set<number>();

  private constructor(readonly name: string, private readonly deps: RoomDeps, doc: Y.Doc, base: Uint8Array[], baseStateVector: Uint8Array | null, snapshotVersion: number, loadedIds: ObjectId[]) {
    this.ydoc = doc;
    this.base = base.length > 0 ? base : null;
    this.baseStateVector = base.length === 1 ? baseStateVector : null;
    this.snapshotVersion = snapshotVersion;
    this.uncompactedIds = loadedIds;
    this.awareness = new awarenessProtocol.Awareness(doc);
    this.awareness.setLocalState(null);
    this.awareness.on('update', this.onAwarenessUpdate);
    doc.on('update', this.onDocUpdate);
  }

  /** Loads the document from the store (snapshot + log) and compacts in the background if the log is long. */
  static async load(name: string, deps: RoomDeps): Promise<Room> {
    const started = performance.now();
    const stored = await deps.store.load(name);
    const doc = new Y.Doc({ gc: true });
    const base = [...(stored.snapshot ? [stored.snapshot] : []), ...stored.updates.map((u) => u.update)];
    const room = new Room(name, deps, doc, base, stored.snapshotStateVector, stored.snapshotVersion, stored.updates.map((u) => u.id));
    deps.emit('onLoadDocument', { docName: name, storedUpdates: stored.updates.length, storedBytes: base.reduce((n, b) => n + b.byteLength, 0), loadMs: performance.now() - started });
    if (stored.updates.length >= deps.limits.compactAfterUpdates) room.compactSoon();
    return room;
  }

  // --- the document, built on demand ------------------------------------------------------------

  /** The live Y.Doc, built from the stored state on first use. */
  get doc(): Y.Doc {
    if (this.base) {
      const parts = this.base;
      this.base = null;
      this.baseStateVector = null;
      this.ydoc.transact(() => {
        for (const p of parts) Y.applyUpdate(this.ydoc, p);
      }, HYDRATE_ORIGIN);
    }
    return this.ydoc;
  }

  private mergedBase(base: Uint8Array[]): Uint8Array {
    if (base.length > 1) base.splice(0, base.length, Y.mergeUpdates(base));
    return base[0];
  }

  /** The server's state vector (for its sync step 1). */
  stateVector(): Uint8Array {
    if (!this.base) return Y.encodeStateVector(this.ydoc);
    this.baseStateVector ??= Y.encodeStateVectorFromUpdate(this.mergedBase(this.base));
    return this.baseStateVector;
  }

  /** What a peer with state vector `sv` lacks (for sync step 2). */
  missingFor(stateVector: Uint8Array): Uint8Array {
    if (!this.base) return Y.encodeStateAsUpdate(this.ydoc, stateVector);
    const merged = this.mergedBase(this.base);
    // An empty state vector (a fresh page load) gets the stored bytes as they are.
    return stateVector.length === 1 && stateVector[0] === 0 ? merged : Y.diffUpdate(merged, stateVector);
  }

  /** The whole state, for snapshots. */
  private currentState(): Uint8Array {
    return this.base ? this.mergedBase(this.base) : Y.encodeStateAsUpdate(this.ydoc);
  }

  // --- updates: relay at once, store behind -------------------------------------------------------

  private onDocUpdate = (update: Uint8Array, origin: unknown): void => {
    if (origin === HYDRATE_ORIGIN) return;
    if (origin !== STORED_ORIGIN) this.appendedSeq += 1;
    this.outgoing.push({ update, origin });
    if (!this.relayScheduled) {
      this.relayScheduled = true;
      setImmediate(this.relay);
    }
  };

  /**
   * Sends the updates applied during this event-loop turn, each to every peer but its author. A peer's
   * frames of one turn leave in one socket write (see PeerConnection.sendAll): under load, socket writes
   * were most of a relay's time, and merging the updates instead (Y.mergeUpdates) cost as much again.
   */
  private relay = (): void => {
    this.relayScheduled = false;
    const outgoing = this.outgoing;
    this.outgoing = [];
    if (outgoing.length === 0) return;
    const toStore = outgoing.filter((o) => o.origin !== STORED_ORIGIN);
    if (toStore.length > 0) {
      this.pending.push(...toStore.map((o) => ({ update: o.update, count: 1 })));
      this.flushing ??= this.runFlush();
    }
    if (this.bus) {
      for (const o of outgoing) if (o.origin !== REMOTE_ORIGIN && o.origin !== STORED_ORIGIN) this.bus.publish('update', o.update);
    }
    const messages = outgoing.map((o) => encodeSyncUpdate(o.update));
    for (const peer of this.peers) {
      if (outgoing.length === 1) {
        if (outgoing[0].origin !== peer) peer.send(messages[0]);
      } else {
        peer.sendAll(messages.filter((_, i) => outgoing[i].origin !== peer));
      }
    }
  };

  /** The sequence number a barrier received now must wait for. */
  get currentSeq(): number {
    return this.appendedSeq;
  }

  /** Resolves once every update applied up to `seq` is durable. */
  whenStored(seq: number = this.appendedSeq): Promise<void> {
    if (this.storedSeq >= seq) return Promise.resolve();
    if (this.closed && !this.flushing) return Promise.reject(new Error(`document ${this.name} is unloaded`));
    return new Promise((resolve, reject) => this.waiters.push({ seq, resolve, reject }));
  }

  private async runFlush(): Promise<void> {
    if (this.deps.limits.storeDelayMs > 0 && !this.closed) await sleep(this.deps.limits.storeDelayMs);
    let failures = 0;
    while (this.pending.length > 0) {
      // Everything relayed while the previous write was in flight goes into this one (group commit).
      const batch = this.pending.slice(0, this.deps.limits.maxBatchUpdates);
      const merged = batch.length === 1 ? batch[0].update : Y.mergeUpdates(batch.map((b) => b.update));
      const count = batch.reduce((n, b) => n + b.count, 0);
      const started = performance.now();
      try {
        const ids = await this.deps.store.append(this.name, [merged]);
        this.pending.splice(0, batch.length);
        this.uncompactedIds.push(...ids);
        this.storedSeq += count;
        failures = 0;
        this.deps.emit('onStored', { docName: this.name, updates: count, bytes: merged.byteLength, ms: performance.now() - started });
        this.releaseWaiters();
      } catch (error) {
        failures += 1;
        this.deps.emit('onError', { docName: this.name, error, during: 'store' });
        // Nothing is acknowledged until it is stored: keep retrying with back-off; clients keep their
        // edits and resend them on reconnect if this process dies meanwhile.
        if (this.closed && failures > 5) break;
        await sleep(Math.min(5000, 100 * 2 ** failures));
      }
    }
    this.flushing = null;
    if (this.uncompactedIds.length >= this.deps.limits.compactAfterUpdates) this.compactSoon();
  }

  private releaseWaiters(): void {
    if (this.waiters.length === 0) return;
    const ready = this.waiters.filter((w) => w.seq <= this.storedSeq);
    this.waiters = this.waiters.filter((w) => w.seq > this.storedSeq);
    for (const w of ready) w.resolve();
  }

  /** Resolves when everything applied so far is stored. */
  async flush(): Promise<void> {
    await this.whenStored(this.appendedSeq);
  }

  // --- compaction -------------------------------------------------------------------------------

  private compactSoon(): void {
    if (this.compacting || this.compactionDisabled) return;
    this.compacting = this.compact().finally(() => {
      this.compacting = null;
    });
  }

  /** Folds the stored log into one snapshot. The snapshot is the in-memory state, which contains every
   * stored update (they were applied before being stored), so deleting the covered rows loses nothing. */
  private async compact(): Promise<void> {
    await new Promise<void>((r) => setImmediate(r));
    if (this.uncompactedIds.length === 0) return;
    // Several processes: one compacts at a time; the others leave their rows for a later compaction.
    const release = this.bus ? await this.bus.lockCompaction() : null;
    if (this.bus && !release) return;
    try {
      await this.compactLocked();
    } finally {
      await release?.();
    }
  }

  private async compactLocked(): Promise<void> {
    const covered = this.uncompactedIds.slice();
    if (covered.length === 0) return;
    const started = performance.now();
    const state = this.currentState();
    const stateVector = this.stateVector();
    try {
      const ok = await this.deps.store.compact(this.name, state, this.snapshotVersion, covered, stateVector);
      if (!ok) {
        // Another process compacted this document: take in its snapshot and log (our state then contains
        // theirs) and compact again next time. If that fails, stop compacting here: the log keeps growing
        // until the document is reloaded, which is safe.
        try {
          await this.syncFromStore();
        } catch (error) {
          this.compactionDisabled = true;
          this.deps.emit('onError', { docName: this.name, error, during: 'compact' });
        }
        return;
      }
      this.snapshotVersion += 1;
      this.uncompactedIds.splice(0, covered.length);
      this.deps.emit('onCompact', { docName: this.name, removedUpdates: covered.length, snapshotBytes: state.byteLength, ms: performance.now() - started });
    } catch (error) {
      this.deps.emit('onError', { docName: this.name, error, during: 'compact' });
    }
  }

  // --- awareness, coalesced ---------------------------------------------------------------------

  private onAwarenessUpdate = (
    { added, updated, removed }: { added: number[]; updated: number[]; removed: number[] },
    origin: unknown,
  ): void => {
    if (origin && this.peers.has(origin as RoomPeer)) {
      const ids = (origin as RoomPeer).awarenessIds;
      for (const id of added) ids.add(id);
      for (const id of removed) ids.delete(id);
    }
    for (const id of added) this.awarenessChanged.add(id);
    for (const id of updated) this.awarenessChanged.add(id);
    for (const id of removed) this.awarenessChanged.add(id);
    if (this.bus && origin !== REMOTE_ORIGIN) for (const id of [...added, ...updated, ...removed]) this.awarenessToPublish.add(id);
    if (this.awarenessTimer === null && !this.closed) {
      this.awarenessTimer = setTimeout(this.flushAwareness, this.deps.limits.awarenessFlushMs);
    }
  };

  private flushAwareness = (): void => {
    this.awarenessTimer = null;
    if (this.awarenessChanged.size === 0) return;
    const ids = [...this.awarenessChanged];
    this.awarenessChanged.clear();
    const message = encodeAwareness(awarenessProtocol.encodeAwarenessUpdate(this.awareness, ids));
    for (const peer of this.peers) peer.send(message);
    if (this.bus && this.awarenessToPublish.size > 0) {
      this.bus.publish('awareness', awarenessProtocol.encodeAwarenessUpdate(this.awareness, [...this.awarenessToPublish]));
      this.awarenessToPublish.clear();
    }
  };

  /** Every known awareness state in one message, or null when there is none. */
  awarenessSnapshot(): Uint8Array | null {
    const states = this.awareness.getStates();
    if (states.size === 0) return null;
    return encodeAwareness(awarenessProtocol.encodeAwarenessUpdate(this.awareness, [...states.keys()]));
  }

  // --- other processes (relay) -------------------------------------------------------------------

  /** Connects the room to the relay and asks the other processes for what they hold that it lacks
   * (edits they applied but not stored yet) and for their sockets' awareness. */
  connect(bus: RoomBus): void {
    this.bus = bus;
    this.requestSync();
  }

  /** Sync step 1 to every other process (each answers with a sync2 to this one), and an awareness query. */
  requestSync(): void {
    this.bus?.publish('sync1', this.stateVector());
    this.bus?.publish('queryAwareness', new Uint8Array(0));
  }

  /** A message from another process. */
  onRelay(message: RelayMessage): void {
    if (this.closed) return;
    switch (message.kind) {
      case 'update':
      case 'sync2':
        if (!EMPTY_UPDATE(message.payload)) Y.applyUpdate(this.doc, message.payload, REMOTE_ORIGIN);
        break;
      case 'sync1': {
        const missing = this.missingFor(message.payload);
        if (!EMPTY_UPDATE(missing)) this.bus?.publish('sync2', missing, message.from);
        break;
      }
      case 'awareness':
        awarenessProtocol.applyAwarenessUpdate(this.awareness, message.payload, REMOTE_ORIGIN);
        break;
      case 'queryAwareness': {
        const local = [...this.peers].flatMap((p) => [...p.awarenessIds]);
        if (local.length > 0) this.bus?.publish('awareness', awarenessProtocol.encodeAwarenessUpdate(this.awareness, local), message.from);
        break;
      }
    }
  }

  /** Applies what MongoDB holds (another process's snapshot and log) and adopts its snapshot version, so
   * the next compaction covers every stored row. Used after a snapshot conflict and after Redis was away. */
  async syncFromStore(): Promise<void> {
    const stored = await this.deps.store.load(this.name);
    if (this.closed) return;
    const doc = this.doc;
    doc.transact(() => {
      if (stored.snapshot) Y.applyUpdate(doc, stored.snapshot);
      for (const u of stored.updates) Y.applyUpdate(doc, u.update);
    }, STORED_ORIGIN);
    this.snapshotVersion = stored.snapshotVersion;
    const known = new Set(this.uncompactedIds.map((i) => i.toHexString()));
    for (const u of stored.updates) if (!known.has(u.id.toHexString())) this.uncompactedIds.push(u.id);
  }

  /** After the relay was away: take in what MongoDB holds, then ask the other processes again. */
  async resync(): Promise<void> {
    await this.compacting;
    await this.syncFromStore();
    this.requestSync();
  }

  // --- peers ------------------------------------------------------------------------------------

  join(peer: RoomPeer): void {
    this.peers.add(peer);
  }

  leave(peer: RoomPeer): void {
    if (!this.peers.delete(peer)) return;
    if (peer.awarenessIds.size > 0) awarenessProtocol.removeAwarenessStates(this.awareness, [...peer.awarenessIds], null);
  }

  /** Stores what is pending, compacts if anything was stored since the snapshot, and frees the document. */
  async unload(): Promise<void> {
    // Updates applied this turn are relayed and queued for storage before waiting on the queue.
    if (this.relayScheduled) this.relay();
    this.closed = true;
    if (this.awarenessTimer) clearTimeout(this.awarenessTimer);
    while (this.flushing || this.compacting) {
      await this.flushing;
      await this.compacting;
    }
    if (this.uncompactedIds.length > 0 && !this.compactionDisabled) await this.compact();
    this.ydoc.off('update', this.onDocUpdate);
    // Only reached when storage kept failing: those updates were never acknowledged, and their authors
    // still hold them and resend them on their next connection.
    const unstored = this.waiters.splice(0);
    for (const w of unstored) w.reject(new Error(`document ${this.name} unloaded before its updates were stored`));
    this.awareness.destroy();
    this.ydoc.destroy();
    this.base = null;
  }
}
