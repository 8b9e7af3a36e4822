// Comment threads inside a draft, over HTTP (not the Y.Doc: commenters such as the bureaus only read the
// draft). Anyone who may read the draft opens threads and replies, mentioning people who may read it too
// (they are notified); the drafting group and the lead department resolve and reopen (workflows/
// draft-access.ts threadPermission). Role refusals are 403, stage and state refusals 409, and a refusal
// changes nothing. Lists are keyset pages (`next`), filtered by open / resolved / mine. With the collaboration
// server at hand, the review copy of the live draft is a DOCX with every thread as a Word comment.
import type { Db } from 'mongodb';
import type { Request } from 'express';
import { z } from 'zod';
import type { AppExtensionContext } from '../app-deps';
import { userOf } from '../http/principal';
import { loadStandardOr404 } from './editor-page';
import { AppError } from '../../activities/infra/errors';
import type { Logger } from '../../activities/infra/logger';
import { createDraftThreadsStore, THREAD_PAGE_MAX, type DraftThreadRecord, type DraftThreadReplyRecord, type ThreadAuthor, type WordOrigin } from '../../activities/data/draft-threads';
import { wordLabel } from '../../editor/thread-word';
import { recordNotification } from '../../activities/data/notifications';
import { findUserByUsername, principalOf, provinceOfGrants, usersCollection, USERNAME_PATTERN, type Principal } from '../../activities/data/users';
import { draftPermission, threadPermission, type ThreadAction } from '../../workflows/draft-access';
import { safeText } from '../../workflows/safe-text';
import { isEncodedRelativePosition, MAX_QUOTE_CHARS } from '../../editor/thread-anchors';
import { YJS_FRAGMENT } from '../../editor/ydoc';
import * as Y from 'yjs';
import type { CollabServer } from '../collab/types';
import { draftDocName } from '../../workflows/domain';
import { reviewCopyWithComments, type ReviewThread } from '../../activities/redline/review-comments';
import { generateReviewCopyDocx } from '../../activities/redline/review-suggestions';
import { retryingReady } from '../infra/retrying-ready';

const THREAD_ID = /^[0-9a-f-]{36}$/;
const relPos = z
  .string()
  .max(400)
  .regex(/^[A-Za-z0-9+/]+={0,2}$/)
  .refine((v) => isEncodedRelativePosition(v, YJS_FRAGMENT), { message: 'not a Yjs relative position / 不是有效的锚点' });
const mentions = z.array(z.string().regex(USERNAME_PATTERN)).max(20).default([]);
const text = safeText(4000, { label: { zh: '批注内容', en: 'Comment text' } }).min(1);

export const createThreadBody = z.strictObject({
  anchor: z.strictObject({ start: relPos, end: relPos }),
  quote: safeText(MAX_QUOTE_CHARS, { label: { zh: '引用原文', en: 'Quoted text' } }).min(1),
  text,
  mentions,
});
export const replyBody = z.strictObject({ text, mentions });
export const listQuery = z.object({
  filter: z.enum(['all', 'open', 'resolved', 'mine']).default('all'),
  after: z.string().max(300).optional(),
  limit: z.coerce.number().int().min(1).max(THREAD_PAGE_MAX).optional(),
});
const pageQuery = listQuery.pick({ after: true, limit: true });
const peopleQuery = z.object({ q: safeText(40).default('') });

function badInput(error: z.ZodError): AppError {
  const fields = error.issues.map((i) => i.path.join('.') || '(body)').join(', ');
  return new AppError('VALIDATION_FAILED', { zh: `输入无效：${fields}`, en: `Invalid input: ${fields}` }, { details: error.issues });
}

function parse<T extends z.ZodType>(schema: T, value: unknown): z.infer<T> {
  const r = schema.safeParse(value ?? {});
  if (!r.success) throw badInput(r.error);
  return r.data;
}

const authorOf = (u: Principal): ThreadAuthor => {
  const province = provinceOfGrants(u.grants);
  return { userId: u.userId, displayName: u.displayName, ...(province ? { province } : {}) };
};

/** The name shown for a thread or reply: an imported Word comment says whose it was (「李四（Word 批注：张三）」). */
export const shownName = (r: { author: ThreadAuthor; word?: WordOrigin }): string => (r.word ? `${r.author.displayName}（${wordLabel(r.word.author)}）` : r.author.displayName);

const threadView = (t: DraftThreadRecord, me: string) => ({
  id: t._id,
  anchor: t.anchor,
  quote: t.quote,
  text: t.text,
  author: { displayName: shownName(t), ...(t.author.province ? { province: t.author.province } : {}) },
  ...(t.word ? { word: { author: t.word.author, label: wordLabel(t.word.author), ...(t.word.date ? { date: t.word.date } : {}) } } : {}),
  status: t.status,
  replyCount: t.replyCount,
  createdAt: t.createdAt.toISOString(),
  updatedAt: t.updatedAt.toISOString(),
  ...(t.resolvedAt ? { resolvedAt: t.resolvedAt.toISOString() } : {}),
  ...(t.resolvedBy ? { resolvedBy: t.resolvedBy.displayName } : {}),
  mine: t.participants.includes(me),
});

const replyView = (r: DraftThreadReplyRecord) => ({
  id: r._id,
  text: r.text,
  author: { displayName: shownName(r), ...(r.author.province ? { province: r.author.province } : {}) },
  ...(r.word ? { word: { author: r.word.author, label: wordLabel(r.word.author) } } : {}),
  createdAt: r.createdAt.toISOString(),
});

const escapeRegex = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

export function draftThreadsExtension(deps: { db: Db; logger: Logger; collab?: Pick<CollabServer, 'getDoc'> }) {
  const { db, logger } = deps;
  const store = createDraftThreadsStore(db);
  const indexes = retryingReady(() => store.ensureIndexes(), (e) => logger.warn({ err: e }, 'draft thread indexes not created; trying again with the next request'));

  /** The standard, the user, and whether they may read the draft; with `action`, whether they may take it. */
  async function access(req: Request, action?: ThreadAction) {
    await indexes().catch(() => undefined);
    const user = userOf(req);
    const standard = await loadStandardOr404(db, String(req.params.id));
    if (draftPermission(user.grants, standard) === 'none') throw new AppError('FORBIDDEN', { zh: '您无权查看此草案的批注', en: "You may not see this draft's threads" });
    if (action) {
      const v = threadPermission(action, user.grants, standard);
      if (!v.ok) throw new AppError(v.kind === 'role' ? 'FORBIDDEN' : 'STAGE_CONFLICT', { zh: v.zh, en: v.en });
    }
    return { user, standard };
  }

  /** The mentioned users' ids; a 400 naming every mentioned username that does not exist or may not read the draft. */
  async function mentionedUsers(standard: Awaited<ReturnType<typeof loadStandardOr404>>, usernames: string[]): Promise<string[]> {
    const ids: string[] = [];
    const refused: string[] = [];
    for (const name of [...new Set(usernames)]) {
      const u = await findUserByUsername(db, name);
      const p = u && !u.disabled ? await principalOf(db, u) : null;
      if (!u || !p || draftPermission(p.grants, standard) === 'none') refused.push(name);
      else ids.push(u._id);
    }
    if (refused.length) {
      throw new AppError(
        'VALIDATION_FAILED',
        { zh: `以下用户不存在或无权查看此草案，不能提及：${refused.join('、')}`, en: `These users do not exist or may not read this draft, so they cannot be mentioned: ${refused.join(', ')}` },
        { details: { refusedMentions: refused } },
      );
    }
    return ids;
  }

  async function notifyMentions(standardId: string, sourceId: string, by: ThreadAuthor, body: string, userIds: string[]): Promise<void> {
    const to = userIds.filter((id) => id !== by.userId);
    if (to.length === 0) return;
    const excerpt = body.length > 200 ? `${body.slice(0, 200)}…` : body;
    await recordNotification(db, {
      _id: `${standardId}:thread:${sourceId}:mention`,
      standardId,
      kind: 'news',
      event: 'mentionedInThread',
      recipients: [],
      userIds: to,
      at: new Date().toISOString(),
      actorName: by.displayName,
      reason: `${by.displayName}：${excerpt}`,
    });
  }

  async function threadOr404(standardId: string, threadId: string): Promise<DraftThreadRecord> {
    const t = THREAD_ID.test(threadId) ? await store.get(standardId, threadId) : null;
    if (!t) throw new AppError('NOT_FOUND', { zh: '批注不存在', en: 'No such thread' });
    return t;
  }

  /** Every thread of the standard with every reply, oldest first (all pages). */
  async function everyThread(standardId: string, userId: string): Promise<ReviewThread[]> {
    const out: ReviewThread[] = [];
    let after: string | undefined;
    do {
      const page = await store.list(standardId, { filter: 'all', userId, limit: THREAD_PAGE_MAX, ...(after ? { after } : {}) });
      for (const t of page.items) {
        const replies: ReviewThread['replies'] = [];
        let rAfter: string | undefined;
        do {
          const rp = await store.replies(standardId, t._id, { limit: THREAD_PAGE_MAX, ...(rAfter ? { after: rAfter } : {}) });
          replies.push(...rp.items.map((r) => ({ author: shownName(r), text: r.text, createdAt: r.createdAt })));
          rAfter = rp.next;
        } while (rAfter);
        out.push({ anchor: t.anchor, quote: t.quote, text: t.text, author: shownName(t), createdAt: t.createdAt, status: t.status, replies });
      }
      after = page.next;
    } while (after);
    return out;
  }

  return ({ app, requireUser }: AppExtensionContext): void => {
    const collab = deps.collab;
    // The review copy (审阅稿) of the live draft with every thread as a Word comment.
    if (collab) {
      app.get('/standards/:id/threads/review-copy', requireUser, async (req, res) => {
        const { user, standard } = await access(req);
        const doc = await collab.getDoc(draftDocName(standard._id));
        const threads = await everyThread(standard._id, user.userId);
        const copy = reviewCopyWithComments(Y.encodeStateAsUpdate(doc), threads);
        // The draft's suggestions as Word tracked changes (w:ins / w:del by their proposers).
        const data = await generateReviewCopyDocx({ record: standard, body: copy.body, edition: 'joint', completedOn: new Date().toISOString().slice(0, 10), comments: copy.comments });
        logger.info({ standardId: standard._id, threads: threads.length, placed: copy.placed, elsewhere: copy.elsewhere, suggestionsElsewhere: copy.suggestionsElsewhere }, 'review copy with comments');
        const name = `${standard.titleZh}-审阅稿（含批注）.docx`;
        res
          .type('application/vnd.openxmlformats-officedocument.wordprocessingml.document')
          .set('Content-Disposition', `attachment; filename="review-copy.docx"; filename*=UTF-8''${encodeURIComponent(name)}`)
          .set('X-Threads-Placed', String(copy.placed))
          .set('X-Threads-Elsewhere', String(copy.elsewhere))
          .send(data);
      });
    }

    app.get('/api/standards/:id/threads', requireUser, async (req, res) => {
      const { user, standard } = await access(req);
      const q = parse(listQuery, req.query);
      const page = await store.list(standard._id, { filter: q.filter, userId: user.userId, ...(q.after ? { after: q.after } : {}), ...(q.limit ? { limit: q.limit } : {}) });
      res.json({ items: page.items.map((t) => threadView(t, user.userId)), ...(page.next ? { next: page.next } : {}) });
    });

    app.post('/api/standards/:id/threads', requireUser, async (req, res) => {
      const { user, standard } = await access(req, 'comment');
      const body = parse(createThreadBody, req.body);
      const mentioned = await mentionedUsers(standard, body.mentions);
      const author = authorOf(user);
      const thread = await store.create({ standardId: standard._id, anchor: body.anchor, quote: body.quote, text: body.text, author, mentions: mentioned });
      await notifyMentions(standard._id, thread._id, author, body.text, mentioned);
      logger.info({ standardId: standard._id, threadId: thread._id, mentions: mentioned.length }, 'draft thread opened');
      res.status(201).json(threadView(thread, user.userId));
    });

    app.get('/api/standards/:id/threads/people', requireUser, async (req, res) => {
      const { standard } = await access(req, 'comment');
      const { q } = parse(peopleQuery, req.query);
      const re = new RegExp(escapeRegex(q), 'i');
      const people: Array<{ username: string; displayName: string }> = [];
      // Suggestions for the @ picker: the first ten matching users who may read the draft.
      const cursor = usersCollection(db).find(q ? { $or: [{ username: re }, { displayName: re }] } : {}).sort({ username: 1 });
      for await (const u of cursor) {
        if (u.disabled) continue;
        const p = await principalOf(db, u);
        if (draftPermission(p.grants, standard) !== 'none') people.push({ username: u.username, displayName: u.displayName });
        if (people.length >= 10) break;
      }
      await cursor.close();
      res.json({ items: people });
    });

    app.get('/api/standards/:id/threads/:threadId/replies', requireUser, async (req, res) => {
      const { standard } = await access(req);
      const thread = await threadOr404(standard._id, String(req.params.threadId));
      const q = parse(pageQuery, req.query);
      const page = await store.replies(standard._id, thread._id, { ...(q.after ? { after: q.after } : {}), ...(q.limit ? { limit: q.limit } : {}) });
      res.json({ items: page.items.map(replyView), ...(page.next ? { next: page.next } : {}) });
    });

    app.post('/api/standards/:id/threads/:threadId/replies', requireUser, async (req, res) => {
      const { user, standard } = await access(req, 'comment');
      const thread = await threadOr404(standard._id, String(req.params.threadId));
      const body = parse(replyBody, req.body);
      if (thread.status === 'resolved') throw new AppError('CONFLICT', { zh: '此批注已解决，请起草组重新打开后再回复', en: 'This thread is resolved: the drafting group must reopen it before replies' });
      const mentioned = await mentionedUsers(standard, body.mentions);
      const author = authorOf(user);
      const reply = await store.reply(standard._id, thread._id, { text: body.text, author, mentions: mentioned });
      if (!reply) throw new AppError('NOT_FOUND', { zh: '批注不存在', en: 'No such thread' });
      await notifyMentions(standard._id, reply._id, author, body.text, [...new Set([...mentioned])]);
      res.status(201).json(replyView(reply));
    });

    for (const [verb, to] of [['resolve', 'resolved'], ['reopen', 'open']] as const) {
      app.post(`/api/standards/:id/threads/:threadId/${verb}`, requireUser, async (req, res) => {
        const { user, standard } = await access(req, 'resolve');
        const threadId = String(req.params.threadId);
        await threadOr404(standard._id, threadId);
        const r = await store.setStatus(standard._id, threadId, to, authorOf(user));
        if (!r) throw new AppError('NOT_FOUND', { zh: '批注不存在', en: 'No such thread' });
        if (!r.changed) {
          throw new AppError('CONFLICT', to === 'resolved' ? { zh: '此批注已经解决', en: 'This thread is already resolved' } : { zh: '此批注未解决，无需重新打开', en: 'This thread is open already' });
        }
        res.json(threadView(r.thread, user.userId));
      });
    }
  };
}
