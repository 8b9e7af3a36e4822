// Where the 征求意见 is recorded beyond the comments themselves (`consultationMailings`): how many units the
// drafting group sent the 征求意见稿 to, and optionally which. The 征求意见汇总处理表 needs the count for its
// 说明 line (①发送单位数 … ④没有回函单位数); server/extensions/consultation-mailing.ts writes it.
import type { Collection, Db } from 'mongodb';
import { z } from 'zod';
import { normaliseNewlines, textRefinement } from '../../workflows/text-rule';

export const CONSULTATION_MAILINGS_COLLECTION = 'consultationMailings';

/** The form: the count, and the units' names one a line (optional). */
export const consultationMailingSchema = z
  .object({
    sentTo: z.coerce.number().int().min(0).max(100_000),
    units: z.string().overwrite(normaliseNewlines).superRefine(textRefinement()).trim().max(20_000).optional(),
  })
  .strict();
export type ConsultationMailing = z.infer<typeof consultationMailingSchema>;

export interface StoredConsultationMailing extends ConsultationMailing {
  standardId: string;
  updatedAt: Date;
  updatedBy: string;
}

export interface ConsultationMailingStore {
  /** Creates the unique standard index; call once (idempotent). */
  ensureIndexes(): Promise<void>;
  get(standardId: string): Promise<StoredConsultationMailing | null>;
  /** The recorded count, or null when none is recorded. */
  sentTo(standardId: string): Promise<number | null>;
  save(standardId: string, mailing: ConsultationMailing, updatedBy: string): Promise<void>;
}

export function createConsultationMailingStore(db: Db): ConsultationMailingStore {
  const col: Collection<StoredConsultationMailing> = db.collection<StoredConsultationMailing>(CONSULTATION_MAILINGS_COLLECTION);
  const get = (standardId: string) => col.findOne({ standardId }, { projection: { _id: 0 } }) as Promise<StoredConsultationMailing | null>;
  return {
    async ensureIndexes() {
      await col.createIndex({ standardId: 1 }, { unique: true, name: 'standard' });
    },
    get,
    sentTo: async (standardId) => (await get(standardId))?.sentTo ?? null,
    async save(standardId, mailing, updatedBy) {
      const set = { sentTo: mailing.sentTo, units: mailing.units ?? '', updatedAt: new Date(), updatedBy };
      await col.updateOne({ standardId }, { $set: set }, { upsert: true });
    },
  };
}
