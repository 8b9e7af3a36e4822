// The race of issue 15, built directly in Yjs: a drafter accepts or rejects a suggestion while its author (a
// suggest-only bureau) types or deletes next to it. Both edit from the same state through the editor's own
// suggestion plugin and y-prosemirror's diff; the merge garbles the suggestion markers (proved on the
// unrepaired merge first), and the server's check (server/collab/suggest-guard.ts createSuggestionUpdateCheck)
// then accepts the author's update with a repair (editor/suggestions-repair.ts) that keeps every pre-existing
// character free of the author's suggested insertion and the author's new text their suggestion.
import * as Y from 'yjs';
import { TextSelection, type EditorState } from 'prosemirror-state';
import { YJS_FRAGMENT } from '../../editor/ydoc';
import { isSuggestionOnlyChange, listSuggestions } from '../../editor/suggestions';
import { createSuggestionUpdateCheck, watchForStretch } from '../../server/collab/suggest-guard';
import { BUREAU, base, bureauInserted, decide, deleteAt, edit, paragraph, pmOf, shown, typeAt, type AuthorEdit, type Decision } from './suggest-race';

interface Race {
  /** The draft, the bureau's first suggestion ("XY" after "排放"), and the two racing updates. */
  start: Uint8Array;
  suggested: Uint8Array;
  author: Uint8Array;
  drafter: Uint8Array;
}

/**
 * The bureau (client id `ids[0]`) suggests "XY", everyone has it; then the drafter (client id `ids[1]`)
 * decides on it while the bureau makes `authorEdit`, each from the same state.
 */
function race(decision: Decision, authorEdit: AuthorEdit, ids: [number, number]): Race {
  const start = base();
  const [a, d] = [new Y.Doc(), new Y.Doc()];
  a.clientID = ids[0];
  d.clientID = ids[1];
  Y.applyUpdate(a, start);
  const sv0 = Y.encodeStateVector(a);
  edit(a, 'bureau', true, (s) => s.tr.setSelection(TextSelection.create(s.doc, paragraph(s.doc).from + 2)).insertText('XY'));
  expect(shown(pmOf(a))).toBe('排放[+bureau:XY]浓度应符合表1的规定。');
  const suggested = Y.encodeStateAsUpdate(a, sv0);
  Y.applyUpdate(d, Y.encodeStateAsUpdate(a));
  const [svA, svD] = [Y.encodeStateVector(a), Y.encodeStateVector(d)];
  decide(d, decision);
  edit(a, 'bureau', true, authorEdit);
  return { start, suggested, author: Y.encodeStateAsUpdate(a, svA), drafter: Y.encodeStateAsUpdate(d, svD) };
}

function merged(start: Uint8Array, ...updates: Uint8Array[]): Y.Doc {
  const y = new Y.Doc();
  Y.applyUpdate(y, start);
  for (const u of updates) Y.applyUpdate(y, u);
  return y;
}

/**
 * The room as the server holds it: the bureau's suggestion went through the check, the drafter's decision
 * arrived, then the bureau's racing update goes through the same check.
 */
function throughTheGuard(r: Race) {
  const check = createSuggestionUpdateCheck();
  const room = merged(r.start);
  const first = check(BUREAU, room, r.suggested);
  // Nothing to repair; the follow-up only records the bureau's Yjs client id with the document.
  expect(first).toMatchObject({ ok: true, followUp: expect.any(Uint8Array) });
  expect(first.ok && first.repaired).toBeFalsy();
  Y.applyUpdate(room, r.suggested);
  const recorded = first.ok && first.followUp ? first.followUp : new Uint8Array([0, 0]);
  Y.applyUpdate(room, recorded);
  Y.applyUpdate(room, r.drafter);
  const before = pmOf(room);
  const verdict = check(BUREAU, room, r.author);
  if (verdict.ok) {
    Y.applyUpdate(room, r.author);
    if (verdict.followUp) Y.applyUpdate(room, verdict.followUp);
  }
  return { room, before, after: pmOf(room), verdict, recorded };
}

const ORDERS: [number, number][] = [
  [10, 20],
  [20, 10],
];

describe('a decision racing the author’s typing next to the suggestion', () => {
  for (const decision of ['accept', 'reject'] as Decision[]) {
    for (const ids of ORDERS) {
      it(`${decision}: typing at the suggestion's start stretches the mark over existing text; the guard repairs it (client ids ${ids.join('/')})`, () => {
        const r = race(decision, typeAt(0), ids);
        // The reproduction: unrepaired, in either order of arrival, the bureau's mark covers text that existed
        // before (the rest of the sentence) — a later reject would delete it.
        for (const order of [[r.drafter, r.author], [r.author, r.drafter]]) {
          expect(bureauInserted(pmOf(merged(r.start, r.suggested, ...order)))).toContain('浓度应符合表1的规定。');
        }
        const { after, before, verdict } = throughTheGuard(r);
        expect(verdict).toMatchObject({ ok: true, repaired: expect.any(Number) });
        expect(bureauInserted(after)).toBe('ab');
        expect(shown(after)).toBe(decision === 'accept' ? '排放[+bureau:ab]XY浓度应符合表1的规定。' : '排放[+bureau:ab]浓度应符合表1的规定。');
        expect(isSuggestionOnlyChange(before, after, 'bureau')).toBe(true);
      });
    }
  }

  it('the author’s text typed inside or at the end of an accepted suggestion stays their suggestion', () => {
    for (const offset of [1, 2]) {
      const r = race('accept', typeAt(offset), [10, 20]);
      // Unrepaired, the words arrive as plain text — a direct edit the bureau may not make.
      expect(bureauInserted(pmOf(merged(r.start, r.suggested, r.drafter, r.author)))).toBe('');
      const { after, before, verdict } = throughTheGuard(r);
      expect(verdict.ok).toBe(true);
      expect(bureauInserted(after)).toBe('ab');
      expect(paragraph(after).node.textContent).toBe(offset === 1 ? '排放XabY浓度应符合表1的规定。' : '排放XYab浓度应符合表1的规定。');
      expect(isSuggestionOnlyChange(before, after, 'bureau')).toBe(true);
    }
  });

  it('withdrawing part of one’s own suggestion the drafter just accepted becomes a suggested deletion', () => {
    const r = race('accept', deleteAt(0), [10, 20]);
    // Unrepaired, the accepted "X" is really deleted by a user who may only suggest.
    expect(paragraph(pmOf(merged(r.start, r.suggested, r.drafter, r.author))).node.textContent).toBe('排放Y浓度应符合表1的规定。');
    const { after, before, verdict } = throughTheGuard(r);
    expect(verdict.ok).toBe(true);
    expect(shown(after)).toBe('排放[-bureau:X]Y浓度应符合表1的规定。');
    expect(isSuggestionOnlyChange(before, after, 'bureau')).toBe(true);
  });

  it('every client that applies the update and its repair ends equal to the room', () => {
    const r = race('reject', typeAt(0), [20, 10]);
    const { room, verdict, recorded } = throughTheGuard(r);
    if (!verdict.ok || !verdict.followUp) throw new Error('expected a repair');
    const author = merged(r.start, r.suggested, recorded, r.author, r.drafter, verdict.followUp);
    const drafter = merged(r.start, r.suggested, recorded, r.drafter, r.author, verdict.followUp);
    const fingerprint = (y: Y.Doc): string => y.getXmlFragment(YJS_FRAGMENT).toString();
    expect(fingerprint(author)).toBe(fingerprint(room));
    expect(fingerprint(drafter)).toBe(fingerprint(room));
  });

  for (const decision of ['accept', 'reject'] as Decision[]) {
    it(`${decision} arriving after the author's typing: the drafter's update is repaired in the room`, () => {
      const r = race(decision, typeAt(0), [10, 20]);
      const room = merged(r.start, r.suggested);
      expect(createSuggestionUpdateCheck()(BUREAU, room, r.author).ok).toBe(true);
      Y.applyUpdate(room, r.author);
      let repaired = 0;
      const after = watchForStretch(room, 'drafter', (n) => (repaired = n));
      Y.applyUpdate(room, r.drafter);
      // Unrepaired, this is the stretch of the first test; the room gives existing text its mark back.
      expect(bureauInserted(pmOf(room))).toContain('浓度应符合表1的规定。');
      after();
      // The accepted "XY" the concurrent marker carried its mark back over is accepted too (the drafter saw it).
      expect(repaired).toBe('浓度应符合表1的规定。'.length + (decision === 'accept' ? 2 : 0));
      expect(shown(pmOf(room))).toBe(decision === 'accept' ? '排放[+bureau:ab]XY浓度应符合表1的规定。' : '排放[+bureau:ab]浓度应符合表1的规定。');
    });
  }

  it('a reject arriving after the author typed inside or at the end of the suggestion leaves their words pending', () => {
    for (const offset of [1, 2]) {
      const r = race('reject', typeAt(offset), [10, 20]);
      const room = merged(r.start, r.suggested);
      expect(createSuggestionUpdateCheck()(BUREAU, room, r.author).ok).toBe(true);
      Y.applyUpdate(room, r.author);
      const after = watchForStretch(room, 'drafter', () => undefined);
      Y.applyUpdate(room, r.drafter);
      // Unrepaired, the bureau's words become plain text of the standard without anyone accepting them.
      expect(shown(pmOf(room))).toBe('排放ab浓度应符合表1的规定。');
      after();
      expect(shown(pmOf(room))).toBe('排放[+bureau:ab]浓度应符合表1的规定。');
    }
  });

  it('leaves a drafter’s own suggestion alone, also where the diff puts it on identical existing text', () => {
    const room = merged(base());
    const after = watchForStretch(room, 'drafter', () => {
      throw new Error('nothing to repair');
    });
    // "排放" typed right before "排放": y-prosemirror's diff keeps the old characters first and marks them.
    edit(room, 'drafter', true, (s) => s.tr.setSelection(TextSelection.create(s.doc, paragraph(s.doc).from)).insertText('排放'));
    after();
    expect(listSuggestions(pmOf(room)).map((x) => [x.by, x.text])).toEqual([['drafter', '排放']]);
  });

  it('gives existing text back the author’s own suggested insertion an update took off (only a drafter accepts)', () => {
    const r = race('accept', typeAt(0), [10, 20]);
    const room = merged(r.start, r.suggested);
    // The bureau's copy drops its mark from "XY" the way a merged marker deletion does: by formatting.
    const copy = merged(r.start, r.suggested);
    const sv = Y.encodeStateVector(copy);
    let text: Y.XmlText | null = null;
    const find = (el: Y.XmlElement | Y.XmlFragment): void =>
      el.toArray().forEach((c) => (c instanceof Y.XmlText ? c.toString().includes('XY') && (text = c) : c instanceof Y.XmlElement && find(c)));
    find(copy.getXmlFragment(YJS_FRAGMENT));
    const t = text as Y.XmlText | null;
    if (!t) throw new Error('no text');
    t.format(2, 2, { suggestInsert: null });
    const update = Y.encodeStateAsUpdate(copy, sv);
    expect(shown(pmOf(copy))).toBe('排放XY浓度应符合表1的规定。');
    const check = createSuggestionUpdateCheck();
    const verdict = check(BUREAU, room, update);
    if (!verdict.ok || !verdict.followUp) throw new Error('expected a repair');
    Y.applyUpdate(room, update);
    Y.applyUpdate(room, verdict.followUp);
    expect(shown(pmOf(room))).toBe('排放[+bureau:XY]浓度应符合表1的规定。');
  });

  it('a plain insertion becomes the author’s suggested insertion (not refused); a plain deletion their suggested deletion', () => {
    const start = base();
    const a = merged(start);
    const sv = Y.encodeStateVector(a);
    edit(a, 'bureau', false, (s: EditorState) => s.tr.insertText('直接', paragraph(s.doc).from));
    // As it is, a direct edit (the check alone refuses it); the guard makes it the bureau's suggestion.
    expect(isSuggestionOnlyChange(pmOf(merged(start)), pmOf(a), 'bureau')).toBe(false);
    const roomA = merged(start);
    const plain = createSuggestionUpdateCheck()(BUREAU, roomA, Y.encodeStateAsUpdate(a, sv));
    if (!plain.ok || !plain.followUp) throw new Error('expected a repair');
    Y.applyUpdate(roomA, Y.encodeStateAsUpdate(a, sv));
    Y.applyUpdate(roomA, plain.followUp);
    expect(shown(pmOf(roomA))).toBe('[+bureau:直接]排放浓度应符合表1的规定。');
    // A deletion the author's editor made as a real one (it showed the text as the author's own insertion,
    // a stretch not yet repaired there) is put back as a suggested deletion.
    const b = merged(start);
    const svB = Y.encodeStateVector(b);
    edit(b, 'bureau', false, (s: EditorState) => s.tr.delete(paragraph(s.doc).from, paragraph(s.doc).from + 2));
    const room = merged(start);
    const verdict = createSuggestionUpdateCheck()(BUREAU, room, Y.encodeStateAsUpdate(b, svB));
    if (!verdict.ok || !verdict.followUp) throw new Error('expected a repair');
    Y.applyUpdate(room, Y.encodeStateAsUpdate(b, svB));
    Y.applyUpdate(room, verdict.followUp);
    expect(shown(pmOf(room))).toBe('[-bureau:排放]浓度应符合表1的规定。');
  });
});
