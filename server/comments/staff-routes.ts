// Staff side of comments: the triage page and API (filters by clause, type, province and status, counts,
// the clause's current text beside each comment), dispositions, moderation, the provinces' consolidation
// step, publication of dispositions with outcome notices, the disposition table downloads and the
// administrator's view of the notice outbox. Every change is audited in `comment_audit`.
import express, { type Request, type Response, type Router } from 'express';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { dispositionCsvChunks, dispositionDocxStream } from '../../activities/comments/disposition-stream';
import { outboxEntryFor, sendQueuedNotices } from '../../activities/comments/notices';
import { PROVINCES, type Province, type RoleGrant } from '../../workflows/domain';
import { AppError } from '../../activities/infra/errors';
import { forbidden, requirePrincipal, whoOf, type StaffPrincipal } from './access';
import { commentGrant, consolidatingProvinces, mayReadNoticeOutbox, type CommentAction } from '../../workflows/comment-permissions';
import { clausesOf } from '../../editor/clauses';
import { fieldErrors, notFoundStandard } from './intake';
import type { CommentRecord } from '../../activities/comments/model';
import { afterFromQuery } from '../../activities/data/paging';
import { commentPeriodClosed, openPeriod, type ConsultationStandard } from '../../activities/data/consultation-standards';
import { createConsultationMailingStore } from '../../activities/data/consultation-mailings';
import { versionNamesOf } from '../../activities/comments/version-names';
import { dispositionSchema, moderationSchema, provinceOpinionSchema, provinceReviewSchema, triageFilterSchema } from './schemas';
import type { RouterContext } from './context';
import { renderCommentPage } from './views';

function parse<T>(schema: { safeParse(v: unknown): { success: true; data: T } | { success: false; error: { issues: ReadonlyArray<{ path: PropertyKey[]; message: string }> } } }, v: unknown): T {
  const r = schema.safeParse(v ?? {});
  if (!r.success) throw new AppError('VALIDATION_FAILED', { zh: '提交的内容有误', en: 'Invalid input' }, { details: fieldErrors(r.error.issues) });
  return r.data;
}

function wantsJson(req: Request): boolean {
  return req.path.startsWith('/api/');
}

/** Renders a staff page with the app's layout.njk and its CSRF token. */
export function renderStaffPage(ctx: RouterContext, res: Response, name: string, data: Record<string, unknown>, status = 200): void {
  const csrfToken = res.locals.csrfToken as (() => string) | undefined;
  renderCommentPage(res, name, { base: ctx.basePath, csrf: csrfToken ? csrfToken() : '', ...data }, status);
}

export function createStaffRoutes(ctx: RouterContext): Router {
  const r = express.Router();
  /** The grant through which the principal may take the comment action, or 403. */
  const grantFor = (p: StaffPrincipal, action: CommentAction, std: ConsultationStandard, province?: Province | 'other'): RoleGrant => {
    const g = commentGrant(action, p.grants, { standardId: std._id, leadProvince: std.leadProvince }, province);
    if (!g) throw forbidden();
    return g;
  };
  const may = (p: StaffPrincipal, action: CommentAction, std: ConsultationStandard, province?: Province | 'other'): boolean =>
    commentGrant(action, p.grants, { standardId: std._id, leadProvince: std.leadProvince }, province) !== undefined;
  const standardOr404 = async (id: string): Promise<ConsultationStandard> => {
    const std = await ctx.getStandard(id);
    if (!std) throw notFoundStandard();
    return std;
  };
  const commentOr404 = async (std: ConsultationStandard, id: string): Promise<CommentRecord> => {
    const c = await ctx.store.byId(std._id, id);
    if (!c) throw new AppError('NOT_FOUND', { zh: '意见不存在', en: 'No such comment' });
    return c;
  };
  /** JSON answer for the API, or back to the triage page (at the comment) for forms. */
  const done = (req: Request, res: Response, std: ConsultationStandard, body: unknown, anchor = ''): void => {
    if (wantsJson(req)) {
      res.json(body);
      return;
    }
    res.redirect(303, `${ctx.basePath}/standards/${encodeURIComponent(std._id)}/comments${anchor ? `#${anchor}` : ''}`);
  };

  async function triageData(std: ConsultationStandard, query: unknown) {
    // The cursor is not part of the filter (the filter schema is strict).
    const filterQuery: Record<string, unknown> = { ...((query ?? {}) as Record<string, unknown>) };
    delete filterQuery.after;
    const filter = parse(triageFilterSchema, filterQuery);
    const after = afterFromQuery(query);
    const [page, counts, reviews, publication, current, frozen, versions] = await Promise.all([
      ctx.store.page(std._id, filter, after),
      ctx.store.counts(std._id),
      ctx.store.provinceReviews(std._id),
      ctx.store.publication(std._id),
      ctx.getCurrentDraft(std._id),
      ctx.getCommentDraft(std._id),
      ctx.versions.list(std._id),
    ]);
    const clauses = current ? clausesOf(current.json) : new Map();
    const frozenClauses = frozen ? clausesOf(frozen.json) : new Map();
    const items = page.items.map((c) => ({ c, id: c._id, location: current ? ctx.resolve(c.anchor, current) : undefined }));
    // The next page keeps the filter: the link carries it with the cursor.
    const filterParams = Object.fromEntries(Object.entries(filter).filter((e): e is [string, string] => typeof e[1] === 'string' && e[1] !== ''));
    const nextQuery = page.next ? new URLSearchParams({ ...filterParams, after: page.next }).toString() : undefined;
    const firstQuery = new URLSearchParams(filterParams).toString();
    return { filter, items, next: page.next, nextQuery, firstQuery, firstPage: !after, counts, reviews, publication, clauses: [...frozenClauses.values()], currentClauses: clauses, versions, versionLabels: Object.fromEntries(versions.map((v) => [v.id, v.label])) };
  }

  /** The triage page; `refused` is a disposition form that came back with field errors (status 400). */
  const renderTriagePage = (
    res: Response,
    p: StaffPrincipal,
    std: ConsultationStandard,
    data: Awaited<ReturnType<typeof triageData>>,
    refused?: { commentId: string; errors: Record<string, string>; values: Record<string, string> },
    status = 200,
  ): void => {
    const now = ctx.now();
    renderStaffPage(
      ctx,
      res,
      'comments/triage.njk',
      {
        std,
        ...data,
        open: openPeriod(std, now),
        closed: commentPeriodClosed(std, now),
        mayDispose: may(p, 'dispose', std),
        mayModerate: may(p, 'moderate', std),
        myProvinces: consolidatingProvinces(p.grants),
        mayOpinion: (c: CommentRecord) => may(p, 'provinceOpinion', std, c.submitter.province),
        PROVINCES,
        refused,
      },
      status,
    );
  };

  const triage = async (req: Request, res: Response): Promise<void> => {
    const p = requirePrincipal(req);
    const std = await standardOr404(String(req.params.standardId));
    grantFor(p, 'triage', std);
    const data = await triageData(std, req.query);
    if (wantsJson(req)) {
      res.json({
        standardId: std._id,
        counts: data.counts,
        pending: data.counts.pending,
        comments: data.items.map(({ c, id, location }) => ({ id, ...c, _id: undefined, addressHash: undefined, location })),
        // Absent on the last page; pass it back as `?after=` for the next.
        next: data.next ?? null,
        provinceReviews: data.reviews,
        published: data.publication,
      });
      return;
    }
    renderTriagePage(res, p, std, data);
  };
  r.get('/standards/:standardId/comments', triage);
  r.get('/api/standards/:standardId/comments', triage);

  r.get('/api/standards/:standardId/comments/pending', async (req, res) => {
    const p = requirePrincipal(req);
    const std = await standardOr404(req.params.standardId);
    grantFor(p, 'triage', std);
    res.json({ standardId: std._id, pending: await ctx.store.pendingCount(std._id) });
  });

  const dispose = async (req: Request, res: Response): Promise<void> => {
    const p = requirePrincipal(req);
    const std = await standardOr404(String(req.params.standardId));
    const g = grantFor(p, 'dispose', std);
    if (!commentPeriodClosed(std, ctx.now()) || !['publicComment', 'initiation'].includes(std.stage)) {
      throw new AppError('STAGE_CONFLICT', { zh: '只能在征求意见期结束后、意见处理阶段记录处理意见', en: 'Dispositions are recorded after the comment period, while comments are being handled' });
    }
    const c = await commentOr404(std, String(req.params.commentId));
    let d: ReturnType<typeof dispositionSchema.parse>;
    try {
      d = parse(dispositionSchema, req.body);
      // The version carrying the change is one of this standard's (the picker offers only those).
      if (d.versionId && !(await ctx.versions.belongs(std._id, d.versionId))) {
        throw new AppError('VALIDATION_FAILED', { zh: '体现修改的版本不是本标准的版本', en: 'The version is not one of this standard’s' }, { details: [{ field: 'versionId', message: '请从列表中选择本标准的版本 / Choose one of this standard’s versions' }] });
      }
    } catch (e) {
      // A form post comes back to the triage page, at this comment, with the field's message (issue 12 item 7).
      if (wantsJson(req) || !(e instanceof AppError) || e.code !== 'VALIDATION_FAILED') throw e;
      const details = Array.isArray(e.details) ? (e.details as Array<{ field: string; message: string }>) : [];
      const values = Object.fromEntries(Object.entries((req.body ?? {}) as Record<string, unknown>).filter((kv): kv is [string, string] => typeof kv[1] === 'string'));
      const data = await triageData(std, {});
      // The comment is shown even when it is not on the first page.
      if (!data.items.some((i) => i.id === c._id)) data.items.unshift({ c, id: c._id, location: undefined });
      renderTriagePage(res, p, std, data, { commentId: c._id, errors: Object.fromEntries(details.map((x) => [x.field, x.message])), values }, 400);
      return;
    }
    const updated = await ctx.store.dispose(std._id, c._id, { decision: d.decision, reason: d.reason, ...(d.versionId ? { versionId: d.versionId } : {}), ...(d.remark ? { remark: d.remark } : {}) }, whoOf(p, g), ctx.now());
    done(req, res, std, { id: updated._id, status: updated.status, disposition: updated.disposition, pending: await ctx.store.pendingCount(std._id) }, `c-${updated._id}`);
  };
  r.post('/standards/:standardId/comments/:commentId/disposition', dispose);
  r.post('/api/standards/:standardId/comments/:commentId/disposition', dispose);

  const moderate = async (req: Request, res: Response): Promise<void> => {
    const p = requirePrincipal(req);
    const std = await standardOr404(String(req.params.standardId));
    const g = grantFor(p, 'moderate', std);
    const c = await commentOr404(std, String(req.params.commentId));
    const m = parse(moderationSchema, req.body);
    const updated = await ctx.store.moderate(std._id, c._id, m.to, m.reason, whoOf(p, g), ctx.now());
    done(req, res, std, { id: updated._id, moderation: updated.moderation, moderationLog: updated.moderationLog }, `c-${updated._id}`);
  };
  r.post('/standards/:standardId/comments/:commentId/moderation', moderate);
  r.post('/api/standards/:standardId/comments/:commentId/moderation', moderate);

  const opinion = async (req: Request, res: Response): Promise<void> => {
    const p = requirePrincipal(req);
    const std = await standardOr404(String(req.params.standardId));
    const c = await commentOr404(std, String(req.params.commentId));
    const g = grantFor(p, 'provinceOpinion', std, c.submitter.province);
    const o = parse(provinceOpinionSchema, req.body);
    const updated = await ctx.store.setProvinceOpinion(std._id, c._id, o.opinion, whoOf(p, g), ctx.now());
    done(req, res, std, { id: updated._id, provinceOpinion: updated.provinceOpinion }, `c-${updated._id}`);
  };
  r.post('/standards/:standardId/comments/:commentId/province-opinion', opinion);
  r.post('/api/standards/:standardId/comments/:commentId/province-opinion', opinion);

  const review = async (req: Request, res: Response): Promise<void> => {
    const p = requirePrincipal(req);
    const std = await standardOr404(String(req.params.standardId));
    const o = parse(provinceReviewSchema, req.body);
    const g = grantFor(p, 'provinceReview', std, o.province as Province);
    const rec = { _id: `${std._id}:${o.province}`, standardId: std._id, province: o.province as Province, opinion: o.opinion, by: whoOf(p, g), at: ctx.now() };
    await ctx.store.saveProvinceReview(rec);
    done(req, res, std, rec, 'province-reviews');
  };
  r.post('/standards/:standardId/province-reviews', review);
  r.post('/api/standards/:standardId/province-reviews', review);

  const publish = async (req: Request, res: Response): Promise<void> => {
    const p = requirePrincipal(req);
    const std = await standardOr404(String(req.params.standardId));
    const g = grantFor(p, 'dispose', std);
    if (!commentPeriodClosed(std, ctx.now())) throw new AppError('STAGE_CONFLICT', { zh: '征求意见期尚未结束', en: 'The comment period has not closed' });
    const pending = await ctx.store.pendingCount(std._id);
    if (pending > 0) throw new AppError('CONFLICT', { zh: `还有 ${pending} 条意见没有处理意见`, en: `${pending} comments still lack a disposition` }, { details: { pending } });
    const titles = { zh: std.titleZh, en: std.titleEn };
    const link = (c: CommentRecord): string => `${ctx.publicUrl}${ctx.basePath}/consultation/receipt/${c.receipt}`;
    // Every disposed comment, batch by batch: a notice run never stops at a page or batch size.
    async function* notices() {
      for await (const batch of ctx.store.all(std._id, { status: 'disposed' })) {
        yield batch.filter((c) => c.submitter.contact.trim() !== '').map((c) => outboxEntryFor(c, titles, link(c)));
      }
    }
    const { queued, ...rec } = await ctx.store.publish(std._id, whoOf(p, g), ctx.now(), notices());
    const delivery = await sendQueuedNotices(ctx.store.comments.db, ctx.delivery);
    done(req, res, std, { published: rec, queued, delivery });
  };
  r.post('/standards/:standardId/comments/publish', publish);
  r.post('/api/standards/:standardId/comments/publish', publish);

  // The downloads stream: comments are read a batch at a time while the file is written (memory stays flat).
  const tableInput = async (req: Request) => {
    const p = requirePrincipal(req);
    const std = await standardOr404(String(req.params.standardId));
    grantFor(p, 'triage', std);
    const current = await ctx.getCurrentDraft(std._id);
    // ① and ④ of the 说明 line: the units the 征求意见稿 was sent to, as recorded (server/extensions/consultation-mailing.ts).
    const sentTo = await createConsultationMailingStore(ctx.store.comments.db).sentTo(std._id);
    const standard = { titleZh: std.titleZh, draftingUnits: std.draftingUnits ?? std.leadUnits ?? [] };
    const versionNames = await versionNamesOf(ctx.store.comments.db, std._id);
    return { std, input: { standard, date: ctx.now(), batches: ctx.store.tableComments(std._id), current, sentTo, versionNames } };
  };
  const fileName = (std: ConsultationStandard, ext: string): string => `attachment; filename="disposition-table-${std._id.replace(/[^A-Za-z0-9_-]/g, '')}.${ext}"; filename*=UTF-8''${encodeURIComponent(`征求意见汇总处理表-${std.titleZh}.${ext}`)}`;
  /** Sends a stream; a failure once the first bytes are out can only cut the response, which the client sees as incomplete. */
  const send = async (res: Response, std: ConsultationStandard, body: NodeJS.ReadableStream): Promise<void> => {
    try {
      await pipeline(body, res);
    } catch (err) {
      ctx.log.error({ err, standardId: std._id }, 'disposition table export failed while streaming');
      res.destroy();
    }
  };
  r.get('/standards/:standardId/comments/disposition-table.docx', async (req, res) => {
    const { std, input } = await tableInput(req);
    const body = await dispositionDocxStream(input);
    res.type('application/vnd.openxmlformats-officedocument.wordprocessingml.document').set('Content-Disposition', fileName(std, 'docx'));
    await send(res, std, body);
  });
  r.get('/standards/:standardId/comments/disposition-table.csv', async (req, res) => {
    const { std, input } = await tableInput(req);
    res.type('text/csv; charset=utf-8').set('Content-Disposition', fileName(std, 'csv'));
    await send(res, std, Readable.from(dispositionCsvChunks(input)));
  });

  const outbox = async (req: Request, res: Response): Promise<void> => {
    const p = requirePrincipal(req);
    if (!mayReadNoticeOutbox(p.grants)) throw forbidden();
    const page = await ctx.store.outbox(afterFromQuery(req.query));
    if (wantsJson(req)) {
      res.json({ items: page.items, next: page.next ?? null });
      return;
    }
    renderStaffPage(ctx, res, 'comments/outbox.njk', { items: page.items, next: page.next, smtp: Boolean(ctx.delivery.smtpUrl || ctx.delivery.transport) });
  };
  r.get('/admin/comment-outbox', outbox);
  r.get('/api/admin/comment-outbox', outbox);

  return r;
}
