// Package pgtest gives tests a migrated PostgreSQL store of their own.
package pgtest

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"net/url"
	"os"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/interviewcoach/coach/internal/postgres"
)

// DefaultURL is the database tests use when TEST_DATABASE_URL is unset: the one `make db` creates.
const DefaultURL = "postgres://coach:coach@localhost:5432/coach_test?sslmode=disable"

// URL returns the test database's address.
func URL() string {
	if u := os.Getenv("TEST_DATABASE_URL"); u != "" {
		return u
	}
	return DefaultURL
}

// New returns a store on a fresh schema of the test database, migrated, and dropped when the test
// ends. Tests using it may run in parallel: each sees only its own schema.
func New(t testing.TB) *postgres.DB {
	t.Helper()
	db, _ := NewWithURL(t)
	return db
}

// NewWithURL is New that also returns the address of the schema, for code under test that opens its
// own connections (such as the whole program).
func NewWithURL(t testing.TB) (*postgres.DB, string) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()

	admin, err := pgx.Connect(ctx, URL())
	if err != nil {
		t.Fatalf("pgtest: connect to %s (run `make db`, or set TEST_DATABASE_URL): %v", URL(), err)
	}
	defer admin.Close(ctx)
	schema := "test_" + randomHex(8)
	if _, err := admin.Exec(ctx, "CREATE SCHEMA "+schema); err != nil {
		t.Fatalf("pgtest: create schema: %v", err)
	}
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		conn, err := pgx.Connect(ctx, URL())
		if err != nil {
			t.Errorf("pgtest: drop schema: %v", err)
			return
		}
		defer conn.Close(ctx)
		if _, err := conn.Exec(ctx, "DROP SCHEMA "+schema+" CASCADE"); err != nil {
			t.Errorf("pgtest: drop schema: %v", err)
		}
	})

	u, err := url.Parse(URL())
	if err != nil {
		t.Fatalf("pgtest: parse TEST_DATABASE_URL: %v", err)
	}
	q := u.Query()
	q.Set("search_path", schema+",public")
	u.RawQuery = q.Encode()

	db, err := postgres.Open(ctx, u.String(), nil)
	if err != nil {
		t.Fatalf("pgtest: open: %v", err)
	}
	t.Cleanup(db.Close)
	if _, _, err := db.Migrate(ctx); err != nil {
		t.Fatalf("pgtest: migrate: %v", err)
	}
	return db, u.String()
}

func randomHex(n int) string {
	b := make([]byte, n)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}
