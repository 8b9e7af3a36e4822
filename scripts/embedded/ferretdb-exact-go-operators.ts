// The Go source of two files the patch set adds to FerretDB's source tree (ferretdb-exact-pushdown.ts): the
// operators of the exact pushdown (internal/backends/sqlite/exact_operators.go) and the field expression shared
// by the pushdown and the indexes (internal/backends/sqlite/metadata/exact_expr.go).

export const EXACT_OPERATORS_GO = String.raw`// Tongbiao patch (scripts/embedded/ferretdb-exact-go-operators.ts): the operators of the exact pushdown
// (see exact_pushdown.go): one field's condition, written on its json_extract expression with bound args.

package sqlite

import (
	"math"
	"strings"
	"time"

	"github.com/FerretDB/FerretDB/internal/backends/sqlite/metadata"
	"github.com/FerretDB/FerretDB/internal/types"
)

// field translates the condition on a field other than _id.
func (b *exactBuilder) field(path, expr string, v any) (string, bool) {
	if d, ok := v.(*types.Document); ok {
		ops, isOps := operators(d)
		if !isOps || !uniqueKeys(ops) {
			return "", false // equality with an embedded document, or a mix of operators and fields
		}

		parts := make([]string, 0, ops.Len())

		for _, op := range ops.Keys() {
			arg, _ := ops.Get(op)

			var cond string
			var ok bool

			if op == "$exists" {
				cond, ok = existsCond(path, arg)
			} else {
				cond, ok = b.operator(op, expr, arg)
			}

			if !ok {
				return "", false
			}

			parts = append(parts, cond)
		}

		return "(" + strings.Join(parts, " AND ") + ")", true
	}

	return b.operator("$eq", expr, v)
}

// existsCond translates $exists with a bool: json_type is NULL only for a missing path.
func existsCond(path string, arg any) (string, bool) {
	want, ok := arg.(bool)
	if !ok {
		return "", false
	}

	expr, _ := metadata.ExactFieldExpr(path)
	typeExpr := "json_type(" + strings.TrimPrefix(expr, "json_extract(")

	if want {
		return typeExpr + " IS NOT NULL", true
	}

	return typeExpr + " IS NULL", true
}

// operator translates one comparison operator on the expression.
func (b *exactBuilder) operator(op, expr string, arg any) (string, bool) {
	switch op {
	case "$eq", "$ne":
		val, isNull, ok := scalar(arg)
		if !ok {
			return "", false
		}

		switch {
		case op == "$eq" && isNull:
			return expr + " IS NULL", true
		case op == "$ne" && isNull:
			return expr + " IS NOT NULL", true
		case op == "$eq":
			b.args = append(b.args, val)
			return expr + " = ?", true
		default:
			// SQLite's IS NOT is true for a NULL (missing or null field), as $ne is.
			b.args = append(b.args, val)
			return expr + " IS NOT ?", true
		}

	case "$gt", "$gte", "$lt", "$lte":
		val, isNull, ok := scalar(arg)
		if !ok || isNull {
			return "", false
		}

		sqlOp := map[string]string{"$gt": ">", "$gte": ">=", "$lt": "<", "$lte": "<="}[op]
		b.args = append(b.args, val)
		cond := expr + " " + sqlOp + " ?"

		// SQLite orders numbers before text; MongoDB compares only within a type. Bound the other side
		// so a number never matches a string range or the reverse (still an index range).
		if _, isString := val.(string); isString {
			if op == "$lt" || op == "$lte" {
				cond += " AND " + expr + " >= ''"
			}
		} else if op == "$gt" || op == "$gte" {
			cond += " AND " + expr + " < ''"
		}

		return "(" + cond + ")", true

	case "$in", "$nin":
		arr, ok := arg.(*types.Array)
		if !ok {
			return "", false
		}

		var hasNull bool
		marks := make([]string, 0, arr.Len())

		for i := 0; i < arr.Len(); i++ {
			e, _ := arr.Get(i)

			val, isNull, ok := scalar(e)
			if !ok {
				return "", false
			}

			if isNull {
				hasNull = true
				continue
			}

			marks = append(marks, "?")
			b.args = append(b.args, val)
		}

		in := "0"
		if len(marks) > 0 {
			in = expr + " IN (" + strings.Join(marks, ", ") + ")"
		}

		switch {
		case op == "$in" && hasNull:
			return "(" + expr + " IS NULL OR " + in + ")", true
		case op == "$in":
			return in, true
		case hasNull:
			return "(" + expr + " IS NOT NULL AND NOT (" + in + "))", true
		default:
			return "(" + expr + " IS NULL OR NOT (" + in + "))", true
		}

	default:
		return "", false
	}
}

// scalar returns the SQL value json_extract yields for a value of a supported type (sjson stores dates as
// milliseconds, bools as JSON true/false which json_extract gives as 1/0), or isNull for null.
func scalar(v any) (val any, isNull, ok bool) {
	switch v := v.(type) {
	case string:
		return v, false, true
	case bool:
		if v {
			return int64(1), false, true
		}

		return int64(0), false, true
	case int32:
		return int64(v), false, true
	case int64:
		return v, false, true
	case float64:
		if math.IsNaN(v) || math.IsInf(v, 0) {
			return nil, false, false
		}

		return v, false, true
	case time.Time:
		return v.UnixMilli(), false, true
	case types.NullType:
		return nil, true, true
	default:
		return nil, false, false
	}
}
`;

export const EXACT_EXPR_GO = String.raw`// Tongbiao patch (scripts/embedded/ferretdb-exact-go-operators.ts): the SQL expression of a document field for the
// exact pushdown and for the indexes, so SQLite's planner sees the same expression in both places.

package metadata

import (
	"strings"
)

// ExactFieldExpr returns json_extract(_ferretdb_sjson, '$."a"."b"') for the dotted path "a.b".
// It returns false for a path that cannot be written as a quoted JSON path: an empty segment, a segment
// starting with '$', all digits (an array index to MongoDB), or holding '"', '\' or a control character.
func ExactFieldExpr(path string) (string, bool) {
	segments := strings.Split(path, ".")
	var b strings.Builder

	b.WriteString("json_extract(")
	b.WriteString(DefaultColumn)
	b.WriteString(", '$")

	for _, s := range segments {
		if s == "" || strings.HasPrefix(s, "$") || strings.ContainsAny(s, "\"\\") {
			return "", false
		}

		digits := true

		for _, r := range s {
			if r < 0x20 || r == 0x7f {
				return "", false
			}

			if r < '0' || r > '9' {
				digits = false
			}
		}

		if digits {
			return "", false
		}

		b.WriteString(".\"")
		b.WriteString(strings.ReplaceAll(s, "'", "''"))
		b.WriteString("\"")
	}

	b.WriteString("')")

	return b.String(), true
}
`;
