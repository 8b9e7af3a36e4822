// Durable storage of collaborative documents in MongoDB: an append-only log of Yjs updates per document
// plus one compacted snapshot. Yjs updates commute and are idempotent, so the log needs no sequence numbers
// and a crash between writing a snapshot and deleting the updates it contains only leaves duplicates.
//
// Durability: appends use writeConcern { w: 'majority', j: true }. On a MongoDB replica set the write is
// then on a majority of members' journals. On FerretDB (SQLite backend) the option is accepted and a write
// is acknowledged after SQLite committed it (WAL), so it survives a kill -9 of our process or of FerretDB;
// an operating-system crash may lose the last commits unless SQLite runs with synchronous=FULL.
// FerretDB has no transactions: snapshots are replaced with a compare-and-set on `version`, so two processes
// compacting the same document cannot overwrite each other's newer snapshot.
import { promisify } from 'node:util';
import zlib from 'node:zlib';
import { Binary, ObjectId, type Collection, type Db } from 'mongodb';
import * as Y from 'yjs';

const deflateRaw = promisify(zlib.deflateRaw);
const inflateRaw = promisify(zlib.inflateRaw);

export interface StoredUpdate {
  _id: ObjectId;
  doc: string;
  update: Binary;
  at: Date;
}

export interface StoredSnapshot {
  _id: string;
  version: number;
  /** The Yjs state, raw-deflated when `encoding` says so (a Yjs update shrinks 3–4×, and the database
   * moves and parses fewer bytes on every cold load). */
  state: Binary;
  encoding?: 'deflate-raw';
  /** The state vector of `state`, so a cold load need not decode the whole state to compute it. */
  stateVector?: Binary;
  /** Size of the uncompressed state. */
  bytes: number;
  at: Date;
}

export interface LoadedDocument {
  /** The snapshot's state, or null when never compacted. */
  snapshot: Uint8Array | null;
  /** Version of that snapshot (0 = none), for the compare-and-set of the next compaction. */
  snapshotVersion: number;
  /** The snapshot's state vector when stored with it. */
  snapshotStateVector: Uint8Array | null;
  updates: Array<{ id: ObjectId; update: Uint8Array }>;
}

export interface DocumentStore {
  load(docName: string): Promise<LoadedDocument>;
  /** Appends updates; resolves with their ids once durable. */
  append(docName: string, updates: Uint8Array[]): Promise<ObjectId[]>;
  /** Replaces the snapshot if its version is still `expectedVersion`, then deletes `coveredIds`.
   * Resolves false (and deletes nothing) when another writer compacted in between. */
  compact(docName: string, state: Uint8Array, expectedVersion: number, coveredIds: ObjectId[], stateVector?: Uint8Array): Promise<boolean>;
  /** Creates the indexes (idempotent). */
  ensureIndexes(): Promise<void>;
}

export const COLLECTIONS = { updates: 'collabUpdates', snapshots: 'collabSnapshots' } as const;

const durable = { writeConcern: { w: 'majority' as const, j: true } };

/** The bytes of a BSON Binary (its buffer may be larger than its content). */
export function binaryBytes(b: Binary): Uint8Array {
  return b.buffer.subarray(0, b.position);
}

export function createMongoDocumentStore(db: Db): DocumentStore {
  const updates: Collection<StoredUpdate> = db.collection<StoredUpdate>(COLLECTIONS.updates);
  const snapshots: Collection<StoredSnapshot> = db.collection<StoredSnapshot>(COLLECTIONS.snapshots);

  return {
    async ensureIndexes() {
      await updates.createIndex({ doc: 1, _id: 1 });
    },

    async load(docName) {
      const [snap, rows] = await Promise.all([
        snapshots.findOne({ _id: docName }),
        updates.find({ doc: docName }, { projection: { update: 1 } }).sort({ _id: 1 }).toArray(),
      ]);
      let snapshot: Uint8Array | null = null;
      if (snap) {
        const bytes = binaryBytes(snap.state);
        snapshot = snap.encoding === 'deflate-raw' ? new Uint8Array(await inflateRaw(bytes)) : bytes;
      }
      return {
        snapshot,
        snapshotVersion: snap?.version ?? 0,
        snapshotStateVector: snap?.stateVector ? binaryBytes(snap.stateVector) : null,
        updates: rows.map((r) => ({ id: r._id, update: binaryBytes(r.update) })),
      };
    },

    async append(docName, list) {
      const at = new Date();
      const rows: StoredUpdate[] = list.map((u) => ({ _id: new ObjectId(), doc: docName, update: new Binary(u), at }));
      // insertOne skips the bulk-write machinery insertMany goes through: the room sends one merged row.
      if (rows.length === 1) await updates.insertOne(rows[0], durable);
      else await updates.insertMany(rows, { ...durable, ordered: true });
      return rows.map((r) => r._id);
    },

    async compact(docName, state, expectedVersion, coveredIds, stateVector) {
      const packed = await deflateRaw(state, { level: 1 });
      const row = {
        version: expectedVersion + 1,
        state: new Binary(packed),
        encoding: 'deflate-raw' as const,
        stateVector: new Binary(stateVector ?? Y.encodeStateVectorFromUpdate(state)),
        bytes: state.byteLength,
        at: new Date(),
      };
      if (expectedVersion === 0) {
        try {
          await snapshots.insertOne({ _id: docName, ...row }, durable);
        } catch (e) {
          if ((e as { code?: number }).code === 11000) return false;
          throw e;
        }
      } else {
        const r = await snapshots.replaceOne({ _id: docName, version: expectedVersion }, row, durable);
        if (r.matchedCount === 0) return false;
      }
      // Deleting in slices keeps each command small; an interruption leaves only harmless duplicates.
      for (let i = 0; i < coveredIds.length; i += 1000) {
        await updates.deleteMany({ _id: { $in: coveredIds.slice(i, i + 1000) } }, durable);
      }
      return true;
    },
  };
}
