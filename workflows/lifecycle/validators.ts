// The lifecycle Updates' validators, pure: each reads the state (and the clock value it is given) and
// either returns or throws the typed refusal (failures.ts) the caller hears before anything is recorded.
// The workflow passes them to setHandler; test/workflows/lifecycle-validators.test.ts calls them directly.
import { chinaToday, isIsoDate } from '../dates';
import { PROVINCE_INFO, PROVINCES, parseStandardNumber, type Actor, type Province, type Stage } from '../domain';
import { refuse } from '../failures';
import type {
  ActorWithReason,
  ApprovalDecision,
  Action,
  ExtendCommentPeriod,
  InitiationDecision,
  LifecycleState,
  PublicityEvent,
  ReleaseDates,
  ReviewDecision,
  ReviewResult,
  StageStep,
  Withdrawal,
} from '../messages';
import { checkAction, grantOfActor } from '../permissions';
import { isAt } from './state';

/** What a validator may read: the state, the lifecycle's fixed facts, the clock and reservations in flight. */
export interface ValidationContext {
  readonly state: Readonly<LifecycleState>;
  readonly standardId: string;
  readonly leadProvince: Province;
  /** Mandatory (DBxx) or recommended (DBxx/T); unset = not checked. */
  readonly mandatory?: boolean;
  /** Workflow clock, ms. */
  readonly now: number;
  /** Provinces whose approval (number reservation) is being recorded right now. */
  readonly reserving: ReadonlySet<Province>;
}

export function authorize(ctx: ValidationContext, action: Action, actor: Actor, province?: Province): void {
  const { state, standardId, leadProvince } = ctx;
  const r = checkAction(action, [grantOfActor(actor, standardId)], { standardId, leadProvince, stage: state.stage, step: state.step, provinces: state.provinces }, province);
  if (!r.ok) refuse(r.kind === 'role' ? 'FORBIDDEN' : 'STAGE_CONFLICT', r.zh, r.en);
}

export function requireReason(reason: string | undefined, zhWhat: string, enWhat: string): void {
  if (typeof reason !== 'string' || reason.trim() === '') refuse('VALIDATION_FAILED', `${zhWhat}必须说明理由`, `${enWhat} needs a reason`);
  if (reason.length > 2000) refuse('VALIDATION_FAILED', '理由不得超过 2000 字', 'The reason must be at most 2000 characters');
}

/** After an await inside a handler, the lifecycle may have moved on (e.g. withdrawn meanwhile). */
export function requireStillAt(state: Readonly<LifecycleState>, stage: Stage, step: StageStep): void {
  if (!isAt(state, stage, step)) refuse('STAGE_CONFLICT', `标准已进入其他阶段（${state.stage}/${state.step}）`, `The standard has moved on (${state.stage}/${state.step})`);
}

function requireProvince(province: Province): void {
  if (!PROVINCES.includes(province)) refuse('VALIDATION_FAILED', '省份无效', 'Unknown province');
}

/** Actions whose only check is the permission table. */
export function validateActorOnly(action: Action): (ctx: ValidationContext, a: ActorWithReason) => void {
  return (ctx, { actor }) => authorize(ctx, action, actor);
}

export function validateDecideInitiation(ctx: ValidationContext, { actor, province, decision, reason }: InitiationDecision): void {
  requireProvince(province);
  authorize(ctx, 'decideInitiation', actor, province);
  if (decision !== 'approve' && decision !== 'return' && decision !== 'reject') refuse('VALIDATION_FAILED', '决定无效', 'Unknown decision');
  if (decision !== 'approve') requireReason(reason, decision === 'return' ? '退回' : '否决', decision === 'return' ? 'Returning' : 'Rejecting');
}

export function validateExtendCommentPeriod(ctx: ValidationContext, { actor, newDeadline, reason }: ExtendCommentPeriod): void {
  authorize(ctx, 'extendCommentPeriod', actor);
  requireReason(reason, '延长征求意见期', 'Extending the comment period');
  const t = typeof newDeadline === 'string' ? Date.parse(newDeadline) : NaN;
  if (Number.isNaN(t)) refuse('VALIDATION_FAILED', '新的截止时间格式不正确', 'The new deadline is not a valid ISO instant');
  const current = ctx.state.commentDeadline ? Date.parse(ctx.state.commentDeadline) : 0;
  if (t <= current) refuse('VALIDATION_FAILED', '新的截止时间必须晚于当前截止时间', 'The new deadline must be later than the current one');
}

export function validateRecordReviewResult(ctx: ValidationContext, { actor, outcome, reason }: ReviewResult): void {
  authorize(ctx, 'recordReviewResult', actor);
  if (outcome !== 'pass' && outcome !== 'passWithChanges' && outcome !== 'backToDrafting') refuse('VALIDATION_FAILED', '审查结论无效', 'Unknown review outcome');
  if (outcome !== 'pass') requireReason(reason, '该审查结论', 'This review outcome');
}

export function validateDecideApproval(ctx: ValidationContext, { actor, province, decision, number, reason }: ApprovalDecision): void {
  requireProvince(province);
  authorize(ctx, 'decideApproval', actor, province);
  if (ctx.reserving.has(province)) refuse('STAGE_CONFLICT', '该省（市）的批准正在登记', "This province's approval is being recorded");
  if (decision === 'return') return requireReason(reason, '退回', 'Returning');
  if ((decision as string) !== 'approve') refuse('VALIDATION_FAILED', '决定无效', 'Unknown decision');
  const parsed = typeof number === 'string' ? parseStandardNumber(number) : null;
  if (!parsed) refuse('VALIDATION_FAILED', '批准时必须给出编号，如 DB31/T 310003—2021', 'Approval needs a number such as DB31/T 310003—2021');
  const dbCode: string = PROVINCE_INFO[province].dbCode;
  if (parsed.dbCode !== dbCode) refuse('VALIDATION_FAILED', `编号必须以 ${dbCode} 开头`, `The number must start with ${dbCode}`);
  if (ctx.mandatory !== undefined && parsed.recommended === ctx.mandatory) {
    refuse('VALIDATION_FAILED', ctx.mandatory ? '强制性标准编号不带 /T' : '推荐性标准编号须带 /T', ctx.mandatory ? 'A mandatory standard has no /T' : 'A recommended standard needs /T');
  }
  const year = Number(chinaToday(ctx.now).slice(0, 4));
  if (parsed.year < 2000 || parsed.year > year + 1) refuse('VALIDATION_FAILED', '编号年份不合理', 'The year of the number is out of range');
}

/**
 * A release date of today means the release instant (00:00 China time) has passed: the standard is
 * published as soon as approval completes. Dates before today are refused.
 */
export function validateSetReleaseDates(ctx: ValidationContext, { actor, releaseDate, implementationDate }: ReleaseDates): void {
  authorize(ctx, 'setReleaseDates', actor);
  if (!isIsoDate(releaseDate) || !isIsoDate(implementationDate)) refuse('VALIDATION_FAILED', '日期格式应为 yyyy-mm-dd', 'Dates must be yyyy-mm-dd');
  if (releaseDate < chinaToday(ctx.now)) refuse('VALIDATION_FAILED', '发布日期不得早于今天', 'The release date cannot be in the past');
  if (implementationDate < releaseDate) refuse('VALIDATION_FAILED', '实施日期不得早于发布日期', 'The implementation date cannot precede the release date');
}

export function validateRecordPublicityEvent(ctx: ValidationContext, { actor, eventId }: PublicityEvent): void {
  authorize(ctx, 'recordPublicityEvent', actor);
  if (typeof eventId !== 'string' || !/^[A-Za-z0-9_-]{1,64}$/.test(eventId)) refuse('VALIDATION_FAILED', '活动编号无效', 'Invalid event id');
}

export function validateDecideReview(ctx: ValidationContext, { actor, outcome, reason }: ReviewDecision): void {
  authorize(ctx, 'decideReview', actor);
  if (outcome !== 'continue' && outcome !== 'revise' && outcome !== 'abolish') refuse('VALIDATION_FAILED', '复审结论无效', 'Unknown review decision');
  requireReason(reason, '复审结论', 'A review decision');
}

export function validateWithdraw(ctx: ValidationContext, { actor, reason }: Withdrawal): void {
  authorize(ctx, 'withdraw', actor);
  requireReason(reason, '撤销', 'Withdrawal');
}
