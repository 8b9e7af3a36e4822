// Comment threads inside the draft over HTTP (issue 15 item 1), against FerretDB and the real app: who may
// comment, reply, resolve and reopen (403 for the role, 409 for the state or stage, nothing changed on a
// refusal), keyset pages covering every thread and reply with the open / resolved / mine filters, and
// @mentions that notify only people who may read the draft (others refused with a 400 naming them).
import { initProseMirrorDoc } from 'y-prosemirror';
import { draftThreadsExtension } from '../../../server/extensions/draft-threads';
import { encodeThreadAnchor, type YMapping } from '../../../editor/thread-anchors';
import { YJS_FRAGMENT, jsonToYDoc } from '../../../editor/ydoc';
import { newStandardJSON } from '../../../editor/template';
import { schema } from '../../../editor/schema';
import { createLogger } from '../../../activities/infra/logger';
import { DRAFT_THREADS, DRAFT_THREAD_REPLIES, type DraftThreadRecord } from '../../../activities/data/draft-threads';
import { NOTIFICATIONS, listNotificationsPage, type NotificationRecord } from '../../../activities/data/notifications';
import { findUserByUsername, grantDrafter, principalOf } from '../../../activities/data/users';
import { startAppHarness, type AppHarness, type SignedIn } from '../http/app-harness';
import { seedStandard } from '../comments/support';

jest.setTimeout(120_000);

let h: AppHarness;

const STD = 'std-threads';
const GONE = 'std-threads-withdrawn';
/** A real anchor (on a passage of a sample draft): the API refuses what is not a Yjs relative position. */
const anchor = (() => {
  const ydoc = jsonToYDoc(newStandardJSON());
  const type = ydoc.getXmlFragment(YJS_FRAGMENT);
  const { mapping } = initProseMirrorDoc(type, schema) as { mapping: YMapping };
  return encodeThreadAnchor(type, mapping, 3, 6);
})();
const newThread = (text: string, extra: Record<string, unknown> = {}) => ({ anchor, quote: '中泓线处', text, ...extra });

const users: Record<string, SignedIn> = {};
const as = (u: string): SignedIn => users[u];

beforeAll(async () => {
  h = await startAppHarness('draft-threads', { extensions: (db) => [draftThreadsExtension({ db, logger: createLogger('test-draft-threads') })] });
  await seedStandard(h.db, { id: STD, stage: 'drafting', step: 'editing' });
  await seedStandard(h.db, { id: GONE, stage: 'withdrawn', step: 'ended' });
  for (const id of [STD, GONE]) await grantDrafter(h.db, (await findUserByUsername(h.db, 'drafter-sh'))!._id, id);
  for (const u of ['drafter-sh', 'sh-eco', 'js-eco', 'js-msa', 'zj-msa', 'exec', 'expert', 'qingpu', 'drafter-js']) users[u] = await h.signIn(u);
});

afterAll(async () => {
  await h?.close();
});

const threads = () => h.db.collection<DraftThreadRecord>(DRAFT_THREADS);
const open = async (u: string, text: string, extra: Record<string, unknown> = {}) =>
  (await as(u).post(`/api/standards/${STD}/threads`, newThread(text, extra)).expect(201)).body as { id: string; status: string; mine: boolean };

test('every reader of the draft comments and replies; a drafter of another standard is refused', async () => {
  for (const u of ['drafter-sh', 'sh-eco', 'js-eco', 'zj-msa', 'exec', 'expert', 'qingpu']) {
    const t = await open(u, `${u} 的问题：此处水深如何测量？`);
    expect(t).toMatchObject({ status: 'open', mine: true });
    const r = await as('drafter-sh').post(`/api/standards/${STD}/threads/${t.id}/replies`, { text: '按GB/T 14581执行。', mentions: [] }).expect(201);
    expect(r.body).toMatchObject({ text: '按GB/T 14581执行。', author: { displayName: expect.any(String) } });
  }
  const before = await threads().countDocuments({ standardId: STD });
  const refused = await as('drafter-js').post(`/api/standards/${STD}/threads`, newThread('不应保存')).expect(403);
  expect(refused.body).toMatchObject({ code: 'FORBIDDEN', message_zh: expect.stringContaining('无权'), message_en: expect.any(String) });
  await as('drafter-js').agent.get(`/api/standards/${STD}/threads`).expect(403);
  expect(await threads().countDocuments({ standardId: STD })).toBe(before);
});

test('only the drafting group and the lead department resolve and reopen: 403 for others, 409 when already so, nothing changed', async () => {
  const t = await open('js-eco', '第5.2条的分层深度是否合理？');
  const url = `/api/standards/${STD}/threads/${t.id}`;
  for (const u of ['js-eco', 'zj-msa', 'exec', 'expert', 'qingpu', 'drafter-js']) {
    const res = await as(u).post(`${url}/resolve`, {}).expect(403);
    expect(res.body.code).toBe('FORBIDDEN');
    expect(JSON.stringify(res.body)).not.toMatch(/\/work\/|at .*\.ts/);
  }
  expect((await threads().findOne({ _id: t.id }))?.status).toBe('open');

  expect((await as('drafter-sh').post(`${url}/resolve`, {}).expect(200)).body).toMatchObject({ status: 'resolved', resolvedBy: expect.any(String) });
  expect((await as('sh-eco').post(`${url}/resolve`, {}).expect(409)).body.code).toBe('CONFLICT');
  // A resolved thread takes no replies until reopened; the reply count stays.
  expect((await as('js-eco').post(`${url}/replies`, { text: '补充' }).expect(409)).body.code).toBe('CONFLICT');
  expect(await h.db.collection(DRAFT_THREAD_REPLIES).countDocuments({ threadId: t.id })).toBe(0);
  await as('js-eco').post(`${url}/reopen`, {}).expect(403);
  expect((await threads().findOne({ _id: t.id }))?.status).toBe('resolved');
  expect((await as('sh-eco').post(`${url}/reopen`, {}).expect(200)).body).toMatchObject({ status: 'open' });
  await as('sh-eco').post(`${url}/reopen`, {}).expect(409);
  await as('js-eco').post(`${url}/replies`, { text: '补充：建议分三层。' }).expect(201);
  expect((await threads().findOne({ _id: t.id }))?.replyCount).toBe(1);
});

test("a withdrawn standard's threads are closed (409), a role refusal still comes first (403)", async () => {
  const res = await as('js-eco').post(`/api/standards/${GONE}/threads`, newThread('撤销后')).expect(409);
  expect(res.body.code).toBe('STAGE_CONFLICT');
  await as('drafter-js').post(`/api/standards/${GONE}/threads`, newThread('撤销后')).expect(403);
  await as('js-eco').agent.get(`/api/standards/${GONE}/threads`).expect(200);
  expect(await threads().countDocuments({ standardId: GONE })).toBe(0);
});

test('bad input is a 400 saying which field, in both languages', async () => {
  const res = await as('js-eco').post(`/api/standards/${STD}/threads`, { anchor: { start: 'not base64!', end: '' }, quote: '', text: '' }).expect(400);
  expect(res.body).toMatchObject({ code: 'VALIDATION_FAILED', message_zh: expect.stringContaining('anchor.start'), message_en: expect.stringContaining('text') });
  // Base64 that is not a Yjs relative position is refused too.
  const garbage = await as('js-eco').post(`/api/standards/${STD}/threads`, { ...newThread('x'), anchor: { start: 'AQIDBA==', end: anchor.end } }).expect(400);
  expect(garbage.body.message_en).toContain('anchor.start');
  await as('js-eco').agent.get(`/api/standards/${STD}/threads?filter=bogus`).expect(400);
  await as('js-eco').agent.get(`/api/standards/${STD}/threads?after=%%%`).expect(400);
  await as('js-eco').agent.get(`/api/standards/${STD}/threads/00000000-0000-0000-0000-000000000000/replies`).expect(404);
});

test('pages cover every thread and reply once, with the open / resolved / mine filters', async () => {
  const created: string[] = [];
  for (let i = 0; i < 7; i++) created.push((await open('zj-msa', `分页测试 ${i}`)).id);
  await as('drafter-sh').post(`/api/standards/${STD}/threads/${created[2]}/resolve`, {}).expect(200);
  for (let i = 0; i < 5; i++) await as('exec').post(`/api/standards/${STD}/threads/${created[0]}/replies`, { text: `回复 ${i}` }).expect(201);

  async function all(u: string, query: string): Promise<Array<{ id: string; status: string; mine: boolean }>> {
    const out: Array<{ id: string; status: string; mine: boolean }> = [];
    let next: string | undefined;
    let pages = 0;
    do {
      const res = await as(u).agent.get(`/api/standards/${STD}/threads?${query}&limit=3${next ? `&after=${next}` : ''}`).expect(200);
      const body = res.body as { items: typeof out; next?: string };
      expect(body.items.length).toBeLessThanOrEqual(3);
      out.push(...body.items);
      next = body.next;
      pages += 1;
    } while (next);
    expect(pages).toBeGreaterThan(1);
    return out;
  }
  const everything = await all('zj-msa', 'filter=all');
  const total = await threads().countDocuments({ standardId: STD });
  expect(everything).toHaveLength(total);
  expect(new Set(everything.map((t) => t.id)).size).toBe(total);
  expect(everything.map((t) => t.id).slice(-7)).toEqual(created);

  const mine = await all('zj-msa', 'filter=mine');
  expect(mine.every((t) => t.mine)).toBe(true);
  expect(mine.map((t) => t.id)).toEqual(expect.arrayContaining(created));
  expect(mine.length).toBe(await threads().countDocuments({ standardId: STD, participants: users['zj-msa'].userId }));

  const resolved = ((await as('exec').agent.get(`/api/standards/${STD}/threads?filter=resolved&limit=100`).expect(200)).body as { items: Array<{ id: string; status: string }> }).items;
  expect(resolved.map((t) => t.id)).toContain(created[2]);
  expect(resolved.every((t) => t.status === 'resolved')).toBe(true);
  const opened = await all('exec', 'filter=open');
  expect(opened.every((t) => t.status === 'open')).toBe(true);
  expect(opened.map((t) => t.id)).not.toContain(created[2]);

  const replies: string[] = [];
  let next: string | undefined;
  do {
    const res = await as('qingpu').agent.get(`/api/standards/${STD}/threads/${created[0]}/replies?limit=2${next ? `&after=${next}` : ''}`).expect(200);
    const body = res.body as { items: Array<{ text: string }>; next?: string };
    replies.push(...body.items.map((r) => r.text));
    next = body.next;
  } while (next);
  expect(replies).toEqual(['回复 0', '回复 1', '回复 2', '回复 3', '回复 4']);
});

test('@mentions notify people who may read the draft; others are refused by name and nothing is stored', async () => {
  const before = await threads().countDocuments({ standardId: STD });
  const refused = await as('drafter-sh').post(`/api/standards/${STD}/threads`, newThread('请 @drafter-js @nobody-here 看看', { mentions: ['js-msa', 'drafter-js', 'nobody-here'] })).expect(400);
  expect(refused.body.message_zh).toContain('drafter-js');
  expect(refused.body.message_zh).toContain('nobody-here');
  expect(refused.body.message_zh).not.toContain('js-msa');
  expect(refused.body.details).toEqual({ refusedMentions: ['drafter-js', 'nobody-here'] });
  expect(await threads().countDocuments({ standardId: STD })).toBe(before);

  const t = await open('drafter-sh', '请 @js-msa 和 @expert 确认限值', { mentions: ['js-msa', 'expert'] });
  const notes = await h.db.collection<NotificationRecord>(NOTIFICATIONS).find({ standardId: STD, event: 'mentionedInThread' }).toArray();
  const jsMsa = (await findUserByUsername(h.db, 'js-msa'))!;
  const expert = (await findUserByUsername(h.db, 'expert'))!;
  expect(notes).toHaveLength(1);
  expect(notes[0]).toMatchObject({ _id: `${STD}:thread:${t.id}:mention`, kind: 'news', event: 'mentionedInThread' });
  // Addressed to the mentioned users only, no role (FerretDB drops the empty array of an upsert's $setOnInsert).
  expect(notes[0].recipients ?? []).toEqual([]);
  expect(notes[0].userIds?.sort()).toEqual([jsMsa._id, expert._id].sort());
  expect(notes[0].reason).toContain('确认限值');
  // The mentioned bureau finds it among its notifications; another bureau does not.
  const page = await listNotificationsPage(h.db, await principalOf(h.db, jsMsa), { limit: 50 });
  expect(page.items.map((n) => n._id)).toContain(notes[0]._id);
  const other = await listNotificationsPage(h.db, await principalOf(h.db, (await findUserByUsername(h.db, 'zj-msa'))!), { limit: 50 });
  expect(other.items.map((n) => n._id)).not.toContain(notes[0]._id);

  // The mentioned bureau's notifications page says so in words, with who wrote what.
  const notePage = (await as('js-msa').agent.get('/notifications').expect(200)).text;
  expect(notePage).toContain('有人在草案的批注中提到了您');
  expect(notePage).toContain('确认限值');

  // A mention in a reply notifies too, and the mentioned user's "mine" filter now holds the thread.
  const reply = await as('js-msa').post(`/api/standards/${STD}/threads/${t.id}/replies`, { text: '@sh-eco 请确认', mentions: ['sh-eco'] }).expect(201);
  const replyNote = await h.db.collection<NotificationRecord>(NOTIFICATIONS).findOne({ _id: `${STD}:thread:${(reply.body as { id: string }).id}:mention` });
  expect(replyNote?.userIds).toEqual([(await findUserByUsername(h.db, 'sh-eco'))!._id]);
  const mine = (await as('sh-eco').agent.get(`/api/standards/${STD}/threads?filter=mine&limit=100`).expect(200)).body as { items: Array<{ id: string }> };
  expect(mine.items.map((x) => x.id)).toContain(t.id);

  // The @ picker suggests only people who may read the draft.
  const people = (await as('drafter-sh').agent.get(`/api/standards/${STD}/threads/people?q=drafter`).expect(200)).body as { items: Array<{ username: string }> };
  expect(people.items.map((p) => p.username)).toEqual(['drafter-sh']);
});
