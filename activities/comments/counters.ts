// The triage counts of a standard's comments, kept at write time in `comment_counts` ({_id: standardId}) so a
// triage or disposition page reads one document by `_id` instead of every comment (FerretDB on SQLite scans a
// collection for any filter other than `_id`). Each write applies the difference between what a comment counted
// for before and after the change, so a retried write (whose "before" is the first attempt's "after") adds
// nothing. The comment carries `tallyPending` from its write until its difference is applied; a crash in
// between leaves the marker, and `repairCounts` (at start) recounts those standards from the comments.
// A missing counts document is recounted on first read (comments written before counters existed).
// `pending` and `exact` are what the lifecycle's gate and the publication rely on: never a count that could
// let comment handling end while a visible comment lacks a disposition (see `pending`).
import type { Collection, Db, UpdateFilter } from 'mongodb';
import { serialByKey } from '../infra/keyed-serial';
import { EXACT_PUSHDOWN } from '../infra/exact-pushdown';
import { BATCH_SIZE, PAGE_SIZE } from '../data/paging';
import { COLLECTIONS, type CommentRecord } from './model';

export const COUNTS_COLLECTION = 'comment_counts';

export interface CommentCounts {
  total: number;
  visible: number;
  hidden: number;
  pending: number;
  disposed: number;
  duplicates: number;
  byType: Record<string, number>;
  byProvince: Record<string, number>;
  byDecision: Record<string, number>;
  byClause: Record<string, number>;
}

const MAPS = ['byType', 'byProvince', 'byDecision', 'byClause'] as const;
type MapName = (typeof MAPS)[number];
const SCALARS = ['total', 'visible', 'hidden', 'pending', 'disposed', 'duplicates'] as const;

/** The stored form: map keys are escaped (a clause id may hold `.` or `$`, or be empty) and prefixed with `k`. */
interface CountsDoc {
  _id: string;
  [field: string]: unknown;
}

const encodeKey = (k: string): string => `k${k.replace(/[%.$]/g, (ch) => `%${ch.charCodeAt(0).toString(16).padStart(2, '0')}`)}`;
const decodeKey = (k: string): string => k.slice(1).replace(/%([0-9a-f]{2})/g, (_, h: string) => String.fromCharCode(parseInt(h, 16)));

/** The fields a comment's contribution depends on. */
export const COUNTED_FIELDS = { standardId: 1, type: 1, 'submitter.province': 1, status: 1, moderation: 1, duplicateOf: 1, 'disposition.decision': 1, 'anchor.clauseId': 1 } as const;
type Counted = Pick<CommentRecord, 'moderation' | 'status' | 'type' | 'duplicateOf'> & {
  submitter?: { province?: string };
  anchor?: { clauseId?: string };
  disposition?: { decision?: string };
};

/** What one comment adds to its standard's counts, as `$inc` paths. */
export function contribution(c: Counted | null): Map<string, number> {
  const m = new Map<string, number>();
  if (!c) return m;
  const add = (path: string): void => {
    m.set(path, (m.get(path) ?? 0) + 1);
  };
  const addIn = (map: MapName, key: string): void => add(`${map}.${encodeKey(key)}`);
  add('total');
  if (c.moderation === 'hidden') {
    add('hidden');
    return m;
  }
  add('visible');
  add(c.status === 'pending' ? 'pending' : 'disposed');
  if (c.duplicateOf) add('duplicates');
  // A comment stored without a type (written around the store, or by an older version) is counted under ''.
  addIn('byType', c.type ?? '');
  addIn('byProvince', c.submitter?.province ?? 'other');
  addIn('byClause', c.anchor?.clauseId ?? '');
  if (c.disposition?.decision) addIn('byDecision', c.disposition.decision);
  return m;
}

/** `after − before` as an `$inc` document; empty when the change leaves the counts as they were. */
export function delta(before: Counted | null, after: Counted | null): Record<string, number> {
  const out: Record<string, number> = {};
  const b = contribution(before);
  const a = contribution(after);
  for (const [k, v] of a) out[k] = v - (b.get(k) ?? 0);
  for (const [k, v] of b) if (!a.has(k)) out[k] = -v;
  for (const k of Object.keys(out)) if (out[k] === 0) delete out[k];
  return out;
}

const emptyCounts = (): CommentCounts => ({ total: 0, visible: 0, hidden: 0, pending: 0, disposed: 0, duplicates: 0, byType: {}, byProvince: {}, byDecision: {}, byClause: {} });

function fromDoc(doc: CountsDoc): CommentCounts {
  const c = emptyCounts();
  for (const s of SCALARS) c[s] = typeof doc[s] === 'number' ? (doc[s] as number) : 0;
  for (const map of MAPS) {
    const stored = (doc[map] ?? {}) as Record<string, number>;
    // A key whose count went back to 0 is left out, as a recount would.
    for (const [k, v] of Object.entries(stored)) if (v) c[map][decodeKey(k)] = v;
  }
  return c;
}

function toDoc(standardId: string, c: CommentCounts): CountsDoc {
  const doc: CountsDoc = { _id: standardId };
  for (const s of SCALARS) doc[s] = c[s];
  for (const map of MAPS) doc[map] = Object.fromEntries(Object.entries(c[map]).map(([k, v]) => [encodeKey(k), v]));
  return doc;
}

function applyTo(c: CommentCounts, inc: Map<string, number>): void {
  for (const [path, v] of inc) {
    const [head, key] = path.split('.') as [string, string | undefined];
    if (key === undefined) c[head as (typeof SCALARS)[number]] += v;
    else {
      const map = c[head as MapName];
      const k = decodeKey(key);
      map[k] = (map[k] ?? 0) + v;
    }
  }
}

export interface CommentCounters {
  /** The counts of a standard: one `_id` read (a recount, stored, when there is no document yet). */
  read(standardId: string): Promise<CommentCounts>;
  /** Counts every comment of the standard, `BATCH_SIZE` at a time (the repair, and what tests compare with). */
  recount(standardId: string): Promise<CommentCounts>;
  /**
   * Makes sure the standard has its document (a recount when not): call before writing a comment, so the
   * recount that creates it cannot have seen the write whose difference is then applied.
   */
  ensure(standardId: string): Promise<void>;
  /** Applies a comment's change (null before = new comment) and clears its `tallyPending` marker. */
  apply(standardId: string, commentId: string, before: Counted | null, after: Counted): Promise<void>;
  /**
   * Counts that hold now: the kept ones, or a recount (not stored) when a comment of the standard still
   * carries `tallyPending` (a write in flight, or one a crash left for the repair).
   */
  exact(standardId: string): Promise<CommentCounts>;
  /**
   * Visible comments still waiting for a disposition, for the lifecycle's gate. The kept count, checked by an
   * index read of at most PAGE_SIZE + 1 ids whenever it is PAGE_SIZE or less — so a zero is always a fact (an
   * increment lost between processes on the embedded store cannot open the gate) and the last few are counted
   * exactly; above that the gate is closed either way and the kept number is shown.
   */
  pending(standardId: string): Promise<number>;
  /** Recounts the standards that hold a comment whose difference was never applied (crash between writes). */
  repair(): Promise<number>;
}

export function createCommentCounters(db: Db): CommentCounters {
  const comments = db.collection<CommentRecord & { tallyPending?: boolean }>(COLLECTIONS.comments);
  const docs: Collection<CountsDoc> = db.collection<CountsDoc>(COUNTS_COLLECTION);

  async function recount(standardId: string): Promise<CommentCounts> {
    const c = emptyCounts();
    const cursor = comments.find({ standardId }, { projection: COUNTED_FIELDS, batchSize: BATCH_SIZE, ...EXACT_PUSHDOWN });
    for await (const x of cursor) applyTo(c, contribution(x));
    return c;
  }

  /** Whether a comment of the standard carries a difference not yet applied (index `tally_pending_v2`). */
  async function unsettled(standardId: string): Promise<boolean> {
    return (await comments.findOne({ tallyPending: true, standardId }, { projection: { _id: 1 }, ...EXACT_PUSHDOWN })) !== null;
  }

  /** Recounts and stores (the repair). */
  async function rebuild(standardId: string): Promise<CommentCounts> {
    const c = await recount(standardId);
    await docs.replaceOne({ _id: standardId }, toDoc(standardId, c), { upsert: true });
    return c;
  }

  // One first recount per standard at a time in this process (a burst of first comments would each scan).
  const creating = new Map<string, Promise<void>>();
  function create(standardId: string): Promise<void> {
    let p = creating.get(standardId);
    if (!p) {
      p = (async () => {
        const c = await recount(standardId);
        // Insert only when still absent: another process or a repair may have stored it meanwhile.
        await docs.updateOne({ _id: standardId }, { $setOnInsert: toDoc(standardId, c) }, { upsert: true });
      })().finally(() => creating.delete(standardId));
      creating.set(standardId, p);
    }
    return p;
  }

  async function read(standardId: string): Promise<CommentCounts> {
    const doc = await docs.findOne({ _id: standardId });
    if (doc) return fromDoc(doc);
    await create(standardId);
    const created = await docs.findOne({ _id: standardId });
    return created ? fromDoc(created) : recount(standardId);
  }

  return {
    recount,
    read,
    async ensure(standardId) {
      if (!(await docs.findOne({ _id: standardId }, { projection: { _id: 1 } }))) await create(standardId);
    },
    async exact(standardId) {
      return (await unsettled(standardId)) ? recount(standardId) : read(standardId);
    },
    async pending(standardId) {
      if (await unsettled(standardId)) return (await recount(standardId)).pending;
      const kept = (await read(standardId)).pending;
      if (kept > PAGE_SIZE) return kept;
      const rows = await comments
        .find({ standardId, moderation: 'visible', status: 'pending' }, { projection: { _id: 1 }, limit: kept + 1, ...EXACT_PUSHDOWN })
        .toArray();
      // Fewer than kept + 1 found: that many there are. More: the kept count is behind — count them all.
      return rows.length <= kept ? rows.length : (await recount(standardId)).pending;
    },
    async apply(standardId, commentId, before, after) {
      const inc = delta(before, after);
      let counted = true;
      if (Object.keys(inc).length) {
        // No upsert of a difference: a document starts from a recount (`ensure`, before the write). Should it be
        // missing anyway, the marker stays and the repair recounts.
        const r = await serialByKey(`${db.databaseName}\0${COUNTS_COLLECTION}\0${standardId}`, () => docs.updateOne({ _id: standardId }, { $inc: inc } as UpdateFilter<CountsDoc>));
        counted = r.matchedCount === 1;
      }
      if (counted) await comments.updateOne({ _id: commentId, tallyPending: true }, { $unset: { tallyPending: '' } });
    },
    async repair() {
      // An index seek on `tallyPending` (tally_pending_v2): a start does not read every comment.
      const marked = comments.find({ tallyPending: true }, { projection: { _id: 1, standardId: 1 }, batchSize: BATCH_SIZE, ...EXACT_PUSHDOWN });
      const byStandard = new Map<string, string[]>();
      for await (const m of marked) byStandard.set(m.standardId, [...(byStandard.get(m.standardId) ?? []), m._id]);
      for (const [standardId, ids] of byStandard) {
        await rebuild(standardId);
        for (let i = 0; i < ids.length; i += BATCH_SIZE) {
          await comments.updateMany({ _id: { $in: ids.slice(i, i + BATCH_SIZE) } }, { $unset: { tallyPending: '' } });
        }
      }
      return byStandard.size;
    },
  };
}
