// Indexes under names that say which key expressions they were built with. The embedded FerretDB keeps an
// index by name: one created before its exact-pushdown patch (scripts/embedded/ferretdb-patches.ts) keeps the
// old SQLite expressions, which the pushed-down WHERE/ORDER BY cannot match. So every index a pushed-down
// query relies on (activities/infra/exact-pushdown.ts) gets a new name (`…_v2`), and the names it replaces are
// dropped first — first, because MongoDB refuses a second index on the same keys under another name. On
// MongoDB this is only a rename. A name that is not there (or a collection not created yet) is fine; any
// other failure is not.
import { MongoServerError, type Collection, type CreateIndexesOptions, type Document, type IndexSpecification } from 'mongodb';

export interface NamedIndex {
  key: IndexSpecification;
  name: string;
  unique?: boolean;
  sparse?: boolean;
}

/** MongoDB / FerretDB codes for "no such index" and "no such collection". */
const INDEX_NOT_FOUND = 27;
const NAMESPACE_NOT_FOUND = 26;

function isMissing(e: unknown): boolean {
  if (!(e instanceof MongoServerError)) return false;
  if (e.code === INDEX_NOT_FOUND || e.code === NAMESPACE_NOT_FOUND) return true;
  return /index not found|ns not found/i.test(e.message);
}

/** Drops the index named `name` if it exists. */
export async function dropIndexIfPresent<T extends Document>(col: Collection<T>, name: string): Promise<void> {
  try {
    await col.dropIndex(name);
  } catch (e) {
    if (!isMissing(e)) throw e;
  }
}

/** Drops `retired` names, then creates `indexes` (a no-op for those already there under the same name and keys). */
export async function ensureNamedIndexes<T extends Document>(col: Collection<T>, indexes: readonly NamedIndex[], retired: readonly string[] = []): Promise<void> {
  for (const name of retired) await dropIndexIfPresent(col, name);
  for (const ix of indexes) {
    const opts: CreateIndexesOptions = { name: ix.name, ...(ix.unique ? { unique: true } : {}), ...(ix.sparse ? { sparse: true } : {}) };
    await col.createIndex(ix.key, opts);
  }
}
