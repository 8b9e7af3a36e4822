// Issue 12 item 11: the public draft page offers the 征求意见稿 and 编制说明 for download, as plain links
// (no JavaScript), served from the stored files of a standard that is or was in public consultation; any
// other file — another kind, a later stage's draft, another standard's file, a proposal at 立项, a bad id —
// is a 404 that reveals nothing.
import { freshMongo } from '../../support/mongo';
import { storeGeneratedFile, DOCX_CONTENT_TYPE, type StoredFile } from '../../../activities/files/store';
import { sampleDraft, seedStandard, snapshotOf, startCommentsServer, type TestServer } from './support';

jest.setTimeout(60_000);

let m: Awaited<ReturnType<typeof freshMongo>>;
let srv: TestServer;
const files: Record<string, StoredFile> = {};

async function put(name: string, standardId: string, kind: 'draft' | 'explanatoryNote' | 'edition', draftKind: 'draftForComment' | 'draftForReview' | undefined, format: 'docx' | 'pdf', sourceFileId?: string): Promise<StoredFile> {
  const f = await storeGeneratedFile(m.db, {
    filename: `${name}.${format}`,
    data: Buffer.from(`${name} bytes`),
    contentType: format === 'pdf' ? 'application/pdf' : DOCX_CONTENT_TYPE,
    metadata: { standardId, kind, stage: draftKind === 'draftForReview' ? 'technicalReview' : 'publicComment', province: 'joint', ...(draftKind ? { draftKind } : {}), ...(format === 'pdf' ? { format, sourceFileId } : {}) },
  });
  files[name] = f;
  return f;
}

beforeAll(async () => {
  m = await freshMongo('public-downloads');
  const deadline = new Date(Date.now() + 10 * 86_400_000).toISOString();
  await seedStandard(m.db, { id: 'open', stage: 'publicComment', step: 'open', commentDeadline: deadline });
  await seedStandard(m.db, { id: 'later', stage: 'technicalReview', step: 'underReview' });
  await seedStandard(m.db, { id: 'proposal', stage: 'initiation', step: 'awaitingDecisions', proposalCommentDeadline: deadline });
  const d = await put('征求意见稿', 'open', 'draft', 'draftForComment', 'docx');
  await put('征求意见稿-pdf', 'open', 'draft', 'draftForComment', 'pdf', d.id);
  await put('编制说明', 'open', 'explanatoryNote', 'draftForComment', 'docx');
  await put('送审稿', 'open', 'draft', 'draftForReview', 'docx');
  await put('发布稿', 'open', 'edition', undefined, 'docx');
  await put('later-征求意见稿', 'later', 'draft', 'draftForComment', 'docx');
  await put('proposal-draft', 'proposal', 'draft', 'draftForComment', 'docx');
  srv = await startCommentsServer({ db: m.db, getCommentDraft: async () => snapshotOf(sampleDraft()), standardCacheMs: 0 });
});

afterAll(async () => {
  await srv?.close();
  await m?.drop();
});

const hrefs = (html: string): string[] => [...html.matchAll(/href="([^"]*\/files\/[^"]*)"/g)].map((x) => x[1]);

test('the draft page links the 征求意见稿 (DOCX and PDF) and the 编制说明, and the links download them', async () => {
  const res = await fetch(`${srv.url}/consultation/open`);
  const html = await res.text();
  expect(html).toContain('data-download="draft"');
  expect(html).toContain('data-download="explanatoryNote"');
  const links = hrefs(html);
  expect(links.sort()).toEqual([`/consultation/open/files/${files['征求意见稿'].id}`, `/consultation/open/files/${files['征求意见稿-pdf'].id}`, `/consultation/open/files/${files['编制说明'].id}`].sort());
  // Plain links: no script involved in following them.
  const docx = await fetch(`${srv.url}/consultation/open/files/${files['征求意见稿'].id}`);
  expect(docx.status).toBe(200);
  expect(docx.headers.get('content-type')).toBe(DOCX_CONTENT_TYPE);
  expect(docx.headers.get('content-disposition')).toContain(encodeURIComponent('征求意见稿'));
  expect(await docx.text()).toBe('征求意见稿 bytes');
  const pdf = await fetch(`${srv.url}/consultation/open/files/${files['征求意见稿-pdf'].id}`);
  expect(pdf.headers.get('content-type')).toBe('application/pdf');
  expect(await pdf.text()).toBe('征求意见稿-pdf bytes');
  expect((await fetch(`${srv.url}/consultation/open/files/${files['编制说明'].id}`)).status).toBe(200);
});

test('a standard formerly in consultation keeps its downloads; a proposal at 立项 has none', async () => {
  const later = await (await fetch(`${srv.url}/consultation/later`)).text();
  expect(hrefs(later)).toEqual([`/consultation/later/files/${files['later-征求意见稿'].id}`]);
  expect((await fetch(`${srv.url}/consultation/later/files/${files['later-征求意见稿'].id}`)).status).toBe(200);
  const proposal = await (await fetch(`${srv.url}/consultation/proposal`)).text();
  expect(hrefs(proposal)).toEqual([]);
  expect((await fetch(`${srv.url}/consultation/proposal/files/${files['proposal-draft'].id}`)).status).toBe(404);
});

test('every other file is a 404 without details', async () => {
  for (const [std, name] of [
    ['open', '送审稿'],
    ['open', '发布稿'],
    ['open', 'later-征求意见稿'],
    ['later', '征求意见稿'],
  ] as const) {
    const res = await fetch(`${srv.url}/consultation/${std}/files/${files[name].id}`);
    expect({ std, name, status: res.status }).toEqual({ std, name, status: 404 });
    const body = await res.text();
    expect(body).not.toContain(files[name].id);
    expect(body).not.toMatch(/at \w+ \(|\/work\//);
  }
  expect((await fetch(`${srv.url}/consultation/open/files/000000000000000000000000`)).status).toBe(404);
  expect((await fetch(`${srv.url}/consultation/open/files/not-an-id`)).status).toBe(404);
  expect((await fetch(`${srv.url}/consultation/nosuch/files/${files['征求意见稿'].id}`)).status).toBe(404);
});
