// Public consultation: the router the app mounts and the pieces other parts use.
export { createCommentsRouter, prepareCommentsStore, DEFAULT_RATE_LIMITS, type CommentsDeps } from './router';
export { openPeriod, commentPeriodClosed, type ConsultationStandard } from '../../activities/data/consultation-standards';
