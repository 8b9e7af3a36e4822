// The opt-in exact pushdown of a find's filter, sort and limit to SQLite, as source patches of FerretDB 1.24
// (applied by ferretdb-patches.ts). FerretDB on SQLite pushes only an `_id` equality down: every other find
// reads and decodes the whole collection, then filters, sorts and limits in Go. When a find carries the comment
// EXACT_PUSHDOWN_COMMENT (activities/infra/exact-pushdown.ts, the client's promise of scalar, single-typed
// fields), the handler hands the whole filter and sort, and the limit when skip is 0, to the backend, which
// runs `WHERE … ORDER BY … LIMIT ?` on json_extract expressions — the same expressions the indexes are now
// built on, so SQLite walks an index. A filter or sort with anything unsupported runs the stock query.
import { EXACT_OPERATORS_GO, EXACT_EXPR_GO } from './ferretdb-exact-go-operators';
import { EXACT_PUSHDOWN_GO } from './ferretdb-exact-go-query';
import type { FerretdbPatch } from './ferretdb-patches';

const lines = (...l: string[]): string => l.join('\n');

const EXACT_FIELDS = lines(
  '',
  '\t// Tongbiao patch: the exact pushdown, asked for by the comment ExactPushdownComment. When Exact is set a',
  '\t// backend may apply ExactFilter (the whole filter, dotted keys too), ExactSort (the whole validated sort)',
  '\t// and then ExactLimit: all of them or none, never a limit after a partial filter or sort. Backends that do',
  '\t// not know these fields ignore them; the handler filters, sorts and limits what comes back anyway.',
  '\tExact       bool',
  '\tExactFilter *types.Document',
  '\tExactSort   *types.Document',
  '\tExactLimit  int64',
);

const QUERY_PARAMS = lines('type QueryParams struct {', '\tFilter *types.Document', '\tSort   *types.Document', '\tLimit  int64', '', '\tOnlyRecordIDs bool', '\tComment       string');
const EXPLAIN_PARAMS = lines('type ExplainParams struct {', '\tFilter *types.Document', '\tSort   *types.Document', '\tLimit  int64');

const contractCheck = (call: string): string =>
  lines(
    '\t// Tongbiao patch: the exact fields come together with Exact, and the limit is not negative.',
    '\tmust.BeTrue(params.ExactLimit >= 0)',
    '\tmust.BeTrue(params.Exact || (params.ExactFilter == nil && params.ExactSort == nil && params.ExactLimit == 0))',
    '',
    call,
  );

/** The exact override, the same in Query and Explain: all of the translated filter, sort and limit, or none. */
const exactOverride = (extra: string[]): string[] => [
  '\t// Tongbiao patch: the exact pushdown replaces the clauses when the whole filter and sort translate.',
  '\tif params.Exact {',
  '\t\tif eq, ok := exactPushdown(params.ExactFilter, params.ExactSort); ok {',
  ...extra,
  '\t\t\twhereClause, args = eq.where, eq.args',
  '\t\t\tif eq.orderBy != "" {',
  '\t\t\t\torderByClause = eq.orderBy',
  '\t\t\t}',
  '',
  '\t\t\tlimit = params.ExactLimit',
  '\t\t}',
  '\t}',
  '',
];

const handlerExact = (indent: string, limitCond: string): string[] => [
  `${indent}qp.Exact = true`,
  `${indent}qp.ExactFilter = params.Filter`,
  `${indent}qp.ExactSort = params.Sort`,
  '',
  `${indent}if ${limitCond} {`,
  `${indent}\tqp.ExactLimit = params.Limit`,
  `${indent}}`,
];

const FIND_DEBUG = '\th.L.DebugContext(ctx, fmt.Sprintf("Converted %+v for %+v to %+v.", params, cInfo, qp))';
const EXPLAIN_CALL = '\tres, err := coll.Explain(connCtx, qp)';

const QUERY_TAIL = lines('\tq += whereClause', '\tq += prepareOrderByClause(params.Sort)', '', '\tif params.Limit != 0 {', '\t\tq += ` LIMIT ?`', '\t\targs = append(args, params.Limit)', '\t}');

const EXPLAIN_TAIL = lines(
  '\torderByClause := prepareOrderByClause(params.Sort)',
  '\tsortPushdown := orderByClause != ""',
  '',
  '\tq := `EXPLAIN QUERY PLAN ` + selectClause + whereClause + orderByClause',
  '',
  '\tvar limitPushdown bool',
  '',
  '\tif params.Limit != 0 {',
  '\t\tq += ` LIMIT ?`',
  '\t\targs = append(args, params.Limit)',
  '\t\tlimitPushdown = true',
  '\t}',
);

const INDEX_COLUMN = '\t\t\tcolumns[i] = fmt.Sprintf("%s->%s", DefaultColumn, strings.Join(fields, "->"))';

export const EXACT_PUSHDOWN_PATCHES: FerretdbPatch[] = [
  { id: 'exact-pushdown-go-query', file: 'internal/backends/sqlite/exact_pushdown.go', why: 'add the translation of filter and sort to SQL', content: EXACT_PUSHDOWN_GO },
  { id: 'exact-pushdown-go-operators', file: 'internal/backends/sqlite/exact_operators.go', why: 'add the operators of the translation', content: EXACT_OPERATORS_GO },
  { id: 'exact-pushdown-go-field-expr', file: 'internal/backends/sqlite/metadata/exact_expr.go', why: 'add the field expression shared by pushdown and indexes', content: EXACT_EXPR_GO },
  {
    id: 'exact-pushdown-query-params',
    file: 'internal/backends/collection.go',
    why: 'give the backend query the exact filter, sort and limit',
    find: QUERY_PARAMS,
    replace: QUERY_PARAMS + '\n' + EXACT_FIELDS,
  },
  {
    id: 'exact-pushdown-explain-params',
    file: 'internal/backends/collection.go',
    why: 'give the backend explain the exact filter, sort and limit',
    find: EXPLAIN_PARAMS,
    replace: EXPLAIN_PARAMS + '\n' + EXACT_FIELDS,
  },
  {
    id: 'exact-pushdown-comment-const',
    file: 'internal/backends/collection.go',
    why: 'name the comment that asks for the exact pushdown',
    find: '// QueryResult represents the results of Collection.Query method.',
    replace: lines(
      '// ExactPushdownComment is the find comment that asks for the exact pushdown (Tongbiao patch).',
      'const ExactPushdownComment = "tongbiao:exact-pushdown"',
      '',
      '// QueryResult represents the results of Collection.Query method.',
    ),
  },
  { id: 'exact-pushdown-query-contract', file: 'internal/backends/collection.go', why: 'check the exact query params', find: '\tres, err := cc.c.Query(ctx, params)', replace: contractCheck('\tres, err := cc.c.Query(ctx, params)') },
  { id: 'exact-pushdown-explain-contract', file: 'internal/backends/collection.go', why: 'check the exact explain params', find: '\tres, err := cc.c.Explain(ctx, params)', replace: contractCheck('\tres, err := cc.c.Explain(ctx, params)') },
  {
    id: 'exact-pushdown-find-handler',
    file: 'internal/handler/msg_find.go',
    why: 'hand the whole filter, sort and (skip 0) limit of a find with the comment to the backend',
    find: FIND_DEBUG,
    replace: lines(
      '\t// Tongbiao patch: the exact pushdown, asked for by the command\'s comment.',
      '\tif !h.DisablePushdown && params.Comment == backends.ExactPushdownComment {',
      ...handlerExact('\t\t', 'params.Skip == 0'),
      '\t}',
      '',
      FIND_DEBUG,
    ),
  },
  {
    id: 'exact-pushdown-explain-handler',
    file: 'internal/handler/msg_explain.go',
    why: 'explain a find with the comment as it runs',
    find: EXPLAIN_CALL,
    replace: lines(
      '\t// Tongbiao patch: explain shows the exact pushdown of a find whose comment asks for it.',
      '\tif comment, _ := params.Command.Get("comment"); !h.DisablePushdown && !params.Aggregate && comment == backends.ExactPushdownComment {',
      ...handlerExact('\t\t', 'params.Skip == 0 && params.Limit > 0'),
      '\t}',
      '',
      EXPLAIN_CALL,
    ),
  },
  {
    id: 'exact-pushdown-sqlite-query',
    file: 'internal/backends/sqlite/collection.go',
    why: 'run the exact WHERE, ORDER BY and LIMIT in Query',
    find: QUERY_TAIL,
    replace: lines(
      '\torderByClause := prepareOrderByClause(params.Sort)',
      '\tlimit := params.Limit',
      '',
      ...exactOverride([]),
      '\tq += whereClause',
      '\tq += orderByClause',
      '',
      '\tif limit != 0 {',
      '\t\tq += ` LIMIT ?`',
      '\t\targs = append(args, limit)',
      '\t}',
    ),
  },
  {
    id: 'exact-pushdown-sqlite-explain',
    file: 'internal/backends/sqlite/collection.go',
    why: 'explain the exact WHERE, ORDER BY and LIMIT',
    find: EXPLAIN_TAIL,
    replace: lines(
      '\torderByClause := prepareOrderByClause(params.Sort)',
      '\tlimit := params.Limit',
      '',
      ...exactOverride(['\t\t\tfilterPushdown = eq.where != ""']),
      '\tsortPushdown := orderByClause != ""',
      '',
      '\tq := `EXPLAIN QUERY PLAN ` + selectClause + whereClause + orderByClause',
      '',
      '\tvar limitPushdown bool',
      '',
      '\tif limit != 0 {',
      '\t\tq += ` LIMIT ?`',
      '\t\targs = append(args, limit)',
      '\t\tlimitPushdown = true',
      '\t}',
    ),
  },
  {
    id: 'exact-pushdown-index-expressions',
    file: 'internal/backends/sqlite/metadata/registry.go',
    why: 'build index keys on the json_extract expressions the exact pushdown queries (the _id index unchanged)',
    find: INDEX_COLUMN,
    replace: lines(
      INDEX_COLUMN,
      '',
      '\t\t\t// Tongbiao patch: the expression the exact pushdown uses, so SQLite walks this index for it. The',
      '\t\t\t// default _id index keeps its expression, which metadata.IDColumn looks documents up with.',
      '\t\t\tif expr, ok := ExactFieldExpr(key.Field); ok && index.Name != backends.DefaultIndexName {',
      '\t\t\t\tcolumns[i] = expr',
      '\t\t\t}',
    ),
  },
];
