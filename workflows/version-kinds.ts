// The kinds of named versions of a draft and their names, once: 工作组讨论稿, 征求意见稿, 送审稿, 报批稿, 发布稿.
// The three stage drafts (征求意见稿, 送审稿, 报批稿) are also what DOCX covers, stage-draft files and the
// 编制说明 are made for.

export const VERSION_KINDS = ['workingDraft', 'draftForComment', 'draftForReview', 'draftForApproval', 'published'] as const;
export type VersionKind = (typeof VERSION_KINDS)[number];

export const VERSION_KIND_NAMES: Record<VersionKind, { zh: string; en: string }> = {
  workingDraft: { zh: '工作组讨论稿', en: 'Working draft' },
  draftForComment: { zh: '征求意见稿', en: 'Draft for comment' },
  draftForReview: { zh: '送审稿', en: 'Draft for review' },
  draftForApproval: { zh: '报批稿', en: 'Draft for approval' },
  published: { zh: '发布稿', en: 'Published' },
};

/** The stage drafts: frozen when the lifecycle leaves drafting, technical review and approval. */
export const DRAFT_STAGES = ['draftForComment', 'draftForReview', 'draftForApproval'] as const;
export type DraftStage = (typeof DRAFT_STAGES)[number];
