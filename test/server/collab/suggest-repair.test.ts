// The race of issue 15 through the real collaboration server and MongoDB, made deterministic: the bureau's
// racing edit and the drafter's decision are both made from the same state, then sent one after the other
// over y-websocket. The server repairs whichever arrives second (the bureau's update through the suggest-only
// guard's `followUp`, the drafter's in the room), nobody's socket is refused, every client and a cold reload
// from MongoDB end equal, and the bureau's words are their pending suggestion — no existing text carries it.
import * as Y from 'yjs';
import { createMongoDocumentStore } from '../../../activities/data/documents';
import { STANDARDS } from '../../../activities/data/standards';
import { createLogger } from '../../../activities/infra/logger';
import { YJS_FRAGMENT } from '../../../editor/ydoc';
import { freshMongo } from '../../support/mongo';
import { base, bureauInserted, decide, edit, paragraph, pmOf, shown, typeAt, type Decision } from '../../editor/suggest-race';
import { TextSelection } from 'prosemirror-state';
import { connectClient, startSuggestCollab, until } from './support';

jest.setTimeout(60_000);

let mongo: Awaited<ReturnType<typeof freshMongo>>;
beforeAll(async () => {
  mongo = await freshMongo('suggrepair');
});
afterAll(async () => {
  await mongo.drop();
});

const fingerprint = (d: Y.Doc): string => d.getXmlFragment(YJS_FRAGMENT).toString();

/** Applies `make` to a copy of `doc` with the same client id and returns the update it made (nothing sent). */
function offline(doc: Y.Doc, make: (copy: Y.Doc) => void): Uint8Array {
  const copy = new Y.Doc();
  copy.clientID = doc.clientID;
  Y.applyUpdate(copy, Y.encodeStateAsUpdate(doc));
  const sv = Y.encodeStateVector(copy);
  make(copy);
  return Y.encodeStateAsUpdate(copy, sv);
}

const CASES: { decision: Decision; second: 'bureau' | 'drafter'; expected: string }[] = [
  { decision: 'accept', second: 'bureau', expected: '排放[+bureau:ab]XY浓度应符合表1的规定。' },
  { decision: 'reject', second: 'bureau', expected: '排放[+bureau:ab]浓度应符合表1的规定。' },
  { decision: 'accept', second: 'drafter', expected: '排放[+bureau:abXY]浓度应符合表1的规定。' },
  { decision: 'reject', second: 'drafter', expected: '排放[+bureau:ab]浓度应符合表1的规定。' },
];

for (const [n, { decision, second, expected }] of CASES.entries()) {
  test(`${decision}, the ${second}'s update arriving second: repaired, nobody refused, equal to a cold reload`, async () => {
    const standardId = `suggrepair${n}`;
    const docName = `standard:${standardId}`;
    await mongo.db.collection(STANDARDS).insertOne({ _id: standardId, leadProvince: 'SH', stage: 'drafting' } as never);
    const srv = await startSuggestCollab(mongo.db, standardId, createLogger('test-suggest-repair'));
    Y.applyUpdate(await srv.collab.getDoc(docName), base());
    const [bureau, drafter] = ['bureau', 'drafter'].map((u) => connectClient(srv.url, docName, u));
    const allEqual = (): boolean => fingerprint(bureau.doc) === fingerprint(drafter.doc);
    try {
      await Promise.all([bureau.synced(), drafter.synced()]);
      await until(() => bureau.tracker.state.access === 'edit', 5000, 'bureau may write');
      // The bureau suggests "XY"; everyone has it.
      edit(bureau.doc, 'bureau', true, (s) => s.tr.setSelection(TextSelection.create(s.doc, paragraph(s.doc).from + 2)).insertText('XY'));
      await bureau.saved();
      await until(() => allEqual() && shown(pmOf(drafter.doc)) === '排放[+bureau:XY]浓度应符合表1的规定。', 10_000, 'suggestion seen');
      // Both act on that same state; the updates leave one after the other.
      const bureauUpdate = offline(bureau.doc, (copy) => edit(copy, 'bureau', true, typeAt(0)));
      const drafterUpdate = offline(drafter.doc, (copy) => decide(copy, decision));
      const [firstClient, firstUpdate, secondClient, secondUpdate] =
        second === 'bureau' ? [drafter, drafterUpdate, bureau, bureauUpdate] : [bureau, bureauUpdate, drafter, drafterUpdate];
      Y.applyUpdate(firstClient.doc, firstUpdate);
      await firstClient.saved();
      Y.applyUpdate(secondClient.doc, secondUpdate);
      await Promise.all([bureau.saved(), drafter.saved()]);
      await until(() => allEqual() && shown(pmOf(bureau.doc)) === expected, 10_000, `repaired (${shown(pmOf(bureau.doc))})`);
      expect(bureauInserted(pmOf(drafter.doc))).toBe(expected.includes('abXY') ? 'abXY' : 'ab');
      expect(srv.refused()).toBe(0);
      // The repair was stored with the update.
      const loaded = await createMongoDocumentStore(mongo.db).load(docName);
      const cold = new Y.Doc();
      if (loaded.snapshot) Y.applyUpdate(cold, loaded.snapshot);
      for (const u of loaded.updates) Y.applyUpdate(cold, u.update);
      expect(fingerprint(cold)).toBe(fingerprint(bureau.doc));
    } finally {
      bureau.destroy();
      drafter.destroy();
      await srv.close();
    }
  });
}
