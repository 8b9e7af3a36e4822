// The expert pool (专家库, `experts`): people who may sit on a technical-review panel, with organisation,
// fields, province, title, contact and the user account they sign in with. The normalized organisation is
// stored beside the printed one so conflicts of interest (an expert from a drafting or participating unit)
// are found whatever the spelling. Listing is keyset-paged (createdAt, _id) so every expert is reachable.
import { randomUUID } from 'node:crypto';
import type { Db, Filter } from 'mongodb';
import { z } from 'zod';
import { AppError } from '../infra/errors';
import { PROVINCES, type Province } from '../../workflows/domain';
import { normalizeOrganisation, type PanelMember } from '../../workflows/technical-review-rules';
import { afterFilter, encodeCursor, type Cursor, type Page } from './paging';

export const EXPERTS = 'experts';
export const EXPERT_PAGE_SIZE = 100;

const line = (max: number): z.ZodString => z.string().trim().min(1).max(max);

/** What the managers type for an expert. */
export const expertInputSchema = z.object({
  name: line(50),
  organisation: line(200),
  fields: z.array(line(50)).min(1).max(20),
  province: z.enum(PROVINCES),
  title: line(100),
  contact: line(200),
  /** Id of the user account the expert signs in with. */
  userId: z.string().min(1).max(100).optional(),
});
export type ExpertInput = z.infer<typeof expertInputSchema>;

export interface ExpertRecord extends ExpertInput {
  _id: string;
  organisationKey: string;
  createdAt: Date;
  updatedAt: Date;
  createdBy: string;
}

export interface ExpertQuery {
  province?: Province;
  field?: string;
  after?: Cursor;
  limit?: number;
}

export interface ExpertStore {
  ensureIndexes(): Promise<void>;
  create(input: ExpertInput, createdBy: string): Promise<ExpertRecord>;
  update(id: string, input: ExpertInput): Promise<ExpertRecord>;
  get(id: string): Promise<ExpertRecord | null>;
  byUserId(userId: string): Promise<ExpertRecord | null>;
  /** Several experts by id; NOT_FOUND names any id that is not in the pool. */
  many(ids: readonly string[]): Promise<ExpertRecord[]>;
  list(q: ExpertQuery): Promise<Page<ExpertRecord>>;
}

/** The panel member a pool record stands for (an expert without an account cannot sit on a panel). */
export function panelMemberOf(e: ExpertRecord): PanelMember {
  if (!e.userId) throw new AppError('VALIDATION_FAILED', { zh: `专家 ${e.name} 尚未关联登录账号，不能进入专家组`, en: `Expert ${e.name} has no sign-in account and cannot sit on a panel` });
  return { expertId: e._id, userId: e.userId, name: e.name, organisation: e.organisation, province: e.province, title: e.title };
}

export function createExpertStore(db: Db): ExpertStore {
  const c = db.collection<ExpertRecord>(EXPERTS);

  async function userTaken(userId: string | undefined, exceptId?: string): Promise<void> {
    if (!userId) return;
    const other = await c.findOne({ userId, ...(exceptId ? { _id: { $ne: exceptId } } : {}) }, { projection: { _id: 1 } });
    if (other) throw new AppError('CONFLICT', { zh: '该账号已关联另一位专家', en: 'This account is already linked to another expert' });
  }

  return {
    async ensureIndexes() {
      await c.createIndex({ createdAt: 1, _id: 1 }, { name: 'createdAt_id' });
      await c.createIndex({ province: 1, createdAt: 1, _id: 1 }, { name: 'province_createdAt_id' });
      await c.createIndex({ fields: 1, createdAt: 1 }, { name: 'fields_createdAt' });
      await c.createIndex({ organisationKey: 1 }, { name: 'organisationKey' });
      await c.createIndex({ userId: 1 }, { name: 'userId' });
    },
    async create(input, createdBy) {
      const data = expertInputSchema.parse(input);
      await userTaken(data.userId);
      const now = new Date();
      const doc: ExpertRecord = { ...data, _id: randomUUID(), organisationKey: normalizeOrganisation(data.organisation), createdAt: now, updatedAt: now, createdBy };
      await c.insertOne(doc);
      return doc;
    },
    async update(id, input) {
      const data = expertInputSchema.parse(input);
      await userTaken(data.userId, id);
      const unset = data.userId ? {} : { $unset: { userId: '' as const } };
      const res = await c.findOneAndUpdate({ _id: id }, { $set: { ...data, organisationKey: normalizeOrganisation(data.organisation), updatedAt: new Date() }, ...unset }, { returnDocument: 'after' });
      if (!res) throw new AppError('NOT_FOUND', { zh: '专家不存在', en: 'No such expert' });
      return res;
    },
    async get(id) {
      return c.findOne({ _id: id });
    },
    async byUserId(userId) {
      return c.findOne({ userId });
    },
    async many(ids) {
      const unique = [...new Set(ids)];
      const rows = await c.find({ _id: { $in: unique } }).toArray();
      const missing = unique.filter((id) => !rows.some((r) => r._id === id));
      if (missing.length) throw new AppError('NOT_FOUND', { zh: `专家库中没有：${missing.join('、')}`, en: `Not in the expert pool: ${missing.join(', ')}` });
      return unique.map((id) => rows.find((r) => r._id === id) as ExpertRecord);
    },
    async list(q) {
      const limit = Math.min(Math.max(q.limit ?? EXPERT_PAGE_SIZE, 1), EXPERT_PAGE_SIZE);
      const filter: Filter<ExpertRecord> = {
        ...(q.province ? { province: q.province } : {}),
        ...(q.field ? { fields: q.field } : {}),
        ...afterFilter<ExpertRecord>('createdAt', q.after),
      };
      const rows = await c.find(filter).sort({ createdAt: 1, _id: 1 }).limit(limit + 1).toArray();
      const items = rows.slice(0, limit);
      const last = items[items.length - 1];
      return { items, ...(rows.length > limit && last ? { next: encodeCursor({ at: last.createdAt, id: last._id }) } : {}) };
    },
  };
}
