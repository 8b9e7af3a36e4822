// The lifecycle's gate on comment handling: it may leave the comment-handling step only when no visible
// comment of the standard is still pending. This query is the contract between the lifecycle and the
// comment module (collection `comments`, fields `standardId`, `status`, `moderation`); hidden comments
// (spam, abuse) need no disposition.
import type { Db } from 'mongodb';
import { COLLECTIONS } from './model';

export async function pendingCommentCount(db: Db, standardId: string): Promise<number> {
  return db.collection(COLLECTIONS.comments).countDocuments({ standardId, status: 'pending', moderation: 'visible' });
}
