// The technical review's pages (技术审查): GET /standards/:id/technical-review shows the latest round (or
// ?round=N) — to the organiser the panel, form, package, who submitted, who is late, and the conclusion form;
// to a panel expert the draft and package links and the opinion form. POST
// /standards/:id/technical-review/:round/:action sends one of the five review Updates; the workflow's
// validators decide (403 role, 409 phase, 400 payload) and nothing changes on a refusal. Forms are plain
// HTML with the CSRF token; JSON callers get JSON.
import type { Request, Response } from 'express';
import type { Db } from 'mongodb';
import { z } from 'zod';
import { createExpertStore, panelMemberOf } from '../../activities/data/experts';
import type { Principal } from '../../activities/data/users';
import { AppError } from '../../activities/infra/errors';
import { chinaMidnight, isIsoDate } from '../../workflows/dates';
import { PROVINCE_INFO, type Actor, type StandardRecord } from '../../workflows/domain';
import { draftPermission } from '../../workflows/draft-access';
import type { TechnicalReviewState } from '../../workflows/technical-review-messages';
import { CONCLUSION_LABELS, FORM_LABELS, REVIEW_ACTIONS, VOTE_LABELS, VOTES, isOrganiser, type ReviewAction } from '../../workflows/technical-review-rules';
import type { AppExtensionContext, StandardLink } from '../app-deps';
import { userOf } from '../http/principal';
import { loadStandardOr404 } from './editor-page';
import type { TechnicalReviewService } from './technical-review-service';

const text = (max: number) => z.string().max(max);
const ids = z.union([z.string(), z.array(z.string())]).optional().transform((v) => (v === undefined ? [] : Array.isArray(v) ? v : [v]));

/** A deadline as typed: an ISO instant, or a date meaning the end of that day in China. */
const deadlineSchema = z.string().trim().max(40).transform((s) => (isIsoDate(s) ? new Date(chinaMidnight(s) + 24 * 3600_000 - 1000).toISOString() : s));

const SCHEMAS = {
  formPanel: z.object({ expertIds: ids, moreExpertIds: z.string().max(5000).optional() }),
  chooseForm: z.discriminatedUnion('kind', [
    z.object({ kind: z.literal('meeting'), date: text(10), place: text(200) }),
    z.object({ kind: z.literal('correspondence'), deadline: deadlineSchema }),
  ]),
  send: z.object({ packageLink: z.string().trim().max(500).optional() }),
  submitOpinion: z.object({ text: text(20_000), vote: z.enum(VOTES) }),
  recordConclusion: z.object({ summary: text(5000), handling: z.record(z.string().max(100), text(5000)).optional() }).passthrough(),
} satisfies Record<ReviewAction, z.ZodTypeAny>;

const roundParam = z.coerce.number().int().min(1).max(1000);

function actorFor(user: Principal, standard: StandardRecord, action: ReviewAction): Actor {
  const ctx = { standardId: standard._id, leadProvince: standard.leadProvince };
  const grant =
    (action === 'submitOpinion' ? user.grants.find((g) => g.role === 'expert') : user.grants.find((g) => isOrganiser(g, ctx))) ?? user.grants[0] ?? { role: 'expert' as const };
  return { userId: user.userId, displayName: user.displayName, role: grant.role, ...(grant.province ? { province: grant.province } : {}) };
}

/** The link on a standard's page, from 技术审查 on (the rounds and their minutes stay readable). */
export function technicalReviewLinks(standard: Pick<StandardRecord, '_id' | 'stage'>): StandardLink[] {
  if (!['technicalReview', 'approval', 'release', 'publicity', 'inForce', 'review'].includes(standard.stage)) return [];
  return [{ href: `/standards/${standard._id}/technical-review`, zh: '技术审查（专家组、审查意见、会议纪要）', en: 'Technical review (panel, opinions, minutes)' }];
}

export function technicalReviewExtension(deps: { db: Db; reviews: TechnicalReviewService }) {
  const experts = createExpertStore(deps.db);
  const wantsJson = (req: Request): boolean => req.accepts(['html', 'json']) === 'json';

  /** The round a request is about, and whether this user may look at it at all. */
  async function load(req: Request, round?: number) {
    const user = userOf(req);
    const standard = await loadStandardOr404(deps.db, String(req.params.id));
    const n = round ?? (await deps.reviews.latestRound(standard._id));
    const state = n === null ? null : await deps.reviews.state(standard._id, n);
    const organiser = user.grants.some((g) => isOrganiser(g, { standardId: standard._id, leadProvince: standard.leadProvince }));
    const member = state?.panel.find((m) => m.userId === user.userId);
    if (!organiser && !member && draftPermission(user.grants, standard) === 'none') {
      throw new AppError('FORBIDDEN', { zh: '您无权查看此标准的技术审查', en: "You may not see this standard's technical review" });
    }
    return { user, standard, state, organiser, member };
  }

  /** The Update's payload from a form or JSON body (400 naming what is wrong). */
  async function payloadOf(action: ReviewAction, req: Request, standard: StandardRecord): Promise<Record<string, unknown>> {
    const body = (req.body ?? {}) as Record<string, unknown>;
    const parsed = SCHEMAS[action].safeParse(body);
    if (!parsed.success) {
      const fields = [...new Set(parsed.error.issues.map((i) => i.path.join('.') || action))];
      throw new AppError('VALIDATION_FAILED', { zh: `提交的内容无效：${fields.join('、')}`, en: `Invalid input: ${fields.join(', ')}` }, { details: parsed.error.issues });
    }
    const d = parsed.data as Record<string, unknown>;
    if (action === 'formPanel') {
      const more = String(d.moreExpertIds ?? '').split(/[\s,，、;；]+/).filter(Boolean);
      const all = [...new Set([...(d.expertIds as string[]), ...more])];
      if (all.length > 100 || all.some((x) => !/^[A-Za-z0-9-]{1,100}$/.test(x))) throw new AppError('VALIDATION_FAILED', { zh: '专家编号无效', en: 'Invalid expert ids' });
      return { panel: (await experts.many(all)).map(panelMemberOf) };
    }
    if (action === 'chooseForm') return { form: d };
    if (action === 'send') return { packageLink: (d.packageLink as string | undefined) || `/standards/${encodeURIComponent(standard._id)}/documents/package/review` };
    if (action === 'recordConclusion') {
      const handling: Record<string, string> = { ...((d.handling as Record<string, string> | undefined) ?? {}) };
      for (const [k, v] of Object.entries(body)) if (k.startsWith('handling_') && typeof v === 'string' && v.length <= 5000) handling[k.slice('handling_'.length)] = v;
      return { summary: d.summary, handling };
    }
    return d;
  }

  function view(req: Request, res: Response, ctx: Awaited<ReturnType<typeof load>>, pool: unknown[], next?: string): void {
    const s: TechnicalReviewState | null = ctx.state;
    const submitted = new Set(s?.opinions.map((o) => o.userId) ?? []);
    const rows = (s?.panel ?? []).map((m) => ({
      ...m,
      opinion: s?.opinions.find((o) => o.userId === m.userId),
      reminders: s?.reminders[m.userId] ?? 0,
      late: s?.late.includes(m.userId) ?? false,
      submitted: submitted.has(m.userId),
    }));
    res.render('technical-review.njk', {
      standard: ctx.standard, review: s, rows, organiser: ctx.organiser, member: ctx.member, pool, next,
      myOpinion: s?.opinions.find((o) => o.userId === ctx.user.userId),
      votes: VOTES, voteLabels: VOTE_LABELS, formLabels: FORM_LABELS, conclusionLabels: CONCLUSION_LABELS, provinceInfo: PROVINCE_INFO,
    });
  }

  return ({ app, requireUser }: AppExtensionContext): void => {
    app.get('/standards/:id/technical-review', requireUser, async (req, res) => {
      const r = req.query.round === undefined ? undefined : roundParam.safeParse(req.query.round);
      if (r && !r.success) throw new AppError('VALIDATION_FAILED', { zh: '轮次无效', en: 'Invalid round' });
      const ctx = await load(req, r?.data);
      if (wantsJson(req)) {
        if (!ctx.state) throw new AppError('NOT_FOUND', { zh: '尚未开始技术审查', en: 'No technical review has started' });
        res.json(ctx.organiser || !ctx.member ? ctx.state : { ...ctx.state, opinions: ctx.state.opinions.filter((o) => o.userId === ctx.user.userId) });
        return;
      }
      const page = ctx.organiser && ctx.state?.phase === 'preparing' ? await experts.list({}) : undefined;
      view(req, res, ctx, page?.items ?? [], page?.next);
    });

    app.post('/standards/:id/technical-review/:round/:action', requireUser, async (req, res) => {
      const action = String(req.params.action) as ReviewAction;
      if (!REVIEW_ACTIONS.includes(action)) throw new AppError('NOT_FOUND', { zh: '没有这个操作', en: 'No such action' });
      const round = roundParam.safeParse(req.params.round);
      if (!round.success) throw new AppError('NOT_FOUND', { zh: '轮次无效', en: 'No such round' });
      const user = userOf(req);
      const standard = await loadStandardOr404(deps.db, String(req.params.id));
      const payload = await payloadOf(action, req, standard);
      const state = await deps.reviews.act(standard._id, round.data, action, payload, actorFor(user, standard, action));
      if (wantsJson(req)) {
        res.json(state);
        return;
      }
      req.session.flash = { kind: 'ok', zh: '已提交', en: 'Done' };
      res.redirect(303, `/standards/${encodeURIComponent(standard._id)}/technical-review?round=${round.data}${req.lang === 'en' ? '&lang=en' : ''}`);
    });
  };
}
