// The Go source of internal/backends/sqlite/exact_pushdown.go, a file the patch set adds to FerretDB's source
// tree (ferretdb-exact-pushdown.ts): the translation of a find's whole filter and sort into SQLite's WHERE and
// ORDER BY for the opt-in exact pushdown. Kept as text here because the install copies and patches the module.

export const EXACT_PUSHDOWN_GO = String.raw`// Tongbiao patch (scripts/embedded/ferretdb-exact-go-query.ts): the exact pushdown of a find's filter, sort and
// limit to SQLite. The handler hands them over only when the command's comment is
// backends.ExactPushdownComment, the client's promise that every field named holds one scalar type (never
// an array) in every document. Either the whole filter and the whole sort translate, or nothing of them is
// used (the stock query runs), so results are never wrong; the handler still filters, sorts and limits.

package sqlite

import (
	"strings"

	"github.com/FerretDB/FerretDB/internal/backends/sqlite/metadata"
	"github.com/FerretDB/FerretDB/internal/handler/sjson"
	"github.com/FerretDB/FerretDB/internal/types"
)

// exactQuery is the translated WHERE and ORDER BY clauses (each with its leading space, or empty) and args.
type exactQuery struct {
	where   string
	orderBy string
	args    []any
}

// exactPushdown translates the filter and the sort; false when any part of either is not supported.
func exactPushdown(filter, sort *types.Document) (*exactQuery, bool) {
	b := &exactBuilder{}
	res := new(exactQuery)

	if filter.Len() > 0 {
		cond, ok := b.document(filter)
		if !ok {
			return nil, false
		}

		res.where = " WHERE " + cond
	}

	if sort.Len() > 0 {
		if !uniqueKeys(sort) {
			return nil, false
		}

		terms := make([]string, 0, sort.Len())

		for _, k := range sort.Keys() {
			expr, ok := metadata.ExactFieldExpr(k)
			if !ok {
				return nil, false
			}

			v, _ := sort.Get(k)
			switch v {
			case int64(1):
			case int64(-1):
				expr += " DESC"
			default:
				return nil, false
			}

			terms = append(terms, expr)
		}

		res.orderBy = " ORDER BY " + strings.Join(terms, ", ")
	}

	res.args = b.args

	return res, true
}

// exactBuilder collects the args of the conditions it writes.
type exactBuilder struct {
	args []any
}

func uniqueKeys(doc *types.Document) bool {
	keys := doc.Keys()
	seen := make(map[string]struct{}, len(keys))

	for _, k := range keys {
		if _, ok := seen[k]; ok {
			return false
		}

		seen[k] = struct{}{}
	}

	return true
}

// document translates a filter document: the conjunction of its keys.
func (b *exactBuilder) document(doc *types.Document) (string, bool) {
	if doc.Len() == 0 {
		return "1", true
	}

	if !uniqueKeys(doc) {
		return "", false
	}

	parts := make([]string, 0, doc.Len())

	for _, k := range doc.Keys() {
		v, _ := doc.Get(k)

		var cond string
		var ok bool

		switch {
		case k == "$and" || k == "$or":
			cond, ok = b.logical(k, v)
		case k == "_id":
			cond, ok = b.id(v)
		default:
			expr, valid := metadata.ExactFieldExpr(k)
			if !valid {
				return "", false
			}

			cond, ok = b.field(k, expr, v)
		}

		if !ok {
			return "", false
		}

		parts = append(parts, cond)
	}

	return "(" + strings.Join(parts, " AND ") + ")", true
}

// logical translates $and and $or: a non-empty array of filter documents.
func (b *exactBuilder) logical(op string, v any) (string, bool) {
	arr, ok := v.(*types.Array)
	if !ok || arr.Len() == 0 {
		return "", false
	}

	parts := make([]string, 0, arr.Len())

	for i := 0; i < arr.Len(); i++ {
		e, _ := arr.Get(i)

		d, ok := e.(*types.Document)
		if !ok {
			return "", false
		}

		cond, ok := b.document(d)
		if !ok {
			return "", false
		}

		parts = append(parts, cond)
	}

	sep := " AND "
	if op == "$or" {
		sep = " OR "
	}

	return "(" + strings.Join(parts, sep) + ")", true
}

// id translates a condition on _id, whose values must be strings: equality and $in use the _id index's own
// expression (metadata.IDColumn, the value as sjson); other operators the path expression.
func (b *exactBuilder) id(v any) (string, bool) {
	expr, _ := metadata.ExactFieldExpr("_id")

	ops, isOps := operators(v)
	if !isOps {
		ops = must1("$eq", v)
	}

	if !uniqueKeys(ops) {
		return "", false
	}

	parts := make([]string, 0, ops.Len())

	for _, op := range ops.Keys() {
		arg, _ := ops.Get(op)

		switch op {
		case "$eq":
			s, ok := arg.(string)
			if !ok {
				return "", false
			}

			parts = append(parts, metadata.IDColumn+" = ?")
			b.args = append(b.args, sjsonString(s))

		case "$in":
			arr, ok := arg.(*types.Array)
			if !ok {
				return "", false
			}

			marks := make([]string, 0, arr.Len())

			for i := 0; i < arr.Len(); i++ {
				e, _ := arr.Get(i)

				s, ok := e.(string)
				if !ok {
					return "", false
				}

				marks = append(marks, "?")
				b.args = append(b.args, sjsonString(s))
			}

			if len(marks) == 0 {
				parts = append(parts, "0")
				continue
			}

			parts = append(parts, metadata.IDColumn+" IN ("+strings.Join(marks, ", ")+")")

		case "$exists":
			return "", false

		default:
			if !stringArgs(arg) {
				return "", false
			}

			cond, ok := b.operator(op, expr, arg)
			if !ok {
				return "", false
			}

			parts = append(parts, cond)
		}
	}

	return "(" + strings.Join(parts, " AND ") + ")", true
}

func stringArgs(arg any) bool {
	if arr, ok := arg.(*types.Array); ok {
		for i := 0; i < arr.Len(); i++ {
			e, _ := arr.Get(i)
			if _, ok := e.(string); !ok {
				return false
			}
		}

		return true
	}

	_, ok := arg.(string)

	return ok
}

func sjsonString(s string) string {
	b, err := sjson.MarshalSingleValue(s)
	if err != nil {
		panic(err)
	}

	return string(b)
}

func must1(k string, v any) *types.Document {
	d, err := types.NewDocument(k, v)
	if err != nil {
		panic(err)
	}

	return d
}

// operators returns v as a document of operators when every key of a non-empty document starts with '$'.
func operators(v any) (*types.Document, bool) {
	d, ok := v.(*types.Document)
	if !ok || d.Len() == 0 {
		return nil, false
	}

	for _, k := range d.Keys() {
		if !strings.HasPrefix(k, "$") {
			return nil, false
		}
	}

	return d, true
}
`;
