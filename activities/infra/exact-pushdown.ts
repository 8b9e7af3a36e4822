// The opt-in marker for exact query pushdown on the embedded store. FerretDB 1.24 on SQLite filters and sorts
// every query in Go after reading the whole collection; the patched build of scripts/embedded/ferretdb-patches.ts
// hands the filter, sort and limit of a `find` to SQLite (index walks, LIMIT) when the command carries this
// comment. The marker is the app's promise that every field the filter and the sort name holds one scalar BSON
// type (string, bool, number or date) in every document, never an array: the types our schemas write. Without
// the marker — or on MongoDB, where a comment only labels the operation in logs and profiles — nothing changes.
export const EXACT_PUSHDOWN_COMMENT = 'tongbiao:exact-pushdown';

/** Options to spread into `find`/`findOne` whose filter and sort keep the promise above. */
export const EXACT_PUSHDOWN = { comment: EXACT_PUSHDOWN_COMMENT } as const;
