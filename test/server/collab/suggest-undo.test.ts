// A drafter's undo of their own accept or reject (issue 15) through the real collaboration server and MongoDB:
// the drafter's editor makes the decision one step of its Y.UndoManager and writes an undo record before
// undoing it (editor/suggestions-undo.ts); the server lets the undo put back what that decision removed
// (editor/suggestions-journal.ts) — the suggestion comes back for everyone, nobody is refused, and a cold reload
// from MongoDB equals the clients. An undo without the record, and a forged undo record that marks text the
// decision did not change, are still repaired as stretched marks.
import * as Y from 'yjs';
import { TextSelection, type EditorState, type Transaction } from 'prosemirror-state';
import { createMongoDocumentStore } from '../../../activities/data/documents';
import { STANDARDS } from '../../../activities/data/standards';
import { createLogger } from '../../../activities/infra/logger';
import { freshMongo } from '../../support/mongo';
import { base, edit, fingerprint, paragraph, pmOf, shown, type Decision } from '../../editor/suggest-race';
import { acceptCommand, rejectCommand } from '../../../editor/suggestions-plugin';
import { listSuggestions } from '../../../editor/suggestions';
import { recordUndo } from '../../../editor/suggestions-provenance';
import { decideWithHistory, redoWithDecisions, undoWithDecisions } from '../../../editor/suggestions-undo';
import { SUGGEST_INSERT } from '../../../editor/schema';
import { YJS_FRAGMENT } from '../../../editor/ydoc';
import { connectClient, startSuggestCollab, until, type TestClient } from './support';

jest.setTimeout(60_000);

let mongo: Awaited<ReturnType<typeof freshMongo>>;
beforeAll(async () => {
  mongo = await freshMongo('suggundo');
});
afterAll(async () => {
  await mongo.drop();
});

type Edit = (s: EditorState) => Transaction;
const insertXY: Edit = (s) => s.tr.setSelection(TextSelection.create(s.doc, paragraph(s.doc).from + 2)).insertText('XY');
const strike: Edit = (s) => {
  const from = paragraph(s.doc).from + 2;
  return s.tr.setSelection(TextSelection.create(s.doc, from + 2)).delete(from, from + 2);
};

async function coldReload(docName: string): Promise<Y.Doc> {
  const loaded = await createMongoDocumentStore(mongo.db).load(docName);
  const cold = new Y.Doc();
  if (loaded.snapshot) Y.applyUpdate(cold, loaded.snapshot);
  for (const u of loaded.updates) Y.applyUpdate(cold, u.update);
  return cold;
}

let n = 0;
/** The bureau's suggestion made and seen by the drafter and another drafter; `run` does the rest. */
async function withRoom(suggest: Edit, run: (ctx: { drafter: TestClient; um: Y.UndoManager; all: TestClient[]; allEqual: () => boolean; docName: string; refused: () => number }) => Promise<void>): Promise<void> {
  const standardId = `suggundo${++n}`;
  const docName = `standard:${standardId}`;
  await mongo.db.collection(STANDARDS).insertOne({ _id: standardId, leadProvince: 'SH', stage: 'drafting' } as never);
  const srv = await startSuggestCollab(mongo.db, standardId, createLogger('test-suggest-undo'));
  Y.applyUpdate(await srv.collab.getDoc(docName), base());
  const bureau = connectClient(srv.url, docName, 'bureau');
  const drafter = connectClient(srv.url, docName, 'drafter');
  const other = connectClient(srv.url, docName, 'drafter-b');
  const all = [bureau, drafter, other];
  const allEqual = (): boolean => all.every((c) => fingerprint(c.doc) === fingerprint(all[0].doc));
  const um = new Y.UndoManager(drafter.doc.getXmlFragment(YJS_FRAGMENT), { trackedOrigins: new Set(['local']) });
  try {
    await Promise.all(all.map((c) => c.synced()));
    await until(() => all.every((c) => c.tracker.state.access === 'edit'), 5000, 'all may write');
    edit(bureau.doc, 'bureau', true, suggest);
    await bureau.saved();
    await until(() => allEqual() && listSuggestions(pmOf(drafter.doc)).length === 1, 10_000, 'suggestion seen');
    await run({ drafter, um, all, allEqual, docName, refused: srv.refused });
    expect(srv.refused()).toBe(0);
    expect(fingerprint(await coldReload(docName))).toBe(fingerprint(drafter.doc));
  } finally {
    um.destroy();
    all.forEach((c) => c.destroy());
    await srv.close();
  }
}

/** The drafter's decision on the only suggestion, as the pane makes it (record, then the change, one undo step). */
function decide(drafter: TestClient, um: Y.UndoManager, decision: Decision): void {
  const sid = listSuggestions(pmOf(drafter.doc))[0].sid;
  decideWithHistory(um, drafter.doc, 'drafter', decision, [sid], () =>
    edit(drafter.doc, 'drafter', false, (s) => {
      let out: Transaction | null = null;
      (decision === 'accept' ? acceptCommand(sid) : rejectCommand(sid))(s, (tr) => (out = tr));
      return out;
    }),
  );
}

const CASES: { suggest: Edit; kind: string; decision: Decision; suggested: string; decided: string }[] = [
  { suggest: insertXY, kind: 'insertion', decision: 'accept', suggested: '排放[+bureau:XY]浓度应符合表1的规定。', decided: '排放XY浓度应符合表1的规定。' },
  { suggest: insertXY, kind: 'insertion', decision: 'reject', suggested: '排放[+bureau:XY]浓度应符合表1的规定。', decided: '排放浓度应符合表1的规定。' },
  { suggest: strike, kind: 'deletion', decision: 'reject', suggested: '排放[-bureau:浓度]应符合表1的规定。', decided: '排放浓度应符合表1的规定。' },
  { suggest: strike, kind: 'deletion', decision: 'accept', suggested: '排放[-bureau:浓度]应符合表1的规定。', decided: '排放应符合表1的规定。' },
];

for (const { suggest, kind, decision, suggested, decided } of CASES) {
  test(`${decision} of a suggested ${kind}, undone and redone: every client and a cold reload follow, nobody refused`, async () => {
    await withRoom(suggest, async ({ drafter, um, all, allEqual }) => {
      const before = fingerprint(drafter.doc);
      decide(drafter, um, decision);
      await drafter.saved();
      await until(() => allEqual() && shown(pmOf(all[0].doc)) === decided, 10_000, 'decided');
      expect(undoWithDecisions(um, drafter.doc)).toBe(true);
      await drafter.saved();
      await until(() => allEqual() && fingerprint(all[0].doc) === before, 10_000, `undone (${shown(pmOf(all[0].doc))})`);
      expect(shown(pmOf(all[0].doc))).toBe(suggested);
      expect(redoWithDecisions(um, drafter.doc)).toBe(true);
      await drafter.saved();
      await until(() => allEqual() && shown(pmOf(all[0].doc)) === decided, 10_000, `redone (${shown(pmOf(all[0].doc))})`);
    });
  });
}

test('an undo without the undo record is repaired as a stretch: the accept stands everywhere', async () => {
  await withRoom(insertXY, async ({ drafter, um, all, allEqual }) => {
    decide(drafter, um, 'accept');
    await drafter.saved();
    um.undo();
    await drafter.saved();
    await until(() => allEqual() && shown(pmOf(all[0].doc)) === '排放XY浓度应符合表1的规定。', 10_000, `repaired (${shown(pmOf(all[0].doc))})`);
  });
});

test('a forged undo record that marks text the decision did not change is repaired', async () => {
  await withRoom(insertXY, async ({ drafter, um, all, allEqual }) => {
    decide(drafter, um, 'accept');
    await drafter.saved();
    const rec = drafter.doc.getMap('suggestionDecisions').get('drafter') as { id: string };
    recordUndo(drafter.doc, 'drafter', rec.id);
    drafter.doc.transact(() => {
      const text = drafter.doc.getXmlFragment(YJS_FRAGMENT).createTreeWalker((node) => node instanceof Y.XmlText && node.toString().includes('规定')).next().value as Y.XmlText;
      text.format(6, 3, { [SUGGEST_INSERT]: { sid: 'forged', by: 'bureau', name: 'bureau', province: 'JS', at: 'T' } });
    }, 'local');
    await drafter.saved();
    await until(() => allEqual() && shown(pmOf(all[0].doc)) === '排放XY浓度应符合表1的规定。', 10_000, `repaired (${shown(pmOf(all[0].doc))})`);
  });
});

test('words another drafter typed inside the accepted text stay theirs when the accept is undone', async () => {
  await withRoom(insertXY, async ({ drafter, um, all, allEqual }) => {
    const other = all[2];
    decide(drafter, um, 'accept');
    await drafter.saved();
    await until(() => allEqual() && shown(pmOf(other.doc)) === '排放XY浓度应符合表1的规定。', 10_000, 'accepted');
    edit(other.doc, 'drafter-b', false, (s) => s.tr.setSelection(TextSelection.create(s.doc, paragraph(s.doc).from + 3)).insertText('ab'));
    await other.saved();
    await until(() => allEqual() && shown(pmOf(drafter.doc)) === '排放XabY浓度应符合表1的规定。', 10_000, 'typed');
    expect(undoWithDecisions(um, drafter.doc)).toBe(true);
    await drafter.saved();
    await until(() => allEqual() && shown(pmOf(all[0].doc)) === '排放[+bureau:X]ab[+bureau:Y]浓度应符合表1的规定。', 10_000, `undone (${shown(pmOf(all[0].doc))})`);
  });
});
