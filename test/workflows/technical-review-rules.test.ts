// The pure rules of the technical review: organisation names compared normalized, the panel rule with
// configurable values, and the conclusion on both sides of the ¾ threshold (a missing vote counts against).
import { checkPanel, conclusionOf, conflictedMembers, DEFAULT_REVIEW_RULE, normalizeOrganisation, type PanelMember } from '../../workflows/technical-review-rules';

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
