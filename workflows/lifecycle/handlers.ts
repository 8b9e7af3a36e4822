// The lifecycle's Query and Update handlers: each validator (validators.ts, pure) refuses before anything is
// recorded; each handler changes the state synchronously, queues the effects the step needs and awaits
// `transition`, so when the Update returns the audit entry and the projection show the new revision.
import type { UpdateDefinition } from '@temporalio/common';
import { ParentClosePolicy, setHandler, startChild } from '@temporalio/workflow';
import type { Handler, UpdateHandlerOptions } from '@temporalio/workflow/lib/interfaces';
import { PROVINCES, lifecycleWorkflowId, parseStandardNumber } from '../domain';
import { failureDetails, refuse } from '../failures';
import {
  completeCommentHandlingUpdate,
  completePublicityUpdate,
  decideApprovalUpdate,
  decideInitiationUpdate,
  decideReviewUpdate,
  extendCommentPeriodUpdate,
  recordPublicityEventUpdate,
  recordReviewResultUpdate,
  resubmitUpdate,
  setReleaseDatesUpdate,
  startReviewUpdate,
  stateQuery,
  submitForApprovalUpdate,
  submitForCommentUpdate,
  withdrawUpdate,
  type LifecycleInput,
  type LifecycleState,
} from '../messages';
import { PENDING_PROVINCES_SEARCH_ATTRIBUTE, STAGE_SEARCH_ATTRIBUTE } from '../search-attributes';
import type { LifecycleRun } from './run';
import { allApproved, copy, implementationInstant, isAt } from './state';
import * as v from './validators';
import { createReviewRounds } from '../technical-review-hook';

/** The workflow type a 复审 "revise" starts as its child (lifecycle.ts exports the function of that name). */
const LIFECYCLE_WORKFLOW_TYPE = 'lifecycleWorkflow';

export function registerHandlers(run: LifecycleRun): void {
  const { state, input, local } = run;
  const { standardId, leadProvince, durations } = input;
  const ctx = run.validation;
  // 技术审查 as a meeting (issue 15): a child workflow per round; its conclusion moves the lifecycle on.
  const rounds = createReviewRounds({
    standardId,
    leadProvince,
    reminderIntervalMs: durations.reminderIntervalMs,
    ...(input.reviewRule ? { rule: input.reviewRule } : {}),
    onConclusion: async (r, round) => {
      run.clock.refresh();
      if (!isAt(state, 'technicalReview', 'underReview')) return;
      const reason = `第 ${round} 轮技术审查 / review round ${round}: ${r.summary}`;
      state.reviewOutcome = r.conclusion === 'notPassed' ? undefined : r.conclusion === 'pass' ? 'passed' : 'passedWithChanges';
      if (r.conclusion === 'notPassed') await run.transition({ to: 'drafting', step: 'editing', actor: r.organiser, action: 'recordReviewResult', reason });
      else await run.transition({ to: 'technicalReview', step: 'revising', actor: r.organiser, action: 'recordReviewResult', reason });
    },
  });

  setHandler(stateQuery, () => copy(state));

  /** An Update handler that takes the time as it enters (clock.ts): the values it computes read that instant. */
  function setUpdate<Ret, Args extends unknown[]>(def: UpdateDefinition<Ret, Args>, handler: (...args: Args) => Promise<Ret>, options: UpdateHandlerOptions<Args>): void {
    const entering = (...args: Args): Promise<Ret> => {
      run.clock.refresh();
      return handler(...args);
    };
    setHandler(def, entering as Handler<Ret, Args, UpdateDefinition<Ret, Args>>, options);
  }

  setUpdate(
    decideInitiationUpdate,
    async ({ actor, province, decision, reason }) => {
      const at = run.nowIso();
      if (decision === 'approve') {
        state.provinces[province] = { decision: 'approved', approvedAt: at, approvedBy: actor.displayName };
        if (allApproved(state)) return run.transition({ to: 'drafting', step: 'editing', actor, action: 'decideInitiation', reason });
        return run.transition({ to: 'initiation', step: 'awaitingDecisions', actor, action: 'decideInitiation', reason });
      }
      if (decision === 'return') {
        state.provinces[province] = { decision: 'returned' };
        return run.transition({ to: 'initiation', step: 'returned', actor, action: 'decideInitiation', reason });
      }
      state.provinces[province] = { decision: 'rejected' };
      state.rejectedBy = province;
      state.endReason = `rejected by ${province}: ${reason ?? ''}`;
      return run.transition({ to: 'withdrawn', step: 'ended', actor, action: 'decideInitiation', reason });
    },
    { validator: (a) => v.validateDecideInitiation(ctx(), a) },
  );

  setUpdate(
    resubmitUpdate,
    async ({ actor, reason }) => {
      run.resetDecisions();
      return run.transition({ to: state.stage, step: 'awaitingDecisions', actor, action: 'resubmit', reason });
    },
    { validator: (a) => v.validateActorOnly('resubmit')(ctx(), a) },
  );

  setUpdate(
    submitForCommentUpdate,
    async ({ actor, reason }) => {
      state.commentDeadline = new Date(run.now() + durations.commentPeriodMs).toISOString();
      run.effects.push({ kind: 'freeze', versionKind: 'draftForComment', actor });
      return run.transition({ to: 'publicComment', step: 'open', actor, action: 'submitForComment', reason });
    },
    { validator: (a) => v.validateActorOnly('submitForComment')(ctx(), a) },
  );

  setUpdate(
    extendCommentPeriodUpdate,
    async ({ actor, newDeadline, reason }) => {
      state.commentDeadline = new Date(Date.parse(newDeadline)).toISOString();
      return run.transition({ to: 'publicComment', step: 'open', actor, action: 'extendCommentPeriod', reason });
    },
    { validator: (a) => v.validateExtendCommentPeriod(ctx(), a) },
  );

  setUpdate(
    completeCommentHandlingUpdate,
    async ({ actor, reason }) => {
      const undisposed = await local.countUndisposedComments({ standardId });
      v.requireStillAt(state, 'publicComment', 'handlingComments');
      if (undisposed > 0) {
        refuse('STAGE_CONFLICT', `尚有 ${undisposed} 条意见未给出处理意见`, `${undisposed} comment(s) still lack a disposition`);
      }
      run.effects.push({ kind: 'freeze', versionKind: 'draftForReview', actor });
      const snapshot = await run.transition({ to: 'technicalReview', step: 'underReview', actor, action: 'completeCommentHandling', reason });
      await rounds.begin();
      return snapshot;
    },
    { validator: (a) => v.validateActorOnly('completeCommentHandling')(ctx(), a) },
  );

  setUpdate(
    recordReviewResultUpdate,
    async ({ actor, outcome, reason }) => {
      let snapshot: LifecycleState;
      if (outcome === 'backToDrafting') {
        state.reviewOutcome = undefined;
        snapshot = await run.transition({ to: 'drafting', step: 'editing', actor, action: 'recordReviewResult', reason });
      } else {
        state.reviewOutcome = outcome === 'pass' ? 'passed' : 'passedWithChanges';
        snapshot = await run.transition({ to: 'technicalReview', step: 'revising', actor, action: 'recordReviewResult', reason });
      }
      // The expert's direct result (the path of lifecycles started before the review meeting) ends any round.
      await rounds.abandon();
      return snapshot;
    },
    { validator: (a) => v.validateRecordReviewResult(ctx(), a) },
  );

  setUpdate(
    submitForApprovalUpdate,
    async ({ actor, reason }) => {
      run.resetDecisions();
      run.effects.push({ kind: 'freeze', versionKind: 'draftForApproval', actor });
      return run.transition({ to: 'approval', step: 'awaitingDecisions', actor, action: 'submitForApproval', reason });
    },
    { validator: (a) => v.validateActorOnly('submitForApproval')(ctx(), a) },
  );

  setUpdate(
    decideApprovalUpdate,
    async ({ actor, province, decision, number, reason }) => {
      if (decision === 'return') {
        for (const p of PROVINCES) state.provinces[p] = { decision: p === province ? 'returned' : 'pending' };
        const snapshot = await run.transition({ to: 'approval', step: 'returned', actor, action: 'decideApproval', reason });
        await local.releaseNumberReservations({ standardId });
        return snapshot;
      }
      const n = number as string;
      run.reserving.add(province);
      try {
        await local.reserveNumber({ standardId, province, number: n });
      } catch (e) {
        const f = failureDetails(e);
        refuse(f.type === 'DUPLICATE_NUMBER' || f.type === 'VALIDATION_FAILED' ? f.type : 'STAGE_CONFLICT', f.zh, f.en);
      } finally {
        run.reserving.delete(province);
      }
      if (!isAt(state, 'approval', 'awaitingDecisions')) {
        // Returned or withdrawn while the number was being reserved: that release ran before this
        // reservation landed, so release again.
        await local.releaseNumberReservations({ standardId });
        v.requireStillAt(state, 'approval', 'awaitingDecisions');
      }
      const parsed = parseStandardNumber(n);
      state.provinces[province] = { decision: 'approved', number: n, numberYear: parsed?.year, approvedAt: run.nowIso(), approvedBy: actor.displayName };
      return run.enterReleaseIfComplete(actor, 'decideApproval', reason);
    },
    { validator: (a) => v.validateDecideApproval(ctx(), a) },
  );

  setUpdate(
    setReleaseDatesUpdate,
    async ({ actor, releaseDate, implementationDate }) => {
      state.releaseDate = releaseDate;
      state.implementationDate = implementationDate;
      return run.enterReleaseIfComplete(actor, 'setReleaseDates', `${releaseDate} / ${implementationDate}`);
    },
    { validator: (a) => v.validateSetReleaseDates(ctx(), a) },
  );

  setUpdate(
    recordPublicityEventUpdate,
    async ({ actor, eventId }) => {
      state.publicityEvents += 1;
      return run.transition({ to: state.stage, step: state.step, actor, action: 'recordPublicityEvent', reason: `event ${eventId}` });
    },
    { validator: (a) => v.validateRecordPublicityEvent(ctx(), a) },
  );

  setUpdate(
    completePublicityUpdate,
    async ({ actor, reason }) => {
      state.publicityDone = true;
      const impl = implementationInstant(state);
      // Passed as the history proves it (the agenda's timer for the implementation date fired), so a replay decides alike.
      if (impl !== undefined && run.clock.reached() >= impl) {
        run.enterInForce();
        return run.transition({ to: 'inForce', step: 'active', actor, action: 'completePublicity', reason });
      }
      return run.transition({ to: 'publicity', step: 'awaitingImplementation', actor, action: 'completePublicity', reason });
    },
    { validator: (a) => v.validateActorOnly('completePublicity')(ctx(), a) },
  );

  setUpdate(
    startReviewUpdate,
    async ({ actor, reason }) => run.transition({ to: 'review', step: 'deciding', actor, action: 'startReview', reason }),
    { validator: (a) => v.validateActorOnly('startReview')(ctx(), a) },
  );

  setUpdate(
    decideReviewUpdate,
    async ({ actor, outcome, reason }) => {
      if (outcome === 'abolish') {
        state.endReason = reason;
        return run.transition({ to: 'abolished', step: 'ended', actor, action: 'decideReview', reason });
      }
      if (outcome === 'revise') {
        run.revisionCount += 1;
        const newId = `${standardId}-r${run.revisionCount}`;
        await local.createRevisionRecord({ parentId: standardId, newId, actor, at: run.nowIso(), reason });
        v.requireStillAt(state, 'review', 'deciding');
        const childInput: LifecycleInput = { standardId: newId, leadProvince, proposedBy: actor, durations, ...(input.mandatory === undefined ? {} : { mandatory: input.mandatory }), searchAttributes: run.useSearchAttributes };
        await startChild<(i: LifecycleInput) => Promise<LifecycleState>>(LIFECYCLE_WORKFLOW_TYPE, {
          workflowId: lifecycleWorkflowId(newId),
          args: [childInput],
          parentClosePolicy: ParentClosePolicy.ABANDON,
          ...(run.useSearchAttributes
            ? { typedSearchAttributes: [{ key: STAGE_SEARCH_ATTRIBUTE, value: 'initiation' }, { key: PENDING_PROVINCES_SEARCH_ATTRIBUTE, value: [...PROVINCES] }] }
            : {}),
        });
        state.revisedBy = newId;
      }
      // continue, or revise (this standard stays in force until its revision replaces it)
      run.enterInForce();
      return run.transition({ to: 'inForce', step: 'active', actor, action: 'decideReview', reason: outcome === 'revise' ? `revise → ${state.revisedBy}: ${reason}` : reason });
    },
    { validator: (a) => v.validateDecideReview(ctx(), a) },
  );

  setUpdate(
    withdrawUpdate,
    async ({ actor, reason }) => {
      const wasApproval = state.stage === 'approval' || state.stage === 'release';
      state.endReason = reason;
      const snapshot = await run.transition({ to: 'withdrawn', step: 'ended', actor, action: 'withdraw', reason });
      if (wasApproval) await local.releaseNumberReservations({ standardId });
      return snapshot;
    },
    { validator: (a) => v.validateWithdraw(ctx(), a) },
  );
}
