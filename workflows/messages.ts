// Typed messages of the lifecycle workflow, shared by the workflow and the server (which imports these
// constants to send Updates and Queries). One object argument each. Only ids and small values cross the
// Temporal boundary; documents live in MongoDB.
import { defineQuery, defineUpdate } from '@temporalio/workflow';
import type { Actor, Province, ProvincePosition, Stage } from './domain';
import type { ReviewRule } from './technical-review-rules';

/** Every long duration is an input so tests run in seconds. Milliseconds. */
export interface LifecycleDurations {
  /** 征求意见 period; default 30 days, never below the configured minimum in production. */
  commentPeriodMs: number;
  /** Interval of reminders to whoever holds the next action. */
  reminderIntervalMs: number;
  /** 备案 (filing) reminder after release; default 60 days. */
  filingReminderMs: number;
  /** 复审 due after implementation; at most 5 years. */
  reviewIntervalMs: number;
}

export const DAY_MS = 24 * 60 * 60 * 1000;

export const DEFAULT_DURATIONS: LifecycleDurations = {
  commentPeriodMs: 30 * DAY_MS,
  reminderIntervalMs: 7 * DAY_MS,
  filingReminderMs: 60 * DAY_MS,
  reviewIntervalMs: 5 * 365 * DAY_MS,
};

export interface LifecycleInput {
  standardId: string;
  leadProvince: Province;
  proposedBy: Actor;
  durations: LifecycleDurations;
  /** Mandatory (DBxx) or recommended (DBxx/T): numbers must match. Unset = not checked. */
  mandatory?: boolean;
  /**
   * Upsert the TongbiaoStage / TongbiaoPendingProvinces search attributes (default true). Only the
   * time-skipping test server, which has no custom search attributes registered, turns this off.
   */
  searchAttributes?: boolean;
  /** The technical review's panel and conclusion rule (technical-review-rules.ts); unset = DEFAULT_REVIEW_RULE. */
  reviewRule?: ReviewRule;
}

/** Sub-state within a stage, where the stage has steps. */
export type StageStep =
  | 'awaitingDecisions' // initiation / approval: waiting for the three bureaus
  | 'returned' // initiation / approval: a bureau returned it; the lead revises and resubmits
  | 'editing' // drafting
  | 'open' // publicComment: period running
  | 'handlingComments' // publicComment: period closed, dispositions being recorded
  | 'underReview' // technicalReview: expert panel
  | 'revising' // technicalReview passed (with changes): drafters prepare the 报批稿
  | 'awaitingReleaseDate' // release: waiting for the agreed release instant
  | 'generatingDocuments' // release: editions being generated and stored
  | 'running' // publicity
  | 'awaitingImplementation' // publicity done, implementation date not reached
  | 'active' // inForce
  | 'deciding' // review
  | 'ended';

/** Steps in words, for pages, notices and the timeline (the stage is named by STAGE_LABELS in domain.ts). */
export const STEP_LABELS: Record<StageStep, { zh: string; en: string }> = {
  awaitingDecisions: { zh: '等待三地决定', en: 'awaiting the three decisions' },
  returned: { zh: '已退回修改', en: 'returned for revision' },
  editing: { zh: '编辑中', en: 'editing' },
  open: { zh: '征求意见中', en: 'open for comment' },
  handlingComments: { zh: '处理意见中', en: 'handling comments' },
  underReview: { zh: '专家审查中', en: 'under expert review' },
  revising: { zh: '修改报批稿中', en: 'revising for approval' },
  awaitingReleaseDate: { zh: '等待发布日期', en: 'awaiting the release date' },
  generatingDocuments: { zh: '生成发布文件中', en: 'generating the editions' },
  running: { zh: '宣贯中', en: 'publicity under way' },
  awaitingImplementation: { zh: '等待实施日期', en: 'awaiting the implementation date' },
  active: { zh: '实施中', en: 'in force' },
  deciding: { zh: '复审决定中', en: 'review decision pending' },
  ended: { zh: '已结束', en: 'ended' },
};

export interface TimelineEntry {
  at: string;
  fromStage: Stage | null;
  toStage: Stage;
  step: StageStep;
  actor: Actor | null;
  action: string;
  reason?: string;
}

/** What `stateQuery` returns; also what the MongoDB projection mirrors. */
export interface LifecycleState {
  standardId: string;
  stage: Stage;
  step: StageStep;
  provinces: Record<Province, ProvincePosition>;
  commentDeadline?: string;
  releaseDate?: string;
  implementationDate?: string;
  publishedAt?: string;
  reviewDueAt?: string;
  publicityEvents: number;
  publicityDone: boolean;
  reviewOutcome?: 'passed' | 'passedWithChanges';
  /** Monotonic count of transitions; the server waits for it to change to know an action is visible. */
  revision: number;
  /** Why a terminal stage was reached (withdrawal reason, `rejected by JS: …`, abolition reason). */
  endReason?: string;
  /**
   * A rejected initiation ends the standard in stage `withdrawn` (no separate stage: the standard is off
   * the books either way); this names the bureau that rejected it.
   */
  rejectedBy?: Province;
  /** Id of the standard created by a 复审 "revise" decision (its own lifecycle, a child workflow). */
  revisedBy?: string;
  /** Provinces whose decision the current step still waits for. */
  pendingProvinces: Province[];
  /** Ids of the named versions frozen at stage changes, by kind (absent until frozen). */
  versions?: Partial<Record<'draftForComment' | 'draftForReview' | 'draftForApproval' | 'published', string>>;
}

// ---- Updates (human actions). Each returns the new state; validators refuse with a clear message. ----

export interface InitiationDecision {
  actor: Actor;
  province: Province;
  decision: 'approve' | 'return' | 'reject';
  reason?: string;
}
export const decideInitiationUpdate = defineUpdate<LifecycleState, [InitiationDecision]>('decideInitiation');

export interface ActorWithReason {
  actor: Actor;
  reason?: string;
}
/** Lead department resubmits a returned proposal (initiation) or a returned 报批稿 (approval). */
export const resubmitUpdate = defineUpdate<LifecycleState, [ActorWithReason]>('resubmit');

/** Drafters submit the 征求意见稿 with its 编制说明: drafting → publicComment. */
export const submitForCommentUpdate = defineUpdate<LifecycleState, [ActorWithReason]>('submitForComment');

export interface ExtendCommentPeriod {
  actor: Actor;
  /** New deadline, ISO instant; must be later than the current one. */
  newDeadline: string;
  reason: string;
}
export const extendCommentPeriodUpdate = defineUpdate<LifecycleState, [ExtendCommentPeriod]>('extendCommentPeriod');

/** Drafters finish comment handling (every comment has a disposition): publicComment → technicalReview. */
export const completeCommentHandlingUpdate = defineUpdate<LifecycleState, [ActorWithReason]>('completeCommentHandling');

export interface ReviewResult {
  actor: Actor;
  outcome: 'pass' | 'passWithChanges' | 'backToDrafting';
  reason?: string;
}
export const recordReviewResultUpdate = defineUpdate<LifecycleState, [ReviewResult]>('recordReviewResult');

/** Drafters submit the 报批稿: technicalReview(revising) → approval. */
export const submitForApprovalUpdate = defineUpdate<LifecycleState, [ActorWithReason]>('submitForApproval');

export interface ApprovalDecision {
  actor: Actor;
  province: Province;
  decision: 'approve' | 'return';
  /** Required with approve: the province's number, e.g. `DB31/T 310003—2021`. */
  number?: string;
  reason?: string;
}
export const decideApprovalUpdate = defineUpdate<LifecycleState, [ApprovalDecision]>('decideApproval');

export interface ReleaseDates {
  actor: Actor;
  /** ISO yyyy-mm-dd (China time), the common release date. */
  releaseDate: string;
  /** ISO yyyy-mm-dd, not before the release date. */
  implementationDate: string;
}
export const setReleaseDatesUpdate = defineUpdate<LifecycleState, [ReleaseDates]>('setReleaseDates');

export interface PublicityEvent {
  actor: Actor;
  /** Id of the event document the server stored in MongoDB. */
  eventId: string;
}
export const recordPublicityEventUpdate = defineUpdate<LifecycleState, [PublicityEvent]>('recordPublicityEvent');
export const completePublicityUpdate = defineUpdate<LifecycleState, [ActorWithReason]>('completePublicity');

/** Open 复审 before it is due. */
export const startReviewUpdate = defineUpdate<LifecycleState, [ActorWithReason]>('startReview');

export interface ReviewDecision {
  actor: Actor;
  outcome: 'continue' | 'revise' | 'abolish';
  reason: string;
}
export const decideReviewUpdate = defineUpdate<LifecycleState, [ReviewDecision]>('decideReview');

export interface Withdrawal {
  actor: Actor;
  reason: string;
}
export const withdrawUpdate = defineUpdate<LifecycleState, [Withdrawal]>('withdraw');

// ---- Queries ----
export const stateQuery = defineQuery<LifecycleState>('state');

/** Names of all human actions, for permission tables, UI and audit. */
export const ACTIONS = [
  'decideInitiation',
  'resubmit',
  'submitForComment',
  'extendCommentPeriod',
  'completeCommentHandling',
  'recordReviewResult',
  'submitForApproval',
  'decideApproval',
  'setReleaseDates',
  'recordPublicityEvent',
  'completePublicity',
  'startReview',
  'decideReview',
  'withdraw',
] as const;
export type Action = (typeof ACTIONS)[number];

/** The Update each action is sent as: the one map of action → Update definition (the service sends through it). */
export const ACTION_UPDATES = {
  decideInitiation: decideInitiationUpdate,
  resubmit: resubmitUpdate,
  submitForComment: submitForCommentUpdate,
  extendCommentPeriod: extendCommentPeriodUpdate,
  completeCommentHandling: completeCommentHandlingUpdate,
  recordReviewResult: recordReviewResultUpdate,
  submitForApproval: submitForApprovalUpdate,
  decideApproval: decideApprovalUpdate,
  setReleaseDates: setReleaseDatesUpdate,
  recordPublicityEvent: recordPublicityEventUpdate,
  completePublicity: completePublicityUpdate,
  startReview: startReviewUpdate,
  decideReview: decideReviewUpdate,
  withdraw: withdrawUpdate,
} as const satisfies Record<Action, { name: string }>;
