package main

import (
	"context"
	"testing"

	"github.com/jackc/pgx/v5"
)

// mustExec runs sql on the database at url.
func mustExec(t *testing.T, url, sql string) bool {
	t.Helper()
	conn, err := pgx.Connect(context.Background(), url)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(context.Background())
	if _, err := conn.Exec(context.Background(), sql); err != nil {
		t.Fatal(err)
	}
	return true
}
