package postgres

import (
	"context"
	"os"
	"slices"
	"strconv"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
)

func TestKeyBuckets(t *testing.T) {
	t.Parallel()
	keys := make([]string, 50_000)
	for i := range keys {
		keys[i] = "key " + strconv.Itoa(i)
	}
	b := keyBuckets(keys)
	if len(b) != lockBuckets || !slices.IsSorted(b) || b[0] != 0 || b[len(b)-1] != lockBuckets-1 {
		t.Errorf("keyBuckets of %d keys: %d buckets from %d to %d, want the %d buckets ascending",
			len(keys), len(b), b[0], b[len(b)-1], lockBuckets)
	}
	if a, c := keyBuckets([]string{"same", "same"}), keyBuckets([]string{"same"}); !slices.Equal(a, c) || len(a) != 1 {
		t.Errorf("keyBuckets of one key twice = %v, of it once = %v; want one bucket, the same", a, c)
	}
}

// A transaction that imports a big file locks its references and questions by bucket: 40,000 keys
// take at most 2 × lockBuckets locks, where one lock a key ran PostgreSQL's shared lock table out
// ("out of shared memory") after some 6,000 questions.
func TestLockKeysIsBounded(t *testing.T) {
	url := os.Getenv("TEST_DATABASE_URL")
	if url == "" {
		t.Skip("TEST_DATABASE_URL not set")
	}
	ctx := context.Background()
	conn, err := pgx.Connect(ctx, url)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(ctx)
	tx, err := conn.Begin(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer tx.Rollback(ctx) //nolint:errcheck // a rollback after the checks
	// A schema of its own, gone with the rollback: the locks are the schema's.
	schema := "test_locks_" + strconv.FormatInt(time.Now().UnixNano(), 36)
	if _, err := tx.Exec(ctx, `CREATE SCHEMA `+schema+`; SET LOCAL search_path = `+schema); err != nil {
		t.Fatal(err)
	}
	for _, kind := range []string{"reference", "question"} {
		keys := make([]string, 20_000)
		for i := range keys {
			keys[i] = kind + " " + strconv.Itoa(i)
		}
		// Twice, as two batches of one file would: the second takes no new lock.
		for range 2 {
			if err := lockKeys(ctx, tx, kind, keys); err != nil {
				t.Fatalf("lock %d %s keys: %v", len(keys), kind, err)
			}
		}
	}
	var held int
	if err := tx.QueryRow(ctx, `SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND pid = pg_backend_pid()`).Scan(&held); err != nil {
		t.Fatal(err)
	}
	if held != 2*lockBuckets {
		t.Errorf("the transaction holds %d advisory locks for 40,000 keys, want %d", held, 2*lockBuckets)
	}
}
