// The activities the technical-review child workflow calls by name (implemented in ./activities.ts): read
// the standard's units, keep the review's record in MongoDB, notify experts, make and store the minutes.
import type { TechnicalReviewState } from '../../workflows/technical-review-messages';

export interface ReviewNotice {
  /** Deterministic id, so a retried activity records the notice once. */
  id: string;
  standardId: string;
  userIds: string[];
  zh: string;
  en: string;
  at: string;
}

export interface ReviewActivities {
  loadReviewContext(input: { standardId: string }): Promise<{ units: string[]; titleZh: string }>;
  saveReviewState(input: { state: TechnicalReviewState }): Promise<void>;
  notifyReviewUsers(input: ReviewNotice): Promise<void>;
  generateReviewMinutes(input: { standardId: string; round: number }): Promise<{ fileId: string }>;
  /** The minutes' PDF beside the DOCX (LibreOffice); never fails the review: without it, none is stored. */
  renderReviewMinutesPdf(input: { fileId: string }): Promise<{ pdfFileId?: string }>;
}
