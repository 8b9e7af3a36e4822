// The soak's closing checks, made once the last app is up and quiet: every acknowledged transition is in
// the lifecycle's audit at its revision (and the workflow reached it), every comment answered with a
// receipt can be looked up, every co-editing edit answered `stored` is in the draft as a fresh socket loads
// it, and every standard's projection equals its workflow's state.
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { Connection, Client } from '@temporalio/client';
import { MongoClient } from 'mongodb';
import { BenchClient } from '../collab/client';
import { lifecycleWorkflowId } from '../../workflows/domain';
import { stateQuery, type LifecycleState } from '../../workflows/messages';
import type { SoakClient } from './http';
import { historyDir } from './replay';
import type { Acked } from './traffic';

export interface Mismatch {
  standardId: string;
  workflow: string;
  projection: string;
}

interface ProjectionRow {
  _id: string;
  stage: string;
  step: string;
  revision: number;
  pendingProvinces?: string[];
}

const view = (s: { stage: string; step: string; revision: number; pendingProvinces?: string[] }): string => `${s.stage}/${s.step}@${s.revision} [${(s.pendingProvinces ?? []).join(',')}]`;

/** Standards whose `standards` projection differs from what their workflow answers. */
export async function projectionMismatches(temporalAddress: string, mongoUri: string, dbName: string, ids: string[]): Promise<Mismatch[]> {
  const connection = await Connection.connect({ address: temporalAddress });
  const client = new Client({ connection });
  const mongo = new MongoClient(mongoUri);
  try {
    const rows = await mongo.db(dbName).collection<ProjectionRow>('standards').find({ _id: { $in: ids } }).toArray();
    const byId = new Map(rows.map((r) => [r._id, r]));
    const out: Mismatch[] = [];
    for (const id of ids) {
      // A query can fail for a moment after a restart (no worker polling yet): that standard counts as a
      // mismatch for this round, named with the error, and the caller asks again until its deadline.
      let wf: LifecycleState;
      try {
        wf = await client.workflow.getHandle(lifecycleWorkflowId(id)).query<LifecycleState>(stateQuery);
      } catch (e) {
        // The client's message is generic ("Failed to query Workflow"); the gRPC cause says why.
        const cause = (e as Error & { cause?: Error }).cause;
        const why = await lastTaskFailure(client, lifecycleWorkflowId(id)).catch((err: unknown) => `history unread: ${(err as Error).message}`);
        out.push({ standardId: id, workflow: `query failed: ${(e as Error).message}${cause ? ` (${cause.message})` : ''}${why ? `; last workflow task failure: ${why}` : ''}`, projection: byId.get(id) ? view(byId.get(id)!) : '(none)' });
        continue;
      }
      const p = byId.get(id);
      const a = view(wf);
      const b = p ? view(p) : '(none)';
      if (a !== b) out.push({ standardId: id, workflow: a, projection: b });
    }
    return out;
  } finally {
    await mongo.close();
    await connection.close();
  }
}

/** The failure of the workflow's last failed workflow task (message and the top of its stack), if any. */
async function lastTaskFailure(client: Client, workflowId: string): Promise<string> {
  const history = await client.workflow.getHandle(workflowId).fetchHistory();
  const failed = (history.events ?? []).filter((ev) => ev.workflowTaskFailedEventAttributes).pop();
  const f = failed?.workflowTaskFailedEventAttributes;
  if (!f) return '';
  // The history itself, so the failure can be replayed (test/workflows/replay.test.ts reads this JSON).
  const file = path.join(historyDir(), `${workflowId}-${Date.now()}.json`);
  writeFileSync(file, JSON.stringify(history));
  return `${String(f.cause)} ${f.failure?.message ?? ''} ${(f.failure?.stackTrace ?? '').split('\n').slice(0, 6).join(' | ')} (history saved to ${file})`;
}

/** A read for the checks: a 503 or no answer (a server still coming back) is asked again, for up to 30 s. */
async function settledGet<T>(client: SoakClient, path: string): Promise<Awaited<ReturnType<SoakClient['request']>> & { body: T | undefined }> {
  const deadline = Date.now() + 30_000;
  for (;;) {
    const a = await client.request<T>('GET', path).catch(() => null);
    if (a && a.status !== 503) return a;
    if (Date.now() > deadline) return a ?? { status: 0, body: undefined, text: '' };
    await new Promise((r) => setTimeout(r, 500));
  }
}

/** Acknowledged transitions whose audit entry is missing or says another action. */
export async function lostTransitions(client: SoakClient, acked: Acked): Promise<string[]> {
  const lost: string[] = [];
  const byStandard = new Map<string, Acked['transitions']>();
  for (const t of acked.transitions) byStandard.set(t.standardId, [...(byStandard.get(t.standardId) ?? []), t]);
  for (const [id, ts] of byStandard) {
    const a = await settledGet<{ items: Array<{ revision: number; action: string }> }>(client, `/api/standards/${id}/timeline`);
    if (a.status !== 200 || !a.body) {
      lost.push(`${id}: timeline answered ${a.status}`);
      continue;
    }
    const byRevision = new Map(a.body.items.map((e) => [e.revision, e.action]));
    for (const t of ts) if (byRevision.get(t.revision) !== t.action) lost.push(`${id}@${t.revision} ${t.action}: audit has ${byRevision.get(t.revision) ?? 'nothing'}`);
  }
  return lost;
}

/** Comments answered with a receipt that cannot be found again. */
export async function lostComments(client: SoakClient, acked: Acked): Promise<string[]> {
  const lost: string[] = [];
  for (const c of acked.comments) {
    const a = await settledGet<{ standardId: string }>(client, `/api/consultation/receipts/${c.receipt}`);
    if (a.status !== 200 || a.body?.standardId !== c.standardId) lost.push(`${c.receipt}: ${a.status}`);
  }
  return lost;
}

/** Edits answered `stored` that a fresh socket does not load. */
export async function lostEdits(base: string, drafter: SoakClient, acked: Acked): Promise<string[]> {
  const lost: string[] = [];
  for (const [docName, keys] of acked.edits) {
    const socket = new BenchClient('ours', 0, docName, 'full', 'soak-verify', {
      url: `${base.replace(/^http/, 'ws')}/collab/${encodeURIComponent(docName)}`,
      headers: { cookie: drafter.cookieHeader(), origin: base },
    });
    const synced = await Promise.race([socket.synced.then(() => true), new Promise<boolean>((r) => setTimeout(() => r(false), 15_000))]);
    if (!synced) {
      lost.push(`${docName}: could not load`);
      socket.close();
      continue;
    }
    const probe = socket.doc!.getMap('soakProbe');
    for (const k of keys) if (!probe.has(k)) lost.push(`${docName}: ${k}`);
    socket.close();
  }
  return lost;
}
