// What a suggest-only user may write (issue 15): suggestions in their own name only. The collaboration
// server (server/collab/suggest-guard.ts) applies `isSuggestionOnlyChange` to each of their updates, and
// `suggestOnlyPermission` decides who is suggest-only.
import { EditorState, TextSelection } from 'prosemirror-state';
import type { Node as PMNode } from 'prosemirror-model';
import { chapter, clause, doc, foreword, h, normativeReferences, p, scope, termsAndDefinitions } from '../../editor/builders';
import { isSuggestionOnlyChange, listSuggestions } from '../../editor/suggestions';
import { suggestionsPlugin, acceptCommand, rejectCommand } from '../../editor/suggestions-plugin';
import { suggestOnlyPermission } from '../../workflows/suggest-access';
import type { RoleGrant } from '../../workflows/domain';

const base = (): PMNode =>
  doc(foreword(p('前言')), scope(p('范围')), normativeReferences(), termsAndDefinitions(), chapter(h('要求'), clause(h('限值'), p({ id: 'p1' }, '排放浓度应符合表1的规定。'))));

function as(user: string, on: boolean, d: PMNode): EditorState {
  return EditorState.create({ doc: d, plugins: [suggestionsPlugin({ user: { by: user, name: user, province: 'JS' }, on })] });
}
function posOf(d: PMNode, text: string): number {
  let found = -1;
  d.descendants((node, pos) => {
    if (found < 0 && node.isText && node.text?.includes(text)) found = pos + node.text.indexOf(text);
    return found < 0;
  });
  return found;
}
const typed = (s: EditorState, at: string, text: string): EditorState => s.apply(s.tr.setSelection(TextSelection.create(s.doc, posOf(s.doc, at))).insertText(text));
const deleted = (s: EditorState, what: string): EditorState => s.apply(s.tr.delete(posOf(s.doc, what), posOf(s.doc, what) + what.length));

describe('isSuggestionOnlyChange', () => {
  it('accepts an expert’s suggested insertion and deletion, and withdrawing their own insertion', () => {
    const d0 = base();
    const d1 = typed(as('expert', true, d0), '表1', '附录').doc;
    expect(isSuggestionOnlyChange(d0, d1, 'expert')).toBe(true);
    const d2 = deleted(as('expert', true, d1), '的规定').doc;
    expect(isSuggestionOnlyChange(d1, d2, 'expert')).toBe(true);
    const d3 = deleted(as('expert', true, d2), '附录').doc;
    expect(listSuggestions(d3).map((x) => x.kind)).toEqual(['delete']);
    expect(isSuggestionOnlyChange(d2, d3, 'expert')).toBe(true);
  });

  it('refuses a plain edit, accepting or rejecting someone else’s suggestion, and a suggestion in another name', () => {
    const d0 = base();
    expect(isSuggestionOnlyChange(d0, typed(as('expert', false, d0), '表1', '附录').doc, 'expert')).toBe(false);
    expect(isSuggestionOnlyChange(d0, deleted(as('expert', false, d0), '的规定').doc, 'expert')).toBe(false);
    const bureau = typed(as('bureau', true, d0), '表1', '附录').doc;
    const sid = listSuggestions(bureau)[0].sid;
    const accepted = as('expert', false, bureau);
    let next = accepted;
    acceptCommand(sid)(accepted, (tr) => (next = accepted.apply(tr)));
    expect(isSuggestionOnlyChange(bureau, next.doc, 'expert')).toBe(false);
    rejectCommand(sid)(accepted, (tr) => (next = accepted.apply(tr)));
    expect(isSuggestionOnlyChange(bureau, next.doc, 'expert')).toBe(false);
    expect(isSuggestionOnlyChange(d0, bureau, 'expert')).toBe(false);
    expect(isSuggestionOnlyChange(d0, bureau, 'bureau')).toBe(true);
  });
});

describe('suggestOnlyPermission', () => {
  const std = { _id: 'std-1', leadProvince: 'SH' as const, stage: 'drafting' as const };
  const g = (x: Partial<RoleGrant> & { role: RoleGrant['role'] }): RoleGrant[] => [x as RoleGrant];
  it('lets bureaus and the standard’s experts suggest while the draft is drafted or reviewed, not drafters or outsiders', () => {
    expect(suggestOnlyPermission(g({ role: 'marketRegulator', province: 'JS' }), std)).toBe(true);
    expect(suggestOnlyPermission(g({ role: 'ecoEnvDepartment', province: 'ZJ' }), std)).toBe(true);
    expect(suggestOnlyPermission(g({ role: 'expert' }), { ...std, stage: 'technicalReview', step: 'reviewing' })).toBe(true);
    // The lead department edits directly; the committee reads only; nobody suggests on a frozen public-comment draft.
    expect(suggestOnlyPermission(g({ role: 'ecoEnvDepartment', province: 'SH' }), std)).toBe(false);
    expect(suggestOnlyPermission(g({ role: 'executiveCommittee' }), std)).toBe(false);
    expect(suggestOnlyPermission(g({ role: 'marketRegulator', province: 'JS' }), { ...std, stage: 'publicComment', step: 'open' })).toBe(false);
    expect(suggestOnlyPermission(g({ role: 'marketRegulator', province: 'JS' }), { ...std, stage: 'release' })).toBe(false);
  });
});
