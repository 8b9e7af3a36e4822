// Notifications to the holders of a lifecycle action (`notifications`): reminders that a step waits on
// them, the 备案 (filing) reminder, and notices that the lifecycle is parked (e.g. no release documents).
// Recipients are roles (optionally scoped by province or standard), not users, so a notification reaches
// whoever holds the role when they look. Keyed by a deterministic id so retries do not duplicate. The id
// carries the lifecycle revision it was sent at, so the reconciler can remove what a revision the workflow
// never durably made sent (removeNotificationsAbove).
import type { Db } from 'mongodb';
import type { RoleGrant } from '../../workflows/domain';
import type { NotificationRecipient } from '../../workflows/holders';

export type { NotificationRecipient } from '../../workflows/holders';

export const NOTIFICATIONS = 'notifications';

export type NotificationKind = 'reminder' | 'filingReminder' | 'releaseBlocked' | 'versionNotFrozen';

export interface NotificationRecord {
  /** Deterministic: `<standardId>:<revision>:<kind>:<n>`. */
  _id: string;
  standardId: string;
  kind: NotificationKind;
  /** The lifecycle action the recipients hold, when the notification asks for one. */
  action?: string;
  recipients: NotificationRecipient[];
  messageZh: string;
  messageEn: string;
  at: string;
}

export async function ensureNotificationsIndexes(db: Db): Promise<void> {
  const c = db.collection<NotificationRecord>(NOTIFICATIONS);
  await c.createIndex({ standardId: 1, at: -1 }, { name: 'standardId_at' });
  await c.createIndex({ 'recipients.role': 1, at: -1 }, { name: 'recipientRole_at' });
}

/** Records the notification once; a retry with the same id is a no-op. Returns whether it was new. */
export async function recordNotification(db: Db, n: NotificationRecord): Promise<boolean> {
  const res = await db.collection<NotificationRecord>(NOTIFICATIONS).updateOne({ _id: n._id }, { $setOnInsert: n }, { upsert: true });
  return res.upsertedCount === 1;
}

export async function listNotificationsOfStandard(db: Db, standardId: string): Promise<NotificationRecord[]> {
  return db.collection<NotificationRecord>(NOTIFICATIONS).find({ standardId }).sort({ at: 1, _id: 1 }).toArray();
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
  const docs = await c.find({ standardId }, { projection: { _id: 1, at: 1 } }).toArray();
  const removed: string[] = [];
  for (const d of docs) {
    const r = revisionOfNotificationId(standardId, d._id);
    if (r === undefined || r <= workflowRevision) continue;
    if ((await c.deleteOne({ _id: d._id, at: d.at })).deletedCount === 1) removed.push(d._id);
  }
  return removed;
}
