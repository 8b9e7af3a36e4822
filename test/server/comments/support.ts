// Test support for the comment module: a small draft (chapter 5 with clauses 5.1 and 5.2), a standard in
// the `standards` projection with a chosen stage and deadline, and the comments router mounted on a
// minimal Express app listening on port 0. Staff principals travel in the `x-test-principal` header,
// standing in for the session layer that sets `req.user` in the real app.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import express from 'express';
import type { Db } from 'mongodb';
import * as Y from 'yjs';
import { chapter, clause, docJSON, foreword, h, normativeReferences, p, scope, termsAndDefinitions } from '../../../editor/builders';
import type { DocJSON } from '../../../editor/types';
import { jsonToYDoc } from '../../../editor/ydoc';
import type { DraftSnapshot } from '../../../editor/anchors';
import { createCommentsRouter, type CommentsDeps } from '../../../server/comments/router';
import type { RoleGrant } from '../../../workflows/domain';

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
}

export interface TestServer {
  url: string;
  close(): Promise<void>;
}

/** Mounts the router (plus /static for the browser bundle) on a fresh app listening on port 0. */
export async function startCommentsServer(deps: CommentsDeps): Promise<TestServer> {
  const app = express();
  app.set('trust proxy', false);
  app.use('/static', express.static(path.resolve(__dirname, '..', '..', '..', 'public')));
  app.use((req, _res, next) => {
    const h = req.headers['x-test-principal'];
    if (typeof h === 'string') (req as express.Request & { user?: unknown }).user = JSON.parse(Buffer.from(h, 'base64').toString('utf8'));
    next();
  });
  app.use(createCommentsRouter(deps));
  const server = http.createServer(app);
  // Idle keep-alive sockets stay open longer than the client keeps them (undici: 4 s), so a request is
  // never written into a socket the server is closing (ECONNRESET under load); and a deep accept queue,
  // since the concurrency tests open a thousand connections at once.
  server.keepAliveTimeout = 65_000;
  server.headersTimeout = 66_000;
  await new Promise<void>((resolve) => server.listen({ port: 0, host: '127.0.0.1', backlog: 4096 }, resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () => new Promise<void>((resolve) => { server.closeAllConnections(); server.close(() => resolve()); }),
  };
}

/** The header that makes a request come from a signed-in staff member with these grants. */
export function asStaff(userId: string, grants: RoleGrant[], displayName = userId): Record<string, string> {
  return { 'x-test-principal': Buffer.from(JSON.stringify({ userId, displayName, grants })).toString('base64') };
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
