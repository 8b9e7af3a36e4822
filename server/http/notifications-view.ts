// The notifications a signed-in user reads: the list page (newest first, keyset pages, rendered in the
// page's language from the stored fields), the read marker it moves, and the unread count the header shows.
import type { Request, RequestHandler } from 'express';
import type { Db } from 'mongodb';
import { z } from 'zod';
import {
  lastReadAt,
  listNotificationsPage,
  markNotificationsRead,
  unreadNotificationCount,
  type NotificationCursor,
  type NotificationRecord,
} from '../../activities/data/notifications';
import { standardsCollection } from '../../activities/data/standards';
import { isWatching } from '../../activities/data/watchers';
import { renderNotification, type Lang, type NotificationText } from '../../activities/lifecycle/notification-text';
import { visibleNotices } from '../../activities/lifecycle/notice-visibility';
import type { Principal } from '../../activities/data/users';

export const NOTIFICATIONS_PAGE_SIZE = 20;

export interface NotificationItem extends NotificationText {
  id: string;
  /** For programs (the API): which standard, and the kind and event in the stored vocabulary. */
  standardId: string;
  kind: NotificationRecord['kind'];
  event?: NotificationRecord['event'];
  at: string;
  unread: boolean;
}

const cursorSchema = z.object({ before: z.string().max(200).optional() });

/** GET /api/notifications: `before` is the `next` cursor of the previous page; `lang` the words' language. */
export const notificationsApiQuerySchema = z.strictObject({
  before: z
    .string()
    .max(200)
    .refine((s) => decodeCursor(s) !== undefined, {
      params: { i18n: { zh: '游标无效，请使用上一页返回的 next', en: 'is not a cursor returned as next' } },
    })
    .optional(),
  limit: z.coerce.number().int().min(1).max(100).optional(),
  lang: z.enum(['zh', 'en']).optional(),
});

/** The JSON page of GET /api/notifications: the same notices the page shows, with the cursor of the next page. */
export async function notificationsApiPage(db: Db, user: Principal, q: z.output<typeof notificationsApiQuerySchema>, reqLang: string | undefined): Promise<{ items: NotificationItem[]; next?: string }> {
  const lang: Lang = (q.lang ?? reqLang) === 'en' ? 'en' : 'zh';
  const page = await readerNotifications(db, user, lang, decodeCursor(q.before), q.limit ?? NOTIFICATIONS_PAGE_SIZE);
  return { items: page.items, ...(page.next ? { next: page.next } : {}) };
}

function encodeCursor(c: NotificationCursor): string {
  return Buffer.from(JSON.stringify([c.at, c.id]), 'utf8').toString('base64url');
}

function decodeCursor(s: string | undefined): NotificationCursor | undefined {
  if (!s) return undefined;
  try {
    const v: unknown = JSON.parse(Buffer.from(s, 'base64url').toString('utf8'));
    if (Array.isArray(v) && v.length === 2 && typeof v[0] === 'string' && typeof v[1] === 'string') return { at: v[0], id: v[1] };
  } catch {
    // a mangled cursor shows the first page
  }
  return undefined;
}

/**
 * One page of the notices addressed to exactly this user (by user id, or by a role grant whose scope covers
 * them), newest first, rendered in `lang`: the one rule the page and GET /api/notifications share. Reminders
 * their role can never act on are hidden, and a transition's news is folded into its "your turn" notice.
 */
export async function readerNotifications(
  db: Db,
  user: Principal,
  lang: Lang,
  before: NotificationCursor | undefined,
  limit = NOTIFICATIONS_PAGE_SIZE,
): Promise<{ items: NotificationItem[]; records: NotificationRecord[]; next?: string; readUpTo?: string }> {
  const [page, readUpTo] = await Promise.all([listNotificationsPage(db, user, { before, limit }), lastReadAt(db, user.userId)]);
  const ids = [...new Set(page.items.map((n) => n.standardId))];
  const standards = ids.length ? await standardsCollection(db).find({ _id: { $in: ids } }).toArray() : [];
  const byId = new Map(standards.map((s) => [s._id, s]));
  const records = visibleNotices(page.items, user, byId);
  const items = records.map((n): NotificationItem => {
    const s = byId.get(n.standardId);
    return { id: n._id, standardId: n.standardId, kind: n.kind, ...(n.event ? { event: n.event } : {}), at: n.at, unread: readUpTo === undefined || n.at > readUpTo, ...renderNotification(n, s ? { zh: s.titleZh, en: s.titleEn } : undefined, lang) };
  });
  return { items, records: page.items, ...(page.next ? { next: encodeCursor(page.next) } : {}), ...(readUpTo ? { readUpTo } : {}) };
}

/** Everything the notifications page renders; moves the user's read marker to the newest shown. */
export async function notificationsPageModel(db: Db, req: Request, user: Principal): Promise<{ items: NotificationItem[]; nextUrl?: string; firstUrl?: string }> {
  const q = cursorSchema.safeParse(req.query);
  const before = decodeCursor(q.success ? q.data.before : undefined);
  const lang: Lang = req.lang === 'en' ? 'en' : 'zh';
  const page = await readerNotifications(db, user, lang, before);
  const newest = page.records[0];
  if (newest && (page.readUpTo === undefined || newest.at > page.readUpTo)) await markNotificationsRead(db, user.userId, newest.at);
  const langQuery = lang === 'en' ? '&lang=en' : '';
  return {
    items: page.items,
    ...(page.next ? { nextUrl: `/notifications?before=${page.next}${langQuery}` } : {}),
    ...(before ? { firstUrl: `/notifications${lang === 'en' ? '?lang=en' : ''}` } : {}),
  };
}

const STANDARD_PAGE = /^\/standards\/([^/]+)$/;

/**
 * Page locals of a signed-in user's HTML GET: `unreadCount` for the header, and on a standard's page
 * `watching` (whether they follow it). Nothing for the API, assets or anonymous visitors.
 */
export function notificationLocals(db: Db): RequestHandler {
  return (req, res, next) => {
    const user = req.user as Principal | undefined;
    if (!user || req.method !== 'GET' || req.path.startsWith('/api/') || req.path.startsWith('/static/')) {
      next();
      return;
    }
    const m = STANDARD_PAGE.exec(req.path);
    Promise.all([unreadNotificationCount(db, user), m ? isWatching(db, decodeURIComponent(m[1]), user.userId) : Promise.resolve(undefined)])
      .then(([count, watching]) => {
        res.locals.unreadCount = count;
        if (watching !== undefined) res.locals.watching = watching;
        next();
      })
      .catch(next);
  };
}
