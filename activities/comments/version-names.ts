// The names of a standard's versions for the 征求意见汇总处理表's 备注 「修改见版本 …」: the version as people
// know it from the versions page (its name and 第 n 版), never the internal id a disposition stores.
import type { Db } from 'mongodb';
import { createVersionStore } from '../versions/store';

export async function versionNamesOf(db: Db, standardId: string): Promise<ReadonlyMap<string, string>> {
  const rows = await createVersionStore(db).list(standardId);
  return new Map(rows.map((v) => [v._id, `${v.name}（第 ${v.seq} 版）`]));
}
