// The draft's comment threads on a stored version's page (issue 15): a read-only list — quote, status, text
// and every reply — for whoever may read the draft. Anchors are Yjs relative positions into the live draft
// only, so a version cannot show where a thread sits in its own text: the page shows the quote and says so.
// Keyset pages of threads (`threadsAfter`), filtered like the panel (`threads=open|resolved|mine`); each
// thread's replies are read to the end, so nothing is cut off.
import type { Db } from 'mongodb';
import { z } from 'zod';
import { createDraftThreadsStore, type DraftThreadRecord } from '../../activities/data/draft-threads';
import { AppError } from '../../activities/infra/errors';
import { shownName } from './draft-threads';

/** Threads per page on the version page. */
export const VERSION_THREADS_PAGE = 20;

const threadsQuery = z.object({
  threads: z.enum(['all', 'open', 'resolved', 'mine']).default('all'),
  threadsAfter: z.string().max(300).optional(),
});

export interface VersionThreadsView {
  filter: 'all' | 'open' | 'resolved' | 'mine';
  items: Array<{
    quote: string;
    text: string;
    author: string;
    status: DraftThreadRecord['status'];
    createdAt: Date;
    /** Opened after the version was saved (it may concern later text). */
    afterVersion: boolean;
    replies: Array<{ author: string; text: string; createdAt: Date }>;
  }>;
  /** The cursor of the next page, when there is one. */
  next?: string;
}

/** One page of the standard's threads for the page of a version saved at `savedAt`. */
export async function versionThreads(db: Db, standardId: string, userId: string, savedAt: Date, query: unknown): Promise<VersionThreadsView> {
  const q = threadsQuery.safeParse(query ?? {});
  if (!q.success) {
    const fields = q.error.issues.map((i) => i.path.join('.')).join(', ');
    throw new AppError('VALIDATION_FAILED', { zh: `批注列表参数无效：${fields}`, en: `Invalid thread list parameters: ${fields}` });
  }
  const store = createDraftThreadsStore(db);
  // A malformed cursor is a 400 from decodeCursor (activities/data/paging.ts).
  const page = await store.list(standardId, { filter: q.data.threads, userId, limit: VERSION_THREADS_PAGE, ...(q.data.threadsAfter ? { after: q.data.threadsAfter } : {}) });
  const items: VersionThreadsView['items'] = [];
  for (const t of page.items) {
    const replies: VersionThreadsView['items'][number]['replies'] = [];
    let after: string | undefined;
    do {
      const rp = await store.replies(standardId, t._id, { limit: 100, ...(after ? { after } : {}) });
      replies.push(...rp.items.map((r) => ({ author: shownName(r), text: r.text, createdAt: r.createdAt })));
      after = rp.next;
    } while (after);
    items.push({ quote: t.quote, text: t.text, author: shownName(t), status: t.status, createdAt: t.createdAt, afterVersion: t.createdAt > savedAt, replies });
  }
  return { filter: q.data.threads, items, ...(page.next ? { next: page.next } : {}) };
}
