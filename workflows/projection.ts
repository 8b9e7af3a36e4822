// The one mapping from the lifecycle's state to the `standards` projection: the workflow sends it with each
// transition (recordTransition), and the reconciler (activities/lifecycle/reconcile.ts) rewrites a
// projection from a queried state with it, so the two can never disagree on what a field means.
// Pure (workflow-safe).
import type { Province, ProvincePosition, Stage } from './domain';
import type { LifecycleState, StageStep } from './messages';

/** The lifecycle fields the `standards` record mirrors. */
export interface ProjectedLifecycle {
  stage: Stage;
  step: StageStep;
  provinces: Record<Province, ProvincePosition>;
  pendingProvinces: Province[];
  revision: number;
  updatedAt: string;
  commentDeadline?: string;
  releaseDate?: string;
  implementationDate?: string;
  publishedAt?: string;
  reviewDueAt?: string;
  endReason?: string;
  rejectedBy?: Province;
  revisedBy?: string;
}

/** The keys compared by the reconciler besides `updatedAt` (which is when, not what). */
export const PROJECTED_KEYS = [
  'stage',
  'step',
  'provinces',
  'pendingProvinces',
  'revision',
  'commentDeadline',
  'releaseDate',
  'implementationDate',
  'publishedAt',
  'reviewDueAt',
  'endReason',
  'rejectedBy',
  'revisedBy',
] as const satisfies ReadonlyArray<keyof ProjectedLifecycle>;

/** The projection of a state; `updatedAt` is the instant of its revision. */
export function projectionOf(s: LifecycleState, updatedAt: string): ProjectedLifecycle {
  return {
    stage: s.stage,
    step: s.step,
    provinces: s.provinces,
    pendingProvinces: s.pendingProvinces,
    revision: s.revision,
    updatedAt,
    commentDeadline: s.commentDeadline,
    releaseDate: s.releaseDate,
    implementationDate: s.implementationDate,
    publishedAt: s.publishedAt,
    reviewDueAt: s.reviewDueAt,
    endReason: s.endReason,
    rejectedBy: s.rejectedBy,
    revisedBy: s.revisedBy,
  };
}
