package postgres_test

import (
	"context"
	"crypto/sha256"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/interviewcoach/coach/internal/coach"
	"github.com/interviewcoach/coach/internal/postgres/pgtest"
)

func TestAPIKeys(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db := pgtest.New(t)
	hash := sha256.Sum256([]byte("coach_key"))
	k := &coach.APIKey{ID: "0123456789ab", Name: "Ada", Role: coach.RoleInterviewer, Hash: hash[:]}
	if err := db.CreateAPIKey(ctx, k); err != nil || k.CreatedAt.IsZero() {
		t.Fatalf("CreateAPIKey: %v, created %v", err, k.CreatedAt)
	}
	if err := db.CreateAPIKey(ctx, &coach.APIKey{ID: "x", Name: "Bad", Role: "root", Hash: hash[:]}); err == nil {
		t.Error("a key of an unknown role was stored")
	}
	got, err := db.APIKey(ctx, k.ID)
	if err != nil || got.Name != "Ada" || got.Role != coach.RoleInterviewer || string(got.Hash) != string(hash[:]) || got.RevokedAt != nil {
		t.Fatalf("APIKey = %+v, %v", got, err)
	}
	if _, err := db.APIKey(ctx, "nope"); coach.ErrorCode(err) != coach.ENOTFOUND {
		t.Errorf("unknown key: %v", err)
	}
	first, err := db.RevokeAPIKey(ctx, k.ID)
	if err != nil || first.RevokedAt == nil {
		t.Fatalf("RevokeAPIKey = %+v, %v", first, err)
	}
	again, err := db.RevokeAPIKey(ctx, k.ID)
	if err != nil || !again.RevokedAt.Equal(*first.RevokedAt) {
		t.Errorf("revoking twice moved the revocation time: %v then %v (%v)", first.RevokedAt, again.RevokedAt, err)
	}
	if _, err := db.RevokeAPIKey(ctx, "nope"); coach.ErrorCode(err) != coach.ENOTFOUND {
		t.Errorf("revoking an unknown key: %v", err)
	}
	list, err := db.APIKeys(ctx)
	if err != nil || len(list) != 1 || list[0].RevokedAt == nil {
		t.Errorf("APIKeys = %+v, %v", list, err)
	}
}

func TestPurgeAndDeletes(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db, url := pgtest.NewWithURL(t)
	for n := 1; n <= 2; n++ {
		if _, err := db.SaveReference(ctx, record(n, "m", 4)); err != nil {
			t.Fatal(err)
		}
	}
	hash := sha256.Sum256([]byte("token"))
	for _, id := range []string{"s-old", "s-mixed", "s-new", "s-old-empty"} {
		if err := db.CreateSession(ctx, &coach.Session{ID: id, TokenHash: hash[:]}); err != nil {
			t.Fatal(err)
		}
	}
	for _, a := range []*coach.Attempt{
		{ID: "a-old-1", SessionID: "s-old", QuestionID: "q-1", Question: "Q?", Answer: "x"},
		{ID: "a-old-2", SessionID: "s-mixed", QuestionID: "q-1", Question: "Q?", Answer: "x"},
		{ID: "a-new-1", SessionID: "s-mixed", QuestionID: "q-2", Question: "Q?", Answer: "x"},
		{ID: "a-new-2", SessionID: "s-new", Question: "Q?", Answer: "x"},
		{ID: "a-old-free", QuestionID: "q-2", Question: "Q?", Answer: "x"},
	} {
		if err := db.CreateAttempt(ctx, a); err != nil {
			t.Fatal(err)
		}
	}
	conn, err := pgx.Connect(ctx, url)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(ctx)
	exec := func(sql string) {
		t.Helper()
		if _, err := conn.Exec(ctx, sql); err != nil {
			t.Fatal(err)
		}
	}
	count := func(sql string) int {
		t.Helper()
		var n int
		if err := conn.QueryRow(ctx, sql).Scan(&n); err != nil {
			t.Fatal(err)
		}
		return n
	}
	exec(`UPDATE attempts SET created_at = now() - interval '100 days' WHERE id LIKE 'a-old%'`)
	exec(`UPDATE sessions SET created_at = now() - interval '100 days' WHERE id IN ('s-old', 's-mixed', 's-old-empty')`)

	sum, err := db.Purge(ctx, time.Now().Add(-90*24*time.Hour))
	if err != nil {
		t.Fatal(err)
	}
	// Three old attempts; s-old is left empty and s-old-empty always was; s-mixed keeps its new
	// attempt and s-new is young.
	if sum.Attempts != 3 || sum.Sessions != 2 {
		t.Errorf("purge = %+v, want 3 attempts and 2 sessions", sum)
	}
	if n := count(`SELECT count(*) FROM attempts WHERE id LIKE 'a-old%'`); n != 0 {
		t.Errorf("%d old attempts remain", n)
	}
	if n := count(`SELECT count(*) FROM sessions WHERE id IN ('s-mixed', 's-new')`); n != 2 {
		t.Errorf("%d of the sessions with recent attempts remain, want 2", n)
	}
	if sum, err := db.Purge(ctx, time.Now().Add(-90*24*time.Hour)); err != nil || sum.Attempts != 0 || sum.Sessions != 0 {
		t.Errorf("second purge = %+v, %v", sum, err)
	}

	// Deleting a session takes its attempts; deleting a question leaves attempts at it.
	if err := db.DeleteSession(ctx, "s-mixed"); err != nil {
		t.Fatal(err)
	}
	if n := count(`SELECT count(*) FROM attempts WHERE id = 'a-new-1'`); n != 0 {
		t.Error("the deleted session's attempt remains")
	}
	if err := db.DeleteSession(ctx, "s-mixed"); coach.ErrorCode(err) != coach.ENOTFOUND {
		t.Errorf("deleting a deleted session: %v", err)
	}
	if err := db.CreateAttempt(ctx, &coach.Attempt{ID: "a-q1", QuestionID: "q-1", Question: "Question number 1?", Answer: "x"}); err != nil {
		t.Fatal(err)
	}
	if err := db.DeleteQuestion(ctx, "q-1"); err != nil {
		t.Fatal(err)
	}
	if err := db.DeleteQuestion(ctx, "q-1"); coach.ErrorCode(err) != coach.ENOTFOUND {
		t.Errorf("deleting a deleted question: %v", err)
	}
	if n := count(`SELECT count(*) FROM reference_answers WHERE id = 'r-1'`) + count(`SELECT count(*) FROM key_points WHERE reference_id = 'r-1'`) +
		count(`SELECT count(*) FROM passages WHERE reference_id = 'r-1'`); n != 0 {
		t.Errorf("%d rows of the deleted question remain", n)
	}
	a, err := db.Attempt(ctx, "a-q1")
	if err != nil || a.QuestionID != "q-1" || a.Question != "Question number 1?" {
		t.Errorf("the attempt at the deleted question = %+v, %v", a, err)
	}
	if n := count(`SELECT count(*) FROM questions WHERE id = 'q-2'`); n != 1 {
		t.Error("another question was deleted")
	}
}
