package postgres

import (
	"context"

	"github.com/interviewcoach/coach/internal/coach"
)

// SearchSQL and NearestQuestionsSQL expose the vector queries' text to the plan test.
var (
	SearchSQL           = searchSQL
	SearchOwnSQL        = searchOwnSQL
	NearestQuestionsSQL = nearestQuestionsSQL
	EfSearch            = efSearch
	DuplicatesSQL       = duplicatesSQL
)

// Exec runs statements on one connection of the pool, for tests that shape the data or the session.
func (db *DB) Exec(ctx context.Context, sql string, args ...any) error {
	_, err := db.pool.Exec(ctx, sql, args...)
	return err
}

// Plans returns what EXPLAIN says of sql, run with args in a session where sessionSQL ran first.
func (db *DB) Plans(ctx context.Context, sessionSQL []string, sql string, args ...any) (string, error) {
	conn, err := db.pool.Acquire(ctx)
	if err != nil {
		return "", err
	}
	defer conn.Release()
	for _, s := range sessionSQL {
		if _, err := conn.Exec(ctx, s); err != nil {
			return "", err
		}
	}
	rows, err := conn.Query(ctx, "EXPLAIN "+sql, args...)
	if err != nil {
		return "", err
	}
	defer rows.Close()
	var plan string
	for rows.Next() {
		var line string
		if err := rows.Scan(&line); err != nil {
			return "", err
		}
		plan += line + "\n"
	}
	return plan, rows.Err()
}

// RelationSizes returns the size of table's own pages and of its TOAST table, in bytes.
func (db *DB) RelationSizes(ctx context.Context, table string) (heap, toast int64, err error) {
	err = db.pool.QueryRow(ctx, `
		SELECT pg_relation_size(c.oid), coalesce(pg_relation_size(nullif(c.reltoastrelid, 0)), 0)
		FROM pg_class c WHERE c.oid = to_regclass($1)`, table).Scan(&heap, &toast)
	return heap, toast, err
}

// HybridSearchWith is HybridSearchMode with the share of passages above which a word is left out
// of the full-text half (1: none) and whether that half joins every match to its source before
// ranking (as before both), for measuring.
func (db *DB) HybridSearchWith(ctx context.Context, mode HybridMode, common float64, eagerJoins bool, model, query string, vec []float32, k int, kind, topic string) ([]coach.SearchResult, error) {
	return db.hybridSearch(ctx, mode, common, eagerJoins, model, query, vec, k, kind, topic)
}
