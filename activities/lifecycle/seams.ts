// Seams where other modules plug into the lifecycle: freezing named versions (activities/versions), the
// stage draft and 编制说明 generated after a freeze, the release documents (the DOCX generator) and the
// collaboration server's permission re-check. The workflow calls these activities by name; the worker
// registers them all through createWorkerActivities (activities/worker.ts), and the lifecycle never
// pretends a version was frozen or a document exists.
import type { Actor } from '../../workflows/domain';

/** The version kinds the lifecycle freezes at stage changes. */
export type FrozenVersionKind = 'draftForComment' | 'draftForReview' | 'draftForApproval' | 'published';

export interface FreezeVersionInput {
  standardId: string;
  kind: FrozenVersionKind;
  /** Who caused the freeze (the submitter, or for `published` the actor whose decision completed approval). */
  actor: Actor;
  /**
   * `false`: the lifecycle generates the stage draft and 编制说明 itself, as the separate activity
   * `generateStageDocuments` after the freeze. Absent (lifecycles started before that change): the freeze
   * generates them, as it always did.
   */
  stageDocuments?: boolean;
}

/** The stage drafts a freeze makes documents for (征求意见稿, 送审稿, 报批稿). */
export type StageDraftKind = Exclude<FrozenVersionKind, 'published'>;

/**
 * The stage draft DOCX and, when the drafting group wrote one for this kind, the 编制说明, generated from the
 * version just frozen. A failure is logged and does not hold up the lifecycle (staff generate the documents
 * again from the documents page).
 */
export interface StageDocumentActivities {
  generateStageDocuments(input: { standardId: string; kind: StageDraftKind }): Promise<void>;
}

export interface FreezeVersionResult {
  /** Id of the stored named version; only ids cross the Temporal boundary. */
  versionId: string;
}

/** Implemented by `createVersionActivities({ db, collab })` in activities/versions/. */
export interface VersionActivities {
  freezeVersion(input: FreezeVersionInput): Promise<FreezeVersionResult>;
}

export interface GenerateReleaseDocumentsInput {
  standardId: string;
}

export interface GenerateReleaseDocumentsResult {
  /** Ids of the stored documents (the three province editions and the disposition table). Never empty. */
  documentIds: string[];
}

/**
 * Implemented by the DOCX generator. Must be idempotent per standard (a retry returns the same ids) and
 * throw when it cannot produce every document: release does not complete without them.
 */
export interface ReleaseDocumentActivities {
  generateReleaseDocuments(input: GenerateReleaseDocumentsInput): Promise<GenerateReleaseDocumentsResult>;
}

/** Implemented by the collaboration server: re-check the permissions of open editing sessions. */
export interface CollabActivities {
  refreshCollabPermissions(input: { standardId: string }): Promise<void>;
}

export type SeamActivities = VersionActivities & ReleaseDocumentActivities & CollabActivities & StageDocumentActivities;

/** Failure types the seams' stand-ins throw; the workflow records a notification and carries on or parks. */
export const SEAM_UNAVAILABLE = {
  versions: 'VERSIONS_UNAVAILABLE',
  releaseDocuments: 'RELEASE_DOCUMENTS_UNAVAILABLE',
} as const;
