// Notifications to the holders of a lifecycle action (`notifications`): reminders that a step waits on
// them, the 备案 (filing) reminder, and notices that the lifecycle is parked (e.g. no release documents).
// Recipients are roles (optionally scoped by province or standard), not users, so a notification reaches
// whoever holds the role when they look. Keyed by a deterministic id so retries do not duplicate. The id
// carries the lifecycle revision it was sent at, so the reconciler can remove what a revision the workflow
// never durably made sent (removeNotificationsAbove).
import type { Db } from 'mongodb';
import type { Province, RoleGrant, Stage } from '../../workflows/domain';
import type { StageStep } from '../../workflows/messages';
import type { NotificationRecipient } from '../../workflows/holders';
import { EXACT_PUSHDOWN } from '../infra/exact-pushdown';
import { ensureNamedIndexes } from './named-indexes';

export type { NotificationRecipient } from '../../workflows/holders';

export const NOTIFICATIONS = 'notifications';

/**
 * `reminder`, `filingReminder`, `releaseBlocked`, `versionNotFrozen`: sent by the workflow. `actionDue` (it is
 * now the recipients' turn to take `action`) and `news` (something happened that concerns them: `event`) are
 * derived from each recorded transition by recordTransition (activities/lifecycle/transition-notices.ts).
 */
export type NotificationKind = 'reminder' | 'filingReminder' | 'releaseBlocked' | 'versionNotFrozen' | 'actionDue' | 'news';

/** What happened, for `news` and `actionDue` notifications (rendered in words at display time). */
export type NotificationEvent =
  | 'proposalSubmitted'
  | 'proposalReturned'
  | 'proposalRejected'
  | 'proposalApproved'
  | 'proposalResubmitted'
  | 'provinceApproved'
  | 'draftOpened'
  | 'draftLocked'
  | 'commentPeriodClosed'
  | 'commentPeriodExtended'
  | 'reviewStarted'
  | 'reviewPassed'
  | 'sentBackToDrafting'
  | 'approvalStarted'
  | 'approvalReturned'
  | 'releaseScheduled'
  | 'published'
  | 'publicityDone'
  | 'inForce'
  | 'reviewDue'
  | 'withdrawn'
  | 'abolished'
  | 'stageChanged'
  /** Someone @mentioned the reader in a comment thread of the draft (server/extensions/draft-threads.ts). */
  | 'mentionedInThread';

export interface NotificationRecord {
  /** Deterministic: `<standardId>:<revision>:<kind>:<n>`. */
  _id: string;
  standardId: string;
  kind: NotificationKind;
  /** The lifecycle action the recipients hold, when the notification asks for one. */
  action?: string;
  recipients: NotificationRecipient[];
  /** Individual users it is addressed to besides the roles (the proposer, the standard's watchers). */
  userIds?: string[];
  /** Stored by the workflow's own notifications; the page renders words from the structured fields instead. */
  messageZh?: string;
  messageEn?: string;
  at: string;
  /** Structured fields of derived notifications (see NotificationKind). */
  event?: NotificationEvent;
  stage?: Stage;
  step?: StageStep;
  /** The bureau whose decision this is about (a return, a rejection, a decision due). */
  province?: Province;
  reason?: string;
  actorName?: string;
}

export async function ensureNotificationsIndexes(db: Db): Promise<void> {
  const c = db.collection<NotificationRecord>(NOTIFICATIONS);
  // A standard's notifications in time order (scalar fields: its queries carry EXACT_PUSHDOWN; `_v2`, see
  // ./named-indexes.ts). The readers' queries filter on arrays (`recipients.role`, `userIds`): never pushed down.
  await ensureNamedIndexes(c, [{ key: { standardId: 1, at: 1, _id: 1 }, name: 'standardId_at_v2' }], ['standardId_at']);
  await c.createIndex({ 'recipients.role': 1, at: -1 }, { name: 'recipientRole_at' });
  await c.createIndex({ userIds: 1, at: -1 }, { name: 'userIds_at' });
}

/** Records the notification once; a retry with the same id is a no-op. Returns whether it was new. */
export async function recordNotification(db: Db, n: NotificationRecord): Promise<boolean> {
  const res = await db.collection<NotificationRecord>(NOTIFICATIONS).updateOne({ _id: n._id }, { $setOnInsert: n }, { upsert: true });
  return res.upsertedCount === 1;
}

/**
 * Records a notification derived from a transition: a later attempt of the same revision (a higher
 * `attemptMark`, see TransitionInput) replaces what an abandoned attempt wrote; a retry is a no-op.
 */
export async function recordNotificationOfAttempt(db: Db, n: NotificationRecord, attemptMark: number): Promise<void> {
  const { _id, ...rest } = n;
  try {
    await db
      .collection<NotificationRecord & { attemptMark?: number }>(NOTIFICATIONS)
      .replaceOne({ _id, $or: [{ attemptMark: { $lt: attemptMark } }, { attemptMark: { $exists: false } }] }, { ...rest, attemptMark }, { upsert: true });
  } catch (e) {
    // Already written by this attempt or a later one.
    if ((e as { code?: unknown }).code !== 11000) throw e;
  }
}

export async function listNotificationsOfStandard(db: Db, standardId: string): Promise<NotificationRecord[]> {
  return db.collection<NotificationRecord>(NOTIFICATIONS).find({ standardId }, EXACT_PUSHDOWN).sort({ at: 1, _id: 1 }).toArray();
}

function reaches(r: NotificationRecipient, g: RoleGrant): boolean {
  if (r.role !== g.role) return false;
  if (r.province && r.province !== g.province) return false;
  if (r.standardId && g.standardIds && !g.standardIds.includes(r.standardId)) return false;
  return true;
}

/** Newest notifications addressed to any of the grants (filtered by role in the query, by scope here). */
export async function listNotificationsFor(db: Db, grants: readonly RoleGrant[], limit = 50): Promise<NotificationRecord[]> {
  if (grants.length === 0) return [];
  const roles = [...new Set(grants.map((g) => g.role))];
  const docs = await db
    .collection<NotificationRecord>(NOTIFICATIONS)
    .find({ 'recipients.role': { $in: roles } })
    .sort({ at: -1 })
    .limit(limit * 4)
    .toArray();
  return docs.filter((d) => d.recipients.some((r) => grants.some((g) => reaches(r, g)))).slice(0, limit);
}

/** The lifecycle revision in a notification id `<standardId>:<revision>:<kind>:<n>` (undefined if none). */
export function revisionOfNotificationId(standardId: string, id: string): number | undefined {
  if (!id.startsWith(`${standardId}:`)) return undefined;
  const n = Number(id.slice(standardId.length + 1).split(':')[0]);
  return Number.isInteger(n) ? n : undefined;
}

/**
 * Removes the notifications a standard's lifecycle sent at revisions above `workflowRevision` (sent by a
 * workflow task that never completed). Each is deleted only if still the one read (same `at`), so one a
 * real transition of that revision recorded meanwhile stays. Returns the ids removed.
 */
export async function removeNotificationsAbove(db: Db, standardId: string, workflowRevision: number): Promise<string[]> {
  const c = db.collection<NotificationRecord>(NOTIFICATIONS);
  const docs = await c.find({ standardId }, { projection: { _id: 1, at: 1 }, ...EXACT_PUSHDOWN }).toArray();
  const removed: string[] = [];
  for (const d of docs) {
    const r = revisionOfNotificationId(standardId, d._id);
    if (r === undefined || r <= workflowRevision) continue;
    if ((await c.deleteOne({ _id: d._id, at: d.at })).deletedCount === 1) removed.push(d._id);
  }
  return removed;
}

/** Who reads notifications: a user with their grants. */
export interface NotificationReader {
  userId: string;
  grants: readonly RoleGrant[];
}

/** Whether the notification is addressed to the reader (by user id, or by a role their grants cover). */
export function isAddressedTo(n: Pick<NotificationRecord, 'recipients' | 'userIds'>, who: NotificationReader): boolean {
  if (n.userIds?.includes(who.userId)) return true;
  return n.recipients.some((r) => who.grants.some((g) => reaches(r, g)));
}

function readerFilter(who: NotificationReader): Record<string, unknown> {
  const roles = [...new Set(who.grants.map((g) => g.role))];
  return { $or: [{ 'recipients.role': { $in: roles } }, { userIds: who.userId }] };
}

/** A position in the newest-first list: the `at` and `_id` of the last item seen. */
export interface NotificationCursor {
  at: string;
  id: string;
}

/**
 * One page of the reader's notifications, newest first, after `before` (keyset on (at, _id), descending).
 * Scope (province, standard) is checked here, so reads go on batch after batch until the page is full.
 */
export async function listNotificationsPage(
  db: Db,
  who: NotificationReader,
  opts: { before?: NotificationCursor; limit?: number } = {},
): Promise<{ items: NotificationRecord[]; next?: NotificationCursor }> {
  const limit = opts.limit ?? 20;
  const c = db.collection<NotificationRecord>(NOTIFICATIONS);
  const items: NotificationRecord[] = [];
  let cursor = opts.before;
  const at = (d: NotificationRecord): NotificationCursor => ({ at: d.at, id: d._id });
  for (let round = 0; round < 20; round += 1) {
    const batch = await c
      .find({
        ...readerFilter(who),
        ...(cursor ? { $and: [{ $or: [{ at: { $lt: cursor.at } }, { at: cursor.at, _id: { $lt: cursor.id } }] }] } : {}),
      })
      .sort({ at: -1, _id: -1 })
      .limit(limit * 2)
      .toArray();
    for (const d of batch) {
      if (!isAddressedTo(d, who)) continue;
      // One more addressed notice after a full page: there is a next page, starting after the page's last.
      if (items.length === limit) return { items, next: at(items[items.length - 1]) };
      items.push(d);
    }
    if (batch.length < limit * 2) return { items };
    cursor = at(batch[batch.length - 1]);
  }
  // Scanned many notices of the reader's roles addressed to others: go on from where the scan stopped.
  return { items, ...(cursor ? { next: cursor } : {}) };
}

export const NOTIFICATION_READS = 'notification_reads';

interface ReadMarker {
  /** The user id. */
  _id: string;
  /** Notifications at or before this instant are read. */
  lastReadAt: string;
}

export async function lastReadAt(db: Db, userId: string): Promise<string | undefined> {
  return (await db.collection<ReadMarker>(NOTIFICATION_READS).findOne({ _id: userId }))?.lastReadAt;
}

/** Moves the user's read marker forward to `at` (never back). */
export async function markNotificationsRead(db: Db, userId: string, at: string): Promise<void> {
  try {
    await db
      .collection<ReadMarker>(NOTIFICATION_READS)
      .updateOne({ _id: userId, $or: [{ lastReadAt: { $lt: at } }, { lastReadAt: { $exists: false } }] }, { $set: { lastReadAt: at } }, { upsert: true });
  } catch (e) {
    // The marker exists and is already later: the upsert collided with it.
    if ((e as { code?: unknown }).code !== 11000) throw e;
  }
}

/** How many of the reader's notifications are newer than their read marker (counted up to `cap`). */
export async function unreadNotificationCount(db: Db, who: NotificationReader, cap = 99): Promise<number> {
  const since = await lastReadAt(db, who.userId);
  const docs = await db
    .collection<NotificationRecord>(NOTIFICATIONS)
    .find({ ...readerFilter(who), ...(since ? { at: { $gt: since } } : {}) }, { projection: { recipients: 1, userIds: 1 } })
    .sort({ at: -1 })
    .limit(cap * 4)
    .toArray();
  let n = 0;
  for (const d of docs) if (isAddressedTo(d, who) && ++n >= cap) break;
  return n;
}
