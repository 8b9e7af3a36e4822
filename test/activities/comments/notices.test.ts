// Outcome notices: composed in Chinese and English, kept in the outbox without SMTP, sent through
// nodemailer when a transport is configured, and retried after a failure.
import nodemailer from 'nodemailer';
import { composeOutcomeNotice, isEmail, outboxEntryFor, SEND_BATCH, sendQueuedNotices } from '../../../activities/comments/notices';
import { sampleDispositionInput } from '../../../activities/comments/sample';
import { freshMongo } from '../../support/mongo';

describe('outcome notices', () => {
  let mongo: Awaited<ReturnType<typeof freshMongo>>;
  beforeAll(async () => {
    mongo = await freshMongo('comments-notices');
  });
  afterAll(async () => {
    await mongo.drop();
  });

  const comment = () => {
    const c = sampleDispositionInput().comments[2];
    return { ...c, submitter: { ...c.submitter, contact: 'zhao@example.org' } };
  };

  it('tells the commenter the decision and the reason with a link to the status page', () => {
    const n = composeOutcomeNotice(comment(), { zh: '地表水规范', en: 'Surface water' }, 'https://x.example/consultation/receipt/SMPL2-1002A');
    expect(n.subject).toContain('不采纳');
    expect(n.subject).toContain('Not accepted');
    expect(n.text).toContain('数据共享时限属于管理制度');
    expect(n.text).toContain('https://x.example/consultation/receipt/SMPL2-1002A');
    expect(isEmail('a@b.cn')).toBe(true);
    expect(isEmail('021-12345678')).toBe(false);
    expect(isEmail('a@b')).toBe(false);
  });

  it('keeps notices queued without SMTP, records a failed send, and sends on the next try', async () => {
    const outbox = mongo.db.collection('comment_outbox');
    const entry = outboxEntryFor(comment(), { zh: '地表水规范', en: 'Surface water' }, 'https://x.example/s');
    await outbox.insertOne({ ...entry, attempts: 0, createdAt: new Date() } as never);
    expect(await sendQueuedNotices(mongo.db, {})).toEqual({ configured: false, sent: 0, failed: 0 });
    expect(await outbox.findOne({ _id: entry._id } as never)).toMatchObject({ status: 'queued', attempts: 0 });

    const failing = nodemailer.createTransport({ host: '127.0.0.1', port: 1, connectionTimeout: 500, greetingTimeout: 500 });
    expect(await sendQueuedNotices(mongo.db, { transport: failing })).toEqual({ configured: true, sent: 0, failed: 1 });
    expect(await outbox.findOne({ _id: entry._id } as never)).toMatchObject({ status: 'failed', attempts: 1, lastError: expect.any(String) });

    const ok = nodemailer.createTransport({ jsonTransport: true });
    expect(await sendQueuedNotices(mongo.db, { transport: ok })).toEqual({ configured: true, sent: 1, failed: 0 });
    expect(await outbox.findOne({ _id: entry._id } as never)).toMatchObject({ status: 'sent', attempts: 2, sentAt: expect.any(Date) });
    expect(await sendQueuedNotices(mongo.db, { transport: ok })).toEqual({ configured: true, sent: 0, failed: 0 });
  });

  it('sends every queued notice in one run, beyond one batch, each at most once even when some fail', async () => {
    const outbox = mongo.db.collection('comment_outbox');
    await outbox.deleteMany({});
    // A batch of 20 here (SEND_BATCH in production) keeps the test quick; the loop is the same.
    const batch = 20;
    expect(SEND_BATCH).toBeGreaterThan(batch);
    const n = batch * 2 + 11;
    const at = new Date();
    const rows = Array.from({ length: n }, (_, i) => {
      const c = comment();
      // Half share one createdAt: the _id tie-breaker keeps the batches apart.
      return { ...outboxEntryFor({ ...c, _id: `cbatch${String(i).padStart(5, '0')}`, submitter: { ...c.submitter, contact: i % 10 === 0 ? `fail${i}@example.org` : `p${i}@example.org` } }, { zh: '规范', en: 'Spec' }, 'https://x.example/s'), attempts: 0, createdAt: i % 2 ? at : new Date(at.getTime() + i) };
    });
    await outbox.insertMany(rows as never[]);
    const delivered: string[] = [];
    const transport = nodemailer.createTransport({ jsonTransport: true });
    const send = transport.sendMail.bind(transport);
    transport.sendMail = (async (mail: { to?: unknown }) => {
      if (String(mail.to).startsWith('fail')) throw new Error('mailbox unavailable');
      delivered.push(String(mail.to));
      return send(mail as never);
    }) as typeof transport.sendMail;
    const failing = rows.filter((r) => r.to.startsWith('fail')).length;
    expect(await sendQueuedNotices(mongo.db, { transport }, batch)).toEqual({ configured: true, sent: n - failing, failed: failing });
    expect(new Set(delivered).size).toBe(n - failing);
    expect(await outbox.countDocuments({ status: 'sent' })).toBe(n - failing);
    expect(await outbox.countDocuments({ status: 'failed', attempts: 1 })).toBe(failing);
  });
});
