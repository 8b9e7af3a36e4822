// A whole paragraph deleted by a suggest-only author while a drafter decides on a suggestion in or next to it
// (issue 15), built directly in Yjs through the editor's own suggestion plugin and y-prosemirror's diff. The
// bureau withdraws the paragraph it proposed (its own pending block insertion, really deleted) while the drafter
// accepts it: arriving after the accept, the bureau's update really deleted a paragraph of the text, which the
// guard refused (proved on the unrepaired check first). Now the deletion becomes the bureau's suggested deletion
// of the accepted paragraph in both orders of arrival; a paragraph deleted whole around a suggestion the drafter
// decides on stays the author's block deletion.
import * as Y from 'yjs';
import { TextSelection } from 'prosemirror-state';
import { createSuggestionUpdateCheck, watchForStretch } from '../../server/collab/suggest-guard';
import { DecidedMarkers } from '../../editor/suggestions-decided';
import { WithdrawnBlocks } from '../../editor/suggestions-blocks';
import { isSuggestionOnlyChange } from '../../editor/suggestions';
import { base, decide, deleteParagraph, edit, fingerprint, insertParagraph, paragraph, paragraphs, pmOf, type AuthorEdit, type Decision } from './suggest-race';

const author = (by: string) => ({ sid: `${by}-server`, by, name: by, province: 'JS', at: 'T' });
const P1 = '排放浓度应符合表1的规定。';

function doc(id: number, ...updates: Uint8Array[]): Y.Doc {
  const y = new Y.Doc();
  y.clientID = id;
  for (const u of updates) Y.applyUpdate(y, u);
  return y;
}

const suggestXY: AuthorEdit = (s) => s.tr.setSelection(TextSelection.create(s.doc, paragraph(s.doc).from + 2)).insertText('XY');

/** The bureau's first suggestion (`setup`); then, from that state, `deleter` deletes and the drafter decides. */
function race(setup: AuthorEdit, deleter: string, del: AuthorEdit, decision: Decision) {
  const start = base();
  const b = doc(1, start);
  const sv0 = Y.encodeStateVector(b);
  edit(b, 'bureau', true, setup);
  const suggested = Y.encodeStateAsUpdate(b, sv0);
  const t = deleter === 'bureau' ? b : doc(2, start, suggested);
  const d = doc(3, start, suggested);
  const [svT, svD] = [Y.encodeStateVector(t), Y.encodeStateVector(d)];
  edit(t, deleter, true, del);
  decide(d, decision);
  return { start, suggested, deleted: Y.encodeStateAsUpdate(t, svT), decided: Y.encodeStateAsUpdate(d, svD) };
}

/** The room: each update goes through what the server does for its sender (the guard, or the room's repair). */
function room(start: Uint8Array, arrivals: [string, Uint8Array][]): { room: Y.Doc; refused: string[] } {
  const check = createSuggestionUpdateCheck();
  const decided = new DecidedMarkers();
  const withdrawn = new WithdrawnBlocks();
  const y = doc(99, start);
  const refused: string[] = [];
  for (const [user, update] of arrivals) {
    if (user.startsWith('bureau')) {
      const before = pmOf(y);
      const verdict = check(author(user), y, update, withdrawn);
      if (!verdict.ok) {
        refused.push(user);
        continue;
      }
      Y.applyUpdate(y, update);
      if (verdict.followUp) Y.applyUpdate(y, verdict.followUp);
      expect(isSuggestionOnlyChange(before, pmOf(y), user)).toBe(true);
    } else {
      const after = watchForStretch(y, user, () => undefined, { decided, withdrawn });
      Y.applyUpdate(y, update);
      after();
    }
  }
  return { room: y, refused };
}

const CASES: { title: string; setup: AuthorEdit; deleter: string; del: AuthorEdit; decision: Decision; expected: [string, string, string][] }[] = [
  {
    title: 'the bureau withdraws the paragraph it proposed while the drafter accepts it: its suggested deletion of the accepted paragraph',
    setup: insertParagraph,
    deleter: 'bureau',
    del: deleteParagraph('p2'),
    decision: 'accept',
    expected: [['p1', '', P1], ['p2', '-bureau', '新段落']],
  },
  {
    title: 'the bureau withdraws the paragraph it proposed while the drafter rejects it: gone',
    setup: insertParagraph,
    deleter: 'bureau',
    del: deleteParagraph('p2'),
    decision: 'reject',
    expected: [['p1', '', P1]],
  },
  ...(['bureau', 'bureau2'] as const).flatMap((deleter) =>
    (['accept', 'reject'] as Decision[]).map((decision) => ({
      title: `${deleter} deletes the paragraph holding the bureau's suggestion while the drafter decides on it (${decision}): ${deleter}'s block deletion`,
      setup: suggestXY,
      deleter,
      del: deleteParagraph('p1'),
      decision,
      expected: [['p1', `-${deleter}`, decision === 'accept' ? '排放XY浓度应符合表1的规定。' : P1]] as [string, string, string][],
    })),
  ),
];

describe('a whole paragraph deleted by a suggest-only author while a drafter decides', () => {
  it('unrepaired, the withdrawal arriving after the accept really deletes an accepted paragraph (a change the check refuses); the guard accepts it repaired', () => {
    const r = race(insertParagraph, 'bureau', deleteParagraph('p2'), 'accept');
    const y = doc(99, r.start, r.suggested, r.decided);
    expect(paragraphs(pmOf(y))).toEqual([['p1', '', P1], ['p2', '', '新段落']]);
    const check = createSuggestionUpdateCheck();
    const before = pmOf(y);
    const copy = doc(98, r.start, r.suggested, r.decided, r.deleted);
    expect(paragraphs(pmOf(copy))).toEqual([['p1', '', P1]]);
    expect(isSuggestionOnlyChange(before, pmOf(copy), 'bureau')).toBe(false);
    expect(check(author('bureau'), y, r.deleted).ok).toBe(true);
  });

  for (const { title, setup, deleter, del, decision, expected } of CASES) {
    it(`${title}; the same in both orders, nothing refused`, () => {
      const r = race(setup, deleter, del, decision);
      const first = room(r.start, [['bureau', r.suggested], ['drafter', r.decided], [deleter, r.deleted]]);
      const second = room(r.start, [['bureau', r.suggested], [deleter, r.deleted], ['drafter', r.decided]]);
      expect([first.refused, second.refused]).toEqual([[], []]);
      expect(paragraphs(pmOf(first.room))).toEqual(expected);
      expect(paragraphs(pmOf(second.room))).toEqual(expected);
      const strip = (y: Y.Doc): string => fingerprint(y).replace(/"sid":"[^"]*"/g, '').replace(/sid="[^"]*"/g, '');
      expect(strip(second.room)).toBe(strip(first.room));
    });
  }
});
