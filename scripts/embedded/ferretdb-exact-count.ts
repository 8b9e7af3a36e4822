// The count command's share of the exact pushdown (ferretdb-exact-pushdown.ts), as source patches of FerretDB
// 1.24: with the comment EXACT_PUSHDOWN_COMMENT and a filter that translates whole, `count` answers from
// `SELECT COUNT(*) … WHERE …` instead of reading and decoding every document; otherwise it counts as before.
import { EXACT_COUNT_BACKENDS_GO, EXACT_COUNT_SQLITE_GO } from './ferretdb-exact-go-count';
import type { FerretdbPatch } from './ferretdb-patches';

const COUNT_QUERY_PARAMS = ['\tvar qp backends.QueryParams', '\tif !h.DisablePushdown {', '\t\tqp.Filter = params.Filter', '\t}'].join('\n');

export const EXACT_COUNT_PATCHES: FerretdbPatch[] = [
  { id: 'exact-count-go-backends', file: 'internal/backends/exact_count.go', why: 'add the optional ExactCounter of a collection', content: EXACT_COUNT_BACKENDS_GO },
  { id: 'exact-count-go-sqlite', file: 'internal/backends/sqlite/exact_count.go', why: 'add SELECT COUNT(*) for a translated filter', content: EXACT_COUNT_SQLITE_GO },
  {
    id: 'exact-count-handler',
    file: 'internal/handler/msg_count.go',
    why: 'count in SQL when the count command carries the exact-pushdown comment',
    find: COUNT_QUERY_PARAMS,
    replace: [
      "\t// Tongbiao patch: with the exact-pushdown comment, count in the store when the whole filter translates.",
      '\tif comment, _ := document.Get("comment"); !h.DisablePushdown && comment == backends.ExactPushdownComment {',
      '\t\tif ec, ok := c.(backends.ExactCounter); ok {',
      '\t\t\tn, done, err := ec.ExactCount(connCtx, params.Filter)',
      '\t\t\tif err != nil {',
      '\t\t\t\treturn nil, lazyerrors.Error(err)',
      '\t\t\t}',
      '',
      '\t\t\tif done {',
      '\t\t\t\tn = max(n-params.Skip, 0)',
      '\t\t\t\tif params.Limit > 0 {',
      '\t\t\t\t\tn = min(n, params.Limit)',
      '\t\t\t\t}',
      '',
      '\t\t\t\treturn documentOpMsg(must.NotFail(types.NewDocument("n", int32(n), "ok", float64(1))))',
      '\t\t\t}',
      '\t\t}',
      '\t}',
      '',
      COUNT_QUERY_PARAMS,
    ].join('\n'),
  },
];
