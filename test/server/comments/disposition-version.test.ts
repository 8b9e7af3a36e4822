// Issue 12 item 6: the disposition's 体现修改的版本 is chosen from the standard's own named versions (a
// picker, newest first, named as the versions page names them), a posted id of another standard's version
// is refused with the field's message, and the chosen version is shown by its name, not its id.
import { Binary } from 'mongodb';
import { createVersionStore } from '../../../activities/versions/store';
import { freshMongo } from '../../support/mongo';
import { postJson, sampleDraft, seedStandard, snapshotOf, startCommentsServer, submission, type TestServer } from './support';

const deadline = '2026-12-29T16:00:00.000Z';
const SID = 'std-dv';

let mongo: Awaited<ReturnType<typeof freshMongo>>;
let server: TestServer;
let drafter: Record<string, string>;
let clock = new Date('2026-12-01T00:00:00.000Z');
let commentId = '';

async function version(id: string, standardId: string, name: string, kind: 'workingDraft' | 'draftForComment', at: string): Promise<void> {
  await createVersionStore(mongo.db).insert({ _id: id, standardId, docName: `standard:${standardId}`, kind, name, createdBy: { userId: 'u-d', displayName: '起草人' }, createdAt: new Date(at), state: new Binary(Buffer.alloc(0)), stateBytes: 0, stateSha256: '', json: null, jsonError: null, numbering: null });
}

beforeAll(async () => {
  mongo = await freshMongo('disposition-version');
  await seedStandard(mongo.db, { id: SID, commentDeadline: deadline });
  await version('v-dv-1', SID, '征求意见稿', 'draftForComment', '2026-11-01T02:00:00Z');
  await version('v-dv-2', SID, '采纳意见后修改稿', 'workingDraft', '2026-12-30T03:00:00Z');
  await version('v-other', 'std-else', '别的标准的稿', 'workingDraft', '2026-12-30T03:00:00Z');
  const draft = snapshotOf(sampleDraft());
  server = await startCommentsServer({ db: mongo.db, now: () => clock, getCommentDraft: async () => draft });
  drafter = await server.signIn('u-d', [{ role: 'drafter', province: 'SH', standardIds: [SID] }], '起草人');
  const r = await postJson(`${server.url}/api/consultation/${SID}/comments`, submission({ clauseId: 'c51' }));
  expect(r.status).toBe(201);
  commentId = String((await mongo.db.collection('comments').findOne({ receipt: r.body.receipt }))?._id);
  clock = new Date(deadline);
});

afterAll(async () => {
  await server?.close();
  await mongo?.drop();
});

test('the triage form offers the standard’s versions, newest first, by name', async () => {
  const page = await fetch(`${server.url}/standards/${SID}/comments`, { headers: drafter }).then((r) => r.text());
  const select = /<select id="version-[^"]+" name="versionId"[^>]*>([\s\S]*?)<\/select>/.exec(page)?.[1] ?? '';
  const options = [...select.matchAll(/<option value="([^"]*)"/g)].map((m) => m[1]);
  expect(options).toEqual(['', 'v-dv-2', 'v-dv-1']);
  expect(select).toContain('采纳意见后修改稿（第 2 版 · 工作组讨论稿 · 2026-12-30）');
  expect(select).not.toContain('别的标准的稿');
  expect(page).not.toMatch(/<input type="text" id="version-/);
});

test('another standard’s version is refused with the field message; the chosen one is shown by name', async () => {
  const api = `${server.url}/api/standards/${SID}/comments/${commentId}/disposition`;
  const bad = await postJson(api, { decision: 'accepted', versionId: 'v-other' }, drafter);
  expect(bad.status).toBe(400);
  expect(String(bad.body.message_zh)).toContain('不是本标准的版本');
  // The form path comes back to the triage page with the message beside the picker.
  const form = await fetch(`${server.url}/standards/${SID}/comments/${commentId}/disposition`, {
    method: 'POST',
    headers: { ...drafter, 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ decision: 'accepted', versionId: 'v-other', _csrf: drafter['x-csrf-token'] }).toString(),
    redirect: 'manual',
  });
  expect(form.status).toBe(400);
  expect(await form.text()).toContain('请从列表中选择本标准的版本');
  expect((await postJson(api, { decision: 'accepted', versionId: 'v-dv-2' }, drafter)).status).toBe(200);
  const page = await fetch(`${server.url}/standards/${SID}/comments`, { headers: drafter }).then((r) => r.text());
  expect(page).toContain('体现修改的版本 <span lang="en">Version</span>：采纳意见后修改稿（第 2 版');
  expect(page).toMatch(/<option value="v-dv-2" selected>/);
  // The table's 备注 names the version as people know it, not by its internal id.
  const csv = await fetch(`${server.url}/standards/${SID}/comments/disposition-table.csv`, { headers: drafter }).then((r) => r.text());
  expect(csv).toContain('修改见版本 采纳意见后修改稿（第 2 版）');
  expect(csv).not.toContain('修改见版本 v-dv-2');
});
