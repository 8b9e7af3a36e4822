// A suggest-only author's words are still recognised after the collaboration server restarts (issue 15). The
// repair of a race (the drafter accepts the bureau's "XY" while the bureau types right after it) marks the
// bureau's new words as its suggestion because they were typed next to text of the bureau's own Yjs client
// id; those ids are kept in the document (editor/suggestions-provenance.ts `suggestWriters`), stored in MongoDB,
// so a new server instance on the same store repairs the update instead of refusing it (socket closed,
// words lost). Real servers and MongoDB; the clients stay open across the restart and reconnect by themselves.
import * as Y from 'yjs';
import { TextSelection } from 'prosemirror-state';
import { createMongoDocumentStore } from '../../../activities/data/documents';
import { STANDARDS } from '../../../activities/data/standards';
import { createLogger } from '../../../activities/infra/logger';
import { WRITERS_MAP, writerClients } from '../../../editor/suggestions-provenance';
import { freshMongo } from '../../support/mongo';
import { base, decide, edit, fingerprint, offline, paragraph, pmOf, shown, typeAt } from '../../editor/suggest-race';
import { connectClient, startSuggestCollab, until, type TestClient } from './support';

jest.setTimeout(60_000);

let mongo: Awaited<ReturnType<typeof freshMongo>>;
beforeAll(async () => {
  mongo = await freshMongo('suggrestart');
});
afterAll(async () => {
  await mongo.drop();
});

async function ready(clients: TestClient[], bureau: TestClient): Promise<void> {
  await until(() => clients.every((c) => c.provider.wsconnected && c.provider.synced), 15_000, 'reconnected');
  await until(() => bureau.tracker.state.access === 'edit', 5000, 'bureau may write');
}

test('after a restart, the bureau typing next to its accepted suggestion is repaired, not refused; equal to a cold reload', async () => {
  const standardId = 'suggrestart1';
  const docName = `standard:${standardId}`;
  await mongo.db.collection(STANDARDS).insertOne({ _id: standardId, leadProvince: 'SH', stage: 'drafting' } as never);
  const logger = createLogger('test-suggest-restart');
  let srv = await startSuggestCollab(mongo.db, standardId, logger);
  const port = srv.port;
  Y.applyUpdate(await srv.collab.getDoc(docName), base());
  const bureau = connectClient(srv.url, docName, 'bureau');
  const drafter = connectClient(srv.url, docName, 'drafter');
  const clients = [bureau, drafter];
  let refusedBefore = 0;
  try {
    await ready(clients, bureau);
    edit(bureau.doc, 'bureau', true, (s) => s.tr.setSelection(TextSelection.create(s.doc, paragraph(s.doc).from + 2)).insertText('XY'));
    await bureau.saved();
    await until(() => shown(pmOf(drafter.doc)) === '排放[+bureau:XY]浓度应符合表1的规定。', 10_000, 'suggestion seen');
    // The bureau's session is recorded with the document.
    await until(() => writerClients(drafter.doc, 'bureau').has(bureau.doc.clientID), 10_000, 'session recorded');

    // A new server instance on the same port and store: nothing of the first one's memory survives.
    refusedBefore = srv.refused();
    await srv.close();
    srv = await startSuggestCollab(mongo.db, standardId, logger, {}, port);
    await ready(clients, bureau);

    // The race: the drafter accepts "XY" while the bureau types "ab" right after it; the bureau's update second.
    const decided = offline(drafter.doc, (copy) => decide(copy, 'accept'));
    const typed = offline(bureau.doc, (copy) => edit(copy, 'bureau', true, typeAt(2)));
    Y.applyUpdate(drafter.doc, decided);
    await drafter.saved();
    await until(() => shown(pmOf(bureau.doc)) === '排放XY浓度应符合表1的规定。', 10_000, 'accept seen');
    Y.applyUpdate(bureau.doc, typed);
    await Promise.all(clients.map((c) => c.saved()));
    const expected = '排放XY[+bureau:ab]浓度应符合表1的规定。';
    await until(() => shown(pmOf(drafter.doc)) === expected && fingerprint(bureau.doc) === fingerprint(drafter.doc), 10_000, `repaired (${shown(pmOf(drafter.doc))})`);
    expect(srv.refused() + refusedBefore).toBe(0);

    // What the store holds equals the live document, the record of the bureau's sessions included.
    const loaded = await createMongoDocumentStore(mongo.db).load(docName);
    const cold = new Y.Doc();
    if (loaded.snapshot) Y.applyUpdate(cold, loaded.snapshot);
    for (const u of loaded.updates) Y.applyUpdate(cold, u.update);
    expect(fingerprint(cold)).toBe(fingerprint(drafter.doc));
    expect(writerClients(cold, 'bureau').has(bureau.doc.clientID)).toBe(true);
    expect([...cold.getMap(WRITERS_MAP).values()].every((v) => (v as { by: string }).by === 'bureau')).toBe(true);
  } finally {
    clients.forEach((c) => c.destroy());
    await srv.close();
  }
});
