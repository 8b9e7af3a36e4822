// The rules of the technical review (技术审查) as a meeting: who may take which review action, what makes a
// panel acceptable (size, provinces, conflicts of interest), when an opinion may still be given, and which
// conclusion the votes carry. Pure functions (workflow-safe): the child workflow's Update validators are
// the authority, the server asks the same functions to refuse early. Rule values are inputs, defaults below.
import { PROVINCES, type Actor, type Province, type RoleGrant } from './domain';
import { isLeadEco } from './permissions';

export const VOTES = ['pass', 'passWithChanges', 'fail'] as const;
export type Vote = (typeof VOTES)[number];
export const VOTE_LABELS: Record<Vote, { zh: string; en: string }> = {
  pass: { zh: '通过', en: 'Pass' },
  passWithChanges: { zh: '修改后通过', en: 'Pass after changes' },
  fail: { zh: '不通过', en: 'Fail' },
};

export type ReviewForm = { kind: 'meeting'; date: string; place: string } | { kind: 'correspondence'; deadline: string };
export const FORM_LABELS = { meeting: { zh: '会审', en: 'Review meeting' }, correspondence: { zh: '函审', en: 'Review by correspondence' } } as const;

/** The configurable rule of a review. */
export interface ReviewRule {
  /** Smallest panel (default 5). */
  minPanel: number;
  /** Experts needed from each of the three provinces (default 1). */
  perProvince: number;
  /** Share of the whole panel that must vote 通过 or 修改后通过 (default 0.75). */
  passShare: number;
}
export const DEFAULT_REVIEW_RULE: ReviewRule = { minPanel: 5, perProvince: 1, passShare: 0.75 };

/** One panel member as the pool describes them (copied into the review when the panel is formed). */
export interface PanelMember {
  expertId: string;
  /** The account the expert signs in with; opinions are accepted from this user only. */
  userId: string;
  name: string;
  organisation: string;
  province: Province;
  title: string;
}

export type Conclusion = 'pass' | 'passWithChanges' | 'notPassed';
export const CONCLUSION_LABELS: Record<Conclusion, { zh: string; en: string }> = {
  pass: { zh: '通过', en: 'Passed' },
  passWithChanges: { zh: '修改后通过', en: 'Passed after changes' },
  notPassed: { zh: '不通过', en: 'Not passed' },
};

export type ReviewAction = 'formPanel' | 'chooseForm' | 'send' | 'submitOpinion' | 'recordConclusion';
export const REVIEW_ACTIONS: readonly ReviewAction[] = ['formPanel', 'chooseForm', 'send', 'submitOpinion', 'recordConclusion'];

/** Phases of one review round. */
export type ReviewPhase = 'preparing' | 'collecting' | 'concluded' | 'cancelled';

export type ReviewRefusal = { ok: false; kind: 'role' | 'stage' | 'invalid'; zh: string; en: string };
export type ReviewCheck = { ok: true } | ReviewRefusal;
const ok: ReviewCheck = { ok: true };
const role = (zh: string, en: string): ReviewRefusal => ({ ok: false, kind: 'role', zh, en });
const stage = (zh: string, en: string): ReviewRefusal => ({ ok: false, kind: 'stage', zh, en });
const invalid = (zh: string, en: string): ReviewRefusal => ({ ok: false, kind: 'invalid', zh, en });

/** The organiser of a review: the lead eco-environment department or the executive committee. */
export function isOrganiser(g: RoleGrant, ctx: { standardId: string; leadProvince: Province }): boolean {
  return isLeadEco(g, ctx) || g.role === 'executiveCommittee';
}

/** The review's view of an actor, as a grant (experts act for themselves, checked against the panel). */
export function grantOfReviewActor(actor: Actor): RoleGrant {
  return { role: actor.role, ...(actor.province ? { province: actor.province } : {}) };
}

export interface ReviewContext {
  standardId: string;
  leadProvince: Province;
  phase: ReviewPhase;
  panel: readonly PanelMember[];
  form?: ReviewForm;
  packageLink?: string;
  /** Epoch ms after which opinions are late (undefined until a form is chosen). */
  deadlineMs?: number;
  submittedUserIds: readonly string[];
  nowMs: number;
}

/**
 * Whether `actor` may take `action` now: role first (403), then phase (409). Payload checks are separate
 * (checkPanel, checkForm, checkOpinion, checkHandling).
 */
export function checkReviewAction(action: ReviewAction, actor: Actor, ctx: ReviewContext): ReviewCheck {
  const g = grantOfReviewActor(actor);
  if (action === 'submitOpinion') {
    if (g.role !== 'expert' || !ctx.panel.some((m) => m.userId === actor.userId)) return role('只有本次审查专家组成员可以提交审查意见', 'Only a member of this review panel may submit an opinion');
    if (ctx.phase !== 'collecting') return stage('当前不接受审查意见（尚未送审或已结束）', 'Opinions are not being collected now (not sent yet, or concluded)');
    if (ctx.deadlineMs !== undefined && ctx.nowMs > ctx.deadlineMs) return stage('审查意见提交期限已过', 'The deadline for opinions has passed');
    return ok;
  }
  if (!isOrganiser(g, ctx)) return role('只有牵头生态环境部门或示范区执委会可以组织技术审查', 'Only the lead eco-environment department or the executive committee organises the review');
  if (action === 'recordConclusion') {
    if (ctx.phase !== 'collecting') return stage('尚未送审或审查已结束，不能记录结论', 'Not sent for review yet, or already concluded');
    const all = ctx.panel.every((m) => ctx.submittedUserIds.includes(m.userId));
    if (!all && (ctx.deadlineMs === undefined || ctx.nowMs <= ctx.deadlineMs)) return stage('截止时间前须全部专家提交意见后方可记录结论', 'Before the deadline, every expert must have submitted before the conclusion is recorded');
    return ok;
  }
  if (ctx.phase !== 'preparing') return stage('已送审，专家组、审查方式和送审材料不能再修改', 'Already sent: panel, form and package can no longer change');
  if (action === 'send') {
    if (ctx.panel.length === 0) return stage('请先组建专家组', 'Form the panel first');
    if (!ctx.form) return stage('请先选择会审或函审', 'Choose a review meeting or correspondence first');
  }
  return ok;
}

/** Organisation names compared as people write them: full-width/half-width, spaces, brackets, case. */
export function normalizeOrganisation(s: string): string {
  return s
    .normalize('NFKC')
    .toLowerCase()
    .replace(/[\s\u3000·.,，。、()（）【】[\]「」"'“”‘’-]/g, '');
}

/** Panel members whose organisation is one of the standard's drafting, lead or participating units. */
export function conflictedMembers(panel: readonly PanelMember[], units: readonly string[]): PanelMember[] {
  const taken = new Set(units.map(normalizeOrganisation).filter((u) => u !== ''));
  return panel.filter((m) => taken.has(normalizeOrganisation(m.organisation)));
}

/** A panel: big enough, each province represented, no duplicates, nobody in conflict. */
export function checkPanel(panel: readonly PanelMember[], units: readonly string[], rule: ReviewRule): ReviewCheck {
  if (new Set(panel.map((m) => m.expertId)).size !== panel.length || new Set(panel.map((m) => m.userId)).size !== panel.length) {
    return invalid('专家组中有重复的专家', 'The panel names an expert twice');
  }
  if (panel.length < rule.minPanel) return invalid(`专家组至少需要 ${rule.minPanel} 名专家（现有 ${panel.length} 名）`, `The panel needs at least ${rule.minPanel} experts (has ${panel.length})`);
  for (const p of PROVINCES) {
    const n = panel.filter((m) => m.province === p).length;
    if (n < rule.perProvince) return invalid(`专家组须包含至少 ${rule.perProvince} 名来自${{ SH: '上海', JS: '江苏', ZJ: '浙江' }[p]}的专家`, `The panel needs at least ${rule.perProvince} expert(s) from ${p}`);
  }
  const conflicted = conflictedMembers(panel, units);
  if (conflicted.length > 0) {
    const names = conflicted.map((m) => `${m.name}（${m.organisation}）`).join('、');
    return invalid(`以下专家来自本标准的起草或参与单位，存在利益冲突，不能进入专家组：${names}`, `Conflict of interest — from a drafting or participating unit of this standard: ${conflicted.map((m) => m.name).join(', ')}`);
  }
  return ok;
}

/** The instant after which opinions are late: the deadline of 函审, the end of the meeting day of 会审. */
export function deadlineOf(form: ReviewForm, chinaMidnight: (date: string) => number): number {
  return form.kind === 'correspondence' ? Date.parse(form.deadline) : chinaMidnight(form.date) + 24 * 60 * 60 * 1000;
}

export function checkForm(form: ReviewForm, nowMs: number, isIsoDate: (s: unknown) => boolean, chinaMidnight: (date: string) => number): ReviewCheck {
  if (form.kind === 'meeting') {
    if (!isIsoDate(form.date)) return invalid('会审日期格式应为 yyyy-mm-dd', 'The meeting date must be yyyy-mm-dd');
    if (typeof form.place !== 'string' || form.place.trim() === '' || form.place.length > 200) return invalid('请填写会审地点（不超过 200 字）', 'Give the meeting place (at most 200 characters)');
    if (deadlineOf(form, chinaMidnight) <= nowMs) return invalid('会审日期不得早于今天', 'The meeting date cannot be in the past');
    return ok;
  }
  if (form.kind === 'correspondence') {
    const t = typeof form.deadline === 'string' ? Date.parse(form.deadline) : NaN;
    if (Number.isNaN(t)) return invalid('函审截止时间格式不正确', 'The correspondence deadline is not a valid instant');
    if (t <= nowMs) return invalid('函审截止时间必须晚于现在', 'The correspondence deadline must be in the future');
    return ok;
  }
  return invalid('审查方式无效', 'Unknown review form');
}

export function checkOpinion(text: unknown, vote: unknown): ReviewCheck {
  if (typeof text !== 'string' || text.trim() === '') return invalid('请填写书面审查意见', 'Write the opinion');
  if (text.length > 20_000) return invalid('审查意见不得超过 20000 字', 'The opinion must be at most 20,000 characters');
  if (!VOTES.includes(vote as Vote)) return invalid('表决意见应为 通过、修改后通过 或 不通过', 'The vote must be pass, passWithChanges or fail');
  return ok;
}

/** Every submitted opinion needs its handling (专家意见汇总处理表), and only those. */
export function checkHandling(handling: Readonly<Record<string, string>>, submittedUserIds: readonly string[]): ReviewCheck {
  const missing = submittedUserIds.filter((u) => typeof handling[u] !== 'string' || handling[u].trim() === '');
  if (missing.length > 0) return invalid(`尚有 ${missing.length} 条专家意见未填写处理意见`, `${missing.length} opinion(s) still lack their handling`);
  const extra = Object.keys(handling).filter((u) => !submittedUserIds.includes(u));
  if (extra.length > 0) return invalid('处理意见对应的专家未提交意见', 'Handling given for an expert who submitted no opinion');
  if (Object.values(handling).some((h) => h.length > 5000)) return invalid('每条处理意见不得超过 5000 字', 'Each handling must be at most 5,000 characters');
  return ok;
}

/**
 * The conclusion the votes carry: passed when at least `passShare` of the whole panel (a missing vote
 * counts against) votes 通过 or 修改后通过; passed with changes when any of those votes asks for changes.
 */
export function conclusionOf(panelSize: number, votes: readonly Vote[], rule: ReviewRule): { conclusion: Conclusion; yes: number; needed: number } {
  const yes = votes.filter((v) => v === 'pass' || v === 'passWithChanges').length;
  const needed = Math.ceil(panelSize * rule.passShare - 1e-9);
  if (panelSize === 0 || yes < needed) return { conclusion: 'notPassed', yes, needed };
  return { conclusion: votes.includes('passWithChanges') ? 'passWithChanges' : 'pass', yes, needed };
}

/** The business id of one review round, a child of the lifecycle. */
export function technicalReviewWorkflowId(standardId: string, round: number): string {
  return `technical-review:${standardId}:${round}`;
}
