// Keeps the `standards` projection true to the lifecycle workflows: queries a standard's workflow (the
// truth), compares it with the projection and has activities/lifecycle/reconcile.ts repair the data. When:
//  (a) on worker start, every standard whose projection changed since the start of the last completed pass
//      (minus a margin; 24 h when no pass was ever recorded): a phantom is written by a process that died,
//      so it is newer than the last pass that process completed — an index range on `updatedAt`, not a
//      query to each of 5,000 workflows;
//  (b) every `intervalMs` (30 s), the standards updated within `windowMs` (5 min): phantoms are recent;
//  (c) when a read (lifecycle-service `state()`) finds the projection's revision other than the workflow's
//      (`noteMismatch`), in the background.
// Rules: the workflow's revision is authoritative. Behind or diverged → rewritten at once. Ahead → only when
// the write is older than `aheadGraceMs` (longer than a workflow task timeout) *and* a second query, sent
// after the grace, still answers the lower revision. Temporal answers a query only from completed workflow
// tasks (a query sent while a task is in flight waits for it), so a task still running cannot make a
// projection look like a phantom; the grace is the margin on top. Deferred or unanswered standards are
// retried on a short timer until settled.
import type { Client } from '@temporalio/client';
import type { Db } from 'mongodb';
import {
  DEFAULT_AHEAD_GRACE_MS,
  diffProjection,
  lastPassStartedAt,
  markPassCompleted,
  readProjection,
  repairFromState,
  type Mismatch,
  type RepairResult,
} from '../../activities/lifecycle/reconcile';
import { standardsUpdatedSince } from '../../activities/data/standards';
import { createLogger, type Logger } from '../../activities/infra/logger';
import type { StandardRecord } from '../../workflows/domain';
import { stateQuery, type LifecycleState } from '../../workflows/messages';

export interface ReconcilerOptions {
  client: Client;
  db: Db;
  logger?: Logger;
  /** See activities/lifecycle/reconcile.ts; tests that start workflows with a short task timeout lower it. */
  aheadGraceMs?: number;
  /** How long a state query may wait for a worker (a workflow task left by a dead worker holds queries until it times out). */
  queryDeadlineMs?: number;
  /** The schedule (b). */
  intervalMs?: number;
  windowMs?: number;
  /** Added before the last pass's start in (a), for clock skew between workflow time and this process. */
  startupMarginMs?: number;
  /** Standards reconciled at once. */
  concurrency?: number;
  /** How long a deferred or unanswered standard keeps being retried. */
  retryForMs?: number;
}

export interface ProjectionComparison {
  standardId: string;
  /** Null when the workflow did not answer (no worker, task timing out, not found). */
  workflow: LifecycleState | null;
  projection: StandardRecord | null;
  mismatch: Mismatch | 'unknown';
  fields: string[];
}

export type ReconcileOutcome = RepairResult | { mismatch: 'unknown'; action: 'unanswered'; error: string };

export interface PassSummary {
  checked: number;
  repaired: number;
  pending: number;
}

export interface Reconciler {
  compareProjection(standardId: string): Promise<ProjectionComparison>;
  reconcileStandard(standardId: string): Promise<ReconcileOutcome>;
  /** One pass over the standards updated at or after `sinceIso`. */
  reconcileUpdatedSince(sinceIso: string): Promise<PassSummary>;
  /** (c): a read saw another revision than the workflow's; reconciled in the background, once at a time. */
  noteMismatch(standardId: string): void;
  /** Runs the start-up pass (a) in the background and the schedule (b). */
  start(): void;
  /** Resolves when the start-up pass is done and no standard awaits a retry (tests, the soak benchmark). */
  settled(timeoutMs?: number): Promise<boolean>;
  stop(): Promise<void>;
}

const DAY_MS = 86_400_000;

export function createReconciler(opts: ReconcilerOptions): Reconciler {
  const { client, db } = opts;
  const logger = opts.logger ?? createLogger('reconciler');
  const aheadGraceMs = opts.aheadGraceMs ?? DEFAULT_AHEAD_GRACE_MS;
  const queryDeadlineMs = opts.queryDeadlineMs ?? 3000;
  const intervalMs = opts.intervalMs ?? 30_000;
  const windowMs = opts.windowMs ?? 5 * 60_000;
  const startupMarginMs = opts.startupMarginMs ?? 2 * 60_000;
  const concurrency = opts.concurrency ?? 4;
  const retryForMs = opts.retryForMs ?? 3 * 60_000;

  /** Standards awaiting a retry: when, and until when they are retried. */
  const retries = new Map<string, { at: number; until: number }>();
  const running = new Map<string, Promise<ReconcileOutcome>>();
  let stopped = false;
  let startup: Promise<unknown> | undefined;
  let interval: NodeJS.Timeout | undefined;
  let retryTimer: NodeJS.Timeout | undefined;
  const inFlight = new Set<Promise<unknown>>();

  function track<T>(p: Promise<T>): Promise<T> {
    inFlight.add(p);
    void p.finally(() => inFlight.delete(p)).catch(() => undefined);
    return p;
  }

  async function queryState(workflowId: string): Promise<LifecycleState> {
    return client.withDeadline(Date.now() + queryDeadlineMs, () => client.workflow.getHandle(workflowId).query(stateQuery));
  }

  async function compareProjection(standardId: string): Promise<ProjectionComparison> {
    // The record first, then the query: a query answered after the read cannot miss a transition the
    // record shows as durable.
    const projection = await readProjection(db, standardId);
    if (!projection) return { standardId, workflow: null, projection: null, mismatch: 'missing', fields: [] };
    let workflow: LifecycleState;
    try {
      workflow = await queryState(projection.workflowId);
    } catch {
      return { standardId, workflow: null, projection, mismatch: 'unknown', fields: [] };
    }
    const d = diffProjection(projection, workflow);
    return { standardId, workflow, projection, mismatch: d.mismatch, fields: d.fields };
  }

  function scheduleRetry(standardId: string, at: number): void {
    const prev = retries.get(standardId);
    const until = prev?.until ?? Date.now() + retryForMs;
    if (Date.now() > until) {
      retries.delete(standardId);
      logger.warn({ standardId }, 'projection not reconciled: the workflow did not answer in time; the schedule will look again');
      return;
    }
    retries.set(standardId, { at, until });
    armRetryTimer();
  }

  function armRetryTimer(): void {
    if (stopped || retryTimer || retries.size === 0) return;
    const next = Math.min(...[...retries.values()].map((r) => r.at));
    retryTimer = setTimeout(() => {
      retryTimer = undefined;
      const due = [...retries.entries()].filter(([, r]) => r.at <= Date.now()).map(([id]) => id);
      void track(runAll(due)).finally(() => armRetryTimer());
    }, Math.max(next - Date.now(), 50));
    retryTimer.unref();
  }

  async function reconcileOnce(standardId: string): Promise<ReconcileOutcome> {
    const first = await compareProjection(standardId);
    if (first.mismatch === 'unknown') {
      scheduleRetry(standardId, Date.now() + 1000);
      return { mismatch: 'unknown', action: 'unanswered', error: 'the workflow did not answer the state query' };
    }
    let state = first.workflow as LifecycleState;
    let record = first.projection;
    const aheadish = first.mismatch === 'ahead' || first.mismatch === 'diverged';
    if (aheadish) {
      const writtenAt = Date.parse(record?.updatedAt ?? '') || 0;
      const wait = writtenAt + aheadGraceMs - Date.now();
      if (wait > 0) {
        scheduleRetry(standardId, Date.now() + wait);
        return { mismatch: first.mismatch, action: 'deferred', retryAt: Date.now() + wait, abandonedRevisions: [], removedNotifications: [], releasedNumbers: [], missingRevisions: [] };
      }
      // Confirm with a second read and query, both after the grace.
      const second = await compareProjection(standardId);
      if (second.mismatch === 'unknown') {
        scheduleRetry(standardId, Date.now() + 1000);
        return { mismatch: 'unknown', action: 'unanswered', error: 'the workflow did not answer the confirming query' };
      }
      state = second.workflow as LifecycleState;
      record = second.projection;
    }
    const r = await repairFromState(db, logger, record, state, { now: Date.now(), aheadGraceMs });
    // A repair may still leave something to look at later (a reservation too young to judge): retryAt says when.
    if (r.action === 'deferred' || r.action === 'raced' || r.retryAt) scheduleRetry(standardId, r.retryAt ?? Date.now() + 500);
    else retries.delete(standardId);
    return r;
  }

  /** One reconcile per standard at a time; a second call joins the first. */
  function reconcileStandard(standardId: string): Promise<ReconcileOutcome> {
    const existing = running.get(standardId);
    if (existing) return existing;
    const p = reconcileOnce(standardId).finally(() => running.delete(standardId));
    running.set(standardId, p);
    return track(p);
  }

  async function runAll(ids: string[]): Promise<PassSummary> {
    const summary: PassSummary = { checked: 0, repaired: 0, pending: 0 };
    let next = 0;
    const lane = async (): Promise<void> => {
      while (next < ids.length && !stopped) {
        const id = ids[next++];
        try {
          const r = await reconcileStandard(id);
          summary.checked += 1;
          if (r.action === 'rewritten' || ('abandonedRevisions' in r && r.abandonedRevisions.length > 0)) summary.repaired += 1;
          if (r.action === 'deferred' || r.action === 'unanswered' || r.action === 'raced') summary.pending += 1;
        } catch (err) {
          logger.error({ err, standardId: id }, 'reconciling a projection failed');
          scheduleRetry(id, Date.now() + 2000);
        }
      }
    };
    await Promise.all(Array.from({ length: Math.min(concurrency, ids.length) }, lane));
    return summary;
  }

  async function reconcileUpdatedSince(sinceIso: string): Promise<PassSummary> {
    const startedAt = new Date().toISOString();
    const ids = await standardsUpdatedSince(db, sinceIso);
    const summary = await runAll(ids);
    await markPassCompleted(db, startedAt);
    return summary;
  }

  async function startupPass(): Promise<void> {
    const last = await lastPassStartedAt(db);
    const since = new Date((last ? Date.parse(last) - startupMarginMs : Date.now() - DAY_MS)).toISOString();
    const s = await reconcileUpdatedSince(since);
    logger.info({ since, ...s }, 'start-up reconciliation of projections done');
  }

  return {
    compareProjection,
    reconcileStandard,
    reconcileUpdatedSince,
    noteMismatch(standardId) {
      if (stopped || running.has(standardId)) return;
      void reconcileStandard(standardId).catch((err: unknown) => logger.error({ err, standardId }, 'background reconciliation failed'));
    },
    start() {
      if (startup) return;
      startup = track(startupPass().catch((err: unknown) => logger.error({ err }, 'start-up reconciliation failed')));
      interval = setInterval(() => {
        void track(reconcileUpdatedSince(new Date(Date.now() - windowMs).toISOString()))
          .then((s) => (s.repaired ? logger.info(s, 'scheduled reconciliation repaired projections') : undefined))
          .catch((err: unknown) => logger.error({ err }, 'scheduled reconciliation failed'));
      }, intervalMs);
      interval.unref();
    },
    async settled(timeoutMs = 60_000) {
      const deadline = Date.now() + timeoutMs;
      await startup;
      while (Date.now() < deadline) {
        if (retries.size === 0 && running.size === 0) return true;
        await new Promise((r) => setTimeout(r, 100));
      }
      return false;
    },
    async stop() {
      stopped = true;
      if (interval) clearInterval(interval);
      if (retryTimer) clearTimeout(retryTimer);
      retries.clear();
      await Promise.allSettled([...inFlight]);
    },
  };
}
