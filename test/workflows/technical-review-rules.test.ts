// The pure rules of the technical review: organisation names compared normalized, the panel rule with
// configurable values, and the conclusion on both sides of the ¾ threshold (a missing vote counts against).
import { chinaMidnight, isIsoDate } from '../../workflows/dates';
import { checkForm, checkPanel, conclusionOf, conflictedMembers, deadlineOf, DEFAULT_REVIEW_RULE, normalizeOrganisation, type PanelMember, type ReviewForm } from '../../workflows/technical-review-rules';

const m = (i: number, province: 'SH' | 'JS' | 'ZJ', organisation = `大学${i}`): PanelMember => ({ expertId: `e${i}`, userId: `u${i}`, name: `专家${i}`, organisation, province, title: '教授' });

test('organisation names match across spaces, width and brackets', () => {
  expect(normalizeOrganisation(' 上海市 环境科学研究院（集团） ')).toBe(normalizeOrganisation('上海市环境科学研究院(集团)'));
  expect(conflictedMembers([m(1, 'SH', 'ＡＢＣ 研究所'), m(2, 'JS')], ['abc研究所']).map((x) => x.name)).toEqual(['专家1']);
});

test('panel size and provinces follow the configured rule', () => {
  const five = [m(1, 'SH'), m(2, 'JS'), m(3, 'ZJ'), m(4, 'SH'), m(5, 'JS')];
  expect(checkPanel(five, [], DEFAULT_REVIEW_RULE).ok).toBe(true);
  expect(checkPanel(five.slice(0, 4), [], DEFAULT_REVIEW_RULE).ok).toBe(false);
  expect(checkPanel(five.slice(0, 4), [], { ...DEFAULT_REVIEW_RULE, minPanel: 3 }).ok).toBe(true);
  expect(checkPanel(five, [], { ...DEFAULT_REVIEW_RULE, perProvince: 2 }).ok).toBe(false);
  expect(checkPanel([...five.slice(0, 4), { ...five[0], expertId: 'dup' }], [], DEFAULT_REVIEW_RULE).ok).toBe(false);
  expect(checkPanel(five, ['大学3'], DEFAULT_REVIEW_RULE).ok).toBe(false);
});

test('the conclusion by the ¾ rule: below, at and above the threshold, missing votes against', () => {
  expect(conclusionOf(5, ['pass', 'pass', 'pass', 'fail', 'fail'], DEFAULT_REVIEW_RULE)).toEqual({ conclusion: 'notPassed', yes: 3, needed: 4 });
  expect(conclusionOf(5, ['pass', 'pass', 'pass', 'pass'], DEFAULT_REVIEW_RULE)).toEqual({ conclusion: 'pass', yes: 4, needed: 4 });
  expect(conclusionOf(5, ['pass', 'pass', 'pass'], DEFAULT_REVIEW_RULE).conclusion).toBe('notPassed');
  expect(conclusionOf(4, ['pass', 'pass', 'passWithChanges'], DEFAULT_REVIEW_RULE)).toEqual({ conclusion: 'passWithChanges', yes: 3, needed: 3 });
  expect(conclusionOf(8, ['pass', 'pass', 'pass', 'pass', 'pass', 'pass'], DEFAULT_REVIEW_RULE).conclusion).toBe('pass');
  expect(conclusionOf(5, ['pass', 'pass', 'pass'], { ...DEFAULT_REVIEW_RULE, passShare: 0.5 }).conclusion).toBe('pass');
});

test('会审 needs a future date and a place; 函审 a future deadline; the meeting day ends the opinions', () => {
  const now = Date.parse('2026-12-03T02:00:00Z');
  const form = (f: unknown) => checkForm(f as ReviewForm, now, isIsoDate, chinaMidnight);
  expect(form({ kind: 'meeting', date: '2026-12-10', place: '嘉善' }).ok).toBe(true);
  expect(form({ kind: 'meeting', date: '2026-12-03', place: '嘉善' }).ok).toBe(true);
  expect(form({ kind: 'meeting', date: '2026-12-02', place: '嘉善' }).ok).toBe(false);
  expect(form({ kind: 'meeting', date: '2026-12-10', place: ' ' }).ok).toBe(false);
  expect(form({ kind: 'meeting', date: '2026-02-30', place: '嘉善' }).ok).toBe(false);
  expect(form({ kind: 'correspondence', deadline: '2026-12-01T00:00:00Z' }).ok).toBe(false);
  expect(form({ kind: 'correspondence', deadline: 'soon' }).ok).toBe(false);
  expect(form({ kind: 'email' }).ok).toBe(false);
  expect(new Date(deadlineOf({ kind: 'meeting', date: '2026-12-10', place: 'x' }, chinaMidnight)).toISOString()).toBe('2026-12-10T16:00:00.000Z');
});
