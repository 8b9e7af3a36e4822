// The record of each technical-review round (`technical_reviews`, _id = the child workflow's business id),
// written by the workflow after every change so pages and the minutes read one copy. A write never moves a
// record backwards: it lands only when its revision is newer than the stored one.
import type { Db } from 'mongodb';
import type { TechnicalReviewState } from '../../workflows/technical-review-messages';
import { technicalReviewWorkflowId } from '../../workflows/technical-review-rules';

export const TECHNICAL_REVIEWS = 'technical_reviews';

export interface TechnicalReviewRecord extends TechnicalReviewState {
  _id: string;
  updatedAt: Date;
}

export interface TechnicalReviewStore {
  ensureIndexes(): Promise<void>;
  save(state: TechnicalReviewState): Promise<void>;
  get(standardId: string, round: number): Promise<TechnicalReviewRecord | null>;
  /** Every round of a standard, oldest first. */
  ofStandard(standardId: string): Promise<TechnicalReviewRecord[]>;
  setMinutes(standardId: string, round: number, fileId: string): Promise<void>;
}

export function createTechnicalReviewStore(db: Db): TechnicalReviewStore {
  const c = db.collection<TechnicalReviewRecord>(TECHNICAL_REVIEWS);
  return {
    async ensureIndexes() {
      await c.createIndex({ standardId: 1, round: 1 }, { name: 'standardId_round' });
      await c.createIndex({ 'panel.userId': 1, phase: 1 }, { name: 'panelUser_phase' });
    },
    async save(state) {
      const _id = technicalReviewWorkflowId(state.standardId, state.round);
      const { minutesFileId: _m, ...rest } = state;
      void _m;
      try {
        await c.updateOne({ _id, revision: { $lt: state.revision } }, { $set: { ...rest, updatedAt: new Date() } }, { upsert: true });
      } catch (e) {
        // A newer revision is stored already (the upsert collided with it).
        if ((e as { code?: unknown }).code !== 11000) throw e;
      }
      if (state.minutesFileId) await c.updateOne({ _id }, { $set: { minutesFileId: state.minutesFileId } });
    },
    async get(standardId, round) {
      return c.findOne({ _id: technicalReviewWorkflowId(standardId, round) });
    },
    async ofStandard(standardId) {
      return c.find({ standardId }).sort({ round: 1 }).limit(1000).toArray();
    },
    async setMinutes(standardId, round, fileId) {
      await c.updateOne({ _id: technicalReviewWorkflowId(standardId, round) }, { $set: { minutesFileId: fileId } });
    },
  };
}
