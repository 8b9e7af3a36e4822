// The comment pages render through the app's one nunjucks environment (server/http/views.ts, bound to the
// app by createApp): `res.render` applies the app's filters (`chinaTime` in minutes, China time) and
// globals, and the app's page locals. The comment-specific labels are added to each page's data here.
import type { Response } from 'express';
import { COMMENT_TYPE_LABELS, COMMENTER_PROVINCE_LABELS, DECISION_LABELS } from '../../activities/comments/model';

/** Labels the comment templates use besides the app's globals (PROVINCE_INFO, STAGE_LABELS, …). */
export const COMMENT_PAGE_LABELS = {
  TYPE_LABELS: COMMENT_TYPE_LABELS,
  DECISION_LABELS,
  PROVINCE_LABELS: COMMENTER_PROVINCE_LABELS,
} as const;

/** Renders a comment page with the app's views; a template error reaches the app's error middleware. */
export function renderCommentPage(res: Response, name: string, data: Record<string, unknown>, status = 200): void {
  res.status(status).render(name, { ...COMMENT_PAGE_LABELS, ...data });
}
