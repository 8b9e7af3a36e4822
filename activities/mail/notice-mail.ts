// Queues notification e-mail for the users who asked for it (activities/mail/preferences.ts): the daily
// digest — one mail per user per China day listing the notices they have not read and no earlier digest
// listed — and immediate mail, one per notice. Both are idempotent: the digest of a day is recorded in
// `mail_digests` (id `<userId>:<day>`, the commit point, holding the text) before its outbox row
// (`digest:<userId>:<day>`) is queued, so a retried run or a second process queues it once, and a run
// that died between the two finishes the queueing next time. What a digest covers is everything after the
// user's last digest (or read marker), so a missed day is not skipped: the next digest lists it.
import type { Db } from 'mongodb';
import { lastReadAt, listNotificationsPage, type NotificationCursor, type NotificationRecord } from '../data/notifications';
import { standardsCollection } from '../data/standards';
import { findUserById, principalOf, type Principal } from '../data/users';
import { visibleNotices } from '../lifecycle/notice-visibility';
import { renderNotification } from '../lifecycle/notification-text';
import type { StandardRecord } from '../../workflows/domain';
import { queueMail } from './outbox';
import { mailReaders, type MailPreference } from './preferences';
import { composeDigest, composeImmediate } from './compose';

export const MAIL_DIGESTS = 'mail_digests';
export const MAIL_CURSORS = 'mail_cursors';

interface DigestRecord {
  /** `<userId>:<day>` */
  _id: string;
  userId: string;
  day: string;
  /** The newest notice it lists: the next digest starts after it. */
  upTo: string;
  to: string;
  subject: string;
  text: string;
  createdAt: Date;
}

interface ImmediateCursor {
  _id: string;
  upTo: string;
}

export async function ensureNoticeMailIndexes(db: Db): Promise<void> {
  await db.collection<DigestRecord>(MAIL_DIGESTS).createIndex({ userId: 1, upTo: -1 }, { name: 'userId_upTo' });
}

/** Every notice shown to the user that is newer than `since`, newest first (all pages). */
async function noticesSince(db: Db, user: Principal, since: string | undefined): Promise<{ notices: NotificationRecord[]; standards: Map<string, StandardRecord> }> {
  const notices: NotificationRecord[] = [];
  let before: NotificationCursor | undefined;
  for (;;) {
    const page = await listNotificationsPage(db, user, { before, limit: 100 });
    const fresh = since ? page.items.filter((n) => n.at > since) : page.items;
    notices.push(...fresh);
    if (!page.next || fresh.length < page.items.length) break;
    before = page.next;
  }
  const ids = [...new Set(notices.map((n) => n.standardId))];
  const standards = ids.length ? await standardsCollection(db).find({ _id: { $in: ids } }).toArray() : [];
  const byId = new Map(standards.map((s) => [s._id, s]));
  return { notices: visibleNotices(notices, user, byId), standards: byId };
}

const titlesOf = (s: StandardRecord | undefined) => (s ? { zh: s.titleZh, en: s.titleEn } : undefined);

async function readerOf(db: Db, pref: MailPreference): Promise<Principal | undefined> {
  const u = await findUserById(db, pref._id);
  return u ? principalOf(db, u) : undefined;
}

/** Queues the day's digest of every daily reader; returns how many digests are queued for `day`. */
export async function queueDailyDigests(db: Db, opts: { day: string; baseUrl: string }): Promise<{ queued: number }> {
  const digests = db.collection<DigestRecord>(MAIL_DIGESTS);
  let queued = 0;
  for await (const pref of mailReaders(db, 'daily')) {
    const id = `${pref._id}:${opts.day}`;
    let digest = await digests.findOne({ _id: id });
    if (!digest) {
      const user = await readerOf(db, pref);
      if (!user || !pref.email) continue;
      const [last] = await digests.find({ userId: pref._id }).sort({ upTo: -1 }).limit(1).toArray();
      const read = await lastReadAt(db, pref._id);
      const since = [last?.upTo, read].filter((x): x is string => Boolean(x)).sort().pop();
      const { notices, standards } = await noticesSince(db, user, since);
      if (notices.length === 0) continue;
      const items = notices.map((n) => renderNotification(n, titlesOf(standards.get(n.standardId)), pref.lang, opts.baseUrl));
      const mail = composeDigest(items, { day: opts.day, lang: pref.lang, baseUrl: opts.baseUrl });
      const record: DigestRecord = { _id: id, userId: pref._id, day: opts.day, upTo: notices[0].at, to: pref.email, ...mail, createdAt: new Date() };
      try {
        await digests.insertOne(record);
        digest = record;
      } catch (e) {
        // Another run recorded this day's digest meanwhile: queue that one.
        if ((e as { code?: unknown }).code !== 11000) throw e;
        digest = await digests.findOne({ _id: id });
        if (!digest) continue;
      }
    }
    await queueMail(db, { _id: `digest:${id}`, userId: digest.userId, to: digest.to, subject: digest.subject, text: digest.text });
    queued += 1;
  }
  return { queued };
}

/** Queues one mail per notice newer than each immediate reader's cursor (which starts when they chose it). */
export async function queueImmediateMail(db: Db, opts: { baseUrl: string }): Promise<{ queued: number }> {
  const cursors = db.collection<ImmediateCursor>(MAIL_CURSORS);
  let queued = 0;
  for await (const pref of mailReaders(db, 'immediate')) {
    const user = await readerOf(db, pref);
    if (!user || !pref.email) continue;
    const since = (await cursors.findOne({ _id: pref._id }))?.upTo ?? pref.updatedAt.toISOString();
    const { notices, standards } = await noticesSince(db, user, since);
    // Oldest first, so a run that dies part-way leaves the cursor before what it did not queue.
    for (const n of [...notices].reverse()) {
      const mail = composeImmediate(renderNotification(n, titlesOf(standards.get(n.standardId)), pref.lang, opts.baseUrl), { lang: pref.lang, baseUrl: opts.baseUrl });
      if (await queueMail(db, { _id: `notice:${n._id}:${pref._id}`, userId: pref._id, to: pref.email, ...mail })) queued += 1;
    }
    if (notices.length) await cursors.updateOne({ _id: pref._id }, { $max: { upTo: notices[0].at } }, { upsert: true });
  }
  return { queued };
}
