// Who may take which lifecycle action in which stage. One pure table used by the workflow's Update
// validators (the authority) and by the server (to refuse early and to show only the actions a user may
// take now). Role refusals and stage refusals are told apart: the first is 403, the second 409.
// Its siblings answer the other two questions from the same grant predicates: comment-permissions.ts (who
// triages, disposes, moderates, gives a province's opinion) and draft-access.ts (who edits or reads a draft).
import type { Action, StageStep } from './messages';
import { TERMINAL_STAGES, type Actor, type Province, type ProvincePosition, type RoleGrant, type Stage } from './domain';

export interface PermissionContext {
  standardId: string;
  leadProvince: Province;
  stage: Stage;
  step: StageStep;
  provinces: Record<Province, ProvincePosition>;
}

export type Refusal = { ok: false; kind: 'role' | 'stage'; zh: string; en: string };
export type Permission = { ok: true; grant: RoleGrant };

interface Rule {
  /** Stage/step in which the action is possible; null step = any step of the stage. */
  when: Array<{ stage: Stage | '*'; step?: StageStep }>;
  /** Whether a grant may take the action (province is the decision's province, when the action has one). */
  who: (g: RoleGrant, ctx: PermissionContext, province?: Province) => boolean;
  whoText: { zh: string; en: string };
}

/** The standard a grant is weighed against: which standard, and which province leads it. */
export type StandardRef = Pick<PermissionContext, 'standardId' | 'leadProvince'>;

/** The lead province's eco-environment department. */
export const isLeadEco = (g: RoleGrant, ctx: StandardRef): boolean => g.role === 'ecoEnvDepartment' && g.province === ctx.leadProvince;
/** A member of this standard's drafting group. */
export const isDrafterOf = (g: RoleGrant, ctx: StandardRef): boolean => g.role === 'drafter' && (g.standardIds ?? []).includes(ctx.standardId);
/** An expert for this standard (an expert grant without standards reviews any). */
export const isExpertFor = (g: RoleGrant, ctx: StandardRef): boolean =>
  g.role === 'expert' && (g.standardIds === undefined || g.standardIds.includes(ctx.standardId));
const isRegulatorOf = (g: RoleGrant, province?: Province): boolean => g.role === 'marketRegulator' && province !== undefined && g.province === province;

const RULES: Record<Action, Rule> = {
  decideInitiation: {
    when: [{ stage: 'initiation', step: 'awaitingDecisions' }],
    who: (g, _ctx, p) => isRegulatorOf(g, p),
    whoText: { zh: '该省（市）市场监督管理局', en: "that province's market regulation bureau" },
  },
  resubmit: {
    when: [{ stage: 'initiation', step: 'returned' }, { stage: 'approval', step: 'returned' }],
    who: (g, ctx) => isLeadEco(g, ctx),
    whoText: { zh: '牵头生态环境部门', en: 'the lead eco-environment department' },
  },
  submitForComment: {
    when: [{ stage: 'drafting', step: 'editing' }],
    who: (g, ctx) => isDrafterOf(g, ctx) || isLeadEco(g, ctx),
    whoText: { zh: '本标准起草组或牵头生态环境部门', en: 'the drafting group or the lead eco-environment department' },
  },
  extendCommentPeriod: {
    when: [{ stage: 'publicComment', step: 'open' }],
    who: (g, ctx) => isLeadEco(g, ctx) || g.role === 'executiveCommittee',
    whoText: { zh: '牵头生态环境部门或示范区执委会', en: 'the lead eco-environment department or the executive committee' },
  },
  completeCommentHandling: {
    when: [{ stage: 'publicComment', step: 'handlingComments' }],
    who: (g, ctx) => isDrafterOf(g, ctx) || isLeadEco(g, ctx),
    whoText: { zh: '本标准起草组或牵头生态环境部门', en: 'the drafting group or the lead eco-environment department' },
  },
  recordReviewResult: {
    when: [{ stage: 'technicalReview', step: 'underReview' }],
    who: (g, ctx) => isExpertFor(g, ctx),
    whoText: { zh: '技术审查专家', en: 'a review expert' },
  },
  submitForApproval: {
    when: [{ stage: 'technicalReview', step: 'revising' }],
    who: (g, ctx) => isDrafterOf(g, ctx) || isLeadEco(g, ctx),
    whoText: { zh: '本标准起草组或牵头生态环境部门', en: 'the drafting group or the lead eco-environment department' },
  },
  decideApproval: {
    when: [{ stage: 'approval', step: 'awaitingDecisions' }],
    who: (g, _ctx, p) => isRegulatorOf(g, p),
    whoText: { zh: '该省（市）市场监督管理局', en: "that province's market regulation bureau" },
  },
  setReleaseDates: {
    when: [{ stage: 'approval', step: 'awaitingDecisions' }],
    who: (g) => g.role === 'executiveCommittee',
    whoText: { zh: '示范区执委会', en: 'the executive committee' },
  },
  recordPublicityEvent: {
    when: [{ stage: 'publicity' }, { stage: 'inForce' }],
    who: (g) => g.role === 'ecoEnvDepartment' || g.role === 'executiveCommittee' || g.role === 'localBureau',
    whoText: { zh: '生态环境部门、分局或示范区执委会', en: 'an eco-environment department, local bureau or the executive committee' },
  },
  completePublicity: {
    when: [{ stage: 'publicity', step: 'running' }],
    who: (g) => g.role === 'executiveCommittee',
    whoText: { zh: '示范区执委会', en: 'the executive committee' },
  },
  startReview: {
    when: [{ stage: 'inForce', step: 'active' }],
    who: (g, ctx) => isLeadEco(g, ctx),
    whoText: { zh: '牵头生态环境部门', en: 'the lead eco-environment department' },
  },
  decideReview: {
    when: [{ stage: 'review', step: 'deciding' }],
    who: (g, ctx) => isLeadEco(g, ctx),
    whoText: { zh: '牵头生态环境部门', en: 'the lead eco-environment department' },
  },
  withdraw: {
    when: [{ stage: '*' }],
    who: (g, ctx) => isLeadEco(g, ctx) || g.role === 'executiveCommittee',
    whoText: { zh: '牵头生态环境部门或示范区执委会', en: 'the lead eco-environment department or the executive committee' },
  },
};

/** Actions whose payload names a province that decides. */
export const PROVINCE_ACTIONS: readonly Action[] = ['decideInitiation', 'decideApproval'];

function stageAllows(rule: Rule, ctx: PermissionContext): boolean {
  if (TERMINAL_STAGES.includes(ctx.stage)) return false;
  return rule.when.some((w) => (w.stage === '*' || w.stage === ctx.stage) && (w.step === undefined || w.step === ctx.step));
}

/**
 * Checks whether any of `grants` may take `action` now. Stage is checked before role only when no grant
 * could ever take the action, so a bureau acting out of turn hears "not in this stage", and a stranger
 * hears "not your role".
 */
export function checkAction(action: Action, grants: readonly RoleGrant[], ctx: PermissionContext, province?: Province): Permission | Refusal {
  const rule = RULES[action];
  const grant = grants.find((g) => rule.who(g, ctx, province));
  if (!grant) {
    return { ok: false, kind: 'role', zh: `只有${rule.whoText.zh}可以执行此操作`, en: `Only ${rule.whoText.en} may do this` };
  }
  if (!stageAllows(rule, ctx)) {
    return { ok: false, kind: 'stage', zh: `当前阶段（${ctx.stage}/${ctx.step}）不能执行此操作`, en: `Not possible in the current stage (${ctx.stage}/${ctx.step})` };
  }
  if (province && PROVINCE_ACTIONS.includes(action) && ctx.provinces[province]?.decision !== 'pending') {
    return { ok: false, kind: 'stage', zh: '该省（市）已作出决定', en: 'This province has already decided' };
  }
  return { ok: true, grant };
}

/** The grant an actor stands for inside the workflow (drafters and experts act for this standard). */
export function grantOfActor(actor: Actor, standardId: string): RoleGrant {
  return { role: actor.role, province: actor.province, ...(actor.role === 'drafter' || actor.role === 'expert' ? { standardIds: [standardId] } : {}) };
}

/** Every action (with its province, for per-province actions) that `grants` may take now. */
export function availableActions(grants: readonly RoleGrant[], ctx: PermissionContext): Array<{ action: Action; province?: Province }> {
  const out: Array<{ action: Action; province?: Province }> = [];
  for (const action of Object.keys(RULES) as Action[]) {
    if (PROVINCE_ACTIONS.includes(action)) {
      for (const p of ['SH', 'JS', 'ZJ'] as const) if (checkAction(action, grants, ctx, p).ok) out.push({ action, province: p });
    } else if (checkAction(action, grants, ctx).ok) out.push({ action });
  }
  return out;
}

/**
 * Who manages the expert pool (专家库): the executive committee, or an eco-environment department (each
 * province's department leads standards and organises their technical reviews).
 */
export const canManageExpertPool = (grants: readonly RoleGrant[]): boolean => grants.some((g) => g.role === 'executiveCommittee' || g.role === 'ecoEnvDepartment');
