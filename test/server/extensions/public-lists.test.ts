// The public lists leave nothing off: with more released standards than one page of /published, and more
// closed consultations than one page of /consultation, following the "next page" links reaches every one
// exactly once; a forged cursor is a 400, not a silent first page.
import request from 'supertest';
import type { Express } from 'express';
import { createApp } from '../../../server/app';
import { createCommentsRouter } from '../../../server/comments';
import { documentsExtension } from '../../../server/extensions/documents';
import { createLogger } from '../../../activities/infra/logger';
import { testConfig } from '../http/app-harness';
import { seedStandard } from '../comments/support';
import { startHarness, type Harness } from '../../workflows/support';

const PUBLISHED = 230;
const CLOSED = 230;

describe('public lists paginate', () => {
  let h: Harness;
  let app: Express;

  beforeAll(async () => {
    h = await startHarness('public-lists');
    const t = await createApp({
      config: testConfig(),
      db: h.db,
      lifecycle: h.service,
      logger: createLogger('test-public-lists'),
      extensions: [
        ({ app: a }) => a.use(createCommentsRouter({ db: h.db, getCommentDraft: async () => null, standardCacheMs: 0 })),
        documentsExtension({ db: h.db }),
      ],
    });
    app = t.app;
    const base = Date.parse('2026-01-01T00:00:00.000Z');
    for (let i = 0; i < PUBLISHED; i++) {
      await seedStandard(h.db, { id: `pub${String(i).padStart(4, '0')}`, stage: 'inForce', step: 'active' });
    }
    // Some share one instant: the _id tie-breaker keeps pages apart.
    for (let i = 0; i < PUBLISHED; i++) {
      await h.db.collection<{ _id: string }>('standards').updateOne({ _id: `pub${String(i).padStart(4, '0')}` }, { $set: { publishedAt: new Date(base + Math.floor(i / 4) * 60_000).toISOString() } });
    }
    for (let i = 0; i < CLOSED; i++) {
      await seedStandard(h.db, { id: `closed${String(i).padStart(4, '0')}`, stage: 'technicalReview', step: 'underReview', commentDeadline: '2026-02-01T00:00:00.000Z' });
    }
  }, 180_000);
  afterAll(async () => {
    await h?.close();
  });

  it('/published reaches every released standard once, newest first', async () => {
    const seen: string[] = [];
    let path: string | null = '/published';
    while (path) {
      const res = await request(app).get(path).expect(200);
      seen.push(...[...res.text.matchAll(/href="\/standards\/(pub\d{4})\/documents"/g)].map((m) => m[1]));
      const next = /href="(\/published\?after=[A-Za-z0-9_-]+)[^"]*" rel="next"/.exec(res.text);
      path = next ? next[1] : null;
    }
    expect(seen).toHaveLength(PUBLISHED);
    expect(new Set(seen).size).toBe(PUBLISHED);
    expect(seen[0]).toBe(`pub${String(PUBLISHED - 1).padStart(4, '0')}`);
    await request(app).get('/published?after=forged').expect(400);
  });

  it('/consultation reaches every closed consultation once', async () => {
    const seen: string[] = [];
    let path: string | null = '/consultation';
    while (path) {
      const res = await request(app).get(path).expect(200);
      seen.push(...[...res.text.matchAll(/\/consultation\/(closed\d{4})\/dispositions/g)].map((m) => m[1]));
      const next = /href="(\/consultation\?after=[A-Za-z0-9_-]+)" rel="next"/.exec(res.text);
      path = next ? next[1] : null;
    }
    expect(seen).toHaveLength(CLOSED);
    expect(new Set(seen).size).toBe(CLOSED);
  });
});
