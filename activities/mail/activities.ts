// The notification-mail activity the scheduled workflow (workflows/notification-mail.ts) runs: queue the
// digests of the day (or the immediate mails) and send what the outbox holds. Without SMTP the queue still
// fills, so nothing is lost; the rows go out on the first run after SMTP_URL is set.
import type { Db } from 'mongodb';
import type { Transporter } from 'nodemailer';
import type { Logger } from '../infra/logger';
import type { NotificationMailInput, NotificationMailResult } from '../../workflows/notification-mail';
import { sendQueuedMail } from './outbox';
import { queueDailyDigests, queueImmediateMail } from './notice-mail';

export interface MailDeps {
  smtpUrl?: string;
  /** A ready transport instead of smtpUrl (tests). */
  transport?: Transporter;
  from?: string;
  /** The absolute base URL of the links (PUBLIC_URL, or the address the server listens on). */
  baseUrl: () => string;
}

export interface MailActivities {
  runNotificationMail(input: NotificationMailInput): Promise<NotificationMailResult>;
}

export function createMailActivities(deps: { db: Db; logger: Logger; mail?: MailDeps }): MailActivities {
  const { db, logger } = deps;
  return {
    async runNotificationMail(input) {
      const baseUrl = deps.mail?.baseUrl() ?? '';
      const { queued } = input.kind === 'daily' ? await queueDailyDigests(db, { day: input.day, baseUrl }) : await queueImmediateMail(db, { baseUrl });
      const sent = await sendQueuedMail(db, { smtpUrl: deps.mail?.smtpUrl, transport: deps.mail?.transport, from: deps.mail?.from }, logger);
      if (queued || sent.sent || sent.failed) logger.info({ kind: input.kind, day: input.day, queued, ...sent }, 'notification mail run');
      return { queued, ...sent };
    },
  };
}
