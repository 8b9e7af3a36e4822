// Nothing is cut off: with more comments than any page or internal batch (PAGE_SIZE, BATCH_SIZE), the
// triage pages reach every comment exactly once, the 征求意见汇总处理表 (CSV and DOCX) has a row for every
// visible comment, publication queues a notice for every commenter with a contact, the outbox pages reach
// every notice, and the public disposition pages list every comment.
import JSZip from 'jszip';
import { BATCH_SIZE, PAGE_SIZE } from '../../../activities/data/paging';
import { commentIdFor, commentTextHash, newReceipt } from '../../../activities/comments/store';
import type { CommentRecord } from '../../../activities/comments/model';
import { freshMongo } from '../../support/mongo';
import { postJson, sampleDraft, seedStandard, snapshotOf, startCommentsServer, type TestServer } from './support';

const SID = 'std-many';
const N = BATCH_SIZE * 2 + 137;
const deadline = '2026-11-01T00:00:00.000Z';

jest.setTimeout(240_000);

describe(`${N} comments on one standard (above the page size ${PAGE_SIZE} and the batch size ${BATCH_SIZE})`, () => {
  let mongo: Awaited<ReturnType<typeof freshMongo>>;
  let server: TestServer;
  let drafter: Record<string, string>;
  let admin: Record<string, string>;
  const receipts = new Set<string>();

  beforeAll(async () => {
    mongo = await freshMongo('comments-many');
    await seedStandard(mongo.db, { id: SID, commentDeadline: deadline, step: 'handlingComments' });
    const draft = snapshotOf(sampleDraft());
    server = await startCommentsServer({ db: mongo.db, now: () => new Date('2026-12-01T00:00:00.000Z'), getCommentDraft: async () => draft, getCurrentDraft: async () => draft, publicUrl: 'https://tongbiao.example' });
    drafter = await server.signIn('u-drafter', [{ role: 'drafter', province: 'SH', standardIds: [SID] }], '起草人甲');
    admin = await server.signIn('u-admin', [{ role: 'admin' }], '管理员');
    // Stored as intake stores them; several share one createdAt, so the _id tie-breaker is exercised.
    const base = Date.parse('2026-10-01T00:00:00.000Z');
    const docs: CommentRecord[] = [];
    for (let i = 0; i < N; i++) {
      const key = `many-${i}`;
      const comment = `第 ${i} 条意见：建议调整采样频次。`;
      const receipt = newReceipt();
      receipts.add(receipt);
      const textHash = commentTextHash(SID, 'c51', comment);
      docs.push({
        _id: commentIdFor(key),
        standardId: SID,
        phase: 'publicComment',
        addressHash: 'test',
        submissionKey: key,
        receipt,
        textHash,
        textKey: textHash,
        type: 'technical',
        anchor: { scope: 'clause', clauseId: 'c51', clauseNumber: '5.1' },
        comment,
        proposedChange: '',
        submitter: { name: `提意见者${i}`, organisation: '', province: 'SH', contact: `p${i}@example.org`, showName: false },
        createdAt: new Date(base + Math.floor(i / 3) * 1000),
        status: 'disposed',
        moderation: 'visible',
        moderationLog: [],
        disposition: { decision: 'accepted', reason: '', by: { userId: 'u-drafter', displayName: '起草人甲', role: 'drafter' }, at: new Date(base) },
      });
    }
    for (let i = 0; i < docs.length; i += 500) await mongo.db.collection<CommentRecord>('comments').insertMany(docs.slice(i, i + 500));
  });
  afterAll(async () => {
    await server.close();
    await mongo.drop();
  });

  it('triage pages reach every comment exactly once, in order, and keep the filter', async () => {
    const seen: string[] = [];
    let after: string | null = null;
    let pages = 0;
    do {
      const q: string = `?status=disposed${after ? `&after=${after}` : ''}`;
      const res = await fetch(`${server.url}/api/standards/${SID}/comments${q}`, { headers: drafter });
      expect(res.status).toBe(200);
      const body = (await res.json()) as { comments: Array<{ receipt: string }>; next: string | null; counts: { total: number } };
      expect(body.counts.total).toBe(N);
      expect(body.comments.length).toBeLessThanOrEqual(PAGE_SIZE);
      seen.push(...body.comments.map((c) => c.receipt));
      after = body.next;
      pages += 1;
    } while (after);
    expect(pages).toBe(Math.ceil(N / PAGE_SIZE));
    expect(seen).toHaveLength(N);
    expect(new Set(seen)).toEqual(receipts);
    // The page links carry the cursor and the filter.
    const html = await fetch(`${server.url}/standards/${SID}/comments?status=disposed`, { headers: drafter }).then((r) => r.text());
    expect(html).toMatch(/href="\?status=disposed&amp;after=[A-Za-z0-9_-]+" rel="next"/);
  });

  it('refuses a malformed cursor with 400 instead of showing the first page', async () => {
    const res = await fetch(`${server.url}/api/standards/${SID}/comments?after=not-a-cursor`, { headers: drafter });
    expect(res.status).toBe(400);
  });

  it('the CSV and the DOCX disposition tables have a row for every comment', async () => {
    const csv = await fetch(`${server.url}/standards/${SID}/comments/disposition-table.csv`, { headers: drafter }).then((r) => r.text());
    for (let i = 0; i < N; i++) expect(csv).toContain(`第 ${i} 条意见`);
    const docx = await fetch(`${server.url}/standards/${SID}/comments/disposition-table.docx`, { headers: drafter }).then((r) => r.arrayBuffer());
    const xml = await (await JSZip.loadAsync(docx)).file('word/document.xml')!.async('string');
    let rows = 0;
    for (let i = 0; i < N; i++) if (xml.includes(`第 ${i} 条意见`)) rows += 1;
    expect(rows).toBe(N);
  });

  it('publication queues a notice for every commenter, and the outbox pages reach all of them', async () => {
    const r = await postJson(`${server.url}/api/standards/${SID}/comments/publish`, {}, drafter);
    expect(r.status).toBe(200);
    expect(r.body.queued).toBe(N);
    expect(await mongo.db.collection('comment_outbox').countDocuments({ standardId: SID })).toBe(N);
    const seen = new Set<string>();
    let after: string | null = null;
    do {
      const body = (await fetch(`${server.url}/api/admin/comment-outbox${after ? `?after=${after}` : ''}`, { headers: admin }).then((x) => x.json())) as { items: Array<{ receipt: string }>; next: string | null };
      for (const n of body.items) seen.add(n.receipt);
      after = body.next;
    } while (after);
    expect(seen).toEqual(receipts);
  });

  it('the public disposition pages list every comment, numbered on from page to page', async () => {
    let url: string | null = `${server.url}/consultation/${SID}/dispositions`;
    let rows = 0;
    let lastNo = 0;
    while (url) {
      const html: string = await fetch(url).then((x) => x.text());
      expect(html).toContain(`共 ${N} 条意见`);
      const nos = [...html.matchAll(/<tr><td>(\d+)<\/td>/g)].map((m) => Number(m[1]));
      expect(nos[0]).toBe(lastNo + 1);
      rows += nos.length;
      lastNo = nos[nos.length - 1] ?? lastNo;
      const next = /href="\?([^"]+)" rel="next"/.exec(html);
      url = next ? `${server.url}/consultation/${SID}/dispositions?${next[1].replace(/&amp;/g, '&')}` : null;
    }
    expect(rows).toBe(N);
    expect(lastNo).toBe(N);
  });
});
