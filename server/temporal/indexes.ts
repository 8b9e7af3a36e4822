// Creates every index the lifecycle's collections need (idempotent; run at start-up and in tests).
import type { Db } from 'mongodb';
import { ensureAuditIndexes } from '../data/audit';
import { ensureNotificationsIndexes } from '../data/notifications';
import { ensureNumbersIndexes } from '../data/numbers';
import { ensureStandardsIndexes } from '../data/standards';

export async function ensureLifecycleIndexes(db: Db): Promise<void> {
  await ensureStandardsIndexes(db);
  await ensureAuditIndexes(db);
  await ensureNotificationsIndexes(db);
  await ensureNumbersIndexes(db);
}
