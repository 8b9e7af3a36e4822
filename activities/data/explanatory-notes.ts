// The 编制说明 forms (`explanatoryNotes`): one per standard and stage draft, written by the drafting group
// (server/extensions/explanatory-note.ts) and read when the DOCX is generated (activities/docx). The note
// is validated by the generator's schema before it is saved; this module only stores and reads it.
import type { Collection, Db } from 'mongodb';
import type { DraftStage } from '../../workflows/version-kinds';

export const EXPLANATORY_NOTES_COLLECTION = 'explanatoryNotes';

export interface StoredExplanatoryNote<N = unknown> {
  standardId: string;
  kind: DraftStage;
  note: N;
  updatedAt: Date;
  updatedBy: string;
}

export interface ExplanatoryNoteStore<N = unknown> {
  /** Creates the unique (standard, kind) index; call once (idempotent). */
  ensureIndexes(): Promise<void>;
  get(standardId: string, kind: DraftStage): Promise<StoredExplanatoryNote<N> | null>;
  /** Writes the note of a standard and draft kind, replacing the one stored. */
  save(standardId: string, kind: DraftStage, note: N, updatedBy: string): Promise<void>;
}

export function createExplanatoryNoteStore<N = unknown>(db: Db): ExplanatoryNoteStore<N> {
  const col: Collection<StoredExplanatoryNote<N>> = db.collection<StoredExplanatoryNote<N>>(EXPLANATORY_NOTES_COLLECTION);
  return {
    async ensureIndexes() {
      await col.createIndex({ standardId: 1, kind: 1 }, { unique: true, name: 'standard_kind' });
    },
    get: (standardId, kind) => col.findOne({ standardId, kind }, { projection: { _id: 0 } }) as Promise<StoredExplanatoryNote<N> | null>,
    async save(standardId, kind, note, updatedBy) {
      await col.updateOne({ standardId, kind }, { $set: { note, updatedAt: new Date(), updatedBy } }, { upsert: true });
    },
  };
}
