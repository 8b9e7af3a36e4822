// The default text source: named versions from activities/versions. The draft page shows the frozen
// 征求意见稿 with its numbers, passage comments get a Yjs relative position from the version's state, and
// a later version (送审稿) is what comments are shown against.
import * as Y from 'yjs';
import { Binary } from 'mongodb';
import { createVersionStore } from '../../../activities/versions/store';
import type { DocJSON } from '../../../editor/types';
import { jsonToYDoc } from '../../../editor/ydoc';
import { freshMongo } from '../../support/mongo';
import { postJson, sampleDraft, seedStandard, startCommentsServer, submission, type TestServer } from './support';

async function saveVersion(db: Parameters<typeof createVersionStore>[0], id: string, kind: 'draftForComment' | 'draftForReview', json: DocJSON): Promise<void> {
  const state = Y.encodeStateAsUpdate(jsonToYDoc(json));
  await createVersionStore(db).insert({
    _id: id, standardId: 'std-ver', docName: 'standard:std-ver', kind, name: kind === 'draftForComment' ? '征求意见稿' : '送审稿',
    createdBy: { userId: 'u', displayName: 'u' }, createdAt: new Date(), state: new Binary(state), stateBytes: state.byteLength, stateSha256: '',
    json: JSON.stringify(json), jsonError: null, numbering: null,
  });
}

describe('comments on named versions', () => {
  let mongo: Awaited<ReturnType<typeof freshMongo>>;
  let server: TestServer;

  beforeAll(async () => {
    mongo = await freshMongo('comments-versions');
    await seedStandard(mongo.db, { id: 'std-ver', commentDeadline: '2099-01-01T00:00:00.000Z' });
    await saveVersion(mongo.db, 'v-comment', 'draftForComment', sampleDraft());
    server = await startCommentsServer({ db: mongo.db, draftCacheMs: 0 });
  });
  afterAll(async () => {
    await server.close();
    await mongo.drop();
  });

  it('renders the frozen 征求意见稿 with clause numbers and anchors passages in its Yjs state', async () => {
    const html = await fetch(`${server.url}/consultation/std-ver`).then((r) => r.text());
    expect(html).toContain('<strong>征求意见稿</strong>');
    expect(html).toMatch(/<span data-nc class="num">5\.2<\/span><span data-nc>　<\/span>采样方法/);
    const res = await postJson(`${server.url}/api/consultation/std-ver/comments`, submission({ clauseId: 'c52', quote: '中泓线', quoteOffset: 10 }));
    expect(res.status).toBe(201);
    const stored = await mongo.db.collection('comments').findOne({ receipt: res.body.receipt });
    expect(stored).toMatchObject({ versionId: 'v-comment', anchor: { scope: 'passage', clauseNumber: '5.2', quoteOffset: 10, relPos: expect.any(String) } });
  });

  it('shows comments against the latest version once a 送审稿 exists', async () => {
    const res = await postJson(`${server.url}/api/consultation/std-ver/comments`, submission({ clauseId: 'c51' }));
    const later = sampleDraft();
    const ch5 = later.content.find((n) => n.attrs?.id === 'ch5');
    ch5?.content?.splice(1, 0, { type: 'clause1', attrs: { id: 'c-new' }, content: [{ type: 'paragraph', attrs: { id: 'p-new' }, content: [{ type: 'text', text: '新增。' }] }] });
    await saveVersion(mongo.db, 'v-review', 'draftForReview', later);
    const status = (await fetch(`${server.url}/api/consultation/receipts/${String(res.body.receipt)}`).then((r) => r.json())) as { location: Record<string, unknown> };
    expect(status.location).toMatchObject({ state: 'present', numberAtSubmission: '5.1', currentLabel: '5.2', renumbered: true });
  });
});
