// Versions against the real collaboration server and FerretDB: freeze from the lifecycle (idempotent per
// activity attempt), save by hand, view, compare with numbers, restore as new edits that every client sees.
import { MockActivityEnvironment } from '@temporalio/testing';
import * as Y from 'yjs';
import { createVersionActivities, docNameForStandard } from '../../../activities/versions';
import { chapter, clause, docJSON, foreword, h, normativeReferences, p, scope, termsAndDefinitions } from '../../../editor/builders';
import { jsonToYDoc, yDocToJSON } from '../../../editor/ydoc';
import type { FreezeVersionInput, FreezeVersionResult } from '../../../activities/lifecycle/seams';
import type { Actor } from '../../../workflows/domain';
import { freshMongo } from '../../support/mongo';
import { createLogger } from '../../../activities/infra/logger';
import { createWorkerActivities } from '../../../activities/worker';
import { connectClient, startCollab, until, type TestCollab } from '../../server/collab/support';

let mongo: Awaited<ReturnType<typeof freshMongo>>;
let srv: TestCollab;
beforeAll(async () => {
  mongo = await freshMongo('versions');
  srv = await startCollab(mongo.db);
});
afterAll(async () => {
  await srv.close();
  await mongo.drop();
});

const actor: Actor = { userId: 'u-sh', displayName: '沪起草人', role: 'drafter', province: 'SH' };
const front = () => [foreword(p('本文件按照GB/T 1.1—2020的规定起草。')), scope(p('本文件规定了排放限值。')), normativeReferences(), termsAndDefinitions(p('下列术语和定义适用于本文件。'))];
const draft = docJSON(...front(), chapter({ id: 'ch4' }, h('要求'), clause({ id: 'c41' }, h('一般要求'), p('应当达标排放。')), clause({ id: 'c42' }, h('限值'), p('限值为50 mg/L。'))));

async function seed(standardId: string): Promise<ReturnType<typeof connectClient>> {
  const client = connectClient(srv.url, docNameForStandard(standardId), 'sh-drafter');
  await client.synced();
  Y.applyUpdate(client.doc, Y.encodeStateAsUpdate(jsonToYDoc(draft)));
  await client.saved();
  return client;
}

test('the lifecycle freezes the live draft with its JSON and numbers, once per activity even when retried', async () => {
  const client = await seed('std-freeze');
  const acts = createVersionActivities({ db: mongo.db, collab: srv.collab });
  const env = new MockActivityEnvironment({ activityId: 'freeze-1' });
  const input: FreezeVersionInput = { standardId: 'std-freeze', kind: 'draftForComment', actor };
  const first = (await env.run(acts.freezeVersion, input)) as FreezeVersionResult;
  const retried = (await env.run(acts.freezeVersion, input)) as FreezeVersionResult;
  expect(retried.versionId).toBe(first.versionId);
  const list = await acts.listVersions({ standardId: 'std-freeze' });
  expect(list).toHaveLength(1);
  const v = await acts.getVersion({ versionId: first.versionId });
  expect(v.meta).toMatchObject({ kind: 'draftForComment', name: '征求意见稿', seq: 1, createdBy: { userId: 'u-sh', displayName: '沪起草人' } });
  expect(v.json).toEqual(draft);
  expect(v.numbering?.byId.c42.label).toBe('4.2');
  const fromState = new Y.Doc();
  Y.applyUpdate(fromState, v.state);
  expect(yDocToJSON(fromState)).toEqual(draft);
  client.destroy();
});

test('an edit made a moment before the freeze is in the frozen version', async () => {
  const client = await seed('std-race');
  const frag = client.doc.getXmlFragment('prosemirror');
  await until(() => frag.length > 0);
  // Append text to the last paragraph and freeze without waiting for "saved".
  const chapterEl = frag.get(frag.length - 1) as Y.XmlElement;
  const c42 = chapterEl.get(chapterEl.length - 1) as Y.XmlElement;
  const para = c42.get(c42.length - 1) as Y.XmlElement;
  (para.get(0) as Y.XmlText).insert(0, '最新：');
  const serverDoc = await srv.collab.getDoc(docNameForStandard('std-race'));
  await until(() => JSON.stringify(yDocToJSON(serverDoc)).includes('最新：'));
  const acts = createVersionActivities({ db: mongo.db, collab: srv.collab });
  const { versionId } = await acts.freezeVersion({ standardId: 'std-race', kind: 'draftForReview', actor });
  expect(JSON.stringify((await acts.getVersion({ versionId })).json)).toContain('最新：限值为50 mg/L。');
  client.destroy();
});

test('versions saved by hand are numbered in order, compared clause by clause, and restored as new edits everyone sees', async () => {
  const writer = await seed('std-hand');
  const reader = connectClient(srv.url, docNameForStandard('std-hand'), 'js-drafter');
  await reader.synced();
  const acts = createVersionActivities({ db: mongo.db, collab: srv.collab });
  const v1 = await acts.saveNamedVersion({ standardId: 'std-hand', name: '工作组讨论稿一', actor });

  // A drafter inserts a clause before 4.2 and edits the limit, through the Y.Doc as the editor would.
  const edited = docJSON(...front(), chapter({ id: 'ch4' }, h('要求'), clause({ id: 'c41' }, h('一般要求'), p('应当达标排放。')), clause({ id: 'cNew' }, h('预处理'), p('设置预处理设施。')), clause({ id: 'c42' }, h('限值'), p('限值为30 mg/L。'))));
  const { applyContentAsNewEdits } = await import('../../../activities/versions/restore');
  applyContentAsNewEdits(writer.doc, edited);
  await writer.saved();
  const v2 = await acts.saveNamedVersion({ standardId: 'std-hand', name: '工作组讨论稿二', actor });
  expect([v1.seq, v2.seq]).toEqual([1, 2]);

  const cmp = await acts.compareVersions({ fromId: v1._id, toId: v2._id });
  expect(cmp.summary).toMatchObject({ added: 1, removed: 0, changed: 1, renumbered: 1 });
  expect(cmp.changes.find((c) => c.id === 'c42')).toMatchObject({ status: 'changed', before: { label: '4.2' }, after: { label: '4.3' } });
  const live = await acts.compareVersions({ fromId: v2._id, toId: 'live' });
  expect(live.summary.changed + live.summary.added + live.summary.removed).toBe(0);

  const svBefore = Y.encodeStateVector(writer.doc);
  const restored = await acts.restoreVersion({ standardId: 'std-hand', versionId: v1._id, actor });
  // Both clients receive the restore as ordinary updates and show version 1 again.
  await until(() => JSON.stringify(yDocToJSON(reader.doc)) === JSON.stringify(draft), 10_000, 'reader restored');
  await until(() => JSON.stringify(yDocToJSON(writer.doc)) === JSON.stringify(draft), 10_000, 'writer restored');
  // History was not rewritten: the writer's own earlier items are still known, the restore added new ones.
  const svAfter = Y.decodeStateVector(Y.encodeStateVector(writer.doc));
  for (const [client, clock] of Y.decodeStateVector(svBefore)) expect(svAfter.get(client)).toBeGreaterThanOrEqual(clock);
  const backup = await acts.getVersion({ versionId: restored.backupVersionId });
  expect(backup.json).toEqual(edited);
  expect(backup.meta).toMatchObject({ kind: 'workingDraft', restoredFrom: v1._id, seq: 3 });
  expect((await acts.listVersions({ standardId: 'std-hand' })).map((v) => v.seq)).toEqual([1, 2, 3]);
  await expect(acts.restoreVersion({ standardId: 'other', versionId: v1._id, actor })).rejects.toMatchObject({ code: 'NOT_FOUND' });
  writer.destroy();
  reader.destroy();
});

test('without a collaboration server in the process, versions read and restore through the stored log', async () => {
  const client = await seed('std-offline');
  client.destroy();
  await srv.collab.flush(docNameForStandard('std-offline'));
  const acts = createVersionActivities({ db: mongo.db });
  const v = await acts.saveNamedVersion({ standardId: 'std-offline', name: '离线', actor });
  expect((await acts.getVersion({ versionId: v._id })).json).toEqual(draft);
});

test('the lifecycle collaboration seam turns the editors of a standard read-only', async () => {
  const client = connectClient(srv.url, docNameForStandard('std-seam'), 'sh-drafter');
  await until(() => client.tracker.state.access === 'edit', 5000, 'editable');
  srv.permissions.set(`sh-drafter@${docNameForStandard('std-seam')}`, 'read');
  await createWorkerActivities({ db: mongo.db, logger: createLogger('test'), collab: srv.collab }).refreshCollabPermissions({ standardId: 'std-seam' });
  await until(() => client.tracker.state.access === 'read', 5000, 'read-only');
  client.destroy();
});
