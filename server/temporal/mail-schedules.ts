// The Temporal schedules of notification e-mail: the daily digest at 08:00 China time, immediate mail every
// two minutes. Durable: the Temporal server keeps them; runs missed while it was down are taken when it is
// back (catch-up window of a day, overlapping runs skipped), and the activity is idempotent per user and
// day, so a catch-up never sends a digest twice. Created once per task queue; an existing one is kept.
import { ScheduleAlreadyRunning, ScheduleOverlapPolicy, type Client } from '@temporalio/client';
import type { Logger } from '../../activities/infra/logger';
import type { NotificationMailInput } from '../../workflows/notification-mail';

export const mailScheduleId = (taskQueue: string, kind: NotificationMailInput['kind']): string => `notification-mail-${kind}-${taskQueue}`;

export async function ensureMailSchedules(client: Client, taskQueue: string, log: Logger): Promise<void> {
  const specs: Record<NotificationMailInput['kind'], Parameters<Client['schedule']['create']>[0]['spec']> = {
    daily: { calendars: [{ hour: 8, minute: 0 }], timezone: 'Asia/Shanghai' },
    immediate: { intervals: [{ every: '2 minutes' }] },
  };
  for (const kind of ['daily', 'immediate'] as const) {
    const scheduleId = mailScheduleId(taskQueue, kind);
    try {
      await client.schedule.create({
        scheduleId,
        spec: specs[kind],
        action: { type: 'startWorkflow', workflowType: 'notificationMailWorkflow', args: [kind], taskQueue, workflowId: scheduleId },
        policies: { overlap: ScheduleOverlapPolicy.SKIP, catchupWindow: '1 day' },
      });
      log.info({ scheduleId }, 'notification mail schedule created');
    } catch (e) {
      if (!(e instanceof ScheduleAlreadyRunning)) throw e;
    }
  }
}
