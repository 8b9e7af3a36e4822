// The draft's comment threads on a stored version's page (issue 15), through the product as `npm start`
// wires it: a read-only list with each thread's quote, status, text and replies, the note that anchors
// resolve against the live draft only, the open / resolved filter, keyset pages covering every thread, and a
// bad page cursor answered 400 in both languages. A reader who may not see the draft gets 403.
import { initProseMirrorDoc } from 'y-prosemirror';
import { startTestRuntime } from '../../support/test-runtime';
import { startDraftingStandard } from '../../support/drafting-standard';
import { signInBrowser, type BrowserSession as Session } from '../../support/browser-session';
import type { Runtime } from '../../../server/runtime';
import { schema } from '../../../editor/schema';
import { YJS_FRAGMENT } from '../../../editor/ydoc';
import { encodeThreadAnchor, type YMapping } from '../../../editor/thread-anchors';
import { draftDocName } from '../../../workflows/domain';
import { VERSION_THREADS_PAGE } from '../../../server/extensions/version-threads';

jest.setTimeout(240_000);

let rt: Runtime;
let standardId: string;

function signIn(username: string): Promise<Session> {
  return signInBrowser(rt.url, username);
}

async function post<T>(s: Session, url: string, body: unknown, status = 201): Promise<T> {
  const res = await fetch(`${rt.url}${url}`, { method: 'POST', headers: { cookie: s.cookie, accept: 'application/json', 'content-type': 'application/json', 'x-csrf-token': s.csrf }, body: JSON.stringify(body) });
  expect(res.status).toBe(status);
  return (await res.json()) as T;
}

const page = async (s: Session, url: string): Promise<{ status: number; html: string }> => {
  const res = await fetch(`${rt.url}${url}`, { headers: { cookie: s.cookie, accept: 'text/html' } });
  return { status: res.status, html: await res.text() };
};

beforeAll(async () => {
  rt = await startTestRuntime('version-threads');
  standardId = await startDraftingStandard(rt.url, { titleZh: '示范区版本批注测试标准', titleEn: 'Version threads test standard' });
});

afterAll(async () => {
  await rt?.mongo.db.dropDatabase().catch(() => undefined);
  await rt?.stop();
});

test('a stored version lists the draft’s threads read-only with quote, status and replies, every page reachable', async () => {
  const drafter = await signIn('drafter-sh');
  const ydoc = await rt.collab.getDoc(draftDocName(standardId));
  const type = ydoc.getXmlFragment(YJS_FRAGMENT);
  const { mapping } = initProseMirrorDoc(type, schema) as { mapping: YMapping };
  const anchor = encodeThreadAnchor(type, mapping, 3, 6);

  const first = await post<{ id: string }>(drafter, `/api/standards/${standardId}/threads`, { anchor, quote: '引用的第一段', text: '第一条批注：请核对。', mentions: [] });
  await post(drafter, `/api/standards/${standardId}/threads/${first.id}/replies`, { text: '已核对，无误。', mentions: [] });
  const version = await post<{ _id: string }>(drafter, `/standards/${standardId}/versions`, { name: '工作组讨论稿' });
  const second = await post<{ id: string }>(drafter, `/api/standards/${standardId}/threads`, { anchor, quote: '引用的第二段', text: '第二条批注：已改。', mentions: [] });
  await post(drafter, `/api/standards/${standardId}/threads/${second.id}/resolve`, {}, 200);

  const url = `/standards/${standardId}/versions/${version._id}`;
  const { status, html } = await page(drafter, url);
  expect(status).toBe(200);
  expect(html).toContain('批注的位置只对应当前草案');
  expect(html).toMatch(/<blockquote>引用的第一段<\/blockquote>\s*<p><strong>未解决<\/strong><\/p>/);
  expect(html).toContain('第一条批注：请核对。');
  expect(html).toMatch(/<li><b>[^<]+<\/b>（[^）]+）：已核对，无误。<\/li>/);
  expect(html).toMatch(/<blockquote>引用的第二段<\/blockquote>\s*<p><strong>已解决<\/strong> · 在此版本保存之后提出<\/p>/);
  // Read-only: no form to reply or resolve on the version page.
  const section = html.slice(html.indexOf('id="version-threads"'));
  expect(section).not.toMatch(/<form|<textarea|<button/);
  expect((await page(drafter, `${url}?lang=en`)).html).toContain('Threads are anchored to the live draft only');

  const open = (await page(drafter, `${url}?threads=open`)).html;
  expect(open).toContain('引用的第一段');
  expect(open).not.toContain('引用的第二段');

  // More threads than a page: following the next links reaches every one, each once.
  for (let i = 0; i < VERSION_THREADS_PAGE; i++) await post(drafter, `/api/standards/${standardId}/threads`, { anchor, quote: `批量引用${i}号`, text: `批量批注 ${i}`, mentions: [] });
  const seen: string[] = [];
  let next: string | null = url;
  let pages = 0;
  while (next) {
    const p = (await page(drafter, next)).html;
    seen.push(...[...p.matchAll(/<blockquote>([^<]+)<\/blockquote>/g)].map((m) => m[1]));
    const m = /<a rel="next" href="([^"]+)"/.exec(p);
    next = m ? m[1].replace(/&amp;/g, '&') : null;
    pages += 1;
  }
  expect(pages).toBe(2);
  expect(seen).toHaveLength(VERSION_THREADS_PAGE + 2);
  expect(new Set(seen).size).toBe(VERSION_THREADS_PAGE + 2);

  const bad = await page(drafter, `${url}?threadsAfter=not*a*cursor`);
  expect(bad.status).toBe(400);
  expect(bad.html).toContain('分页参数无效');
  expect(bad.html).not.toMatch(/at .*\.ts|node_modules/);

  // Someone who may not read the draft (a drafter of no standard here) is refused.
  expect((await page(await signIn('drafter-js'), url)).status).toBe(403);
});
