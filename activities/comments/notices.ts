// Outcome notices to commenters. Publishing dispositions queues one notice per comment whose contact is
// an e-mail address (others are queued as `manual`, for staff to telephone) in `comment_outbox`; this
// module composes them and, when SMTP is configured (SMTP_URL), sends queued ones with nodemailer.
// Without SMTP they stay queued and an administrator reads them on the outbox page.
import nodemailer, { type Transporter } from 'nodemailer';
import type { Db } from 'mongodb';
import { createLogger, type Logger } from '../infra/logger';
import { COLLECTIONS, DECISION_LABELS, type CommentRecord, type OutboxRecord } from './model';
import { EXACT_PUSHDOWN } from '../infra/exact-pushdown';

/** How notices leave: an SMTP URL, a ready nodemailer transport (tests), or none (outbox only). */
export interface NoticeDelivery {
  smtpUrl?: string;
  transport?: Transporter;
  from?: string;
  /** Default: a child of the fallback root logger. */
  logger?: Logger;
}

const EMAIL = /^[^\s@<>()[\]\\,;:"]{1,64}@[^\s@<>()[\]\\,;:"]{1,253}\.[^\s@<>()[\]\\,;:"]{2,63}$/;

export function isEmail(contact: string): boolean {
  return EMAIL.test(contact.trim());
}

/** The notice for one disposed comment, in Chinese with English. */
export function composeOutcomeNotice(c: CommentRecord, titles: { zh: string; en: string }, statusUrl: string): { subject: string; text: string } {
  const d = c.disposition ? DECISION_LABELS[c.disposition.decision] : { zh: '已处理', en: 'Handled' };
  const subject = `意见处理结果 ${c.receipt}：${d.zh} / Outcome of your comment ${c.receipt}: ${d.en}`;
  const lines = [
    `${c.submitter.name}：`,
    '',
    `您对《${titles.zh}》提出的意见（回执编号 ${c.receipt}）已处理完毕。`,
    `处理意见：${d.zh}${c.disposition?.reason ? `。理由：${c.disposition.reason}` : ''}`,
    `详情：${statusUrl}`,
    '',
    `Your comment on “${titles.en}” (receipt ${c.receipt}) has been handled: ${d.en}.`,
    ...(c.disposition?.reason ? [`Reason (in Chinese): ${c.disposition.reason}`] : []),
    `Details: ${statusUrl}`,
  ];
  return { subject, text: lines.join('\n') };
}

/** The outbox row for a comment (id `<commentId>:outcome`, so publishing twice queues it once). */
export function outboxEntryFor(c: CommentRecord, titles: { zh: string; en: string }, statusUrl: string): Omit<OutboxRecord, 'createdAt' | 'attempts'> {
  const { subject, text } = composeOutcomeNotice(c, titles, statusUrl);
  const email = isEmail(c.submitter.contact);
  return {
    _id: `${c._id}:outcome`,
    standardId: c.standardId,
    commentId: c._id,
    receipt: c.receipt,
    to: c.submitter.contact,
    channel: email ? 'email' : 'manual',
    subject,
    text,
    status: email ? 'queued' : 'manual',
  };
}

let cachedTransport: { url: string; t: Transporter } | undefined;

function transportOf(d: NoticeDelivery): Transporter | undefined {
  if (d.transport) return d.transport;
  if (!d.smtpUrl) return undefined;
  if (cachedTransport?.url !== d.smtpUrl) cachedTransport = { url: d.smtpUrl, t: nodemailer.createTransport(d.smtpUrl) };
  return cachedTransport.t;
}

/** Notices read per round trip; a run goes on batch after batch until none is due. */
export const SEND_BATCH = 200;

/**
 * Sends every queued e-mail notice (batch by batch, so a publication of 50,000 comments is sent whole).
 * Returns how many were sent and failed; with no transport configured it sends nothing and reports
 * `configured: false`. A failed notice stays in the outbox with its error and is tried again on the next
 * run (each notice at most once per run), up to 5 attempts.
 */
export async function sendQueuedNotices(db: Db, delivery: NoticeDelivery, batch = SEND_BATCH): Promise<{ configured: boolean; sent: number; failed: number }> {
  const transport = transportOf(delivery);
  if (!transport) return { configured: false, sent: 0, failed: 0 };
  const log = delivery.logger ?? createLogger('comment-notices');
  const outbox = db.collection<OutboxRecord>(COLLECTIONS.outbox);
  let sent = 0;
  let failed = 0;
  // Keyset over (createdAt, _id): a notice that failed in this run is behind the cursor and is not retried
  // until the next run, so the loop ends.
  let after: { at: Date; id: string } | undefined;
  for (;;) {
    const due = await outbox
      .find({
        channel: 'email',
        status: { $in: ['queued', 'failed'] },
        attempts: { $lt: 5 },
        ...(after ? { $or: [{ createdAt: { $gt: after.at } }, { createdAt: after.at, _id: { $gt: after.id } }] } : {}),
      }, EXACT_PUSHDOWN)
      .sort({ createdAt: 1, _id: 1 })
      .limit(batch)
      .toArray();
    for (const n of due) {
      try {
        await transport.sendMail({ from: delivery.from ?? 'Tongbiao 统标 <no-reply@tongbiao.local>', to: n.to, subject: n.subject, text: n.text });
        await outbox.updateOne({ _id: n._id }, { $set: { status: 'sent', sentAt: new Date() }, $inc: { attempts: 1 }, $unset: { lastError: '' } });
        sent += 1;
      } catch (e) {
        const message = e instanceof Error ? e.message : String(e);
        log.warn({ err: e, id: n._id }, 'outcome notice not sent');
        await outbox.updateOne({ _id: n._id }, { $set: { status: 'failed', lastError: message.slice(0, 500) }, $inc: { attempts: 1 } });
        failed += 1;
      }
    }
    if (due.length < batch) break;
    const last = due[due.length - 1];
    after = { at: last.createdAt, id: last._id };
  }
  return { configured: true, sent, failed };
}
