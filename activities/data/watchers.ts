// The watch list (`standard_watchers`): a user follows a standard and then receives the notifications that
// concern it (activities/lifecycle/transition-notices.ts). One document per (standard, user) under the id
// `<standardId>:<userId>`, so following twice is one insert and unfollowing one delete.
import type { Db } from 'mongodb';

export const STANDARD_WATCHERS = 'standard_watchers';

interface WatchRecord {
  _id: string;
  standardId: string;
  userId: string;
  at: string;
}

export async function ensureWatcherIndexes(db: Db): Promise<void> {
  await db.collection<WatchRecord>(STANDARD_WATCHERS).createIndex({ standardId: 1 }, { name: 'standardId' });
}

export async function watchStandard(db: Db, standardId: string, userId: string): Promise<void> {
  await db
    .collection<WatchRecord>(STANDARD_WATCHERS)
    .updateOne({ _id: `${standardId}:${userId}` }, { $setOnInsert: { standardId, userId, at: new Date().toISOString() } }, { upsert: true });
}

export async function unwatchStandard(db: Db, standardId: string, userId: string): Promise<void> {
  await db.collection<WatchRecord>(STANDARD_WATCHERS).deleteOne({ _id: `${standardId}:${userId}` });
}

export async function isWatching(db: Db, standardId: string, userId: string): Promise<boolean> {
  return (await db.collection<WatchRecord>(STANDARD_WATCHERS).findOne({ _id: `${standardId}:${userId}` }, { projection: { _id: 1 } })) !== null;
}

/** User ids following the standard (at most 1,000). */
export async function watchersOf(db: Db, standardId: string): Promise<string[]> {
  const rows = await db.collection<WatchRecord>(STANDARD_WATCHERS).find({ standardId }).limit(1000).toArray();
  return rows.map((r) => r.userId);
}
