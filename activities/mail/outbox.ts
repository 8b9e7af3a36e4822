// The notification mail outbox (`mail_outbox`) and its sender. A mail is queued under a deterministic id
// (`digest:<userId>:<day>`, `notice:<notificationId>:<userId>`), so a retried or repeated run queues it
// once. Sending claims each row (queued → sending, with a lease) before handing it to SMTP, so two
// processes never send the same row; a row whose sender died is claimed again once its lease runs out.
// The Message-ID is derived from the row id, so even that rare resend is one message to the mail client.
import nodemailer, { type Transporter } from 'nodemailer';
import type { Db } from 'mongodb';
import type { Logger } from '../infra/logger';

export const MAIL_OUTBOX = 'mail_outbox';

export interface MailRow {
  _id: string;
  userId: string;
  to: string;
  subject: string;
  text: string;
  html?: string;
  status: 'queued' | 'sending' | 'sent' | 'failed';
  attempts: number;
  createdAt: Date;
  claimedUntil?: Date;
  sentAt?: Date;
  lastError?: string;
}

export const MAX_ATTEMPTS = 5;

export async function ensureMailOutboxIndexes(db: Db): Promise<void> {
  await db.collection<MailRow>(MAIL_OUTBOX).createIndex({ status: 1, createdAt: 1 }, { name: 'status_createdAt' });
}

/** Queues the mail once: a second call with the same id is a no-op. Returns whether it was new. */
export async function queueMail(db: Db, m: Pick<MailRow, '_id' | 'userId' | 'to' | 'subject' | 'text' | 'html'>): Promise<boolean> {
  const row: MailRow = { ...m, status: 'queued', attempts: 0, createdAt: new Date() };
  const { _id, ...rest } = row;
  const res = await db.collection<MailRow>(MAIL_OUTBOX).updateOne({ _id }, { $setOnInsert: rest }, { upsert: true });
  return res.upsertedCount === 1;
}

export interface MailTransport {
  smtpUrl?: string;
  transport?: Transporter;
  from?: string;
}

const transports = new Map<string, Transporter>();

function transportOf(d: MailTransport): Transporter | undefined {
  if (d.transport) return d.transport;
  if (!d.smtpUrl) return undefined;
  let t = transports.get(d.smtpUrl);
  if (!t) {
    t = nodemailer.createTransport(d.smtpUrl);
    transports.set(d.smtpUrl, t);
  }
  return t;
}

/**
 * Sends every queued mail (and those whose sender's lease ran out, and failed ones with attempts left),
 * one claim at a time. Without SMTP it sends nothing (the rows wait for a configured run).
 */
export async function sendQueuedMail(db: Db, d: MailTransport, log: Logger, leaseMs = 120_000): Promise<{ configured: boolean; sent: number; failed: number }> {
  const transport = transportOf(d);
  if (!transport) return { configured: false, sent: 0, failed: 0 };
  const c = db.collection<MailRow>(MAIL_OUTBOX);
  const tried = new Set<string>();
  let sent = 0;
  let failed = 0;
  for (;;) {
    const now = new Date();
    const row = await c.findOneAndUpdate(
      {
        _id: { $nin: [...tried] },
        attempts: { $lt: MAX_ATTEMPTS },
        $or: [{ status: { $in: ['queued', 'failed'] } }, { status: 'sending', claimedUntil: { $lt: now } }],
      },
      { $set: { status: 'sending', claimedUntil: new Date(now.getTime() + leaseMs) }, $inc: { attempts: 1 } },
      { sort: { createdAt: 1, _id: 1 }, returnDocument: 'after' },
    );
    if (!row) break;
    tried.add(row._id);
    try {
      await transport.sendMail({
        from: d.from ?? 'Tongbiao 统标 <no-reply@tongbiao.local>',
        to: row.to,
        subject: row.subject,
        text: row.text,
        ...(row.html ? { html: row.html } : {}),
        messageId: `<${Buffer.from(row._id, 'utf8').toString('base64url')}@tongbiao.local>`,
      });
      await c.updateOne({ _id: row._id }, { $set: { status: 'sent', sentAt: new Date() }, $unset: { claimedUntil: '', lastError: '' } });
      sent += 1;
    } catch (e) {
      const message = e instanceof Error ? e.message : String(e);
      log.warn({ err: e, id: row._id }, 'notification mail not sent');
      await c.updateOne({ _id: row._id }, { $set: { status: 'failed', lastError: message.slice(0, 500) }, $unset: { claimedUntil: '' } });
      failed += 1;
    }
  }
  return { configured: true, sent, failed };
}
