// The append-only audit log of lifecycle transitions (`audit_log`): who, when, with which role, from which
// stage to which, the step, the action and the reason. Entries are keyed by (standardId, revision), so a
// retried activity never writes a second entry. The one rewrite: a workflow task that failed after writing
// is re-run, and its re-run's entry for that revision replaces the abandoned one (recordAuditOfRevision).
// An entry of a revision the workflow never durably made (its workflow task never completed: the process
// died in between) is moved by the reconciler to `audit_abandoned` (abandonAuditAbove): out of every read
// of the log, kept as evidence, and its `_id` free again for the real transition of that revision.
import type { Db } from 'mongodb';
import type { Actor, Role, Stage } from '../../workflows/domain';
import type { StageStep } from '../../workflows/messages';
import { EXACT_PUSHDOWN } from '../infra/exact-pushdown';
import { ensureNamedIndexes } from './named-indexes';

export const AUDIT_LOG = 'audit_log';
/** Entries of revisions the workflow never made, moved here by the reconciler; never read as the log. */
export const AUDIT_ABANDONED = 'audit_abandoned';

export interface AuditEntry {
  /** `<standardId>:<revision>`. */
  _id: string;
  standardId: string;
  revision: number;
  at: string;
  /** Null for transitions the lifecycle makes by itself (a timer fired). */
  actor: Actor | null;
  role: Role | null;
  fromStage: Stage | null;
  toStage: Stage;
  step: StageStep;
  action: string;
  reason?: string;
  /** Orders writes of the same revision by workflow-task attempt (see TransitionInput.attemptMark). */
  attemptMark?: number;
}

export function auditId(standardId: string, revision: number): string {
  return `${standardId}:${revision}`;
}

/**
 * A standard's log in time order (a standard without a projected revision), and its entries above a revision
 * (the reconciler): both queries carry EXACT_PUSHDOWN, so on the embedded store too they are index walks
 * (`_v2` names: ./named-indexes.ts).
 */
export async function ensureAuditIndexes(db: Db): Promise<void> {
  await ensureNamedIndexes(
    db.collection<AuditEntry>(AUDIT_LOG),
    [
      { key: { standardId: 1, at: 1, revision: 1 }, name: 'standardId_at_v2' },
      { key: { standardId: 1, revision: 1 }, name: 'standardId_revision_v2' },
    ],
    ['standardId_at'],
  );
  await ensureNamedIndexes(db.collection<AbandonedAuditEntry>(AUDIT_ABANDONED), [{ key: { standardId: 1, abandonedAt: 1, revision: 1 }, name: 'standardId_abandonedAt_v2' }]);
}

function isDuplicateKey(e: unknown): boolean {
  return typeof e === 'object' && e !== null && (e as { code?: number }).code === 11000;
}

/** Appends the entry; returns false when an entry for that revision already exists (a retry). */
export async function appendAudit(db: Db, entry: Omit<AuditEntry, '_id' | 'role'>): Promise<boolean> {
  const doc: AuditEntry = { _id: auditId(entry.standardId, entry.revision), role: entry.actor?.role ?? null, ...entry };
  if (doc.reason === undefined) delete doc.reason;
  try {
    await db.collection<AuditEntry>(AUDIT_LOG).insertOne(doc);
    return true;
  } catch (e) {
    if (isDuplicateKey(e)) return false;
    throw e;
  }
}

/** Removes the entries of a standard whose lifecycle never started (the only deletion: undoing a failed proposal). */
export async function discardAuditOfUnstartedStandard(db: Db, standardId: string): Promise<void> {
  await db.collection<AuditEntry>(AUDIT_LOG).deleteMany({ standardId, revision: 0 });
}

/**
 * Records the entry of a lifecycle revision: written once per revision, except that a later attempt of
 * the workflow task that computed it (a higher `attemptMark`) replaces what an abandoned attempt wrote.
 * Returns false when an entry from the same or a later attempt is already there.
 */
export async function recordAuditOfRevision(db: Db, entry: Omit<AuditEntry, '_id' | 'role'> & { attemptMark: number }): Promise<boolean> {
  const doc: AuditEntry = { _id: auditId(entry.standardId, entry.revision), role: entry.actor?.role ?? null, ...entry };
  if (doc.reason === undefined) delete doc.reason;
  const col = db.collection<AuditEntry>(AUDIT_LOG);
  // Nearly always the first write of this revision: a plain insert, the cheapest write there is. Only
  // when an entry is already there (a retry, or a re-run of the workflow task) is the attempt compared.
  try {
    await col.insertOne(doc);
    return true;
  } catch (e) {
    if (!isDuplicateKey(e)) throw e;
  }
  const { _id, ...fields } = doc;
  const res = await col.replaceOne({ _id, $or: [{ attemptMark: { $lt: entry.attemptMark } }, { attemptMark: { $exists: false } }] }, fields);
  return res.modifiedCount === 1;
}

/** Point lookups in flight at once when a timeline is read by key. */
const LOOKUPS_AT_ONCE = 32;

const byAtThenRevision = (a: AuditEntry, b: AuditEntry): number => (a.at < b.at ? -1 : a.at > b.at ? 1 : a.revision - b.revision);

/**
 * A standard's timeline, oldest first. Entries are keyed `<standardId>:<revision>`, so it is read by `_id`
 * (the one lookup FerretDB on SQLite serves from an index; a `standardId` filter scans the whole log): every
 * revision up to the one the projection shows, then on past it while entries follow (a transition whose
 * projection has not landed yet). A standard without a projected revision is read by filter (MongoDB: the
 * `standardId_at` index).
 */
export async function listAudit(db: Db, standardId: string): Promise<AuditEntry[]> {
  const log = db.collection<AuditEntry>(AUDIT_LOG);
  const std = await db.collection<{ _id: string; revision?: number }>('standards').findOne({ _id: standardId }, { projection: { revision: 1 } });
  if (typeof std?.revision !== 'number' || !Number.isInteger(std.revision) || std.revision < 0) {
    return log.find({ standardId }, EXACT_PUSHDOWN).sort({ at: 1, revision: 1 }).toArray();
  }
  const entries: AuditEntry[] = [];
  for (let from = 0; from <= std.revision; from += LOOKUPS_AT_ONCE) {
    const revisions = Array.from({ length: Math.min(LOOKUPS_AT_ONCE, std.revision + 1 - from) }, (_, i) => from + i);
    const found = await Promise.all(revisions.map((r) => log.findOne({ _id: auditId(standardId, r) })));
    for (const e of found) if (e) entries.push(e);
  }
  for (let r = std.revision + 1; ; r++) {
    const e = await log.findOne({ _id: auditId(standardId, r) });
    if (!e) break;
    entries.push(e);
  }
  return entries.sort(byAtThenRevision);
}

/** An audit entry the reconciler moved out of the log: when, and the workflow revision it exceeded. */
export interface AbandonedAuditEntry extends Omit<AuditEntry, '_id'> {
  /** `<auditId>@<at>`: one copy per abandoned write, whatever the retries. */
  _id: string;
  auditId: string;
  abandonedAt: string;
  workflowRevision: number;
}

/**
 * Moves the entries of a standard above `workflowRevision` (transitions the workflow never durably made)
 * to `audit_abandoned`. Each is copied first and then deleted only if it is still the entry that was read
 * (same `at` and attempt), so an entry a real transition wrote meanwhile stays; a crash in between leaves
 * a copy and the entry, and the next round finishes. Returns the revisions moved.
 */
export async function abandonAuditAbove(db: Db, standardId: string, workflowRevision: number, abandonedAt: string): Promise<number[]> {
  const log = db.collection<AuditEntry>(AUDIT_LOG);
  const abandoned = db.collection<AbandonedAuditEntry>(AUDIT_ABANDONED);
  const above = await log.find({ standardId, revision: { $gt: workflowRevision } }, EXACT_PUSHDOWN).toArray();
  const moved: number[] = [];
  for (const e of above) {
    const { _id, ...rest } = e;
    const copyId = `${_id}@${e.at}`;
    await abandoned.updateOne({ _id: copyId }, { $setOnInsert: { ...rest, _id: copyId, auditId: _id, abandonedAt, workflowRevision } }, { upsert: true });
    const res = await log.deleteOne({ _id, at: e.at, ...(e.attemptMark === undefined ? { attemptMark: { $exists: false } } : { attemptMark: e.attemptMark }) });
    if (res.deletedCount === 1) moved.push(e.revision);
    else await abandoned.deleteOne({ _id: copyId });
  }
  return moved.sort((a, b) => a - b);
}

/** The abandoned entries of a standard (what the reconciler moved out of its log), oldest first. */
export async function listAbandonedAudit(db: Db, standardId: string): Promise<AbandonedAuditEntry[]> {
  return db.collection<AbandonedAuditEntry>(AUDIT_ABANDONED).find({ standardId }, EXACT_PUSHDOWN).sort({ abandonedAt: 1, revision: 1 }).toArray();
}
