// Undo and redo of a drafter's accept or reject (issue 15), built directly in Yjs with the drafter's own
// Y.UndoManager (what y-prosemirror's undo plugin runs) and a room that does to each update what the
// collaboration server does (the guard for the bureau, the stretch repair with the decision journal for
// drafters, one socket's pending records carried to its next update). The decision is one undo step; undoing it
// writes an undo record first, so the room lets exactly what that decision removed come back; anything else an
// undo (or a forged undo record) would put on existing text is still repaired.
import * as Y from 'yjs';
import { TextSelection, type Transaction } from 'prosemirror-state';
import { createSuggestionUpdateCheck, watchForStretch } from '../../server/collab/suggest-guard';
import { DecidedMarkers } from '../../editor/suggestions-decided';
import { DecisionJournal } from '../../editor/suggestions-journal';
import { recordUndo, type DecisionRecord } from '../../editor/suggestions-provenance';
import { decideWithHistory, redoWithDecisions, undoWithDecisions } from '../../editor/suggestions-undo';
import { acceptCommand, rejectCommand } from '../../editor/suggestions-plugin';
import { listSuggestions } from '../../editor/suggestions';
import { SUGGEST_INSERT } from '../../editor/schema';
import { YJS_FRAGMENT } from '../../editor/ydoc';
import { base, edit, fingerprint, paragraph, pmOf, shown, type Decision } from './suggest-race';

const author = (by: string) => ({ sid: `${by}-server`, by, name: by, province: 'JS', at: 'T' });

/** The room, as the collaboration server keeps it. */
class Room {
  readonly y = new Y.Doc();
  private readonly check = createSuggestionUpdateCheck();
  private readonly decided = new DecidedMarkers();
  private readonly journal = new DecisionJournal();
  private readonly pending = new Map<string, DecisionRecord>();
  private readonly undos = new Map<string, string>();
  constructor(start: Uint8Array) {
    this.y.clientID = 99;
    Y.applyUpdate(this.y, start);
  }
  send(user: string, update: Uint8Array): void {
    if (user.startsWith('bureau')) {
      const verdict = this.check(author(user), this.y, update);
      if (!verdict.ok) throw new Error(`${user}'s update refused`);
      Y.applyUpdate(this.y, update);
      if (verdict.followUp) Y.applyUpdate(this.y, verdict.followUp);
      return;
    }
    const pending = this.pending.get(user) ?? null;
    const pendingUndo = this.undos.get(user) ?? null;
    this.pending.delete(user);
    this.undos.delete(user);
    const after = watchForStretch(this.y, user, () => undefined, {
      pending,
      pendingUndo,
      decided: this.decided,
      journal: this.journal,
      onRecord: (r) => this.pending.set(user, r),
      onUndoRecord: (id) => this.undos.set(user, id),
    });
    Y.applyUpdate(this.y, update);
    after();
  }
}

/** A client of the room: its own updates go to the room one by one (as y-websocket sends them), the room's come back. */
class Client {
  readonly y = new Y.Doc();
  readonly um: Y.UndoManager;
  private readonly out: Uint8Array[] = [];
  constructor(
    readonly user: string,
    id: number,
    private readonly room: Room,
  ) {
    this.y.clientID = id;
    Y.applyUpdate(this.y, Y.encodeStateAsUpdate(room.y), 'remote');
    this.y.on('update', (u: Uint8Array, origin: unknown) => void (origin !== 'remote' && this.out.push(u)));
    this.um = new Y.UndoManager(this.y.getXmlFragment(YJS_FRAGMENT), { trackedOrigins: new Set(['local']) });
  }
  /** Sends what this client wrote, then takes what the room has (repairs included). */
  sync(): void {
    for (const u of this.out.splice(0)) this.room.send(this.user, u);
    this.pull();
  }
  pull(): void {
    Y.applyUpdate(this.y, Y.encodeStateAsUpdate(this.room.y, Y.encodeStateVector(this.y)), 'remote');
  }
  shown(): string {
    return shown(pmOf(this.y));
  }
  /** The drafter's decision on the first suggestion, as the pane makes it. */
  decide(decision: Decision): void {
    const sid = listSuggestions(pmOf(this.y))[0].sid;
    decideWithHistory(this.um, this.y, this.user, decision, [sid], () =>
      edit(this.y, this.user, false, (s) => {
        let out: Transaction | null = null;
        (decision === 'accept' ? acceptCommand(sid) : rejectCommand(sid))(s, (tr) => (out = tr));
        return out;
      }),
    );
  }
}

const at = (offset: number, text: string) => (s: Parameters<Parameters<typeof edit>[3]>[0]) =>
  s.tr.setSelection(TextSelection.create(s.doc, paragraph(s.doc).from + offset)).insertText(text);
const del = (offset: number, length: number) => (s: Parameters<Parameters<typeof edit>[3]>[0]) => {
  const from = paragraph(s.doc).from + offset;
  return s.tr.setSelection(TextSelection.create(s.doc, from + length)).delete(from, from + length);
};

/** The bureau's suggestion made and seen by everyone: inserted "XY" after "排放", or "浓度" struck. */
function setup(kind: 'insert' | 'delete') {
  const room = new Room(base());
  const bureau = new Client('bureau', 1, room);
  const drafter = new Client('drafter', 3, room);
  const other = new Client('drafter-b', 4, room);
  edit(bureau.y, 'bureau', true, kind === 'insert' ? at(2, 'XY') : del(2, 2));
  bureau.sync();
  drafter.pull();
  other.pull();
  return { room, bureau, drafter, other, all: [bureau, drafter, other] };
}

const SUGGESTED = { insert: '排放[+bureau:XY]浓度应符合表1的规定。', delete: '排放[-bureau:浓度]应符合表1的规定。' };
const DECIDED = {
  insert: { accept: '排放XY浓度应符合表1的规定。', reject: '排放浓度应符合表1的规定。' },
  delete: { accept: '排放应符合表1的规定。', reject: '排放浓度应符合表1的规定。' },
};

describe('a drafter undoes their own accept or reject', () => {
  for (const kind of ['insert', 'delete'] as const) {
    for (const decision of ['accept', 'reject'] as Decision[]) {
      it(`${decision} of a suggested ${kind === 'insert' ? 'insertion' : 'deletion'}, undone: the suggestion is back, with its author, in every replica; redo decides again`, () => {
        const { room, drafter, all } = setup(kind);
        const before = fingerprint(room.y);
        const attrsBefore = listSuggestions(pmOf(room.y));
        drafter.decide(decision);
        drafter.sync();
        expect(drafter.shown()).toBe(DECIDED[kind][decision]);
        expect(undoWithDecisions(drafter.um, drafter.y)).toBe(true);
        drafter.sync();
        all.forEach((c) => c.pull());
        // The room let the undo stand: the text and every suggestion attribute as before the decision.
        expect(room.y.getXmlFragment(YJS_FRAGMENT).toString()).toBe(before);
        for (const c of all) expect(fingerprint(c.y)).toBe(before);
        expect(listSuggestions(pmOf(room.y))).toEqual(attrsBefore);
        expect(all[0].shown()).toBe(SUGGESTED[kind]);
        // Redo re-applies the decision, and the room keeps it.
        expect(redoWithDecisions(drafter.um, drafter.y)).toBe(true);
        drafter.sync();
        all.forEach((c) => c.pull());
        for (const c of all) expect(c.shown()).toBe(DECIDED[kind][decision]);
        // And undo again works (the tag went with the step to the redo stack and back).
        expect(undoWithDecisions(drafter.um, drafter.y)).toBe(true);
        drafter.sync();
        all.forEach((c) => c.pull());
        for (const c of all) expect(fingerprint(c.y)).toBe(before);
      });
    }
  }

  it('the decision is an undo step of its own: typing before it is not undone with it', () => {
    const { room, drafter } = setup('insert');
    edit(drafter.y, 'drafter', false, at(0, '本'));
    drafter.decide('accept');
    drafter.sync();
    undoWithDecisions(drafter.um, drafter.y);
    drafter.sync();
    expect(shown(pmOf(room.y))).toBe('本排放[+bureau:XY]浓度应符合表1的规定。');
  });

  it('words another drafter typed inside meanwhile stay as they typed them; a character deleted meanwhile stays deleted', () => {
    const { room, drafter, other, all } = setup('insert');
    drafter.decide('accept');
    drafter.sync();
    other.pull();
    edit(other.y, 'drafter-b', false, at(3, 'ab')); // "XabY", plain, after the accept
    edit(other.y, 'drafter-b', false, del(2, 1)); // and "X" deleted: "abY"
    other.sync();
    drafter.pull();
    expect(drafter.shown()).toBe('排放abY浓度应符合表1的规定。');
    undoWithDecisions(drafter.um, drafter.y);
    drafter.sync();
    all.forEach((c) => c.pull());
    // "Y" is the bureau's suggestion again, "ab" stays drafter-b's plain text, "X" stays deleted.
    expect(shown(pmOf(room.y))).toBe('排放ab[+bureau:Y]浓度应符合表1的规定。');
    for (const c of all) expect(fingerprint(c.y)).toBe(fingerprint(room.y));
  });

  for (const order of ['the undo', 'the typing'] as const) {
    it(`words another drafter types inside at the moment of the undo (${order} arriving first) stay plain`, () => {
      const { room, drafter, other, all } = setup('insert');
      drafter.decide('accept');
      drafter.sync();
      other.pull();
      undoWithDecisions(drafter.um, drafter.y);
      edit(other.y, 'drafter-b', false, at(3, 'ab')); // not having seen the undo
      for (const c of order === 'the undo' ? [drafter, other] : [other, drafter]) c.sync();
      all.forEach((c) => c.pull());
      expect(shown(pmOf(room.y))).toBe('排放[+bureau:X]ab[+bureau:Y]浓度应符合表1的规定。');
      for (const c of all) expect(fingerprint(c.y)).toBe(fingerprint(room.y));
    });
  }
});

describe('what an undo record does not allow', () => {
  /** Sends `write` made in the drafter's document as their own update. */
  const forge = (drafter: Client, write: () => void): void => {
    drafter.y.transact(write, 'local');
    drafter.sync();
  };
  const markBureau = (y: Y.Doc, from: number, length: number): void => {
    const text = y.getXmlFragment(YJS_FRAGMENT).createTreeWalker((n) => n instanceof Y.XmlText && n.toString().includes('规定')).next().value as Y.XmlText;
    text.format(from, length, { [SUGGEST_INSERT]: { ...author('bureau'), sid: 'repair-1' } });
  };

  it('a forged undo record of a real decision that marks text the decision did not change is repaired', () => {
    const { room, drafter } = setup('insert');
    drafter.decide('accept');
    drafter.sync();
    const rec = drafter.y.getMap('suggestionDecisions').get('drafter') as { id: string };
    recordUndo(drafter.y, 'drafter', rec.id);
    // "应符合" (existing text the decision did not change) marked the bureau's insertion.
    forge(drafter, () => markBureau(drafter.y, 6, 3));
    expect(shown(pmOf(room.y))).toBe('排放XY浓度应符合表1的规定。');
  });

  it('an undo record naming another drafter’s decision restores nothing', () => {
    const { room, drafter, other } = setup('insert');
    other.decide('accept');
    other.sync();
    drafter.pull();
    const rec = drafter.y.getMap('suggestionDecisions').get('drafter-b') as { id: string };
    recordUndo(drafter.y, 'drafter', rec.id);
    forge(drafter, () => markBureau(drafter.y, 2, 2)); // the very characters drafter-b's accept unmarked
    expect(shown(pmOf(room.y))).toBe('排放XY浓度应符合表1的规定。');
  });

  it('an undo without the record (an editor that writes none) is repaired as a stretch', () => {
    const { room, drafter } = setup('insert');
    drafter.decide('accept');
    drafter.sync();
    drafter.um.undo();
    drafter.sync();
    expect(shown(pmOf(room.y))).toBe('排放XY浓度应符合表1的规定。');
  });
});
