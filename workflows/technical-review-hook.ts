// How the lifecycle runs its technical review as a meeting: when 技术审查 begins it starts a round as a child
// workflow (`technical-review:<standardId>:<round>`, workflows/technical-review.ts) and, when the round
// concludes, hands the conclusion to the lifecycle (pass / pass with changes → revising, not passed → back to
// drafting). Lifecycles started before this change never take it: `begin` asks patched() first, so their
// recorded histories replay unchanged and the expert's recordReviewResult stays their path. When the
// lifecycle leaves 技术审查 by another path (that legacy result, withdrawal), the running round is called off.
import { log, patched, startChild, type ChildWorkflowHandle } from '@temporalio/workflow';
import type { Province } from './domain';
import { cancelReviewSignal, type TechnicalReviewInput, type TechnicalReviewResult } from './technical-review-messages';
import { DEFAULT_REVIEW_RULE, technicalReviewWorkflowId, type ReviewRule } from './technical-review-rules';
import type { technicalReviewWorkflow } from './technical-review';

export const TECHNICAL_REVIEW_MEETING = 'technical-review-meeting-1';

/** Experts are reminded every two days while their opinion is missing (sooner when the lifecycle's own reminders are). */
const REVIEW_REMINDER_MS = 2 * 24 * 60 * 60 * 1000;

export interface ReviewRoundsDeps {
  standardId: string;
  leadProvince: Province;
  /** The lifecycle's reminder interval; rounds remind at most this far apart. */
  reminderIntervalMs: number;
  rule?: ReviewRule;
  /** Applies a concluded round to the lifecycle; called only for the round still current. */
  onConclusion(result: Exclude<TechnicalReviewResult, { cancelled: true }>, round: number): Promise<void>;
}

export interface ReviewRounds {
  /** 技术审查 begins: start the next round (a no-op for lifecycles started before this change). */
  begin(): Promise<void>;
  /** The lifecycle left 技术审查 without the round's conclusion: call the running round off. */
  abandon(): Promise<void>;
  /** The round running now, if any. */
  current(): number | undefined;
}

export function createReviewRounds(deps: ReviewRoundsDeps): ReviewRounds {
  let round = 0;
  let running: { round: number; handle: ChildWorkflowHandle<typeof technicalReviewWorkflow> } | undefined;

  return {
    async begin() {
      if (!patched(TECHNICAL_REVIEW_MEETING)) return;
      round += 1;
      const input: TechnicalReviewInput = {
        standardId: deps.standardId,
        leadProvince: deps.leadProvince,
        round,
        rule: deps.rule ?? DEFAULT_REVIEW_RULE,
        reminderIntervalMs: Math.min(REVIEW_REMINDER_MS, deps.reminderIntervalMs),
      };
      let handle: ChildWorkflowHandle<typeof technicalReviewWorkflow>;
      try {
        handle = await startChild<typeof technicalReviewWorkflow>('technicalReviewWorkflow', { workflowId: technicalReviewWorkflowId(deps.standardId, round), args: [input] });
      } catch (err) {
        log.warn('technical review round not started', { standardId: deps.standardId, round, error: String(err) });
        return;
      }
      const mine = { round, handle };
      running = mine;
      void handle.result().then(
        async (result) => {
          if (running !== mine || result.cancelled) return;
          running = undefined;
          try {
            await deps.onConclusion(result, mine.round);
          } catch (err) {
            log.warn('technical review conclusion not applied', { standardId: deps.standardId, round: mine.round, error: String(err) });
          }
        },
        (err: unknown) => {
          if (running === mine) running = undefined;
          log.warn('technical review round failed', { standardId: deps.standardId, round: mine.round, error: String(err) });
        },
      );
    },
    async abandon() {
      if (!running) return;
      const { handle } = running;
      running = undefined;
      try {
        await handle.signal(cancelReviewSignal);
      } catch (err) {
        log.warn('technical review round not called off', { standardId: deps.standardId, error: String(err) });
      }
    },
    current: () => running?.round,
  };
}
