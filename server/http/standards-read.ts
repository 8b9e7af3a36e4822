// Reads of standards for lists and pages, from the MongoDB projection (activities/data/standards.ts owns the
// collection and its indexes). The stage and lead-province filters use those indexes; the title search
// is a case-insensitive match on the already-filtered rows, with the user's words regex-escaped.
import type { Db, Filter } from 'mongodb';
import type { StandardRecord } from '../../workflows/domain';
import { getStandard, LIST_PROJECTION, standardsCollection, type StandardListItem } from '../../activities/data/standards';
import { AppError } from '../../activities/infra/errors';
import type { ListQuery } from './schemas';

export interface StandardPage {
  items: StandardListItem[];
  total: number;
  page: number;
  pageSize: number;
  pages: number;
}

function escapeRegex(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

export async function listStandardPage(db: Db, q: ListQuery): Promise<StandardPage> {
  const filter: Filter<StandardRecord> = {};
  if (q.stage) filter.stage = q.stage;
  if (q.province) filter.leadProvince = q.province;
  if (q.q) {
    const re = { $regex: escapeRegex(q.q), $options: 'i' };
    filter.$or = [{ titleZh: re }, { titleEn: re }];
  }
  const c = standardsCollection(db);
  const [items, total] = await Promise.all([
    c
      .find(filter, { projection: LIST_PROJECTION })
      .sort({ updatedAt: -1, _id: 1 })
      .skip((q.page - 1) * q.pageSize)
      .limit(q.pageSize)
      .toArray() as Promise<StandardListItem[]>,
    c.countDocuments(filter),
  ]);
  return { items, total, page: q.page, pageSize: q.pageSize, pages: Math.max(1, Math.ceil(total / q.pageSize)) };
}

export const standardNotFound = (id: string): AppError =>
  new AppError('NOT_FOUND', { zh: `标准项目不存在：${id}`, en: `No such standard: ${id}` });

export async function requireStandard(db: Db, id: string): Promise<StandardRecord> {
  const s = await getStandard(db, id);
  if (!s) throw standardNotFound(id);
  return s;
}
