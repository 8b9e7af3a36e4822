// The Go source of two files the patch set adds to FerretDB's source tree (ferretdb-exact-pushdown.ts): the
// count command with the exact-pushdown comment counts in SQL (internal/backends/exact_count.go declares the
// optional ExactCounter, internal/backends/sqlite/exact_count.go runs SELECT COUNT(*) … WHERE …).

export const EXACT_COUNT_BACKENDS_GO = String.raw`// Tongbiao patch (scripts/embedded/ferretdb-exact-go-count.ts): the count command with the exact-pushdown
// comment asks the backend to count the filter's documents itself, without reading them.

package backends

import (
	"context"

	"github.com/FerretDB/FerretDB/internal/types"
)

// ExactCounter is a Collection that can count the documents matching a whole filter in its store.
//
// ExactCount returns false (and no error) when it cannot translate the whole filter; the caller then counts
// the stock way. The caller promises, as with ExactPushdownComment, scalar single-typed fields.
type ExactCounter interface {
	ExactCount(ctx context.Context, filter *types.Document) (int64, bool, error)
}

// ExactCount implements ExactCounter when the wrapped collection does, and returns false otherwise.
func (cc *collectionContract) ExactCount(ctx context.Context, filter *types.Document) (int64, bool, error) {
	ec, ok := cc.c.(ExactCounter)
	if !ok {
		return 0, false, nil
	}

	n, done, err := ec.ExactCount(ctx, filter)
	checkError(err)

	return n, done, err
}
`;

export const EXACT_COUNT_SQLITE_GO = String.raw`// Tongbiao patch (scripts/embedded/ferretdb-exact-go-count.ts): SELECT COUNT(*) … WHERE … for a count command
// with the exact-pushdown comment whose whole filter translates (exact_pushdown.go).

package sqlite

import (
	"context"
	"fmt"

	"github.com/FerretDB/FerretDB/internal/types"
	"github.com/FerretDB/FerretDB/internal/util/lazyerrors"
)

// ExactCount implements backends.ExactCounter interface.
func (c *collection) ExactCount(ctx context.Context, filter *types.Document) (int64, bool, error) {
	eq, ok := exactPushdown(filter, nil)
	if !ok {
		return 0, false, nil
	}

	db := c.r.DatabaseGetExisting(ctx, c.dbName)
	if db == nil {
		return 0, true, nil
	}

	meta := c.r.CollectionGet(ctx, c.dbName, c.name)
	if meta == nil {
		return 0, true, nil
	}

	q := fmt.Sprintf("SELECT COUNT(*) FROM %q", meta.TableName) + eq.where

	var n int64
	if err := db.QueryRowContext(ctx, q, eq.args...).Scan(&n); err != nil {
		return 0, false, lazyerrors.Error(err)
	}

	return n, true, nil
}
`;
