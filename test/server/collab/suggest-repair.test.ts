// The race of issue 15 through the real collaboration server and MongoDB, made deterministic: someone's typing
// in or next to the bureau's suggestion and the drafter's decision on it are both made from the same state,
// then sent one after the other over y-websocket. The server repairs whichever arrives second (a suggest-only
// author's update through the guard's `followUp`, the drafter's in the room, knowing from the drafter's
// decision record what they had seen), nobody's socket is refused, every client and a cold reload from MongoDB
// end equal, and both orders give the same text: the decision covers what the drafter saw, the words typed
// meanwhile are what their author made them.
import * as Y from 'yjs';
import { createMongoDocumentStore } from '../../../activities/data/documents';
import { STANDARDS } from '../../../activities/data/standards';
import { createLogger } from '../../../activities/infra/logger';
import { freshMongo } from '../../support/mongo';
import { base, decide, edit, fingerprint, offline, paragraph, pmOf, shown, typeAt, type Decision } from '../../editor/suggest-race';
import { TextSelection } from 'prosemirror-state';
import { connectClient, startSuggestCollab, until, type TestClient } from './support';

jest.setTimeout(60_000);

let mongo: Awaited<ReturnType<typeof freshMongo>>;
beforeAll(async () => {
  mongo = await freshMongo('suggrepair');
});
afterAll(async () => {
  await mongo.drop();
});

/** Applies an update made offline by `offline` to the client's document (sent like its own edits). */
function sendAsLocal(doc: Y.Doc, update: Uint8Array): void {
  doc.transact(() => Y.applyUpdate(doc, update), 'local');
}

/**
 * Who types "ab" where in the bureau's "XY" (0: before X, 1: between X and Y) while the drafter decides, and
 * what the paragraph must be after both — the same in both orders of arrival. Words the drafter had not seen
 * are not part of the decision: the bureau's stay its suggestion, another drafter's stay plain, another
 * suggest-only author's stay theirs, also through a reject.
 */
const RACES: { typist: string; offset: number; decision: Decision; expected: string; owner?: string }[] = [
  { typist: 'bureau', offset: 0, decision: 'accept', expected: '排放[+bureau:ab]XY浓度应符合表1的规定。' },
  { typist: 'bureau', offset: 0, decision: 'reject', expected: '排放[+bureau:ab]浓度应符合表1的规定。' },
  { typist: 'bureau', offset: 1, decision: 'accept', expected: '排放X[+bureau:ab]Y浓度应符合表1的规定。' },
  { typist: 'bureau', offset: 1, decision: 'reject', expected: '排放[+bureau:ab]浓度应符合表1的规定。' },
  { typist: 'drafter-b', offset: 1, decision: 'accept', expected: '排放XabY浓度应符合表1的规定。' },
  { typist: 'drafter-b', offset: 1, decision: 'reject', expected: '排放ab浓度应符合表1的规定。' },
  { typist: 'bureau2', offset: 1, decision: 'accept', expected: '排放X[+bureau2:ab]Y浓度应符合表1的规定。' },
  { typist: 'bureau2', offset: 1, decision: 'reject', expected: '排放[+bureau2:ab]浓度应符合表1的规定。' },
  // A drafter who chose to suggest types on in their own suggestion while another drafter decides on it: never
  // stretched over existing text, never turned into a direct edit.
  ...(['accept', 'reject'] as Decision[]).flatMap((decision) =>
    [0, 1, 2].map((offset) => ({
      owner: 'drafter-a',
      typist: 'drafter-a',
      offset,
      decision,
      expected: `排放${decision === 'reject' ? '' : ['', 'X', 'XY'][offset]}[+drafter-a:ab]${decision === 'reject' ? '' : ['XY', 'Y', ''][offset]}浓度应符合表1的规定。`,
    })),
  ),
];
/** Users who type in suggestion mode: the suggest-only bureaus, and drafter-a, a drafter who chose to suggest. */
const suggesting = (user: string): boolean => user.startsWith('bureau') || user === 'drafter-a';
const CASES = RACES.flatMap((r) => (['typist', 'drafter'] as const).map((second) => ({ ...r, second })));

for (const [n, { typist, offset, decision, second, expected, owner = 'bureau' }] of CASES.entries()) {
  test(`${typist} types at ${offset} in ${owner}'s suggestion, ${decision}, the ${second}'s update second: ${expected}, nobody refused, equal to a cold reload`, async () => {
    const standardId = `suggrepair${n}`;
    const docName = `standard:${standardId}`;
    await mongo.db.collection(STANDARDS).insertOne({ _id: standardId, leadProvince: 'SH', stage: 'drafting' } as never);
    const srv = await startSuggestCollab(mongo.db, standardId, createLogger('test-suggest-repair'));
    Y.applyUpdate(await srv.collab.getDoc(docName), base());
    const users = [...new Set([owner, 'drafter', typist])];
    const clients = new Map(users.map((u) => [u, connectClient(srv.url, docName, u)]));
    const client = (u: string) => clients.get(u)!;
    const all = [...clients.values()];
    const allEqual = (): boolean => all.every((c) => fingerprint(c.doc) === fingerprint(all[0].doc));
    try {
      await Promise.all(all.map((c) => c.synced()));
      await until(() => all.every((c) => c.tracker.state.access === 'edit'), 5000, 'all may write');
      // The owner suggests "XY"; everyone has it.
      edit(client(owner).doc, owner, true, (s) => s.tr.setSelection(TextSelection.create(s.doc, paragraph(s.doc).from + 2)).insertText('XY'));
      await client(owner).saved();
      await until(() => allEqual() && shown(pmOf(client('drafter').doc)) === `排放[+${owner}:XY]浓度应符合表1的规定。`, 10_000, 'suggestion seen');
      // Both act on that same state; the updates leave one after the other.
      const typed = offline(client(typist).doc, (copy) => edit(copy, typist, suggesting(typist), typeAt(offset)));
      const decided = offline(client('drafter').doc, (copy) => decide(copy, decision));
      const order: [TestClient, Uint8Array][] = second === 'typist' ? [[client('drafter'), decided], [client(typist), typed]] : [[client(typist), typed], [client('drafter'), decided]];
      sendAsLocal(order[0][0].doc, order[0][1]);
      await order[0][0].saved();
      sendAsLocal(order[1][0].doc, order[1][1]);
      await Promise.all(all.map((c) => c.saved()));
      await until(() => allEqual() && shown(pmOf(client(owner).doc)) === expected, 10_000, `repaired (${shown(pmOf(client(owner).doc))})`);
      expect(srv.refused()).toBe(0);
      // The repair was stored with the update.
      const loaded = await createMongoDocumentStore(mongo.db).load(docName);
      const cold = new Y.Doc();
      if (loaded.snapshot) Y.applyUpdate(cold, loaded.snapshot);
      for (const u of loaded.updates) Y.applyUpdate(cold, u.update);
      expect(fingerprint(cold)).toBe(fingerprint(client(owner).doc));
    } finally {
      all.forEach((c) => c.destroy());
      await srv.close();
    }
  });
}
