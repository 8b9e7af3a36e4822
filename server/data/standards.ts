// The `standards` collection: one record per standard (cover data plus the lifecycle projection that lists
// read). Only the `recordTransition` activity moves the projection, and only forward (by revision), so
// retried or reordered writes never roll a standard back. Runs on FerretDB and MongoDB alike.
import type { Collection, Db, Filter } from 'mongodb';
import type { Province, Stage, StandardRecord } from '../../workflows/domain';
import type { StageStep } from '../../workflows/messages';

export const STANDARDS = 'standards';

export function standardsCollection(db: Db): Collection<StandardRecord> {
  return db.collection<StandardRecord>(STANDARDS);
}

/** Indexes for every list query: by stage, by lead province, newest first. */
export async function ensureStandardsIndexes(db: Db): Promise<void> {
  const c = standardsCollection(db);
  await c.createIndex({ stage: 1, updatedAt: -1 }, { name: 'stage_updatedAt' });
  await c.createIndex({ leadProvince: 1, updatedAt: -1 }, { name: 'leadProvince_updatedAt' });
  await c.createIndex({ updatedAt: -1 }, { name: 'updatedAt' });
  await c.createIndex({ revisionOf: 1 }, { name: 'revisionOf', sparse: true });
}

export async function insertStandard(db: Db, record: StandardRecord): Promise<void> {
  await standardsCollection(db).insertOne(record);
}

export async function getStandard(db: Db, standardId: string): Promise<StandardRecord | null> {
  return standardsCollection(db).findOne({ _id: standardId });
}

export async function deleteStandard(db: Db, standardId: string): Promise<void> {
  await standardsCollection(db).deleteOne({ _id: standardId });
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

/** Newest first; each filter is served by an index above. */
export async function listStandards(db: Db, q: ListStandardsQuery = {}): Promise<StandardListItem[]> {
  const filter: Filter<StandardRecord> = {};
  if (q.stage) filter.stage = q.stage;
  if (q.leadProvince) filter.leadProvince = q.leadProvince;
  const limit = Math.min(Math.max(q.limit ?? 50, 1), 500);
  return standardsCollection(db)
    .find(filter, { projection: LIST_PROJECTION })
    .sort({ updatedAt: -1, _id: 1 })
    .skip(Math.max(q.skip ?? 0, 0))
    .limit(limit)
    .toArray() as Promise<StandardListItem[]>;
}

/** What the lifecycle mirrors into the record at each transition. */
export interface LifecycleProjection {
  stage: Stage;
  step: StageStep;
  provinces: StandardRecord['provinces'];
  pendingProvinces: Province[];
  revision: number;
  updatedAt: string;
  commentDeadline?: string;
  releaseDate?: string;
  implementationDate?: string;
  publishedAt?: string;
  reviewDueAt?: string;
  endReason?: string;
  rejectedBy?: Province;
  revisedBy?: string;
  /** See TransitionInput.attemptMark: orders two writes of the same revision. */
  attemptMark?: number;
}

/**
 * Applies the projection when it is newer than what is stored (a higher revision, or the same revision
 * from a later attempt of the workflow task). Returns whether it was applied (false for
 * a retry or a late, older write). One `updateOne`, so all three provinces change at one instant.
 */
export async function applyProjection(db: Db, standardId: string, p: LifecycleProjection): Promise<boolean> {
  const set: Record<string, unknown> = {};
  const unset: Record<string, ''> = {};
  for (const [k, v] of Object.entries(p)) {
    if (v === undefined) unset[k] = '';
    else set[k] = v;
  }
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
  return res.modifiedCount === 1;
}

/** The lifecycle revision the projection of a standard shows (-1 if unknown). */
export async function projectedRevision(db: Db, standardId: string): Promise<number> {
  const doc = await standardsCollection(db).findOne({ _id: standardId }, { projection: { revision: 1 } });
  return doc?.revision ?? -1;
}
