// The scheduled run of notification e-mail (a Temporal schedule starts it: daily for the digests, every few
// minutes for immediate mail; server/temporal/mail-schedules.ts). Deterministic: the China day comes from
// workflow time; the activity does the I/O and is idempotent per user and day, so a retry sends nothing twice.
import { proxyActivities } from '@temporalio/workflow';
import { chinaToday } from './dates';

export interface NotificationMailInput {
  kind: 'daily' | 'immediate';
  /** The China date (YYYY-MM-DD) the run belongs to: one digest per user per day. */
  day: string;
}

export interface NotificationMailResult {
  queued: number;
  configured: boolean;
  sent: number;
  failed: number;
}

const { runNotificationMail } = proxyActivities<{ runNotificationMail(input: NotificationMailInput): Promise<NotificationMailResult> }>({
  startToCloseTimeout: '10 minutes',
  retry: { initialInterval: '10 seconds', maximumAttempts: 10 },
});

export async function notificationMailWorkflow(kind: NotificationMailInput['kind']): Promise<NotificationMailResult> {
  return runNotificationMail({ kind, day: chinaToday(Date.now()) });
}
