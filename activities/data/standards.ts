// The `standards` collection: one record per standard (cover data plus the lifecycle projection that lists
// read). The `recordTransition` activity moves the projection, and only forward (by revision), so
// retried or reordered writes never roll a standard back. The one other writer is the reconciler
// (activities/lifecycle/reconcile.ts), which rewrites a projection from the workflow's queried state, and
// only where the record is still exactly what it read (compare-and-set), so it never undoes a transition
// that landed meanwhile. Runs on FerretDB and MongoDB alike.
import type { Collection, Db } from 'mongodb';
import type { Province, Stage, StandardRecord } from '../../workflows/domain';
import type { ProjectedLifecycle } from '../../workflows/projection';
import { bumpStandardsGeneration, listingRows } from './standards-listing';
import { EXACT_PUSHDOWN } from '../infra/exact-pushdown';
import { ensureNamedIndexes } from './named-indexes';
import { ensureStandardsChangesIndexes } from './standards-changes';

export const STANDARDS = 'standards';

export function standardsCollection(db: Db): Collection<StandardRecord> {
  return db.collection<StandardRecord>(STANDARDS);
}

/**
 * Indexes for every filtered query on MongoDB: by stage, by lead province, newest first, released. (The list pages
 * read the held listing of ./standards-listing.ts; FerretDB on SQLite uses none of these but `_id`.)
 */
export async function ensureStandardsIndexes(db: Db): Promise<void> {
  const c = standardsCollection(db);
  await c.createIndex({ stage: 1, updatedAt: -1 }, { name: 'stage_updatedAt' });
  await c.createIndex({ leadProvince: 1, updatedAt: -1 }, { name: 'leadProvince_updatedAt' });
  await c.createIndex({ revisionOf: 1 }, { name: 'revisionOf', sparse: true });
  // The two queries that carry EXACT_PUSHDOWN, under `_v2` names (./named-indexes.ts): the reconciler's recent
  // changes, newest first; /published, released standards newest first with `_id` the tie-breaker of its keyset.
  await ensureNamedIndexes(
    c,
    [
      { key: { updatedAt: -1, _id: -1 }, name: 'updatedAt_v2' },
      { key: { publishedAt: -1, _id: -1 }, name: 'publishedAt_id_v2' },
    ],
    ['updatedAt', 'publishedAt_id'],
  );
  await ensureStandardsChangesIndexes(db);
}

/** The filter and sort of /published's keyset page (released standards newest first): one index walk. */
export function publishedPageQuery(after?: { at: string; id: string }): { filter: Record<string, unknown>; sort: { publishedAt: -1; _id: -1 }; options: typeof EXACT_PUSHDOWN } {
  // `publishedAt ≤ at and (publishedAt < at or _id < id)`: a range the index seeks to (see ../data/paging.ts).
  // The first page: every string (publishedAt is an ISO date string when set), also a range, so the walk never
  // passes the unpublished standards (an `$exists` is not one for SQLite).
  const filter = after ? { publishedAt: { $lte: after.at }, $or: [{ publishedAt: { $lt: after.at } }, { _id: { $lt: after.id } }] } : { publishedAt: { $gte: '' } };
  return { filter, sort: { publishedAt: -1, _id: -1 }, options: EXACT_PUSHDOWN };
}

export async function insertStandard(db: Db, record: StandardRecord): Promise<void> {
  await standardsCollection(db).insertOne(record);
  await bumpStandardsGeneration(db, [record._id]);
}

/** Inserts the record unless a standard with its `_id` exists (a retried activity); the list view is bumped either way. */
export async function insertStandardOnce(db: Db, record: StandardRecord): Promise<void> {
  await standardsCollection(db).updateOne({ _id: record._id }, { $setOnInsert: record }, { upsert: true });
  await bumpStandardsGeneration(db, [record._id]);
}

export async function getStandard(db: Db, standardId: string): Promise<StandardRecord | null> {
  return standardsCollection(db).findOne({ _id: standardId });
}

export async function deleteStandard(db: Db, standardId: string): Promise<void> {
  await standardsCollection(db).deleteOne({ _id: standardId });
  await bumpStandardsGeneration(db, [standardId]);
}

/** The proposal's own fields, which the lead department may amend while the proposal is returned. */
export type ProposalFields = Pick<
  StandardRecord,
  'titleZh' | 'titleEn' | 'field' | 'scope' | 'leadUnits' | 'participatingUnits' | 'plannedYear' | 'batch' | 'ics' | 'ccs' | 'proposer' | 'technicalCommittee' | 'draftingUnits' | 'drafters'
>;

/**
 * Updates only the proposal's fields of a standard (an absent optional field is removed), and only while
 * the standard is still at initiation/returned: returns the record as it was before, or null when it is
 * not (or no longer) returned, in which case nothing is written. The lifecycle projection is not touched.
 */
export async function amendReturnedProposal(db: Db, standardId: string, fields: ProposalFields): Promise<StandardRecord | null> {
  const set: Record<string, unknown> = {};
  const unset: Record<string, ''> = {};
  for (const [k, v] of Object.entries(fields)) {
    if (v === undefined) unset[k] = '';
    else set[k] = v;
  }
  const before = await standardsCollection(db).findOneAndUpdate(
    { _id: standardId, stage: 'initiation', step: 'returned' },
    Object.keys(unset).length ? { $set: set, $unset: unset } : { $set: set },
    { returnDocument: 'before' },
  );
  if (before) await bumpStandardsGeneration(db, [standardId]);
  return before;
}

/** The fields a list row shows; keeps list responses small. */
export const LIST_PROJECTION = {
  _id: 1, titleZh: 1, titleEn: 1, kind: 1, leadProvince: 1, plannedYear: 1, stage: 1, step: 1, provinces: 1,
  pendingProvinces: 1, releaseDate: 1, implementationDate: 1, publishedAt: 1, commentDeadline: 1, reviewDueAt: 1,
  updatedAt: 1, revision: 1, revisionOf: 1,
} as const;

export type StandardListItem = Pick<StandardRecord, keyof typeof LIST_PROJECTION>;

export interface ListStandardsQuery {
  stage?: Stage;
  leadProvince?: Province;
  limit?: number;
  skip?: number;
}

/** Picks the list fields of a listing row (a copy: the held rows are shared). */
export function listItemOf(row: StandardListItem): StandardListItem {
  const out: Record<string, unknown> = {};
  for (const k of Object.keys(LIST_PROJECTION)) if ((row as Record<string, unknown>)[k] !== undefined) out[k] = (row as Record<string, unknown>)[k];
  return out as StandardListItem;
}

/**
 * Newest first, read from the held listing (./standards-listing.ts: one `_id` read unless a standard changed).
 * On MongoDB the same filters and order are also served by the indexes above.
 */
export async function listStandards(db: Db, q: ListStandardsQuery = {}): Promise<StandardListItem[]> {
  const limit = Math.min(Math.max(q.limit ?? 50, 1), 500);
  const skip = Math.max(q.skip ?? 0, 0);
  const rows = (await listingRows(db)).filter((r) => (!q.stage || r.stage === q.stage) && (!q.leadProvince || r.leadProvince === q.leadProvince));
  return rows.slice(skip, skip + limit).map(listItemOf);
}

/** What the lifecycle mirrors into the record at each transition (workflows/projection.ts maps the state). */
export interface LifecycleProjection extends ProjectedLifecycle {
  /** See TransitionInput.attemptMark: orders two writes of the same revision. */
  attemptMark?: number;
}

/**
 * Applies the projection when it is newer than what is stored (a higher revision, or the same revision
 * from a later attempt of the workflow task). Returns whether it was applied (false for
 * a retry or a late, older write). One `updateOne`, so all three provinces change at one instant.
 */
export async function applyProjection(db: Db, standardId: string, p: LifecycleProjection): Promise<boolean> {
  const { set, unset } = setAndUnset(p);
  const res = await standardsCollection(db).updateOne(
    {
      _id: standardId,
      $or: [
        { revision: { $lt: p.revision } },
        { revision: { $exists: false } },
        ...(p.attemptMark === undefined ? [] : [{ revision: p.revision, $or: [{ attemptMark: { $lt: p.attemptMark } }, { attemptMark: { $exists: false } }] }]),
      ],
    },
    Object.keys(unset).length ? { $set: set, $unset: unset } : { $set: set },
  );
  if (res.modifiedCount === 1) await bumpStandardsGeneration(db, [standardId]);
  return res.modifiedCount === 1;
}

function setAndUnset(p: object): { set: Record<string, unknown>; unset: Record<string, ''> } {
  const set: Record<string, unknown> = {};
  const unset: Record<string, ''> = {};
  for (const [k, v] of Object.entries(p)) {
    if (v === undefined) unset[k] = '';
    else set[k] = v;
  }
  return { set, unset };
}

/** What the reconciler read of a projection; its rewrite applies only while the record still shows exactly this. */
export interface ProjectionSeen {
  revision: number | undefined;
  attemptMark: number | undefined;
  updatedAt: string;
}

/**
 * Rewrites the projection from the workflow's state (the reconciler's repair), compare-and-set on what was
 * read: when a transition lands between the read and this write, nothing is written and the next round
 * looks again. `reconciledAt` tells that the record was repaired. Returns whether it was applied.
 */
export async function rewriteProjection(db: Db, standardId: string, p: LifecycleProjection, seen: ProjectionSeen, reconciledAt: string): Promise<boolean> {
  const { set, unset } = setAndUnset(p);
  if (p.attemptMark === undefined) unset.attemptMark = '';
  set.reconciledAt = reconciledAt;
  const res = await standardsCollection(db).updateOne(
    {
      _id: standardId,
      revision: seen.revision === undefined ? { $exists: false } : seen.revision,
      attemptMark: seen.attemptMark === undefined ? { $exists: false } : seen.attemptMark,
      updatedAt: seen.updatedAt,
    },
    Object.keys(unset).length ? { $set: set, $unset: unset } : { $set: set },
  );
  if (res.modifiedCount === 1) await bumpStandardsGeneration(db, [standardId]);
  return res.modifiedCount === 1;
}

/**
 * Ids of the standards whose projection changed at or after `sinceIso` (served by the `updatedAt` index),
 * newest first: where a phantom write can be, since phantoms are always recent.
 */
export async function standardsUpdatedSince(db: Db, sinceIso: string, limit = 2000): Promise<string[]> {
  const docs = await standardsCollection(db)
    .find({ updatedAt: { $gte: sinceIso } }, { projection: { _id: 1 }, ...EXACT_PUSHDOWN })
    .sort({ updatedAt: -1, _id: -1 })
    .limit(limit)
    .toArray();
  return docs.map((d) => d._id);
}

/** The lifecycle revision the projection of a standard shows (-1 if unknown). */
export async function projectedRevision(db: Db, standardId: string): Promise<number> {
  const doc = await standardsCollection(db).findOne({ _id: standardId }, { projection: { revision: 1 } });
  return doc?.revision ?? -1;
}
