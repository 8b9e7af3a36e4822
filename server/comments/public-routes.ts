// Public consultation pages (no account, no JavaScript needed) and the public JSON API: the list of open
// consultations, the frozen draft with clause numbers, the comment form, receipts and status, and the
// published dispositions.
import { randomUUID } from 'node:crypto';
import express, { type Request, type Response, type Router } from 'express';
import { AppError, isAppError } from '../../activities/infra/errors';
import { afterFromQuery } from '../../activities/data/paging';
import { clausesOf, type ClauseInfo } from '../../editor/clauses';
import { renderDraftHtml } from './draft-html';
import { acceptComment, notFoundStandard } from './intake';
import { DECISION_LABELS, type CommentRecord } from '../../activities/comments/model';
import { commentPeriodClosed, openPeriod } from '../../activities/data/consultation-standards';
import { tableRow } from '../../activities/comments/rows';
import { receiptSchema } from './schemas';
import type { RouterContext } from './context';
import { renderCommentPage } from './views';
import { VERSION_KIND_NAMES } from '../../workflows/version-kinds';

function bodyValues(body: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  if (body && typeof body === 'object') {
    for (const [k, v] of Object.entries(body as Record<string, unknown>)) if (typeof v === 'string') out[k] = v;
  }
  return out;
}

export function createPublicRoutes(ctx: RouterContext): Router {
  const r = express.Router();
  const page = (res: Response, name: string, data: Record<string, unknown>, status = 200): void => {
    const csrfToken = res.locals.csrfToken as (() => string) | undefined;
    renderCommentPage(res, name, { base: ctx.basePath, assetBase: ctx.assetBase, csrf: csrfToken ? csrfToken() : '', ...data }, status);
  };
  const standardOr404 = async (id: string) => {
    const std = await ctx.getStandard(id);
    if (!std) throw notFoundStandard();
    return std;
  };

  r.get('/consultation', async (req, res) => {
    const now = ctx.now();
    const candidates = await ctx.standards.candidates();
    const open = candidates
      .map((s) => ({ s, p: openPeriod(s, now) }))
      .filter((x) => x.p)
      .map(({ s, p }) => ({ id: s._id, titleZh: s.titleZh, titleEn: s.titleEn, phase: p?.phase, deadline: p?.deadline, deadlineIso: p?.deadline.toISOString() }));
    const after = typeof req.query.after === 'string' && /^[A-Za-z0-9_-]{1,64}$/.test(req.query.after) ? req.query.after : undefined;
    const consulted = await ctx.standards.consulted(after);
    const closed = consulted.items.filter((s) => commentPeriodClosed(s, now)).map((s) => ({ id: s._id, titleZh: s.titleZh }));
    page(res, 'public/index.njk', { open, closed, nextClosed: consulted.next });
  });

  r.get('/consultation/status', async (req, res) => {
    const code = typeof req.query.code === 'string' ? req.query.code : '';
    if (!code) return page(res, 'public/status.njk', { code: '' });
    const parsed = receiptSchema.safeParse(code);
    const c = parsed.success ? await ctx.store.byReceipt(parsed.data) : null;
    if (!c) return page(res, 'public/status.njk', { code, notFound: true }, 404);
    res.redirect(303, `${ctx.basePath}/consultation/receipt/${encodeURIComponent(c.receipt)}`);
  });

  r.get('/consultation/receipt/:code', async (req, res) => {
    const parsed = receiptSchema.safeParse(req.params.code);
    const c = parsed.success ? await ctx.store.byReceipt(parsed.data) : null;
    if (!c) throw new AppError('NOT_FOUND', { zh: '没有找到该回执编号', en: 'No comment has this receipt code' });
    const view = await receiptView(ctx, c);
    page(res, 'public/receipt.njk', { ...view, justSubmitted: req.query.new === '1' });
  });

  r.get('/consultation/:standardId', async (req, res) => {
    const std = await standardOr404(req.params.standardId);
    const period = openPeriod(std, ctx.now());
    const draft = await ctx.getCommentDraft(std._id);
    const clauses = draft ? clausesOf(draft.json) : new Map<string, ClauseInfo>();
    const commentUrl = `${ctx.basePath}/consultation/${encodeURIComponent(std._id)}/comment`;
    const draftHtml = draft ? renderDraftHtml(draft.json, { clauses, commentHref: (id) => (period ? `${commentUrl}?clause=${encodeURIComponent(id)}` : null) }) : '';
    page(res, 'public/draft.njk', {
      std,
      period,
      draftHtml,
      downloads: await ctx.files.list(std),
      draftLabel: draft?.label ?? (std.stage === 'initiation' ? { zh: '项目建议', en: 'Proposal' } : VERSION_KIND_NAMES.draftForComment),
    });
  });

  // Downloads of the 征求意见稿 and 编制说明 (plain links, no JavaScript); any other file id is a 404.
  r.get('/consultation/:standardId/files/:fileId', async (req, res) => {
    const std = await standardOr404(req.params.standardId);
    await ctx.files.send(std, req.params.fileId, req, res);
  });

  r.get('/consultation/:standardId/comment', async (req, res) => {
    const std = await standardOr404(req.params.standardId);
    const period = openPeriod(std, ctx.now());
    if (!period) throw closedForPage(std);
    const q = bodyValues(req.query);
    const clause = q.clause ? await clauseOf(ctx, std._id, q.clause) : undefined;
    const form = { submissionKey: randomUUID(), quote: clause && q.quote ? q.quote.slice(0, 2000) : '', quoteOffset: q.offset ?? '', showName: false };
    page(res, 'public/comment-form.njk', { std, period, clause, form, errors: [] });
  });

  r.post('/consultation/:standardId/comment', ctx.limitByContact, async (req: Request, res: Response) => {
    const standardId = String(req.params.standardId);
    try {
      const { comment } = await acceptComment(ctx.intake, standardId, req.body, req.ip ?? '');
      res.redirect(303, `${ctx.basePath}/consultation/receipt/${encodeURIComponent(comment.receipt)}?new=1`);
    } catch (e) {
      if (isAppError(e) && e.code === 'VALIDATION_FAILED') {
        const std = await standardOr404(standardId);
        const period = openPeriod(std, ctx.now());
        if (period) {
          const values = bodyValues(req.body);
          const clause = values.clauseId ? await clauseOf(ctx, standardId, values.clauseId).catch(() => undefined) : undefined;
          const details = Array.isArray(e.details) ? (e.details as Array<{ field: string; message: string }>) : [];
          return page(res, 'public/comment-form.njk', { std, period, clause, form: { ...values, showName: Boolean(values.showName) }, errors: details, message: e.messages }, 400);
        }
      }
      throw e;
    }
  });

  r.get('/consultation/:standardId/dispositions', async (req, res) => {
    const std = await standardOr404(req.params.standardId);
    const published = await ctx.store.publication(std._id);
    const closed = commentPeriodClosed(std, ctx.now());
    let rows: ReturnType<typeof tableRow>[] = [];
    let next: string | undefined;
    let counts: Record<string, number> = {};
    let total = 0;
    const first = typeof req.query.no === 'string' && /^\d{1,7}$/.test(req.query.no) ? Number(req.query.no) : 1;
    if (published) {
      const current = await ctx.getCurrentDraft(std._id);
      const clauses = current ? clausesOf(current.json) : undefined;
      // A page at a time; the counts cover every comment, not the page.
      const [slice, all] = await Promise.all([ctx.store.page(std._id, { status: 'disposed' }, afterFromQuery(req.query)), ctx.store.counts(std._id)]);
      rows = slice.items.filter((c) => c.moderation === 'visible').map((c, i) => tableRow(c, first + i, current, clauses, true));
      next = slice.next ? new URLSearchParams({ after: slice.next, no: String(first + rows.length) }).toString() : undefined;
      counts = all.byDecision;
      total = all.disposed;
    }
    page(res, 'public/dispositions.njk', { std, published, closed, rows, counts, total, next, DECISION_LABELS });
  });

  // JSON API for other clients; the same rules as the form.
  r.post('/api/consultation/:standardId/comments', ctx.limitByContact, async (req, res) => {
    const { comment, created } = await acceptComment(ctx.intake, String(req.params.standardId), req.body, req.ip ?? '');
    res.status(created ? 201 : 200).json({ receipt: comment.receipt, created, status: comment.status, duplicateOf: comment.duplicateOf ?? null, statusUrl: `${ctx.basePath}/consultation/receipt/${comment.receipt}` });
  });

  r.get('/api/consultation/receipts/:code', async (req, res) => {
    const parsed = receiptSchema.safeParse(req.params.code);
    const c = parsed.success ? await ctx.store.byReceipt(parsed.data) : null;
    if (!c) throw new AppError('NOT_FOUND', { zh: '没有找到该回执编号', en: 'No comment has this receipt code' });
    const view = await receiptView(ctx, c);
    res.json({
      receipt: c.receipt,
      standardId: c.standardId,
      status: c.status,
      moderation: c.moderation,
      decision: view.published && c.disposition ? c.disposition.decision : null,
      reason: view.published && c.disposition ? c.disposition.reason : null,
      location: view.location ?? null,
    });
  });

  return r;
}

function closedForPage(std: { _id: string; titleZh: string; titleEn: string }): AppError {
  return new AppError(
    'STAGE_CONFLICT',
    { zh: `《${std.titleZh}》目前不在征求意见期内，不接受意见。`, en: `“${std.titleEn}” is not open for comment.` },
    { details: { standardId: std._id } },
  );
}

async function clauseOf(ctx: RouterContext, standardId: string, clauseId: string): Promise<ClauseInfo> {
  const draft = await ctx.getCommentDraft(standardId);
  const c = draft ? clausesOf(draft.json).get(clauseId) : undefined;
  if (!c) throw new AppError('NOT_FOUND', { zh: '没有这一条', en: 'No such clause' });
  return c;
}

async function receiptView(ctx: RouterContext, c: CommentRecord) {
  const std = await ctx.getStandard(c.standardId);
  const published = await ctx.store.publication(c.standardId);
  const current = c.anchor.scope === 'document' ? null : await ctx.getCurrentDraft(c.standardId);
  const location = current ? ctx.resolve(c.anchor, current) : undefined;
  return { c, published, location, stdTitle: { zh: std?.titleZh ?? c.standardId, en: std?.titleEn ?? '' } };
}
