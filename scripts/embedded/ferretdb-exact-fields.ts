// The projection's share of the exact pushdown (ferretdb-exact-pushdown.ts), as source patches of FerretDB 1.24:
// a find with the comment EXACT_PUSHDOWN_COMMENT and a plain inclusion projection decodes, of each stored row,
// only the top-level fields its projection, filter and sort name (issue 11: decoding every field of every row was
// most of the store's CPU in a 50,000-comment export), and is not projected again when those documents already
// are the projection's. Any other find decodes whole rows as before. The Go code is in ferretdb-exact-go-fields.ts
// and ferretdb-exact-go-sjson.ts; these patches add fields to the query params and result and wire them through.
import { EXACT_FIELDS_HANDLER_GO, EXACT_FIELDS_SQLITE_GO } from './ferretdb-exact-go-fields';
import { EXACT_FIELDS_SJSON_GO } from './ferretdb-exact-go-sjson';
import type { FerretdbPatch } from './ferretdb-patches';

const lines = (...l: string[]): string => l.join('\n');

// The end of QueryParams as the exact pushdown's patches leave it (its fields, then the comment's constant).
const QUERY_PARAMS_END = lines('\tExactLimit  int64', '}', '', '// ExactPushdownComment is');
const FIND_RETURN = lines('\treturn qp, nil', '}');
const ITER_NEW = '\t\tIter: newQueryIterator(ctx, rows, params.OnlyRecordIDs),';
const ITER_STRUCT_END = lines('\tonlyRecordIDs bool', '}');
const QUERY_RESULT = lines('type QueryResult struct {', '\tIter types.DocumentsIterator', '}');
const FIND_ITER = '\titer, err := h.makeFindIter(queryRes.Iter, closer, params)';
const PROJECTION_STEP = '\tif iter, err = common.ProjectionIterator(iter, closer, params.Projection, params.Filter); err != nil {';
const ITER_DECODE = '\t\tif doc, err = sjson.Unmarshal(b); err != nil {';

export const EXACT_FIELDS_PATCHES: FerretdbPatch[] = [
  { id: 'exact-fields-go-handler', file: 'internal/handler/exact_fields.go', why: 'add the fields a find reads (projection, filter, sort)', content: EXACT_FIELDS_HANDLER_GO },
  { id: 'exact-fields-go-sjson', file: 'internal/handler/sjson/exact_fields.go', why: 'add the decoding of some top-level fields of a row', content: EXACT_FIELDS_SJSON_GO },
  { id: 'exact-fields-go-sqlite', file: 'internal/backends/sqlite/exact_fields.go', why: 'add the query iterator that decodes some fields', content: EXACT_FIELDS_SQLITE_GO },
  {
    id: 'exact-fields-query-params',
    file: 'internal/backends/collection.go',
    why: 'give the backend query the top-level fields to decode',
    find: QUERY_PARAMS_END,
    replace: lines(
      '\tExactLimit  int64',
      '',
      '\t// Tongbiao patch: with Exact, the top-level fields the handler reads of each document (nil: all). A backend',
      '\t// may leave the others out of the documents it returns.',
      '\tExactFields []string',
      '}',
      '',
      '// ExactPushdownComment is',
    ),
  },
  {
    id: 'exact-fields-find-handler',
    file: 'internal/handler/msg_find.go',
    why: 'name the fields a find with the comment reads',
    find: FIND_RETURN,
    replace: lines(
      '\t// Tongbiao patch: the fields the projection, the filter and the sort read, when the comment asks for it.',
      '\tif qp.Exact {',
      '\t\tqp.ExactFields = exactFields(params.Projection, params.Filter, params.Sort)',
      '\t}',
      '',
      FIND_RETURN,
    ),
  },
  {
    id: 'exact-fields-sqlite-query',
    file: 'internal/backends/sqlite/collection.go',
    why: 'decode only the named fields of each row',
    find: ITER_NEW,
    replace: lines('\t\tIter:               newFieldsQueryIterator(ctx, rows, params.OnlyRecordIDs, params.ExactFields),', '\t\tExactFieldsApplied: len(params.ExactFields) > 0,'),
  },
  {
    id: 'exact-fields-query-result',
    file: 'internal/backends/collection.go',
    why: 'let the backend say it returned only the named fields',
    find: QUERY_RESULT,
    replace: lines(
      'type QueryResult struct {',
      '\tIter types.DocumentsIterator',
      '',
      '\t// Tongbiao patch: set when each document holds only the fields in QueryParams.ExactFields.',
      '\tExactFieldsApplied bool',
      '}',
    ),
  },
  {
    id: 'exact-fields-find-iter',
    file: 'internal/handler/msg_find.go',
    why: 'build the find iterator knowing whether the backend applied the projection',
    find: FIND_ITER,
    replace: '\titer, err := h.makeExactFindIter(queryRes, closer, params)',
  },
  {
    id: 'exact-fields-skip-projection',
    file: 'internal/handler/msg_find.go',
    why: 'add no projection step for a projection the backend applied',
    find: PROJECTION_STEP,
    replace: lines(
      '\t// Tongbiao patch: no projection step when the backend returned the projected documents (exact_fields.go).',
      '\tif params.Projection != exactProjectionDone {',
      '\t\titer, err = common.ProjectionIterator(iter, closer, params.Projection, params.Filter)',
      '\t}',
      '',
      '\tif err != nil {',
    ),
  },
  {
    id: 'exact-fields-iterator-field',
    file: 'internal/backends/sqlite/query_iterator.go',
    why: 'hold the fields the iterator decodes',
    find: ITER_STRUCT_END,
    replace: lines(
      '\tonlyRecordIDs bool',
      '',
      '\t// Tongbiao patch: the top-level fields to decode (nil: all) and the schemas decoded so far; see exact_fields.go.',
      '\tkeep  map[string]struct{}',
      '\tcache *sjson.FieldsCache',
      '}',
    ),
  },
  {
    id: 'exact-fields-iterator-decode',
    file: 'internal/backends/sqlite/query_iterator.go',
    why: 'decode only the named fields',
    find: ITER_DECODE,
    replace: lines(
      '\t\t// Tongbiao patch: only the named top-level fields when the handler named them.',
      '\t\tunmarshal := sjson.Unmarshal',
      '\t\tif iter.keep != nil {',
      '\t\t\tunmarshal = func(b []byte) (*types.Document, error) { return sjson.UnmarshalFields(b, iter.keep, iter.cache) }',
      '\t\t}',
      '',
      '\t\tif doc, err = unmarshal(b); err != nil {',
    ),
  },
];
