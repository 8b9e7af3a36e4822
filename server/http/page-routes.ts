// Server-rendered pages that work without JavaScript: plain forms that POST and redirect (303) to a page
// that shows the outcome once (flash). Refusals of actions come back as a message on the standard's page.
import express, { type Request, type Response, type Router } from 'express';
import type { Db } from 'mongodb';
import { z } from 'zod';
import { PROVINCES, STANDARD_KINDS, type StandardRecord } from '../../workflows/domain';
import type { Action } from '../../workflows/messages';
import { availableActions } from '../../workflows/permissions';
import type { LifecycleApi, StandardLink } from '../app-deps';
import { checkCredentials } from '../auth/sign-in';
import { notificationsPageModel } from './notifications-view';
import { ACTION_LABELS } from '../i18n';
import { listPublicityEvents } from '../../activities/data/publicity-events';
import { findDraftersOf, findUserById } from '../../activities/data/users';
import { AppError, isAppError } from '../../activities/infra/errors';
import { actionPayloadFromForm, fieldErrors, formFields, lines, proposalFromForm } from './forms';
import { requireUser, userOf } from './principal';
import { actionParamsSchema, listQuerySchema, proposeSchema, publicityEventBodySchema, standardParamsSchema, PUBLICITY_EVENT_KINDS } from './schemas';
import { actionSchemas, PROPOSAL_AMENDMENT_FIELDS, proposalAmendmentSchema, type AnyActionPayload } from '../../workflows/payloads';
import { amendReturnedProposal } from '../../activities/data/standards';
import { FIELD_LABELS } from './issue-messages';
import { endSession, startSession } from './sign-in-session';
import { addDrafters, authorizeAction, contextOfState, mayManageDrafters, performAction, proposeStandard, recordPublicityEvent } from './standard-operations';
import { listStandardPage, requireStandard } from './standards-read';
import { pageErrorJson, pageMessagesOf, parseOrThrow } from './validate';
import { chinaToday } from '../../workflows/dates';
import { bindProposalUpload } from '../../activities/import/uploads';
import { timelineReasonInWords } from './views';
import { createExplanatoryNoteStore } from '../../activities/data/explanatory-notes';
import { proposalImportFailureOf } from '../../activities/import/proposal-failures';
import type { Actor } from '../../workflows/domain';

/** A repeated post (double-click, Back + resubmit) of an action this actor completed this long ago at most is answered as its success. */
const REPEAT_WINDOW_MS = 10 * 60 * 1000;

/**
 * Actions that cannot be undone are confirmed on the form (a checkbox named `confirm`, required without
 * JavaScript): the withdrawal, a rejection of the proposal and the release dates.
 */
function needsConfirmation(action: Action, fields: Record<string, string>): boolean {
  return action === 'withdraw' || action === 'setReleaseDates' || (action === 'decideInitiation' && fields.decision === 'reject');
}

/** Whether the timeline already holds `action` by this actor (for this province, with the same reason), recently. */
function alreadyDone(
  timeline: ReadonlyArray<{ at: string; action: string; actor: Actor | null; reason?: string }>,
  action: Action,
  actor: { userId: string },
  payload: { province?: string; reason?: string },
  nowMs: number,
): boolean {
  return timeline.some(
    (e) =>
      e.action === action &&
      e.actor?.userId === actor.userId &&
      (payload.province === undefined || e.actor.province === payload.province) &&
      (e.reason ?? undefined) === (payload.reason ?? undefined) &&
      nowMs - Date.parse(e.at) <= REPEAT_WINDOW_MS,
  );
}

export interface PageDeps {
  db: Db;
  lifecycle: LifecycleApi;
  signInLimiter: express.RequestHandler;
  standardLinks?: (standard: StandardRecord) => StandardLink[];
}

/** Only same-site paths are followed after sign-in (no open redirect). */
export function safeNext(next: unknown): string {
  return typeof next === 'string' && /^\/(?![/\\])[^\s]*$/.test(next) ? next : '/standards';
}

const signInFormSchema = z.strictObject({
  username: z.string().trim().toLowerCase().min(1).max(40),
  password: z.string().min(1).max(200),
  next: z.string().max(500).optional(),
});

function flash(req: Request, kind: 'ok' | 'error', msg: { zh: string; en: string }): void {
  req.session.flash = { kind, zh: msg.zh, en: msg.en };
}

/**
 * Redirects once the session is stored. express-session sends the headers of a response before its
 * save completes, so a browser following a 303 at once could otherwise read the session without the
 * message just put in it.
 */
async function redirectAfterSave(req: Request, res: Response, url: string): Promise<void> {
  await new Promise<void>((resolve, reject) => req.session.save((e: unknown) => (e ? reject(e instanceof Error ? e : new Error(String(e))) : resolve())));
  res.redirect(303, url);
}

function isProposer(req: Request): boolean {
  return Boolean(req.user?.grants.some((g) => g.role === 'ecoEnvDepartment' && g.province));
}

/** A standard's proposal fields as the proposal form's values (lists one per line). */
function proposalFormValues(s: StandardRecord): Record<string, string> {
  const out: Record<string, string> = {};
  for (const f of PROPOSAL_AMENDMENT_FIELDS) {
    const v = s[f];
    if (v === undefined) continue;
    out[f] = Array.isArray(v) ? v.join('\n') : String(v);
  }
  return out;
}

export function createPageRouter(deps: PageDeps): Router {
  const r = express.Router();
  const { db, lifecycle } = deps;
  const ops = { db, lifecycle };

  // Staff land on their standards; anyone else on the public site (the header links staff sign-in), so a
  // member of the public who types the bare address is not met by a password form.
  r.get('/', (req, res) => res.redirect(303, req.user ? '/standards' : '/consultation'));

  r.get('/sign-in', (req, res) => {
    if (req.user) {
      res.redirect(303, safeNext(req.query.next));
      return;
    }
    res.render('sign-in.njk', { next: safeNext(req.query.next), username: '' });
  });

  r.post('/sign-in', deps.signInLimiter, async (req, res) => {
    const fields = formFields(req.body);
    const next = safeNext(fields.next);
    try {
      const body = parseOrThrow(signInFormSchema, fields);
      const user = await checkCredentials(db, body.username, body.password);
      await startSession(req, user);
      res.redirect(303, next);
    } catch (e) {
      if (!isAppError(e) || e.status >= 500) throw e;
      res.status(e.status).render('sign-in.njk', { next, username: fields.username ?? '', error: e.toJSON() });
    }
  });

  r.post('/sign-out', async (req, res) => {
    await endSession(req);
    res.redirect(303, '/sign-in');
  });

  r.get('/notifications', requireUser, async (req, res) => {
    res.render('notifications.njk', await notificationsPageModel(db, req, userOf(req)));
  });

  r.get('/standards', requireUser, async (req, res) => {
    const q = parseOrThrow(listQuerySchema, req.query, { zh: '查询参数', en: 'query' });
    const page = await listStandardPage(db, q);
    const pageUrl = (n: number): string => {
      const p = new URLSearchParams();
      if (q.stage) p.set('stage', q.stage);
      if (q.province) p.set('province', q.province);
      if (q.q) p.set('q', q.q);
      p.set('page', String(n));
      return `/standards?${p.toString()}`;
    };
    res.render('standards-list.njk', {
      page,
      query: q,
      prevUrl: page.page > 1 ? pageUrl(page.page - 1) : null,
      nextUrl: page.page < page.pages ? pageUrl(page.page + 1) : null,
      canPropose: isProposer(req),
    });
  });

  const renderProposeForm = (req: Request, res: Response, status: number, values: Record<string, string>, error?: AppError): void => {
    res.status(status).render('propose.njk', {
      values,
      kinds: STANDARD_KINDS,
      thisYear: Number(chinaToday(Date.now()).slice(0, 4)),
      error: error ? pageErrorJson(error) : undefined,
      errors: error ? fieldErrors(error, req.lang ?? 'zh') : {},
    });
  };

  r.get('/standards/new', requireUser, (req, res) => {
    if (!isProposer(req)) throw new AppError('FORBIDDEN', { zh: '只有生态环境部门可以提出立项', en: 'Only an eco-environment department may propose a standard' });
    renderProposeForm(req, res, 200, {});
  });

  r.post('/standards', requireUser, async (req, res) => {
    const fields = formFields(req.body);
    // A Word draft uploaded on the form (server/extensions/import-proposal.ts) is not a proposal field.
    const { importUploadId, ...proposal } = fields;
    try {
      const body = parseOrThrow(proposeSchema, proposalFromForm(proposal));
      const record = await proposeStandard(ops, userOf(req), body);
      if (importUploadId) await bindProposalUpload(db, importUploadId, userOf(req).userId, record._id);
      flash(req, 'ok', { zh: '已提出立项，等待三地市场监督管理局审核', en: 'Proposed; waiting for the three market regulation bureaus' });
      await redirectAfterSave(req, res, `/standards/${record._id}`);
    } catch (e) {
      if (!isAppError(e) || e.status >= 500 || e.status === 401) throw e;
      renderProposeForm(req, res, e.status, fields, e);
    }
  });

  r.get('/standards/:id', requireUser, async (req, res) => {
    const { id } = parseOrThrow(standardParamsSchema, req.params, { zh: '路径参数', en: 'path' });
    const standard = await requireStandard(db, id);
    const user = userOf(req);
    const [state, timeline, drafters, events, proposer] = await Promise.all([
      lifecycle.state(id),
      lifecycle.timeline(id),
      findDraftersOf(db, id),
      listPublicityEvents(db, id),
      findUserById(db, standard.createdBy),
    ]);
    const actions = availableActions(user.grants, contextOfState(standard, state));
    // While returned, the reason of the return is shown at the top to everyone who sees the page (issue 12 item 4).
    const returnEntry =
      state.step === 'returned'
        ? [...timeline].reverse().find((e) => (e.action === 'decideInitiation' || e.action === 'decideApproval') && e.step === 'returned')
        : undefined;
    // The 修改后重新提交 form of a returned proposal shows its fields, or what was entered in a refused post.
    const refusedAmend = req.session.amendForm?.standardId === id ? req.session.amendForm : undefined;
    if (req.session.amendForm) delete req.session.amendForm;
    const amendProposal =
      state.stage === 'initiation' && state.step === 'returned' && actions.some((a) => a.action === 'resubmit')
        ? {
            values: refusedAmend?.values ?? proposalFormValues(standard),
            errors: refusedAmend ? ((req.lang ?? 'zh') === 'en' ? refusedAmend.errorsEn : refusedAmend.errors) : {},
          }
        : undefined;
    const eventTitles = new Map(events.map((e) => [e._id, e.title]));
    // 报批 with no 编制说明 of the 报批稿 is allowed, but the lead is warned before submitting (issue 12 item 11).
    const approvalNoteMissing = actions.some((a) => a.action === 'submitForApproval') && !(await createExplanatoryNoteStore(db).get(id, 'draftForApproval'));
    // A proposal Word file that could not be applied when drafting started: its reason, with retry / discard (issue 14).
    const proposalImportFailure = await proposalImportFailureOf(db, id);
    res.render('standard.njk', {
      standard,
      state,
      timeline: timeline.map((e) => ({ ...e, reasonWords: timelineReasonInWords(e.reason, eventTitles) })),
      drafters,
      events,
      actions,
      eventKinds: PUBLICITY_EVENT_KINDS,
      provinces: PROVINCES,
      canManageDrafters: mayManageDrafters(user, standard) && !['withdrawn', 'abolished'].includes(state.stage),
      links: deps.standardLinks?.(standard) ?? [],
      approvalNoteMissing,
      proposalImportFailure,
      returnEntry: returnEntry ? { ...returnEntry, reasonWords: timelineReasonInWords(returnEntry.reason, eventTitles) } : undefined,
      amendProposal,
      proposerName: proposer?.displayName,
      today: chinaToday(Date.now()),
      thisYear: Number(chinaToday(Date.now()).slice(0, 4)),
    });
  });

  // Refusals of the posts below come back to the standard's page as a message (post/redirect/get).
  const backToStandard = async (req: Request, res: Response, id: string, run: () => Promise<{ zh: string; en: string }>): Promise<void> => {
    try {
      flash(req, 'ok', await run());
    } catch (e) {
      if (!isAppError(e) || e.status >= 500 || e.status === 401) throw e;
      flash(req, 'error', pageMessagesOf(e));
    }
    await redirectAfterSave(req, res, `/standards/${encodeURIComponent(id)}`);
  };

  r.post('/standards/:id/actions/:action', requireUser, async (req, res) => {
    const { id, action } = parseOrThrow(actionParamsSchema, req.params, { zh: '路径参数', en: 'path' });
    const { confirm, ...fields } = formFields(req.body);
    if (action === 'resubmit' && fields.amend === 'proposal') {
      await resubmitAmendedProposal(req, res, id, fields);
      return;
    }
    await backToStandard(req, res, id, async () => {
      const done = { zh: `已完成：${ACTION_LABELS[action].zh}`, en: `Done: ${ACTION_LABELS[action].en}` };
      const payload = parseOrThrow(actionSchemas[action as Action], actionPayloadFromForm(action, fields)) as AnyActionPayload;
      if (needsConfirmation(action, fields) && confirm !== 'yes') {
        throw new AppError('VALIDATION_FAILED', {
          zh: `${ACTION_LABELS[action].zh}无法撤回：请勾选“我确认”后再提交`,
          en: `${ACTION_LABELS[action].en} cannot be undone: tick “I confirm” and submit again`,
        });
      }
      try {
        await performAction(ops, userOf(req), id, action, payload);
      } catch (e) {
        // A repeated post of what this actor just did (double-click, Back + resubmit) is its success.
        if (!isAppError(e) || e.status !== 409) throw e;
        if (!alreadyDone(await lifecycle.timeline(id), action, userOf(req), payload as { province?: string; reason?: string }, Date.now())) throw e;
      }
      return done;
    });
  });

  /**
   * 修改后重新提交 of a returned proposal (issue 12 item 4): the proposal's fields, checked by the one
   * proposal schema, replace the record's (only while it is still at initiation/returned), what changed is
   * written into the resubmit's reason (so the timeline and the audit say it), then `resubmit` is sent. A
   * refused form comes back to the page with the values entered.
   */
  const resubmitAmendedProposal = async (req: Request, res: Response, id: string, fields: Record<string, string>): Promise<void> => {
    const { reason: note, ...proposalFields } = fields;
    delete proposalFields.amend;
    await backToStandard(req, res, id, async () => {
      const user = userOf(req);
      const standard = await requireStandard(db, id);
      try {
        await authorizeAction(ops, user, standard, 'resubmit');
        // The form has no mandatory checkbox (the kind and the mandatory choice are not amended).
        const asJson = proposalFromForm(proposalFields);
        delete asJson.mandatory;
        const amendment = parseOrThrow(proposalAmendmentSchema, asJson, { zh: '立项申请', en: 'proposal' });
        const before = await amendReturnedProposal(db, id, amendment);
        if (!before) {
          // Not (or no longer) returned: a repeated post of a resubmit this actor just made is its success.
          const repeat = (await lifecycle.timeline(id)).some((e) => e.action === 'resubmit' && e.actor?.userId === user.userId && Date.now() - Date.parse(e.at) <= REPEAT_WINDOW_MS);
          if (repeat) return { zh: `已完成：${ACTION_LABELS.resubmit.zh}`, en: `Done: ${ACTION_LABELS.resubmit.en}` };
          throw new AppError('STAGE_CONFLICT', { zh: '立项申请已不在退回修改状态，不能再修改', en: 'The proposal is no longer returned for revision and cannot be amended' });
        }
        const changed = PROPOSAL_AMENDMENT_FIELDS.filter((f) => JSON.stringify(before[f] ?? null) !== JSON.stringify(amendment[f] ?? null));
        const changedZh = changed.map((f) => FIELD_LABELS[f]?.zh ?? f).join('、');
        const changedEn = changed.map((f) => FIELD_LABELS[f]?.en ?? f).join(', ');
        const what = changed.length ? `修改了：${changedZh}（Changed: ${changedEn}）` : '未修改立项申请内容（No field of the proposal changed）';
        const reason = (note?.trim() ? `${note.trim()}\n${what}` : what).slice(0, 2000);
        await performAction(ops, user, id, 'resubmit', { reason });
        delete req.session.amendForm;
        return changed.length
          ? { zh: `已修改后重新提交（修改了：${changedZh}）`, en: `Resubmitted after changes (changed: ${changedEn})` }
          : { zh: '已重新提交（立项申请内容未修改）', en: 'Resubmitted (no field of the proposal changed)' };
      } catch (e) {
        // The form keeps what was entered.
        if (isAppError(e) && e.status < 500) req.session.amendForm = { standardId: id, values: fields, errors: fieldErrors(e, 'zh'), errorsEn: fieldErrors(e, 'en') };
        throw e;
      }
    });
  };

  r.post('/standards/:id/drafters', requireUser, async (req, res) => {
    const { id } = parseOrThrow(standardParamsSchema, req.params, { zh: '路径参数', en: 'path' });
    const fields = formFields(req.body);
    await backToStandard(req, res, id, async () => {
      const usernames = lines(fields.usernames).map((u) => u.toLowerCase());
      if (usernames.length === 0) throw new AppError('VALIDATION_FAILED', { zh: '请填写至少一个用户名', en: 'Enter at least one username' });
      const added = await addDrafters(ops, userOf(req), id, usernames);
      return { zh: `已添加起草组成员：${added.join('、')}`, en: `Drafters added: ${added.join(', ')}` };
    });
  });

  r.post('/standards/:id/publicity-events', requireUser, async (req, res) => {
    const { id } = parseOrThrow(standardParamsSchema, req.params, { zh: '路径参数', en: 'path' });
    const fields = formFields(req.body);
    await backToStandard(req, res, id, async () => {
      const body = parseOrThrow(publicityEventBodySchema, fields);
      await recordPublicityEvent(ops, userOf(req), id, body);
      return { zh: '已登记宣贯活动', en: 'Publicity event recorded' };
    });
  });

  return r;
}
