// The data side of keeping the `standards` projection true to the lifecycle workflow. The workflow's state
// (its `state` query) is the truth; the projection, the audit log, notifications and number reservations are
// written by local activities *before* the workflow task that ran them completes, so when the process dies
// in between (kill -9, a Temporal server crash) they show a transition the workflow never durably made —
// on replay the Update was never accepted. Given a state the driver (server/temporal/reconciler.ts) queried,
// this module compares it with the projection and repairs the data:
//
// - projection behind or diverged (same revision, other content) → rewritten from the state, with the one
//   mapping of workflows/projection.ts; audit entries the workflow made but that are missing cannot be
//   invented: logged at warn.
// - projection or audit ahead (a revision above the workflow's) → a phantom, but only once the write is
//   older than the grace (`aheadGraceMs`, default 15 s: longer than a workflow task timeout of 10 s, so the
//   task that wrote it has completed or timed out by then) — and the driver confirms it with a second query.
//   Then the projection is rewritten from the state, audit entries above the workflow's revision move to
//   `audit_abandoned` (out of every read; the `_id` is free again, so the real transition of that revision
//   is later written normally), notifications sent at those revisions are removed, and number reservations
//   the state does not hold are released.
//
// Every write is compare-and-set on what was read (revision, attempt, updatedAt; an entry's `at`), so a
// repair racing a real transition writes nothing and never rolls the projection back past a durable
// revision; the next round looks again.
import type { Db } from 'mongodb';
import type { Logger } from '../infra/logger';
import { AUDIT_LOG, abandonAuditAbove, type AuditEntry } from '../data/audit';
import { removeNotificationsAbove } from '../data/notifications';
import { releaseStaleReservations, unheldReservationsSince } from '../data/numbers';
import { rewriteProjection, standardsCollection } from '../data/standards';
import { PROVINCES, type StandardRecord } from '../../workflows/domain';
import type { LifecycleState } from '../../workflows/messages';
import { PROJECTED_KEYS, projectionOf } from '../../workflows/projection';

/** Longer than the default workflow task timeout (10 s): a write older than this is not in flight. */
export const DEFAULT_AHEAD_GRACE_MS = 15_000;

/**
 * none: the projection shows the workflow's state. behind: an older revision. ahead: a revision the workflow
 * has not made (a phantom, or a task still in flight). diverged: the same revision with other content (the
 * write of an abandoned attempt that the re-run's write could not replace). missing: no record.
 */
export type Mismatch = 'none' | 'behind' | 'ahead' | 'diverged' | 'missing';

export interface ProjectionDiff {
  mismatch: Mismatch;
  /** The projected fields that differ. */
  fields: string[];
}

/** Key order and absent-versus-undefined do not matter; values do. */
function canonical(v: unknown): string {
  return JSON.stringify(v, (_k, x: unknown) =>
    x && typeof x === 'object' && !Array.isArray(x) ? Object.fromEntries(Object.entries(x as Record<string, unknown>).sort(([a], [b]) => a.localeCompare(b))) : x,
  ) ?? 'undefined';
}

/** Compares the projection of a record with the workflow's state, field by field. */
export function diffProjection(record: StandardRecord | null, state: LifecycleState): ProjectionDiff {
  if (!record) return { mismatch: 'missing', fields: [...PROJECTED_KEYS] };
  const want = projectionOf(state, record.updatedAt);
  const have = record as unknown as Record<string, unknown>;
  const fields = PROJECTED_KEYS.filter((k) => canonical(have[k]) !== canonical(want[k]));
  const revision = record.revision ?? -1;
  if (revision > state.revision) return { mismatch: 'ahead', fields };
  if (revision < state.revision) return { mismatch: 'behind', fields };
  return { mismatch: fields.length ? 'diverged' : 'none', fields };
}

export interface RepairOptions {
  /** Wall-clock now (ms). */
  now: number;
  aheadGraceMs: number;
}

export interface RepairResult {
  mismatch: Mismatch;
  /** rewritten: the projection now shows the state; deferred: ahead but within the grace; raced: the record changed meanwhile. */
  action: 'none' | 'rewritten' | 'deferred' | 'raced';
  /** When deferred: the instant (ms) after which the repair may proceed. */
  retryAt?: number;
  abandonedRevisions: number[];
  removedNotifications: string[];
  releasedNumbers: string[];
  /** Revisions 0..state.revision with no audit entry (cannot be invented). */
  missingRevisions: number[];
}

/** The projection of a state, dated by the audit entry of its revision when there is one (else now). */
function projectionFromState(state: LifecycleState, entry: AuditEntry | undefined, nowIso: string) {
  return { ...projectionOf(state, entry?.at ?? nowIso), ...(entry?.attemptMark === undefined ? {} : { attemptMark: entry.attemptMark }) };
}

/**
 * Repairs the data of one standard from its workflow's state. The caller has queried the state after reading
 * `record` (and, for an ahead record, confirmed it with a second query).
 */
export async function repairFromState(db: Db, logger: Logger, record: StandardRecord | null, state: LifecycleState, opts: RepairOptions): Promise<RepairResult> {
  const diff = diffProjection(record, state);
  const result: RepairResult = { mismatch: diff.mismatch, action: 'none', abandonedRevisions: [], removedNotifications: [], releasedNumbers: [], missingRevisions: [] };
  if (!record) return result;
  const standardId = record._id;
  const nowIso = new Date(opts.now).toISOString();
  const entries = await db.collection<AuditEntry>(AUDIT_LOG).find({ standardId }).toArray();
  const above = entries.filter((e) => e.revision > state.revision);

  // A write above the workflow's revision is left alone while its task may still complete.
  const newestAhead = Math.max(diff.mismatch === 'ahead' ? Date.parse(record.updatedAt) : -Infinity, ...above.map((e) => Date.parse(e.at)));
  if (Number.isFinite(newestAhead) && opts.now - newestAhead < opts.aheadGraceMs) {
    return { ...result, action: 'deferred', retryAt: newestAhead + opts.aheadGraceMs };
  }

  if (above.length) {
    result.abandonedRevisions = await abandonAuditAbove(db, standardId, state.revision, nowIso);
    result.removedNotifications = await removeNotificationsAbove(db, standardId, state.revision);
  }
  // Reservations the workflow does not hold are released whatever the projection says: a phantom approval
  // can reserve its number (a local activity of its own) without its transition ever being written. One
  // younger than the grace may belong to an approval still in flight: looked at again once the grace is over.
  const held = PROVINCES.map((p) => state.provinces[p]?.number).filter((n): n is string => Boolean(n));
  const graceStartIso = new Date(opts.now - opts.aheadGraceMs).toISOString();
  result.releasedNumbers = await releaseStaleReservations(db, standardId, held, graceStartIso);
  const youngUnheld = await unheldReservationsSince(db, standardId, held, graceStartIso);
  if (youngUnheld !== undefined) result.retryAt = Date.parse(youngUnheld) + opts.aheadGraceMs;

  if (diff.mismatch !== 'none') {
    const entry = entries.find((e) => e.revision === state.revision);
    const applied = await rewriteProjection(
      db,
      standardId,
      projectionFromState(state, entry, nowIso),
      { revision: record.revision, attemptMark: (record as StandardRecord & { attemptMark?: number }).attemptMark, updatedAt: record.updatedAt },
      nowIso,
    );
    result.action = applied ? 'rewritten' : 'raced';
  }

  const present = new Set(entries.filter((e) => e.revision <= state.revision).map((e) => e.revision));
  result.missingRevisions = [...Array(state.revision + 1).keys()].filter((r) => !present.has(r));
  if (result.missingRevisions.length) {
    logger.warn({ standardId, missingRevisions: result.missingRevisions, workflowRevision: state.revision }, 'audit entries of transitions the workflow made are missing (cannot be invented)');
  }
  if (result.action !== 'none' || result.abandonedRevisions.length || result.removedNotifications.length || result.releasedNumbers.length) {
    logger.warn(
      {
        standardId,
        mismatch: diff.mismatch,
        fields: diff.fields,
        projectedRevision: record.revision,
        workflowRevision: state.revision,
        action: result.action,
        abandonedRevisions: result.abandonedRevisions,
        removedNotifications: result.removedNotifications,
        releasedNumbers: result.releasedNumbers,
      },
      'projection reconciled with the workflow',
    );
  }
  return result;
}

/** Where the driver remembers the start of its last completed pass, so a restart scans since then. */
const MARKS = 'reconciler_marks';
const MARK_ID = 'lifecycle-projection';

interface ReconcilerMark {
  _id: string;
  lastPassStartedAt: string;
}

export async function lastPassStartedAt(db: Db): Promise<string | undefined> {
  return (await db.collection<ReconcilerMark>(MARKS).findOne({ _id: MARK_ID }))?.lastPassStartedAt;
}

/** Records a completed pass (only ever moves forward). */
export async function markPassCompleted(db: Db, startedAtIso: string): Promise<void> {
  await db.collection<ReconcilerMark>(MARKS).updateOne({ _id: MARK_ID }, { $max: { lastPassStartedAt: startedAtIso } }, { upsert: true });
}

/** Reads a standard's record for a comparison. */
export async function readProjection(db: Db, standardId: string): Promise<StandardRecord | null> {
  return standardsCollection(db).findOne({ _id: standardId });
}
