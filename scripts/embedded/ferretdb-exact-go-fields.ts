// The Go source of two files the patch set adds to FerretDB's source tree (ferretdb-exact-fields.ts): a find with
// the exact-pushdown comment and an inclusion projection decodes only the top-level fields it needs. The handler
// names the fields the projection, the filter and the sort read (internal/handler/exact_fields.go), and the SQLite
// query iterator decodes only those (internal/backends/sqlite/exact_fields.go; the decoding itself is in
// ferretdb-exact-go-sjson.ts). The handler still filters and sorts what comes back, and projects it unless the
// documents already are the projection's (a top-level inclusion holding every field the filter and sort read),
// so the answer is the stock one.

export const EXACT_FIELDS_HANDLER_GO = String.raw`// Tongbiao patch (scripts/embedded/ferretdb-exact-go-fields.ts): the top-level fields a find needs.

package handler

import (
	"math"
	"strings"

	"github.com/FerretDB/FerretDB/internal/backends"
	"github.com/FerretDB/FerretDB/internal/handler/common"
	"github.com/FerretDB/FerretDB/internal/types"
	"github.com/FerretDB/FerretDB/internal/util/iterator"
)

// exactFields returns the top-level fields a find with this projection, filter and sort reads: the projection's
// included fields (first path element), every field the filter names (inside $and, $or and $nor too), the sort's
// fields and _id. It returns nil — decode everything — unless the projection is a plain inclusion (values true
// or non-zero numbers, _id may be excluded) with no operator or positional path, and the filter holds no other
// operator at its top level ($expr, $where, $text … may read any field).
func exactFields(projection, filter, sort *types.Document) []string {
	if projection.Len() == 0 {
		return nil
	}

	set := map[string]struct{}{"_id": {}}
	included := false

	keys, values := projection.Keys(), projection.Values()
	for i, k := range keys {
		if k == "" || strings.ContainsAny(k, "$") {
			return nil
		}

		var on bool

		switch v := values[i].(type) {
		case bool:
			on = v
		case int32:
			on = v != 0
		case int64:
			on = v != 0
		case float64:
			if math.IsNaN(v) {
				return nil
			}

			on = v != 0
		default:
			return nil
		}

		if !on {
			if k == "_id" {
				continue
			}

			return nil
		}

		included = true
		set[firstPathElement(k)] = struct{}{}
	}

	if !included || !exactFilterFields(filter, set) {
		return nil
	}

	for _, k := range sort.Keys() {
		if k == "" || strings.HasPrefix(k, "$") {
			return nil
		}

		set[firstPathElement(k)] = struct{}{}
	}

	res := make([]string, 0, len(set))
	for k := range set {
		res = append(res, k)
	}

	return res
}

// exactFilterFields adds the top-level fields filter names to set; false for an operator that may read others.
func exactFilterFields(filter *types.Document, set map[string]struct{}) bool {
	keys, values := filter.Keys(), filter.Values()
	for i, k := range keys {
		switch {
		case k == "$and" || k == "$or" || k == "$nor":
			arr, ok := values[i].(*types.Array)
			if !ok {
				return false
			}

			for j := 0; j < arr.Len(); j++ {
				v, _ := arr.Get(j)

				d, ok := v.(*types.Document)
				if !ok || !exactFilterFields(d, set) {
					return false
				}
			}
		case k == "$comment":
		case k == "" || strings.HasPrefix(k, "$"):
			return false
		default:
			set[firstPathElement(k)] = struct{}{}
		}
	}

	return true
}

// exactProjectionDone stands for a projection the backend already applied: makeFindIter adds no projection step.
var exactProjectionDone = types.MakeDocument(0)

// exactProjectionCovered reports whether a backend that decodes only exactFields(projection, filter, sort) returns
// each document exactly as the projection makes it: a top-level inclusion keeping _id whose fields hold every
// field the filter and the sort read.
func exactProjectionCovered(projection, filter, sort *types.Document) bool {
	fields := exactFields(projection, filter, sort)
	if fields == nil {
		return false
	}

	if v, err := projection.Get("_id"); err == nil {
		switch v := v.(type) {
		case bool:
			if !v {
				return false
			}
		case int32, int64, float64:
			if v == int32(0) || v == int64(0) || v == float64(0) {
				return false
			}
		}
	}

	for _, k := range projection.Keys() {
		if strings.Contains(k, ".") {
			return false
		}
	}

	for _, f := range fields {
		if f != "_id" && !projection.Has(f) {
			return false
		}
	}

	return true
}

// makeExactFindIter is makeFindIter without the projection step when the backend returned the projected
// documents itself (the fields it decoded are exactly the projection's).
func (h *Handler) makeExactFindIter(res *backends.QueryResult, closer *iterator.MultiCloser, params *common.FindParams) (types.DocumentsIterator, error) {
	if !res.ExactFieldsApplied || !exactProjectionCovered(params.Projection, params.Filter, params.Sort) {
		return h.makeFindIter(res.Iter, closer, params)
	}

	p := *params
	p.Projection = exactProjectionDone

	return h.makeFindIter(res.Iter, closer, &p)
}

func firstPathElement(k string) string {
	first, _, _ := strings.Cut(k, ".")
	return first
}
`;

export const EXACT_FIELDS_SQLITE_GO = String.raw`// Tongbiao patch (scripts/embedded/ferretdb-exact-go-fields.ts): a query iterator that decodes some fields.

package sqlite

import (
	"context"

	"github.com/FerretDB/FerretDB/internal/handler/sjson"
	"github.com/FerretDB/FerretDB/internal/types"
	"github.com/FerretDB/FerretDB/internal/util/fsql"
)

// newFieldsQueryIterator is newQueryIterator decoding only the top-level fields named (all when none are).
func newFieldsQueryIterator(ctx context.Context, rows *fsql.Rows, onlyRecordIDs bool, fields []string) types.DocumentsIterator {
	iter := newQueryIterator(ctx, rows, onlyRecordIDs)

	if len(fields) == 0 {
		return iter
	}

	keep := make(map[string]struct{}, len(fields))
	for _, f := range fields {
		keep[f] = struct{}{}
	}

	qi := iter.(*queryIterator)
	qi.keep = keep
	qi.cache = sjson.NewFieldsCache()

	return iter
}
`;
