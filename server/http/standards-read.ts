// Reads of standards for lists and pages. Lists read the held listing (activities/data/standards-listing.ts: one
// `_id` read unless a standard changed, since FerretDB on SQLite would scan every standard for any filter or
// sort); the stage, lead-province and title filters and the page are applied to it in memory, the user's words
// matched as plain text, case-insensitively.
import type { Db } from 'mongodb';
import type { StandardRecord } from '../../workflows/domain';
import { getStandard, listItemOf, type StandardListItem } from '../../activities/data/standards';
import { listingRows } from '../../activities/data/standards-listing';
import { AppError } from '../../activities/infra/errors';
import type { ListQuery } from './schemas';

export interface StandardPage {
  items: StandardListItem[];
  total: number;
  page: number;
  pageSize: number;
  pages: number;
}

export async function listStandardPage(db: Db, q: ListQuery): Promise<StandardPage> {
  const words = q.q?.toLocaleLowerCase();
  const rows = (await listingRows(db)).filter(
    (r) =>
      (!q.stage || r.stage === q.stage) &&
      (!q.province || r.leadProvince === q.province) &&
      (!words || (r.titleZh ?? '').toLocaleLowerCase().includes(words) || (r.titleEn ?? '').toLocaleLowerCase().includes(words)),
  );
  const start = (q.page - 1) * q.pageSize;
  const items = rows.slice(start, start + q.pageSize).map(listItemOf);
  return { items, total: rows.length, page: q.page, pageSize: q.pageSize, pages: Math.max(1, Math.ceil(rows.length / q.pageSize)) };
}

export const standardNotFound = (id: string): AppError =>
  new AppError('NOT_FOUND', { zh: `标准项目不存在：${id}`, en: `No such standard: ${id}` });

export async function requireStandard(db: Db, id: string): Promise<StandardRecord> {
  const s = await getStandard(db, id);
  if (!s) throw standardNotFound(id);
  return s;
}
