// Test support for the comment module: a small draft (chapter 5 with clauses 5.1 and 5.2), a standard in
// the `standards` projection with a chosen stage and deadline, and the comments router mounted in the real
// app (createApp: its body parsers, sessions, CSRF protection and error middleware) listening on port 0.
// Staff sign in through POST /api/session as users seeded with the grants a test needs; anonymous form
// posts carry the session cookie and `_csrf` token of the form page they came from.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Db } from 'mongodb';
import * as Y from 'yjs';
import { chapter, clause, docJSON, foreword, h, normativeReferences, p, scope, termsAndDefinitions } from '../../../editor/builders';
import type { DocJSON } from '../../../editor/types';
import { jsonToYDoc } from '../../../editor/ydoc';
import type { DraftSnapshot } from '../../../editor/anchors';
import { createCommentsRouter, type CommentsDeps } from '../../../server/comments/router';
import { createApp } from '../../../server/app';
import type { LifecycleApi } from '../../../server/app-deps';
import { hashPassword } from '../../../server/auth/passwords';
import { createLogger } from '../../../activities/infra/logger';
import { usersCollection } from '../../../activities/data/users';
import type { RoleGrant } from '../../../workflows/domain';
import { testConfig } from '../http/app-harness';
import { bumpStandardsGeneration } from '../../../activities/data/standards-listing';

export function sampleDraft(): DocJSON {
  return docJSON(
    foreword({ id: 'fw' }, p('本文件按照GB/T 1.1—2020的规定起草。')),
    scope({ id: 'scope' }, p('本文件规定了示范区地表水环境质量监测要求。')),
    normativeReferences({ id: 'refs' }),
    termsAndDefinitions({ id: 'terms' }, p('本文件没有需要界定的术语和定义。')),
    chapter({ id: 'ch4' }, h('总体要求'), p('监测应覆盖全部跨界断面。')),
    chapter(
      { id: 'ch5' },
      h('采样'),
      clause({ id: 'c51' }, h('采样频次'), p('每月采样一次。')),
      clause({ id: 'c52' }, h('采样方法'), p('采样应在河流中泓线处进行，水深大于5 m时分层采样。')),
    ),
  );
}

/** A frozen version with its Yjs state, as the versions module provides it. */
export function snapshotOf(json: DocJSON, versionId = 'v-comment'): DraftSnapshot & { ydoc: Y.Doc } {
  const ydoc = jsonToYDoc(json);
  return { versionId, label: { zh: '征求意见稿', en: 'Draft for comment' }, json, yState: Y.encodeStateAsUpdate(ydoc), ydoc };
}

export interface StandardSeed {
  id: string;
  stage?: string;
  step?: string;
  commentDeadline?: string;
  proposalCommentDeadline?: string;
  leadProvince?: 'SH' | 'JS' | 'ZJ';
}

export async function seedStandard(db: Db, s: StandardSeed): Promise<void> {
  const now = new Date().toISOString();
  await db.collection<{ _id: string }>('standards').replaceOne(
    { _id: s.id },
    {
      titleZh: `示范区地表水环境质量监测技术规范（${s.id}）`,
      titleEn: `Technical specification for surface water monitoring (${s.id})`,
      kind: 'monitoringMethod',
      mandatory: false,
      field: '水',
      scope: '',
      leadProvince: s.leadProvince ?? 'SH',
      leadUnits: ['上海市生态环境局'],
      participatingUnits: [],
      plannedYear: 2026,
      draftingUnits: ['上海市环境科学研究院', '江苏省环境科学研究院'],
      drafters: [],
      stage: s.stage ?? 'publicComment',
      step: s.step ?? 'open',
      ...(s.commentDeadline ? { commentDeadline: s.commentDeadline } : {}),
      ...(s.proposalCommentDeadline ? { proposalCommentDeadline: s.proposalCommentDeadline } : {}),
      provinces: { SH: {}, JS: {}, ZJ: {} },
      createdAt: now,
      createdBy: 'test',
      updatedAt: now,
      workflowId: `standard-${s.id}`,
    },
    { upsert: true },
  );
  // Written past the data module: tell the held list view which standard (activities/data/standards-listing.ts).
  await bumpStandardsGeneration(db, [s.id]);
}

export interface TestServer {
  url: string;
  close(): Promise<void>;
  /**
   * Signs in a staff member with these grants (a user `userId` seeded in `users`) through POST /api/session;
   * the headers carry the session cookie and the CSRF token, for pages and API calls alike.
   */
  signIn(userId: string, grants: RoleGrant[], displayName?: string): Promise<Record<string, string>>;
  /** An anonymous visitor who opened the form page at `path`: its session cookie and the form's `_csrf` token. */
  formSession(path: string): Promise<{ cookie: string; csrf: string }>;
}

/** The comment pages need no lifecycle; anything else of the app that would is refused. */
const NO_LIFECYCLE: LifecycleApi = {
  propose: () => Promise.reject(new Error('no lifecycle in the comments tests')),
  act: () => Promise.reject(new Error('no lifecycle in the comments tests')),
  state: () => Promise.reject(new Error('no lifecycle in the comments tests')),
  timeline: () => Promise.reject(new Error('no lifecycle in the comments tests')),
};

const PASSWORD = 'comments-test-password';
let passwordHash: Promise<string> | undefined;

function cookieOf(res: Response): string {
  return res.headers.getSetCookie().map((c) => c.split(';')[0]).join('; ');
}

/** Mounts the router in the real app (as server/runtime.ts does) listening on port 0. */
export async function startCommentsServer(deps: CommentsDeps): Promise<TestServer> {
  const logger = createLogger('test-comments');
  const tongbiao = await createApp({
    config: testConfig(),
    db: deps.db,
    lifecycle: NO_LIFECYCLE,
    logger,
    signInRateLimit: { windowMs: 60_000, limit: 100_000 },
    extensions: [({ app }) => app.use(createCommentsRouter({ logger, ...deps }))],
  });
  const server = http.createServer(tongbiao.app);
  // Idle keep-alive sockets stay open longer than the client keeps them (undici: 4 s), so a request is
  // never written into a socket the server is closing (ECONNRESET under load); and a deep accept queue,
  // since the concurrency tests open a thousand connections at once.
  server.keepAliveTimeout = 65_000;
  server.headersTimeout = 66_000;
  await new Promise<void>((resolve) => server.listen({ port: 0, host: '127.0.0.1', backlog: 4096 }, resolve));
  const { port } = server.address() as AddressInfo;
  const url = `http://127.0.0.1:${port}`;
  return {
    url,
    close: async () => {
      await new Promise<void>((resolve) => { server.closeAllConnections(); server.close(() => resolve()); });
      await tongbiao.close();
    },
    async signIn(userId, grants, displayName = userId) {
      passwordHash ??= hashPassword(PASSWORD);
      const now = new Date();
      const username = userId.toLowerCase();
      await usersCollection(deps.db).replaceOne(
        { _id: userId },
        { username, displayName, passwordHash: await passwordHash, grants, createdAt: now, updatedAt: now, version: 1 },
        { upsert: true },
      );
      const res = await fetch(`${url}/api/session`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username, password: PASSWORD }) });
      if (res.status !== 200) throw new Error(`sign-in of ${userId} failed: ${res.status} ${await res.text()}`);
      const { csrfToken } = (await res.json()) as { csrfToken: string };
      return { cookie: cookieOf(res), 'x-csrf-token': csrfToken };
    },
    async formSession(path) {
      const res = await fetch(`${url}${path}`, { headers: { accept: 'text/html' } });
      const m = /name="_csrf" value="([^"]+)"/.exec(await res.text());
      if (!m) throw new Error(`no _csrf field on ${path} (${res.status})`);
      return { cookie: cookieOf(res), csrf: m[1] };
    },
  };
}

let keyCounter = 0;
/** A valid JSON submission; override any field. */
export function submission(over: Record<string, unknown> = {}): Record<string, unknown> {
  keyCounter += 1;
  return {
    submissionKey: `k-${process.pid}-${Date.now()}-${keyCounter}`,
    type: 'technical',
    comment: '建议将采样频次提高到每月两次。',
    proposedChange: '每月采样两次。',
    name: '张三',
    organisation: '某环保协会',
    province: 'JS',
    contact: `tester${keyCounter}@example.org`,
    showName: true,
    ...over,
  };
}

export async function postJson(url: string, body: unknown, headers: Record<string, string> = {}): Promise<{ status: number; body: Record<string, unknown> }> {
  const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', accept: 'application/json', ...headers }, body: JSON.stringify(body) });
  const text = await res.text();
  let parsed: Record<string, unknown> = {};
  try {
    parsed = JSON.parse(text) as Record<string, unknown>;
  } catch {
    parsed = { raw: text };
  }
  return { status: res.status, body: parsed };
}
