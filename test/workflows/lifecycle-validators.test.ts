// The lifecycle's Update validators as plain functions (workflows/lifecycle/validators.ts): no worker, no
// server. Each case names the refusal type the HTTP layer maps to a status (FORBIDDEN 403, STAGE_CONFLICT
// 409, VALIDATION_FAILED 400) and checks the bilingual message is carried.
import { ApplicationFailure } from '@temporalio/common';
import type { Actor, Province } from '../../workflows/domain';
import type { LifecycleState } from '../../workflows/messages';
import { initialState } from '../../workflows/lifecycle/state';
import * as v from '../../workflows/lifecycle/validators';

const shReg: Actor = { userId: 'u-sh-reg', displayName: '上海市市场监督管理局', role: 'marketRegulator', province: 'SH' };
const jsReg: Actor = { userId: 'u-js-reg', displayName: '江苏省市场监督管理局', role: 'marketRegulator', province: 'JS' };
const shEco: Actor = { userId: 'u-sh-eco', displayName: '上海市生态环境局', role: 'ecoEnvDepartment', province: 'SH' };
const exec: Actor = { userId: 'u-exec', displayName: '示范区执委会', role: 'executiveCommittee' };
const expert: Actor = { userId: 'u-expert', displayName: '专家乙', role: 'expert' };

// 2026-06-15T04:00Z = 12:00 in China.
const NOW = Date.parse('2026-06-15T04:00:00Z');

function ctx(patch: Partial<LifecycleState> = {}, extra: { mandatory?: boolean; reserving?: Province[] } = {}): v.ValidationContext {
  const state = { ...initialState('sUnit'), ...patch };
  return { state, standardId: 'sUnit', leadProvince: 'SH', mandatory: extra.mandatory, now: NOW, reserving: new Set(extra.reserving ?? []) };
}

/** The refusal a validator throws: its type and both messages. */
function refusal(run: () => void): { type: string | undefined; zh: string; en: string } {
  try {
    run();
  } catch (e) {
    if (!(e instanceof ApplicationFailure)) throw e;
    const d = (e.details?.[0] ?? {}) as { zh: string; en: string };
    return { type: e.type ?? undefined, zh: d.zh, en: d.en };
  }
  throw new Error('the validator accepted');
}

const approval: Partial<LifecycleState> = { stage: 'approval', step: 'awaitingDecisions' };

describe('decideInitiation', () => {
  test('the province regulator may approve in 立项', () => {
    expect(() => v.validateDecideInitiation(ctx(), { actor: shReg, province: 'SH', decision: 'approve' })).not.toThrow();
  });
  test("another province's regulator is refused as FORBIDDEN", () => {
    expect(refusal(() => v.validateDecideInitiation(ctx(), { actor: jsReg, province: 'SH', decision: 'approve' })).type).toBe('FORBIDDEN');
  });
  test('an unknown province is a validation failure, before permissions', () => {
    expect(refusal(() => v.validateDecideInitiation(ctx(), { actor: shReg, province: 'XX' as Province, decision: 'approve' }))).toMatchObject({ type: 'VALIDATION_FAILED', zh: '省份无效' });
  });
  test('returning and rejecting need a reason; a blank one is refused', () => {
    expect(refusal(() => v.validateDecideInitiation(ctx(), { actor: shReg, province: 'SH', decision: 'return', reason: '  ' }))).toMatchObject({ type: 'VALIDATION_FAILED', zh: '退回必须说明理由' });
    expect(refusal(() => v.validateDecideInitiation(ctx(), { actor: shReg, province: 'SH', decision: 'reject' }))).toMatchObject({ zh: '否决必须说明理由', en: 'Rejecting needs a reason' });
    expect(() => v.validateDecideInitiation(ctx(), { actor: shReg, province: 'SH', decision: 'return', reason: '范围不清' })).not.toThrow();
  });
  test('a reason over 2000 characters is refused', () => {
    expect(refusal(() => v.validateDecideInitiation(ctx(), { actor: shReg, province: 'SH', decision: 'return', reason: '长'.repeat(2001) })).en).toBe('The reason must be at most 2000 characters');
  });
  test('out of its stage the action is a STAGE_CONFLICT', () => {
    expect(refusal(() => v.validateDecideInitiation(ctx({ stage: 'drafting', step: 'editing' }), { actor: shReg, province: 'SH', decision: 'approve' })).type).toBe('STAGE_CONFLICT');
  });
});

describe('extendCommentPeriod', () => {
  const open: Partial<LifecycleState> = { stage: 'publicComment', step: 'open', commentDeadline: '2026-07-01T00:00:00.000Z' };
  test('a later deadline with a reason is accepted', () => {
    expect(() => v.validateExtendCommentPeriod(ctx(open), { actor: shEco, newDeadline: '2026-07-15T00:00:00Z', reason: '延长两周' })).not.toThrow();
  });
  test('a deadline not later than the current one is refused', () => {
    expect(refusal(() => v.validateExtendCommentPeriod(ctx(open), { actor: shEco, newDeadline: '2026-07-01T00:00:00Z', reason: '延长' })).en).toBe('The new deadline must be later than the current one');
  });
  test('an unparseable deadline is refused', () => {
    expect(refusal(() => v.validateExtendCommentPeriod(ctx(open), { actor: shEco, newDeadline: 'next week', reason: '延长' })).zh).toBe('新的截止时间格式不正确');
  });
});

describe('recordReviewResult', () => {
  const review: Partial<LifecycleState> = { stage: 'technicalReview', step: 'underReview' };
  test('pass needs no reason; any other outcome does', () => {
    expect(() => v.validateRecordReviewResult(ctx(review), { actor: expert, outcome: 'pass' })).not.toThrow();
    expect(refusal(() => v.validateRecordReviewResult(ctx(review), { actor: expert, outcome: 'backToDrafting' })).type).toBe('VALIDATION_FAILED');
    expect(refusal(() => v.validateRecordReviewResult(ctx(review), { actor: expert, outcome: 'passWithChanges' })).zh).toBe('该审查结论必须说明理由');
  });
  test('an unknown outcome is refused', () => {
    expect(refusal(() => v.validateRecordReviewResult(ctx(review), { actor: expert, outcome: 'maybe' as 'pass' })).en).toBe('Unknown review outcome');
  });
});

describe('decideApproval', () => {
  test('a number of the province, recommended, this year, is accepted', () => {
    expect(() => v.validateDecideApproval(ctx(approval, { mandatory: false }), { actor: shReg, province: 'SH', decision: 'approve', number: 'DB31/T 310003—2026' })).not.toThrow();
  });
  test("another province's code is refused", () => {
    expect(refusal(() => v.validateDecideApproval(ctx(approval), { actor: shReg, province: 'SH', decision: 'approve', number: 'DB32/T 310003—2026' })).en).toBe('The number must start with DB31');
  });
  test('approval without a number is refused', () => {
    expect(refusal(() => v.validateDecideApproval(ctx(approval), { actor: shReg, province: 'SH', decision: 'approve' })).type).toBe('VALIDATION_FAILED');
  });
  test('mandatory and recommended numbers must match the standard', () => {
    expect(refusal(() => v.validateDecideApproval(ctx(approval, { mandatory: true }), { actor: shReg, province: 'SH', decision: 'approve', number: 'DB31/T 310003—2026' })).en).toBe('A mandatory standard has no /T');
    expect(refusal(() => v.validateDecideApproval(ctx(approval, { mandatory: false }), { actor: shReg, province: 'SH', decision: 'approve', number: 'DB31 310003—2026' })).en).toBe('A recommended standard needs /T');
  });
  test('a year after next year (by the clock it is given) is refused; next year is accepted', () => {
    expect(() => v.validateDecideApproval(ctx(approval), { actor: shReg, province: 'SH', decision: 'approve', number: 'DB31/T 310003—2027' })).not.toThrow();
    expect(refusal(() => v.validateDecideApproval(ctx(approval), { actor: shReg, province: 'SH', decision: 'approve', number: 'DB31/T 310003—2028' })).zh).toBe('编号年份不合理');
  });
  test('a second decision while the first is being recorded is a STAGE_CONFLICT', () => {
    expect(refusal(() => v.validateDecideApproval(ctx(approval, { reserving: ['SH'] }), { actor: shReg, province: 'SH', decision: 'approve', number: 'DB31/T 310003—2026' })).type).toBe('STAGE_CONFLICT');
  });
  test('returning needs a reason but no number', () => {
    expect(() => v.validateDecideApproval(ctx(approval), { actor: shReg, province: 'SH', decision: 'return', reason: '文本需修改' })).not.toThrow();
  });
});

describe('setReleaseDates', () => {
  test('today (China time) is allowed, yesterday is not', () => {
    expect(() => v.validateSetReleaseDates(ctx(approval), { actor: exec, releaseDate: '2026-06-15', implementationDate: '2026-09-01' })).not.toThrow();
    expect(refusal(() => v.validateSetReleaseDates(ctx(approval), { actor: exec, releaseDate: '2026-06-14', implementationDate: '2026-09-01' })).en).toBe('The release date cannot be in the past');
  });
  test('implementation before release and malformed dates are refused', () => {
    expect(refusal(() => v.validateSetReleaseDates(ctx(approval), { actor: exec, releaseDate: '2026-07-01', implementationDate: '2026-06-30' })).zh).toBe('实施日期不得早于发布日期');
    expect(refusal(() => v.validateSetReleaseDates(ctx(approval), { actor: exec, releaseDate: '2026/07/01', implementationDate: '2026-09-01' })).zh).toBe('日期格式应为 yyyy-mm-dd');
  });
});

describe('the other validators', () => {
  test('a publicity event id must be a short token', () => {
    const publicity: Partial<LifecycleState> = { stage: 'publicity', step: 'running' };
    expect(() => v.validateRecordPublicityEvent(ctx(publicity), { actor: shEco, eventId: 'ev_1' })).not.toThrow();
    expect(refusal(() => v.validateRecordPublicityEvent(ctx(publicity), { actor: shEco, eventId: 'a b' })).en).toBe('Invalid event id');
  });
  test('a review decision must be known and give a reason', () => {
    const deciding: Partial<LifecycleState> = { stage: 'review', step: 'deciding' };
    expect(refusal(() => v.validateDecideReview(ctx(deciding), { actor: shEco, outcome: 'keep' as 'continue', reason: 'x' })).en).toBe('Unknown review decision');
    expect(refusal(() => v.validateDecideReview(ctx(deciding), { actor: shEco, outcome: 'continue', reason: '' })).type).toBe('VALIDATION_FAILED');
  });
  test('withdrawal needs a reason and the lead department or the executive committee', () => {
    expect(refusal(() => v.validateWithdraw(ctx(), { actor: shEco, reason: '' })).zh).toBe('撤销必须说明理由');
    expect(refusal(() => v.validateWithdraw(ctx(), { actor: jsReg, reason: '不再需要' })).type).toBe('FORBIDDEN');
    expect(() => v.validateWithdraw(ctx(), { actor: exec, reason: '不再需要' })).not.toThrow();
  });
  test('permission-only actions follow the table', () => {
    expect(() => v.validateActorOnly('submitForComment')(ctx({ stage: 'drafting', step: 'editing' }), { actor: shEco })).not.toThrow();
    expect(refusal(() => v.validateActorOnly('submitForComment')(ctx(), { actor: shEco })).type).toBe('STAGE_CONFLICT');
  });
  test('requireStillAt refuses once the lifecycle has moved on', () => {
    expect(refusal(() => v.requireStillAt(ctx({ stage: 'withdrawn', step: 'ended' }).state, 'approval', 'awaitingDecisions')).en).toBe('The standard has moved on (withdrawn/ended)');
  });
});
