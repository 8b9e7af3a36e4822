// The server's handle on technical-review rounds: start one (tests and the lifecycle's child both use the
// business id `technical-review:<standardId>:<round>`), read its live state (or the stored record once it
// ended), and send the five review Updates, with Temporal's refusals turned into AppErrors (403/409/400).
import { WorkflowNotFoundError, type Client } from '@temporalio/client';
import type { Db } from 'mongodb';
import { AppError } from '../../activities/infra/errors';
import { createTechnicalReviewStore } from '../../activities/review/store';
import { appErrorFromTemporal } from '../temporal/lifecycle-service';
import type { Actor } from '../../workflows/domain';
import { REVIEW_UPDATES, reviewStateQuery, type TechnicalReviewInput, type TechnicalReviewState } from '../../workflows/technical-review-messages';
import { technicalReviewWorkflowId, type ReviewAction, type ReviewRule } from '../../workflows/technical-review-rules';
import type { Config } from '../infra/config';

/** The review rule new lifecycles get, from REVIEW_PANEL_MIN, REVIEW_PANEL_PER_PROVINCE and REVIEW_PASS_SHARE. */
export function reviewRuleFromConfig(c: Pick<Config, 'REVIEW_PANEL_MIN' | 'REVIEW_PANEL_PER_PROVINCE' | 'REVIEW_PASS_SHARE'>): ReviewRule {
  return { minPanel: c.REVIEW_PANEL_MIN, perProvince: c.REVIEW_PANEL_PER_PROVINCE, passShare: c.REVIEW_PASS_SHARE };
}

export interface TechnicalReviewService {
  start(input: TechnicalReviewInput, taskQueue: string): Promise<void>;
  /** The live state, or the stored record of a finished round; NOT_FOUND when the round does not exist. */
  state(standardId: string, round: number): Promise<TechnicalReviewState>;
  /** The latest round of a standard, or null when none was started. */
  latestRound(standardId: string): Promise<number | null>;
  act(standardId: string, round: number, action: ReviewAction, payload: Record<string, unknown>, actor: Actor): Promise<TechnicalReviewState>;
}

export function createTechnicalReviewService(deps: { client: Client; db: Db }): TechnicalReviewService {
  const store = createTechnicalReviewStore(deps.db);
  const handle = (standardId: string, round: number) => deps.client.workflow.getHandle(technicalReviewWorkflowId(standardId, round));
  const notFound = (standardId: string, round: number): AppError =>
    new AppError('NOT_FOUND', { zh: `标准 ${standardId} 没有第 ${round} 轮技术审查`, en: `Standard ${standardId} has no review round ${round}` });

  return {
    async start(input, taskQueue) {
      await deps.client.workflow.start('technicalReviewWorkflow', { workflowId: technicalReviewWorkflowId(input.standardId, input.round), taskQueue, args: [input] });
    },
    async state(standardId, round) {
      try {
        return await handle(standardId, round).query(reviewStateQuery);
      } catch (e) {
        const stored = await store.get(standardId, round);
        if (stored) {
          const { _id: _i, updatedAt: _u, ...rest } = stored;
          void _i;
          void _u;
          return rest;
        }
        if (e instanceof WorkflowNotFoundError) throw notFound(standardId, round);
        throw appErrorFromTemporal(e, standardId);
      }
    },
    async latestRound(standardId) {
      const rows = await store.ofStandard(standardId);
      return rows.length ? (rows[rows.length - 1] as { round: number }).round : null;
    },
    async act(standardId, round, action, payload, actor) {
      const def = REVIEW_UPDATES[action];
      try {
        return await handle(standardId, round).executeUpdate(def as typeof REVIEW_UPDATES.formPanel, { args: [{ ...payload, actor } as never] });
      } catch (e) {
        const err = e instanceof WorkflowNotFoundError ? notFound(standardId, round) : appErrorFromTemporal(e, standardId);
        // A finished round has no running workflow to take Updates: its stored record says it ended.
        if ((err.code === 'NOT_FOUND' || err.code === 'STAGE_CONFLICT') && (await store.get(standardId, round))?.phase === 'concluded') {
          throw new AppError('STAGE_CONFLICT', { zh: '本轮技术审查已结束', en: 'This review round has ended' });
        }
        throw err;
      }
    },
  };
}
