// The technical review's activities (see ./types.ts): the standard's units for conflict checks, the review's
// record, notices to experts through the notifications collection, and the minutes, generated once per
// round and stored with the other stage documents (GridFS, kind `reviewMinutes`), with its PDF beside it when
// LibreOffice is there (as the stage drafts have).
import { ApplicationFailure } from '@temporalio/activity';
import type { Db } from 'mongodb';
import { getStandard } from '../data/standards';
import { recordNotification } from '../data/notifications';
import { storeGeneratedFile } from '../files/store';
import { ensurePdfOf } from '../pdf/editions';
import type { Logger } from '../infra/logger';
import { reviewMinutesDocx } from './minutes';
import { createTechnicalReviewStore } from './store';
import type { ReviewActivities } from './types';

export function createReviewActivities(deps: { db: Db; logger: Logger }): ReviewActivities {
  const { db, logger } = deps;
  const store = createTechnicalReviewStore(db);
  const missing = (standardId: string): ApplicationFailure =>
    ApplicationFailure.nonRetryable(`No standard ${standardId}`, 'NOT_FOUND', { zh: `标准不存在：${standardId}`, en: `No such standard: ${standardId}` });

  return {
    async loadReviewContext({ standardId }) {
      const s = await getStandard(db, standardId);
      if (!s) throw missing(standardId);
      return { units: [...new Set([...s.leadUnits, ...s.participatingUnits, ...s.draftingUnits])], titleZh: s.titleZh };
    },
    async saveReviewState({ state }) {
      await store.save(state);
    },
    async notifyReviewUsers(n) {
      await recordNotification(db, {
        _id: n.id,
        standardId: n.standardId,
        kind: 'reminder',
        action: 'submitOpinion',
        recipients: [],
        userIds: n.userIds,
        messageZh: n.zh,
        messageEn: n.en,
        at: n.at,
      });
    },
    async generateReviewMinutes({ standardId, round }) {
      const review = await store.get(standardId, round);
      if (!review) throw ApplicationFailure.nonRetryable('review record missing', 'NOT_FOUND', { zh: '审查记录不存在', en: 'No record of this review' });
      if (review.minutesFileId) return { fileId: review.minutesFileId };
      const standard = await getStandard(db, standardId);
      if (!standard) throw missing(standardId);
      const data = await reviewMinutesDocx({ standard, review });
      const stored = await storeGeneratedFile(db, {
        filename: `${standard.titleZh}（审查会议纪要，第${round}轮）.docx`,
        data,
        metadata: { standardId, kind: 'reviewMinutes', stage: 'technicalReview', province: 'joint', format: 'docx' },
      });
      await store.setMinutes(standardId, round, stored.id);
      logger.info({ standardId, round, fileId: stored.id }, 'review minutes stored');
      return { fileId: stored.id };
    },
    async renderReviewMinutesPdf({ fileId }) {
      try {
        return { pdfFileId: (await ensurePdfOf(db, fileId)).id };
      } catch (err) {
        logger.warn({ err, fileId }, 'review minutes PDF not made; the DOCX is stored and the PDF can be made from the documents page');
        return {};
      }
    },
  };
}
