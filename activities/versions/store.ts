// MongoDB storage of named versions. Versions are immutable: this module inserts and reads, it never
// updates or deletes. The Yjs state is kept as binary; the ProseMirror JSON and the computed numbering as
// JSON text (immune to FerretDB's key and nesting restrictions, and read back byte for byte).
import { Binary, type Collection, type Db } from 'mongodb';
import type { Actor } from '../../workflows/domain';

import type { VersionKind } from '../../workflows/version-kinds';
import { EXACT_PUSHDOWN } from '../infra/exact-pushdown';
import { ensureNamedIndexes } from '../data/named-indexes';

export { VERSION_KINDS, type VersionKind } from '../../workflows/version-kinds';

export interface VersionRow {
  /** Version id: a random hex id, or `<standardId>~<request key>` for idempotent lifecycle freezes. */
  _id: string;
  standardId: string;
  docName: string;
  /** 1, 2, 3 … per standard, in creation order. */
  seq: number;
  kind: VersionKind;
  name: string;
  createdBy: Pick<Actor, 'userId' | 'displayName'> & Partial<Pick<Actor, 'role' | 'province'>>;
  createdAt: Date;
  /** Y.encodeStateAsUpdate of the document. */
  state: Binary;
  stateBytes: number;
  stateSha256: string;
  /** JSON.stringify of the ProseMirror JSON; null when the document did not convert (see jsonError). */
  json: string | null;
  jsonError: string | null;
  /** JSON.stringify of computeNumbering(json); null with json. */
  numbering: string | null;
  /** For restores: the version whose content was applied. */
  restoredFrom?: string;
}

export type VersionMeta = Omit<VersionRow, 'state' | 'json' | 'numbering'>;

export const VERSIONS_COLLECTION = 'versions';
/** The last `seq` given out per standard (`_id` = standard id), so numbering reads one small document. */
export const VERSION_COUNTERS_COLLECTION = 'version_counters';

const META_PROJECTION = { state: 0, json: 0, numbering: 0 } as const;

export interface VersionStore {
  ensureIndexes(): Promise<void>;
  /** Inserts with the next `seq`; returns the existing row when `_id` is already taken (a retried freeze). */
  insert(row: Omit<VersionRow, 'seq'>): Promise<{ row: VersionMeta; created: boolean }>;
  list(standardId: string): Promise<VersionMeta[]>;
  get(versionId: string): Promise<VersionRow | null>;
  latest(standardId: string, kind?: VersionKind): Promise<VersionRow | null>;
}

function isDuplicate(e: unknown): boolean {
  return (e as { code?: number }).code === 11000;
}

export function createVersionStore(db: Db): VersionStore {
  const col: Collection<VersionRow> = db.collection<VersionRow>(VERSIONS_COLLECTION);
  const counters = db.collection<{ _id: string; seq: number }>(VERSION_COUNTERS_COLLECTION);
  /**
   * The next `seq` of a standard. Asking the versions themselves for the highest `seq` reads every stored
   * version on FerretDB (it only looks documents up by `_id`), Yjs states included, on every freeze; the
   * counter is one document by `_id`. A standard whose versions predate the counter starts it after the
   * highest stored `seq`. Two callers may get the same number where increments are not atomic (FerretDB):
   * the unique {standardId, seq} index refuses the second insert and its caller asks again. A number given
   * to an insert that then finds its id taken (a retried freeze racing itself) is not reused.
   */
  async function nextSeq(standardId: string): Promise<number> {
    const bumped = await counters.findOneAndUpdate({ _id: standardId }, { $inc: { seq: 1 } }, { returnDocument: 'after' });
    if (bumped) return bumped.seq;
    const last = await col.find({ standardId }, { projection: { seq: 1 }, ...EXACT_PUSHDOWN }).sort({ seq: -1 }).limit(1).next();
    const seq = (last?.seq ?? 0) + 1;
    try {
      await counters.insertOne({ _id: standardId, seq });
      return seq;
    } catch (e) {
      if (!isDuplicate(e)) throw e;
      return nextSeq(standardId);
    }
  }
  const stripped = (r: VersionRow): VersionMeta => {
    const meta: Partial<VersionRow> = { ...r };
    delete meta.state;
    delete meta.json;
    delete meta.numbering;
    return meta as VersionMeta;
  };
  return {
    async ensureIndexes() {
      await col.createIndex({ standardId: 1, seq: 1 }, { unique: true });
      // The comment pages' reads (latest of a kind, the list) carry EXACT_PUSHDOWN: on the embedded store these
      // walk an index instead of reading every stored version with its Yjs state (`_v2`: ../data/named-indexes.ts).
      await ensureNamedIndexes(col, [
        { key: { standardId: 1, seq: -1 }, name: 'standard_newest_v2' },
        { key: { standardId: 1, kind: 1, seq: -1 }, name: 'standard_kind_newest_v2' },
      ]);
    },
    async insert(row) {
      for (let attempt = 0; attempt < 20; attempt++) {
        const existing = await col.findOne({ _id: row._id }, { projection: META_PROJECTION });
        if (existing) return { row: existing as VersionMeta, created: false };
        const full: VersionRow = { ...row, seq: await nextSeq(row.standardId) };
        try {
          await col.insertOne(full, { writeConcern: { w: 'majority', j: true } });
          return { row: stripped(full), created: true };
        } catch (e) {
          // Either the same id (a concurrent retry) or the same seq (a concurrent version): look again.
          if (!isDuplicate(e)) throw e;
        }
      }
      throw new Error(`could not allocate a version number for ${row.standardId}`);
    },
    async list(standardId) {
      return (await col.find({ standardId }, { projection: META_PROJECTION, ...EXACT_PUSHDOWN }).sort({ seq: 1 }).toArray()) as VersionMeta[];
    },
    get: (versionId) => col.findOne({ _id: versionId }),
    latest: (standardId, kind) => col.find(kind ? { standardId, kind } : { standardId }, EXACT_PUSHDOWN).sort({ seq: -1 }).limit(1).next(),
  };
}
