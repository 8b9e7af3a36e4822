// What a suggest-only user may write (issue 15): suggestions in their own name only. The collaboration
// server (server/collab/suggest-guard.ts) applies `isSuggestionOnlyChange` to each of their updates, and
// `suggestOnlyPermission` decides who is suggest-only.
import { EditorState, TextSelection } from 'prosemirror-state';
import type { Node as PMNode } from 'prosemirror-model';
import { chapter, clause, doc, foreword, h, normativeReferences, p, scope, termsAndDefinitions } from '../../editor/builders';
import { isSuggestionOnlyChange, listSuggestions } from '../../editor/suggestions';
import { suggestionsPlugin, acceptCommand, rejectCommand } from '../../editor/suggestions-plugin';
import { suggestOnlyPermission } from '../../workflows/suggest-access';
import { initProseMirrorDoc, updateYFragment } from 'y-prosemirror';
import { schema } from '../../editor/schema';
import { jsonToYDoc, yDocToJSON, YJS_FRAGMENT } from '../../editor/ydoc';
import { IncrementalDoc, isSuggestionOnlyUpdate } from '../../editor/suggestions-ydoc';
import type { DocJSON } from '../../editor/types';
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

describe('the server-side check of updates (IncrementalDoc, isSuggestionOnlyUpdate)', () => {
  /** A Y.Doc with an incremental ProseMirror view, edited the way the editor binding writes. */
  function setup() {
    const ydoc = jsonToYDoc(base().toJSON() as DocJSON);
    const frag = ydoc.getXmlFragment(YJS_FRAGMENT);
    const inc = new IncrementalDoc(frag);
    const { meta } = initProseMirrorDoc(frag, schema);
    let state = as('expert', true, inc.doc());
    const edit = (on: boolean, change: (s: EditorState) => EditorState): { before: PMNode; after: PMNode } => {
      const before = inc.doc();
      const s0 = as('expert', on, state.doc);
      state = change(s0);
      ydoc.transact(() => updateYFragment(ydoc, frag, state.doc, meta));
      return { before, after: inc.doc() };
    };
    return { ydoc, inc, edit, full: () => schema.nodeFromJSON(yDocToJSON(ydoc)) };
  }

  it('keeps the ProseMirror form equal to a full conversion, reusing the unchanged nodes', () => {
    const { inc, edit, full } = setup();
    const first = edit(true, (s) => typed(s, '表1', '附录'));
    expect(inc.doc().eq(full())).toBe(true);
    // Only the chapter holding the edit was rebuilt; the foreword and the others are the same objects.
    for (let i = 0; i < 4; i++) expect(first.after.child(i)).toBe(first.before.child(i));
    expect(first.after.child(4)).not.toBe(first.before.child(4));
    edit(true, (s) => deleted(s, '的规定'));
    expect(inc.doc().eq(full())).toBe(true);
  });

  it('gives the same verdict as the whole-document check', () => {
    const { edit } = setup();
    const cases: [boolean, (s: EditorState) => EditorState][] = [
      [true, (s) => typed(s, '表1', '附录')],
      [true, (s) => deleted(s, '的规定')],
      [false, (s) => typed(s, '排放', '直接')],
      [false, (s) => deleted(s, '浓度')],
      [true, (s) => deleted(s, '附录')],
    ];
    for (const [on, change] of cases) {
      const { before, after } = edit(on, change);
      expect([on, isSuggestionOnlyUpdate(before, after, 'expert')]).toEqual([on, isSuggestionOnlyChange(before, after, 'expert')]);
      expect(isSuggestionOnlyUpdate(before, after, 'expert')).toBe(on);
    }
  });
});
