// The lifecycle as the web server sees it: propose a standard (record + audit entry + workflow), take an
// action (a validated Update whose refusal becomes an AppError with the right HTTP status), read the
// state and the timeline. The server passes the actor it derived from the session; this service never
// trusts an actor from a request body. `state()` answers the workflow's truth and, when the projection shows
// another revision, hands the standard to the reconciler (server/temporal/reconciler.ts) in the background.
import { randomBytes, randomUUID } from 'node:crypto';
import { recordProposalNotices } from '../../activities/lifecycle/proposal-notice';
import { ServiceError, WorkflowNotFoundError, WorkflowUpdateFailedError, WorkflowUpdateRPCTimeoutOrCancelledError, type Client } from '@temporalio/client';
import { ApplicationFailure, type UpdateDefinition } from '@temporalio/common';
import type { Db } from 'mongodb';
import { appendAudit, discardAuditOfUnstartedStandard, listAudit, type AuditEntry } from '../../activities/data/audit';
import { deleteStandard, getStandard, insertStandard } from '../../activities/data/standards';
import { AppError, type ErrorCode } from '../../activities/infra/errors';
import { createLogger, type Logger } from '../../activities/infra/logger';
import { PROVINCES, TERMINAL_STAGES, lifecycleWorkflowId, type Actor, type StandardRecord } from '../../workflows/domain';
import type { lifecycleWorkflow } from '../../workflows/lifecycle';
import {
  ACTION_UPDATES,
  stateQuery,
  ACTIONS,
  type Action,
  type LifecycleDurations,
  type LifecycleInput,
  type LifecycleState,
} from '../../workflows/messages';
import { checkAction, grantOfActor } from '../../workflows/permissions';
import { PENDING_PROVINCES_SEARCH_ATTRIBUTE, STAGE_SEARCH_ATTRIBUTE } from '../../workflows/search-attributes';
import { actionSchemas, proposalSchema, type ProposalInput } from '../../workflows/payloads';
import type { ReviewRule } from '../../workflows/technical-review-rules';

/** How long a state query may wait for a worker before the projection answers instead. */
export const STATE_QUERY_DEADLINE_MS = 3000;

export interface LifecycleServiceOptions {
  client: Client;
  db: Db;
  taskQueue: string;
  durations: LifecycleDurations;
  /** Off only against a Temporal without the Tongbiao search attributes (the time-skipping test server). */
  searchAttributes?: boolean;
  /** Called (in the background) when `state()` finds the projection at another revision than the workflow. */
  onProjectionMismatch?: (standardId: string) => void;
  /** Workflow task timeout of new lifecycles (Temporal's default, 10 s, when unset); kill tests shorten it. */
  workflowTaskTimeout?: string;
  /** Default: a child of the fallback root logger. */
  logger?: Logger;
  /** The technical review's rule for new lifecycles (panel size, provinces, pass share); unset = the default. */
  reviewRule?: ReviewRule;
}

export interface LifecycleService {
  /** Creates the standard (new id), writes its first audit entry and starts its lifecycle. */
  propose(input: ProposalInput, actor: Actor): Promise<StandardRecord>;
  /** Takes a human action; resolves with the state once the transition is recorded in MongoDB. */
  act(standardId: string, action: Action, payload: unknown, actor: Actor): Promise<LifecycleState>;
  /** The live state from the workflow (the projection when the workflow cannot answer). */
  state(standardId: string): Promise<LifecycleState>;
  /** Every transition, oldest first, from the audit log. */
  timeline(standardId: string): Promise<AuditEntry[]>;
}

const FAILURE_CODES: Record<string, ErrorCode> = {
  FORBIDDEN: 'FORBIDDEN',
  STAGE_CONFLICT: 'STAGE_CONFLICT',
  DUPLICATE_NUMBER: 'DUPLICATE_NUMBER',
  VALIDATION_FAILED: 'VALIDATION_FAILED',
  NOT_FOUND: 'NOT_FOUND',
};

function notFound(standardId: string): AppError {
  return new AppError('NOT_FOUND', { zh: `未找到标准 ${standardId}`, en: `No standard ${standardId}` });
}

/** Turns what Temporal answered to an Update into the AppError the HTTP layer maps. */
export function appErrorFromTemporal(e: unknown, standardId: string): AppError {
  if (e instanceof AppError) return e;
  if (e instanceof WorkflowNotFoundError) return notFound(standardId);
  if (e instanceof WorkflowUpdateFailedError && e.cause instanceof ApplicationFailure) {
    const f = e.cause;
    const code = FAILURE_CODES[f.type ?? ''];
    const d = (f.details?.[0] ?? {}) as { zh?: string; en?: string };
    if (code) return new AppError(code, { zh: d.zh ?? f.message, en: d.en ?? f.message }, { cause: e });
  }
  const message = e instanceof Error ? e.message : String(e);
  if (/workflow execution already completed/i.test(message)) {
    return new AppError('STAGE_CONFLICT', { zh: '该标准的流程已结束', en: 'The lifecycle of this standard has ended' }, { cause: e });
  }
  return new AppError('INTERNAL', { zh: '流程服务出错', en: 'The lifecycle service failed' }, { cause: e });
}

const TRANSIENT_GRPC_CODES = new Set([4 /* DEADLINE_EXCEEDED */, 8 /* RESOURCE_EXHAUSTED */, 14 /* UNAVAILABLE */]);

/** Overload and restarts answer "try again": an RPC timeout, or a workflow task that is failing or timing out. */
function isTransient(e: unknown): boolean {
  if (e instanceof WorkflowUpdateRPCTimeoutOrCancelledError) return true;
  if (!(e instanceof ServiceError)) return false;
  const code = (e.cause as { code?: number } | undefined)?.code;
  if (code !== undefined && TRANSIENT_GRPC_CODES.has(code)) return true;
  return code === 9 /* FAILED_PRECONDITION */ && /workflow task in failed state/i.test(e.cause?.message ?? '');
}

const UPDATE_RETRY_BUDGET_MS = 60_000;

/** Sends an Update, retrying transient refusals (overload, restarts) for up to a minute; callers keep one update id. */
export async function executeUpdateWithRetry<T>(send: () => Promise<T>): Promise<T> {
  const deadline = Date.now() + UPDATE_RETRY_BUDGET_MS;
  for (let attempt = 0; ; attempt += 1) {
    try {
      return await send();
    } catch (e) {
      if (!isTransient(e) || Date.now() > deadline) throw e;
      await new Promise((r) => setTimeout(r, Math.min(200 * 2 ** attempt, 3000)));
    }
  }
}

function newStandardId(): string {
  return `s${randomBytes(6).toString('hex')}`;
}

const ID_PATTERN = /^[A-Za-z0-9_-]{1,80}$/;

function stateFromRecord(r: StandardRecord): LifecycleState {
  return {
    standardId: r._id,
    stage: r.stage,
    step: r.step ?? 'ended',
    provinces: r.provinces,
    ...(r.commentDeadline ? { commentDeadline: r.commentDeadline } : {}),
    ...(r.releaseDate ? { releaseDate: r.releaseDate } : {}),
    ...(r.implementationDate ? { implementationDate: r.implementationDate } : {}),
    ...(r.publishedAt ? { publishedAt: r.publishedAt } : {}),
    ...(r.reviewDueAt ? { reviewDueAt: r.reviewDueAt } : {}),
    ...(r.endReason ? { endReason: r.endReason } : {}),
    ...(r.rejectedBy ? { rejectedBy: r.rejectedBy } : {}),
    ...(r.revisedBy ? { revisedBy: r.revisedBy } : {}),
    publicityEvents: 0,
    publicityDone: false,
    revision: r.revision ?? 0,
    pendingProvinces: r.pendingProvinces ?? [],
  };
}

export function createLifecycleService(opts: LifecycleServiceOptions): LifecycleService {
  const log = opts.logger ?? createLogger('lifecycle-service');
  const { client, db, taskQueue, durations } = opts;
  const useSearchAttributes = opts.searchAttributes !== false;

  async function recordOrThrow(standardId: string): Promise<StandardRecord> {
    if (typeof standardId !== 'string' || !ID_PATTERN.test(standardId)) throw notFound(String(standardId));
    const record = await getStandard(db, standardId);
    if (!record) throw notFound(standardId);
    return record;
  }

  return {
    async propose(input, actor) {
      if (actor.role !== 'ecoEnvDepartment' || !actor.province) {
        throw new AppError('FORBIDDEN', { zh: '只有生态环境部门可以提出标准立项', en: 'Only an eco-environment department may propose a standard' });
      }
      const parsed = proposalSchema.safeParse(input);
      if (!parsed.success) {
        throw new AppError('VALIDATION_FAILED', { zh: '立项信息不完整或格式不正确', en: 'The proposal is incomplete or malformed' }, { details: parsed.error.issues });
      }
      const { proposalCommentDays, ...p } = parsed.data;
      const standardId = newStandardId();
      const at = new Date().toISOString();
      const record: StandardRecord = {
        _id: standardId,
        ...p,
        // The public may comment on the proposal until then (server/comments/period.ts); the bureaus decide
        // whenever they are ready, so the deadline gates nothing in the lifecycle.
        ...(proposalCommentDays ? { proposalCommentDeadline: new Date(Date.parse(at) + proposalCommentDays * 86_400_000).toISOString() } : {}),
        leadProvince: actor.province,
        stage: 'initiation',
        step: 'awaitingDecisions',
        provinces: { SH: { decision: 'pending' }, JS: { decision: 'pending' }, ZJ: { decision: 'pending' } },
        pendingProvinces: [...PROVINCES],
        revision: 0,
        createdAt: at,
        createdBy: actor.userId,
        updatedAt: at,
        workflowId: lifecycleWorkflowId(standardId),
      };
      await insertStandard(db, record);
      await appendAudit(db, { standardId, revision: 0, at, actor, fromStage: null, toStage: 'initiation', step: 'awaitingDecisions', action: 'propose' });
      const wfInput: LifecycleInput = { standardId, leadProvince: actor.province, proposedBy: actor, durations, mandatory: p.mandatory, searchAttributes: useSearchAttributes, ...(opts.reviewRule ? { reviewRule: opts.reviewRule } : {}) };
      try {
        await client.workflow.start<typeof lifecycleWorkflow>('lifecycleWorkflow', {
          workflowId: record.workflowId,
          taskQueue,
          args: [wfInput],
          ...(opts.workflowTaskTimeout ? { workflowTaskTimeout: opts.workflowTaskTimeout } : {}),
          ...(useSearchAttributes
            ? { typedSearchAttributes: [{ key: STAGE_SEARCH_ATTRIBUTE, value: 'initiation' }, { key: PENDING_PROVINCES_SEARCH_ATTRIBUTE, value: [...PROVINCES] }] }
            : {}),
        });
      } catch (e) {
        // No lifecycle, no standard: undo the record so nothing half-made is listed.
        await discardAuditOfUnstartedStandard(db, standardId);
        await deleteStandard(db, standardId);
        throw appErrorFromTemporal(e, standardId);
      }
      // The bureaus are told their decision is due (a proposal is not a recorded transition).
      await recordProposalNotices(db, record).catch((err: unknown) => log.error({ err, standardId }, 'proposal notices not recorded'));
      log.info({ standardId, by: actor.userId }, 'standard proposed');
      return record;
    },

    async act(standardId, action, payload, actor) {
      if (!(ACTIONS as readonly string[]).includes(action)) {
        throw new AppError('NOT_FOUND', { zh: `未知操作 ${String(action)}`, en: `Unknown action ${String(action)}` });
      }
      const parsed = actionSchemas[action].safeParse(payload ?? {});
      if (!parsed.success) {
        throw new AppError('VALIDATION_FAILED', { zh: '请求内容不完整或格式不正确', en: 'The request is incomplete or malformed' }, { details: parsed.error.issues });
      }
      if (typeof standardId !== 'string' || !ID_PATTERN.test(standardId)) throw notFound(String(standardId));
      // Fast path: straight to the workflow (its id derives from the standard's). The record is read only
      // when the workflow cannot take Updates: unknown standard (404) or a finished lifecycle, where the
      // same permission table tells "not your role" (403) from "has ended" (409).
      const handle = client.workflow.getHandle(lifecycleWorkflowId(standardId));
      // One id for all attempts: Temporal runs an Update id once, so a retry never acts twice.
      const updateId = randomUUID();
      // Every Update takes one object: the validated payload plus the actor.
      const update = ACTION_UPDATES[action] as unknown as UpdateDefinition<LifecycleState, [Record<string, unknown>]>;
      try {
        return await executeUpdateWithRetry(() => handle.executeUpdate(update, { updateId, args: [{ ...(parsed.data as Record<string, unknown>), actor }] }));
      } catch (e) {
        const err = appErrorFromTemporal(e, standardId);
        if (err.code === 'NOT_FOUND' || (err.code === 'STAGE_CONFLICT' && !(e instanceof WorkflowUpdateFailedError))) {
          const record = await recordOrThrow(standardId);
          const province = (parsed.data as { province?: (typeof PROVINCES)[number] }).province;
          const r = checkAction(action, [grantOfActor(actor, standardId)], { standardId, leadProvince: record.leadProvince, stage: record.stage, step: record.step ?? 'ended', provinces: record.provinces }, province);
          if (!r.ok) throw new AppError(r.kind === 'role' ? 'FORBIDDEN' : 'STAGE_CONFLICT', { zh: r.zh, en: r.en }, { cause: e });
          if (TERMINAL_STAGES.includes(record.stage)) throw new AppError('STAGE_CONFLICT', { zh: '该标准的流程已结束', en: 'The lifecycle of this standard has ended' }, { cause: e });
        }
        if (err.code === 'INTERNAL') log.error({ err: e, standardId, action }, 'lifecycle update failed');
        throw err;
      }
    },

    async state(standardId) {
      const record = await recordOrThrow(standardId);
      try {
        // A query waits for a worker; when none answers soon, the projection is the better answer
        // than a page that hangs.
        const live = await client.withDeadline(Date.now() + STATE_QUERY_DEADLINE_MS, () => client.workflow.getHandle(record.workflowId).query(stateQuery));
        // The record was read before the query, so a projection ahead here is a phantom or a write whose
        // task is still completing; the reconciler tells which. Either way the workflow's state is the answer.
        if (opts.onProjectionMismatch && (record.revision ?? -1) !== live.revision) opts.onProjectionMismatch(standardId);
        return live;
      } catch (e) {
        log.warn({ err: e, standardId }, 'state query failed; answering from the projection');
        return stateFromRecord(record);
      }
    },

    async timeline(standardId) {
      await recordOrThrow(standardId);
      return listAudit(db, standardId);
    },
  };
}
