// Publicity events of a released standard (宣贯: training, Q&A, materials, briefings), `publicity_events`.
// The server stores the event here and hands only its id to the lifecycle (recordPublicityEvent).
import { randomUUID } from 'node:crypto';
import type { Db } from 'mongodb';

export const PUBLICITY_EVENTS = 'publicity_events';

export interface PublicityEventDoc {
  _id: string;
  standardId: string;
  title: string;
  kind: 'training' | 'qa' | 'materials' | 'meeting';
  /** yyyy-mm-dd. */
  date: string;
  location?: string;
  description?: string;
  createdAt: string;
  createdBy: { userId: string; displayName: string };
}

export async function ensurePublicityEventIndexes(db: Db): Promise<void> {
  await db.collection<PublicityEventDoc>(PUBLICITY_EVENTS).createIndex({ standardId: 1, date: 1 }, { name: 'standardId_date' });
}

export async function insertPublicityEvent(db: Db, e: Omit<PublicityEventDoc, '_id' | 'createdAt'>): Promise<PublicityEventDoc> {
  const doc: PublicityEventDoc = { _id: randomUUID(), createdAt: new Date().toISOString(), ...e };
  for (const k of ['location', 'description'] as const) if (doc[k] === undefined) delete doc[k];
  await db.collection<PublicityEventDoc>(PUBLICITY_EVENTS).insertOne(doc);
  return doc;
}

/** Undo of an insert whose lifecycle action was refused. */
export async function deletePublicityEvent(db: Db, id: string): Promise<void> {
  await db.collection<PublicityEventDoc>(PUBLICITY_EVENTS).deleteOne({ _id: id });
}

export async function findPublicityEvent(db: Db, id: string): Promise<PublicityEventDoc | null> {
  return db.collection<PublicityEventDoc>(PUBLICITY_EVENTS).findOne({ _id: id });
}

export async function listPublicityEvents(db: Db, standardId: string): Promise<PublicityEventDoc[]> {
  return db.collection<PublicityEventDoc>(PUBLICITY_EVENTS).find({ standardId }).sort({ date: 1, createdAt: 1 }).limit(500).toArray();
}
