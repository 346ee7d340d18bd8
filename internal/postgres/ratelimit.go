package postgres

import (
	"context"
	"fmt"
	"sync/atomic"
)

// takeSQL takes one token from a bucket in one statement: it refills the bucket for the time since
// it was last touched (at most to burst), takes a token when there is a whole one, and says whether
// it did. Concurrent takes of one bucket queue on its row, so no two processes spend the same token.
const takeSQL = `
	INSERT INTO rate_buckets AS b (key, tokens, burst, per_second, updated_at, allowed)
	VALUES ($1, $3::int - 1, $3::int, $2::float8, now(), true)
	ON CONFLICT (key) DO UPDATE SET
		allowed = least($3::float8, b.tokens + greatest(0, extract(epoch FROM now() - b.updated_at)) * $2::float8) >= 1,
		tokens = least($3::float8, b.tokens + greatest(0, extract(epoch FROM now() - b.updated_at)) * $2::float8)
			- CASE WHEN least($3::float8, b.tokens + greatest(0, extract(epoch FROM now() - b.updated_at)) * $2::float8) >= 1
				THEN 1 ELSE 0 END,
		burst = $3::int, per_second = $2::float8, updated_at = greatest(b.updated_at, now())
	RETURNING allowed`

// sweepEvery is how many takes pass between deletions of refilled buckets.
const sweepEvery = 1000

var takes atomic.Uint64

// TakeToken takes one request's token from the rate-limit bucket key, which refills at perSecond up
// to burst, and reports whether there was one. Every process on the database shares the buckets.
func (db *DB) TakeToken(ctx context.Context, key string, perSecond float64, burst int) (bool, error) {
	if perSecond <= 0 || burst < 1 {
		return true, nil
	}
	var allowed bool
	if err := db.queryRow(ctx, takeSQL, key, perSecond, burst).Scan(&allowed); err != nil {
		return false, fmt.Errorf("postgres: rate limit: %w", err)
	}
	if takes.Add(1)%sweepEvery == 0 {
		// Buckets that have refilled since are the same as none.
		if _, err := db.exec(ctx, `DELETE FROM rate_buckets
			WHERE updated_at + make_interval(secs => (burst - tokens) / per_second) < now()`); err != nil {
			db.logger.WarnContext(ctx, "sweeping refilled rate-limit buckets", "error", err)
		}
	}
	return allowed, nil
}
