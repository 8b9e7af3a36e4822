// Anchors survive edits: a comment on 5.2 shows on 5.3 after a clause is inserted before it, and says so
// when the clause is deleted — by clause id, and for a selected passage through its Yjs relative position
// in the co-edited document.
import * as Y from 'yjs';
import { initProseMirrorDoc, updateYFragment } from 'y-prosemirror';
import { schema } from '../../editor/schema';
import type { DocJSON, NodeJSON } from '../../editor/types';
import { YJS_FRAGMENT, yDocToJSON } from '../../editor/ydoc';
import type { DraftSnapshot } from '../../editor/anchors';
import { freshMongo } from '../support/mongo';
import { postJson, sampleDraft, seedStandard, snapshotOf, startCommentsServer, submission, type TestServer } from '../server/comments/support';

/** Applies an edit to the co-edited document the way the editor binding does (a diff into the Y fragment). */
function edit(ydoc: Y.Doc, change: (json: DocJSON) => DocJSON): void {
  const frag = ydoc.getXmlFragment(YJS_FRAGMENT);
  const { meta } = initProseMirrorDoc(frag, schema);
  const next = schema.nodeFromJSON(change(yDocToJSON(ydoc)));
  ydoc.transact(() => updateYFragment(ydoc, frag, next, meta));
}

function chapter5(json: DocJSON): NodeJSON {
  const ch = json.content.find((n) => n.attrs?.id === 'ch5');
  if (!ch) throw new Error('no chapter 5');
  return ch;
}

const newClause: NodeJSON = {
  type: 'clause1',
  attrs: { id: 'c-new' },
  content: [
    { type: 'heading', content: [{ type: 'text', text: '采样准备' }] },
    { type: 'paragraph', attrs: { id: 'p-new' }, content: [{ type: 'text', text: '采样前应校准仪器。' }] },
  ],
};

describe('comment anchors across versions', () => {
  let mongo: Awaited<ReturnType<typeof freshMongo>>;
  let server: TestServer;
  const frozen = snapshotOf(sampleDraft());
  // The live document starts as the frozen version and is edited after the comment.
  const live = new Y.Doc();
  Y.applyUpdate(live, frozen.yState as Uint8Array);
  let current: DraftSnapshot | null = null;
  let staff: Record<string, string>;

  beforeAll(async () => {
    mongo = await freshMongo('comments-anchors');
    await seedStandard(mongo.db, { id: 'std-anchor', commentDeadline: '2099-01-01T00:00:00.000Z' });
    server = await startCommentsServer({
      db: mongo.db,
      getCommentDraft: async () => frozen,
      getCurrentDraft: async () => current ?? { versionId: 'live', json: yDocToJSON(live), yState: Y.encodeStateAsUpdate(live) },
    });
    staff = await server.signIn('drafter-1', [{ role: 'drafter', province: 'SH', standardIds: ['std-anchor'] }], '起草人');
  });
  afterAll(async () => {
    await server.close();
    await mongo.drop();
  });

  const location = async (receipt: string): Promise<Record<string, unknown>> => {
    const r = await fetch(`${server.url}/api/consultation/receipts/${receipt}`);
    return ((await r.json()) as { location: Record<string, unknown> }).location;
  };

  it('follows a clause comment and a passage comment from 5.2 to 5.3, then reports the clause deleted with the number it had', async () => {
    const onClause = await postJson(`${server.url}/api/consultation/std-anchor/comments`, submission({ clauseId: 'c52' }));
    const quote = '中泓线';
    const offset = '采样方法采样应在河流'.length;
    const onPassage = await postJson(`${server.url}/api/consultation/std-anchor/comments`, submission({ clauseId: 'c52', quote, quoteOffset: offset, comment: '中泓线难以确定。' }));
    expect(onPassage.status).toBe(201);
    const stored = await mongo.db.collection('comments').findOne({ receipt: onPassage.body.receipt });
    expect(stored?.anchor).toMatchObject({ scope: 'passage', clauseId: 'c52', clauseNumber: '5.2', quote, quoteOffset: offset });
    expect(typeof stored?.anchor.relPos).toBe('string');

    expect(await location(String(onClause.body.receipt))).toMatchObject({ state: 'present', currentLabel: '5.2', renumbered: false });

    // Someone inserts a clause before 5.2 and, elsewhere in 5.2, edits the text.
    edit(live, (json) => {
      const ch = chapter5(json);
      const c51 = ch.content?.findIndex((n) => n.attrs?.id === 'c51') ?? -1;
      ch.content?.splice(c51 + 1, 0, newClause);
      return json;
    });
    expect(await location(String(onClause.body.receipt))).toMatchObject({ state: 'present', numberAtSubmission: '5.2', currentLabel: '5.3', renumbered: true });
    expect(await location(String(onPassage.body.receipt))).toMatchObject({ state: 'present', currentLabel: '5.3', passageIntact: true });

    const page = await fetch(`${server.url}/consultation/receipt/${String(onClause.body.receipt)}`).then((r) => r.text());
    expect(page).toContain('原 5.2，现为 5.3');
    const triage = await fetch(`${server.url}/standards/std-anchor/comments`, { headers: staff }).then((r) => r.text());
    expect(triage).toContain('现为 5.3');

    edit(live, (json) => {
      const ch = chapter5(json);
      ch.content = ch.content?.filter((n) => n.attrs?.id !== 'c52');
      return json;
    });
    expect(await location(String(onClause.body.receipt))).toMatchObject({ state: 'deleted', numberAtSubmission: '5.2' });
    expect(await location(String(onPassage.body.receipt))).toMatchObject({ state: 'deleted', numberAtSubmission: '5.2', passageIntact: false });
    const after = await fetch(`${server.url}/consultation/receipt/${String(onClause.body.receipt)}`).then((r) => r.text());
    expect(after).toContain('原第 5.2 条已在后续版本中删除');
    const triageAfter = await fetch(`${server.url}/standards/std-anchor/comments`, { headers: staff }).then((r) => r.text());
    expect(triageAfter).toContain('原5.2已删除');
  });

  it('follows clause ids in versions that carry only ProseMirror JSON, without Yjs state', async () => {
    const json = sampleDraft();
    const ch = chapter5(json);
    ch.content?.splice(1, 0, newClause);
    current = { versionId: 'v2', json };
    const res = await postJson(`${server.url}/api/consultation/std-anchor/comments`, submission({ clauseId: 'c51', comment: '关于5.1' }));
    expect(await location(String(res.body.receipt))).toMatchObject({ state: 'present', numberAtSubmission: '5.1', currentLabel: '5.2', renumbered: true });
    current = null;
  });
});
