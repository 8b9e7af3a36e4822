// A whole paragraph deleted by a suggest-only author while a drafter decides (issue 15), through the real
// collaboration server and MongoDB: the bureau proposed a paragraph and withdraws it (deleting its own pending
// insertion) while the drafter accepts or rejects it, or deletes the paragraph holding its suggestion while the
// drafter decides on that suggestion. Both act from the same state; the updates leave one after the other. The
// bureau's socket is never refused, every client and a cold reload from MongoDB end equal, and both orders give
// the same paragraphs: a withdrawal racing an accept becomes the bureau's suggested deletion of the accepted
// paragraph (editor/suggestions-blocks.ts).
import * as Y from 'yjs';
import { createMongoDocumentStore } from '../../../activities/data/documents';
import { STANDARDS } from '../../../activities/data/standards';
import { createLogger } from '../../../activities/infra/logger';
import { freshMongo } from '../../support/mongo';
import { TextSelection } from 'prosemirror-state';
import { base, decide, deleteParagraph, edit, fingerprint, insertParagraph, offline, paragraph, paragraphs, pmOf, type AuthorEdit, type Decision } from '../../editor/suggest-race';
import { connectClient, startSuggestCollab, until, type TestClient } from './support';

jest.setTimeout(60_000);

let mongo: Awaited<ReturnType<typeof freshMongo>>;
beforeAll(async () => {
  mongo = await freshMongo('suggblocks');
});
afterAll(async () => {
  await mongo.drop();
});

const P1 = '排放浓度应符合表1的规定。';
const suggestXY: AuthorEdit = (s) => s.tr.setSelection(TextSelection.create(s.doc, paragraph(s.doc).from + 2)).insertText('XY');

const RACES: { what: string; setup: AuthorEdit; del: AuthorEdit; decision: Decision; expected: [string, string, string][] }[] = [
  { what: 'withdraws its paragraph', setup: insertParagraph, del: deleteParagraph('p2'), decision: 'accept', expected: [['p1', '', P1], ['p2', '-bureau', '新段落']] },
  { what: 'withdraws its paragraph', setup: insertParagraph, del: deleteParagraph('p2'), decision: 'reject', expected: [['p1', '', P1]] },
  { what: 'deletes the paragraph holding its suggestion', setup: suggestXY, del: deleteParagraph('p1'), decision: 'accept', expected: [['p1', '-bureau', '排放XY浓度应符合表1的规定。']] },
  { what: 'deletes the paragraph holding its suggestion', setup: suggestXY, del: deleteParagraph('p1'), decision: 'reject', expected: [['p1', '-bureau', P1]] },
];
const CASES = RACES.flatMap((r) => (['bureau', 'drafter'] as const).map((second) => ({ ...r, second })));

for (const [n, { what, setup, del, decision, second, expected }] of CASES.entries()) {
  test(`the bureau ${what} while the drafter decides (${decision}), the ${second}'s update second: nobody refused, equal to a cold reload`, async () => {
    const standardId = `suggblocks${n}`;
    const docName = `standard:${standardId}`;
    await mongo.db.collection(STANDARDS).insertOne({ _id: standardId, leadProvince: 'SH', stage: 'drafting' } as never);
    const srv = await startSuggestCollab(mongo.db, standardId, createLogger('test-suggest-blocks'));
    Y.applyUpdate(await srv.collab.getDoc(docName), base());
    const bureau = connectClient(srv.url, docName, 'bureau');
    const drafter = connectClient(srv.url, docName, 'drafter');
    const all = [bureau, drafter];
    const allEqual = (): boolean => fingerprint(bureau.doc) === fingerprint(drafter.doc);
    try {
      await Promise.all(all.map((c) => c.synced()));
      await until(() => all.every((c) => c.tracker.state.access === 'edit'), 5000, 'both may write');
      edit(bureau.doc, 'bureau', true, setup);
      await bureau.saved();
      await until(() => allEqual() && paragraphs(pmOf(drafter.doc)).length > 0 && fingerprint(drafter.doc) === fingerprint(bureau.doc), 10_000, 'suggestion seen');
      const deleted = offline(bureau.doc, (copy) => edit(copy, 'bureau', true, del));
      const decided = offline(drafter.doc, (copy) => decide(copy, decision));
      const order: [TestClient, Uint8Array][] = second === 'bureau' ? [[drafter, decided], [bureau, deleted]] : [[bureau, deleted], [drafter, decided]];
      order[0][0].doc.transact(() => Y.applyUpdate(order[0][0].doc, order[0][1]), 'local');
      await order[0][0].saved();
      order[1][0].doc.transact(() => Y.applyUpdate(order[1][0].doc, order[1][1]), 'local');
      await Promise.all(all.map((c) => c.saved()));
      await until(() => allEqual() && JSON.stringify(paragraphs(pmOf(bureau.doc))) === JSON.stringify(expected), 10_000, `repaired (${JSON.stringify(paragraphs(pmOf(bureau.doc)))})`);
      expect(srv.refused()).toBe(0);
      const loaded = await createMongoDocumentStore(mongo.db).load(docName);
      const cold = new Y.Doc();
      if (loaded.snapshot) Y.applyUpdate(cold, loaded.snapshot);
      for (const u of loaded.updates) Y.applyUpdate(cold, u.update);
      expect(fingerprint(cold)).toBe(fingerprint(bureau.doc));
    } finally {
      all.forEach((c) => c.destroy());
      await srv.close();
    }
  });
}
