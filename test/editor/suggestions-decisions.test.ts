// Words typed inside a suggestion while a drafter decides on it (issue 15), built directly in Yjs: the bureau
// suggested "XY"; from the same state, someone types "ab" inside it ("XabY") and the drafter accepts or
// rejects it. The drafter's decision covers only what they saw (their editor records it,
// editor/suggestions-provenance.ts), so in either order of arrival the words are what their author made them:
// the bureau's own words stay its pending suggestion, another drafter's plain words stay plain, another
// suggest-only author's words stay that author's suggestion — accepted with nothing, removed by no reject.
// Without the record (an older editor) the accept arriving second takes the unseen words with it.
import * as Y from 'yjs';
import { TextSelection } from 'prosemirror-state';
import { createSuggestionUpdateCheck, watchForStretch } from '../../server/collab/suggest-guard';
import { YJS_FRAGMENT } from '../../editor/ydoc';
import { DecidedMarkers } from '../../editor/suggestions-decided';
import { MAX_CLIENTS_PER_AUTHOR, recordDecision, recordWriters, writerClients, type DecisionRecord } from '../../editor/suggestions-provenance';
import { base, decide, edit, paragraph, pmOf, shown, typeAt, type Decision } from './suggest-race';

const fingerprint = (d: Y.Doc): string => d.getXmlFragment(YJS_FRAGMENT).toString();
const author = (by: string) => ({ sid: `${by}-server`, by, name: by, province: 'JS', at: 'T' });

function doc(id: number, ...updates: Uint8Array[]): Y.Doc {
  const y = new Y.Doc();
  y.clientID = id;
  for (const u of updates) Y.applyUpdate(y, u);
  return y;
}

/** Users who type in suggestion mode: the suggest-only bureaus, and drafter-a, a drafter who chose to suggest. */
const suggesting = (user: string): boolean => user.startsWith('bureau') || user === 'drafter-a';

/** `owner`'s "XY", then `typist`'s "ab" at `offset` in it and the drafter's decision, both from that state. */
function race(typist: string, decision: Decision, record = true, owner = 'bureau', offset = 1) {
  const start = base();
  const b = doc(1, start);
  const sv0 = Y.encodeStateVector(b);
  edit(b, owner, true, (s) => s.tr.setSelection(TextSelection.create(s.doc, paragraph(s.doc).from + 2)).insertText('XY'));
  const suggested = Y.encodeStateAsUpdate(b, sv0);
  const t = typist === owner ? b : doc(2, start, suggested);
  const d = doc(3, start, suggested);
  const [svT, svD] = [Y.encodeStateVector(t), Y.encodeStateVector(d)];
  edit(t, typist, suggesting(typist), typeAt(offset));
  decide(d, decision, { record });
  return { start, suggested, typed: Y.encodeStateAsUpdate(t, svT), decided: Y.encodeStateAsUpdate(d, svD) };
}

/** The room: each update goes through what the server does for its sender (guard or room repair). */
function room(start: Uint8Array, suggested: Uint8Array, arrivals: [string, Uint8Array][], owner = 'bureau'): { room: Y.Doc; shown: string } {
  const check = createSuggestionUpdateCheck();
  const decided = new DecidedMarkers();
  const y = doc(99, start);
  for (const [user, update] of [[owner, suggested], ...arrivals] as [string, Uint8Array][]) {
    if (user.startsWith('bureau')) {
      const verdict = check(author(user), y, update);
      if (!verdict.ok) throw new Error(`${user}'s update refused`);
      Y.applyUpdate(y, update);
      if (verdict.followUp) Y.applyUpdate(y, verdict.followUp);
    } else {
      const after = watchForStretch(y, user, () => undefined, { decided });
      Y.applyUpdate(y, update);
      after();
    }
  }
  return { room: y, shown: shown(pmOf(y)) };
}

const CASES: { typist: string; decision: Decision; expected: string }[] = [
  { typist: 'bureau', decision: 'accept', expected: '排放X[+bureau:ab]Y浓度应符合表1的规定。' },
  { typist: 'bureau', decision: 'reject', expected: '排放[+bureau:ab]浓度应符合表1的规定。' },
  { typist: 'drafter-b', decision: 'accept', expected: '排放XabY浓度应符合表1的规定。' },
  { typist: 'drafter-b', decision: 'reject', expected: '排放ab浓度应符合表1的规定。' },
  { typist: 'bureau2', decision: 'accept', expected: '排放X[+bureau2:ab]Y浓度应符合表1的规定。' },
  { typist: 'bureau2', decision: 'reject', expected: '排放[+bureau2:ab]浓度应符合表1的规定。' },
];

describe('words typed inside a suggestion while a drafter decides on it', () => {
  for (const { typist, decision, expected } of CASES) {
    it(`${typist}'s words, ${decision}: the same in both orders of arrival, and only the seen text decided`, () => {
      const r = race(typist, decision);
      const decisionFirst = room(r.start, r.suggested, [['drafter', r.decided], [typist, r.typed]]);
      const decisionSecond = room(r.start, r.suggested, [[typist, r.typed], ['drafter', r.decided]]);
      expect(decisionFirst.shown).toBe(expected);
      expect(decisionSecond.shown).toBe(expected);
      // Every replica that gets both updates and the repairs converges (the rooms hold the repairs).
      expect(fingerprint(decisionSecond.room).replace(/sid="[^"]*"/g, '')).toBe(fingerprint(decisionFirst.room).replace(/sid="[^"]*"/g, ''));
    });
  }

  for (const decision of ['accept', 'reject'] as Decision[]) {
    for (const offset of [0, 1, 2]) {
      it(`a drafter's own suggestion, typed on at ${offset} while another drafter decides (${decision}): never stretched over existing text, in both orders`, () => {
        const r = race('drafter-a', decision, true, 'drafter-a', offset);
        const ab = '[+drafter-a:ab]';
        const expected =
          decision === 'reject'
            ? `排放${ab}浓度应符合表1的规定。`
            : `排放${['', 'X', 'XY'][offset]}${ab}${['XY', 'Y', ''][offset]}浓度应符合表1的规定。`;
        const orders: [string, Uint8Array][][] = [
          [['drafter', r.decided], ['drafter-a', r.typed]],
          [['drafter-a', r.typed], ['drafter', r.decided]],
        ];
        for (const order of orders) expect(room(r.start, r.suggested, order, 'drafter-a').shown).toBe(expected);
      });
    }
  }

  it('without the decision record (an older editor), an accept arriving second takes the unseen words with it', () => {
    const r = race('bureau', 'accept', false);
    expect(room(r.start, r.suggested, [['bureau', r.typed], ['drafter', r.decided]]).shown).toBe('排放XabY浓度应符合表1的规定。');
  });

  it('the record counts for the next update of the same socket when the editor sent it on its own', () => {
    const r = race('bureau', 'accept');
    // Split the drafter's update into the record's transaction and the decision's, as a live editor sends them.
    const d = doc(3, r.start, r.suggested);
    const sv = Y.encodeStateVector(d);
    const updates: Uint8Array[] = [];
    d.on('update', (u: Uint8Array) => updates.push(u));
    decide(d, 'accept');
    expect(updates).toHaveLength(2);
    const y = room(r.start, r.suggested, [['bureau', r.typed]]).room;
    let pending = null as DecisionRecord | null;
    const first = watchForStretch(y, 'drafter', () => undefined, { onRecord: (rec) => (pending = rec) });
    Y.applyUpdate(y, updates[0]);
    first();
    expect(pending?.decision).toBe('accept');
    const second = watchForStretch(y, 'drafter', () => undefined, { pending });
    Y.applyUpdate(y, updates[1]);
    second();
    expect(shown(pmOf(y))).toBe('排放X[+bureau:ab]Y浓度应符合表1的规定。');
    expect(Y.encodeStateAsUpdate(d, sv).length).toBeGreaterThan(0);
  });
});

describe('what a suggest-only user may write besides the text', () => {
  it('a decision record is refused (it would decide suggestions in a drafter’s name); the record of sessions is not', () => {
    const start = base();
    const forge = (write: (y: Y.Doc) => void): Uint8Array => {
      const y = doc(7, start);
      const sv = Y.encodeStateVector(y);
      write(y);
      return Y.encodeStateAsUpdate(y, sv);
    };
    const decision = forge((y) => recordDecision(y, 'drafter', 'accept', ['repair-1']));
    expect(createSuggestionUpdateCheck()(author('bureau'), doc(99, start), decision)).toEqual({ ok: false });
    const sessions = forge((y) => y.transact(() => recordWriters(y, 'bureau', [7], 'T')));
    expect(createSuggestionUpdateCheck()(author('bureau'), doc(99, start), sessions).ok).toBe(true);
  });
});

describe('the record of suggest-only sessions kept in the document', () => {
  it('keeps the newest 32 sessions per author, and never gives one author’s session to another', () => {
    const y = new Y.Doc();
    for (let i = 0; i < 40; i++) y.transact(() => recordWriters(y, 'bureau', [1000 + i], `2026-12-03T10:00:${String(i).padStart(2, '0')}.000Z`));
    const kept = writerClients(y, 'bureau');
    expect(kept.size).toBe(MAX_CLIENTS_PER_AUTHOR);
    expect([...kept].sort()).toEqual(Array.from({ length: 32 }, (_, i) => 1008 + i));
    expect(y.transact(() => recordWriters(y, 'bureau2', [1039, 2000], 'T'))).toBe(true);
    expect(writerClients(y, 'bureau').has(1039)).toBe(true);
    expect([...writerClients(y, 'bureau2')]).toEqual([2000]);
  });
});
