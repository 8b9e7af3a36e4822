// Typed messages of the technical-review child workflow (`technical-review:<standardId>:<round>`), shared by
// the workflow and the server. One object argument each; only small values cross the Temporal boundary.
import { defineQuery, defineSignal, defineUpdate } from '@temporalio/workflow';
import type { Actor, Province } from './domain';
import type { Conclusion, PanelMember, ReviewForm, ReviewPhase, ReviewRule, Vote } from './technical-review-rules';

export interface TechnicalReviewInput {
  standardId: string;
  leadProvince: Province;
  round: number;
  rule: ReviewRule;
  /** Interval of reminders to experts who have not submitted (default 2 days). */
  reminderIntervalMs: number;
}

export interface ExpertOpinion {
  userId: string;
  text: string;
  vote: Vote;
  at: string;
  /** Submitted after a reminder (for the organiser's view). */
  afterReminders: number;
}

export interface TechnicalReviewState {
  standardId: string;
  round: number;
  phase: ReviewPhase;
  rule: ReviewRule;
  /** Drafting, lead and participating units, loaded when the review starts (for conflicts of interest). */
  units: string[];
  panel: PanelMember[];
  form?: ReviewForm;
  packageLink?: string;
  sentAt?: string;
  deadline?: string;
  opinions: ExpertOpinion[];
  /** Reminders sent to each expert who had not submitted (userId → count). */
  reminders: Record<string, number>;
  /** Panel members without an opinion once the deadline passed. */
  late: string[];
  conclusion?: Conclusion;
  yesVotes?: number;
  votesNeeded?: number;
  /** The organiser's handling of each opinion (userId → text): the 专家意见汇总处理表. */
  handling?: Record<string, string>;
  summary?: string;
  organiser?: Actor;
  concludedAt?: string;
  minutesFileId?: string;
  /** Counts every change; pages wait for it to move. */
  revision: number;
}

/** A concluded round, or one the lifecycle called off (it left 技术审查 by another path). */
export type TechnicalReviewResult = { cancelled: true } | { cancelled?: false; conclusion: Conclusion; summary: string; organiser: Actor; minutesFileId?: string };

export const formPanelUpdate = defineUpdate<TechnicalReviewState, [{ actor: Actor; panel: PanelMember[] }]>('formPanel');
export const chooseFormUpdate = defineUpdate<TechnicalReviewState, [{ actor: Actor; form: ReviewForm }]>('chooseForm');
export const sendUpdate = defineUpdate<TechnicalReviewState, [{ actor: Actor; packageLink: string }]>('send');
export const submitOpinionUpdate = defineUpdate<TechnicalReviewState, [{ actor: Actor; text: string; vote: Vote }]>('submitOpinion');
export const recordConclusionUpdate = defineUpdate<TechnicalReviewState, [{ actor: Actor; handling: Record<string, string>; summary: string }]>('recordConclusion');
export const reviewStateQuery = defineQuery<TechnicalReviewState>('reviewState');
/** From the lifecycle: the standard left 技术审查 without this round (legacy result, withdrawal); the round ends. */
export const cancelReviewSignal = defineSignal('cancelReview');

export const REVIEW_UPDATES = {
  formPanel: formPanelUpdate,
  chooseForm: chooseFormUpdate,
  send: sendUpdate,
  submitOpinion: submitOpinionUpdate,
  recordConclusion: recordConclusionUpdate,
} as const;
