// Public consultation: the router the app mounts and the pieces other parts use.
export { createCommentsRouter, prepareCommentsStore, DEFAULT_RATE_LIMITS, type CommentsDeps } from './router';
export { createCommentsStore, type CommentsStore } from './store';
export { openPeriod, commentPeriodClosed, type ConsultationStandard } from './period';
export type { DraftSnapshot } from './anchors';
export * from './model';
