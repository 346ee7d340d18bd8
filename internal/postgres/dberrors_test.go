package postgres_test

import (
	"context"
	"strings"
	"testing"

	"github.com/interviewcoach/coach/internal/coach"
	"github.com/interviewcoach/coach/internal/postgres"
	"github.com/interviewcoach/coach/internal/postgres/pgtest"
)

// TestDatabaseGoneIsUnavailable cuts the connection to the database under a store: reads, writes and
// transactions fail with EUNAVAILABLE and a message users can act on, nothing is half-written, and the
// store recovers by itself once the database is back.
func TestDatabaseGoneIsUnavailable(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	_, url := pgtest.NewWithURL(t)
	proxy, proxied := pgtest.NewProxy(t, url)
	db, err := postgres.Open(ctx, proxied, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if _, err := db.SaveReference(ctx, record(1, "m", 4)); err != nil {
		t.Fatal(err)
	}
	attempt := func(id string) *coach.Attempt {
		return &coach.Attempt{ID: id, QuestionID: "q-1", Question: "Question number 1?", Answer: "an answer",
			Score: 42, Band: coach.BandWeak, Grader: coach.GraderInfo{Kind: coach.GraderOffline}}
	}
	if err := db.CreateAttempt(ctx, attempt("a-before")); err != nil {
		t.Fatal(err)
	}

	proxy.Cut()
	unavailable := func(what string, err error) {
		t.Helper()
		if coach.ErrorCode(err) != coach.EUNAVAILABLE || !strings.Contains(coach.ErrorMessage(err), "database is unavailable") {
			t.Errorf("%s with the database gone: code %q, err %v", what, coach.ErrorCode(err), err)
		}
	}
	_, err = db.Question(ctx, "q-1")
	unavailable("read", err)
	unavailable("write", db.CreateAttempt(ctx, attempt("a-during")))
	_, err = db.SaveReference(ctx, record(2, "m", 4))
	unavailable("transaction", err)
	_, _, err = db.Questions(ctx, coach.QuestionFilter{Limit: 10})
	unavailable("query", err)
	if err := db.Ping(ctx); coach.ErrorCode(err) != coach.EUNAVAILABLE {
		t.Errorf("ping: %v", err)
	}

	proxy.Restore()
	if _, err := db.Question(ctx, "q-1"); err != nil {
		t.Fatalf("after the database came back: %v", err)
	}
	if err := db.CreateAttempt(ctx, attempt("a-after")); err != nil {
		t.Fatal(err)
	}
	for id, want := range map[string]bool{"a-before": true, "a-during": false, "a-after": true} {
		a, err := db.Attempt(ctx, id)
		switch {
		case want && (err != nil || a.Score != 42 || a.Answer != "an answer"):
			t.Errorf("attempt %s: %+v %v", id, a, err)
		case !want && coach.ErrorCode(err) != coach.ENOTFOUND:
			t.Errorf("attempt %s was stored while the database was gone: %v", id, err)
		}
	}
	if _, err := db.Question(ctx, "q-2"); coach.ErrorCode(err) != coach.ENOTFOUND {
		t.Errorf("a transaction cut short left question q-2: %v", err)
	}
	// Errors of the store's own making keep their code.
	if _, err := db.Question(ctx, "q-missing"); coach.ErrorCode(err) != coach.ENOTFOUND {
		t.Errorf("missing question: %v", err)
	}
}
