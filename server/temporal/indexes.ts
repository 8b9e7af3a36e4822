// Creates every index the lifecycle's collections need (idempotent; run at start-up and in tests).
import type { Db } from 'mongodb';
import { ensureAuditIndexes } from '../../activities/data/audit';
import { ensureNotificationsIndexes } from '../../activities/data/notifications';
import { ensureNumbersIndexes } from '../../activities/data/numbers';
import { ensureMailOutboxIndexes } from '../../activities/mail/outbox';
import { ensureNoticeMailIndexes } from '../../activities/mail/notice-mail';
import { ensureStandardsIndexes } from '../../activities/data/standards';
import { createExpertStore } from '../../activities/data/experts';
import { createTechnicalReviewStore } from '../../activities/review/store';
import { ensureFileIndexes } from '../../activities/files/store';

export async function ensureLifecycleIndexes(db: Db): Promise<void> {
  await ensureStandardsIndexes(db);
  await ensureAuditIndexes(db);
  await ensureNotificationsIndexes(db);
  await ensureNumbersIndexes(db);
  await ensureMailOutboxIndexes(db);
  await ensureNoticeMailIndexes(db);
  await createExpertStore(db).ensureIndexes();
  await createTechnicalReviewStore(db).ensureIndexes();
  await ensureFileIndexes(db);
}
