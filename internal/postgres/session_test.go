package postgres_test

import (
	"bytes"
	"context"
	"crypto/sha256"
	"fmt"
	"io/fs"
	"slices"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5"

	"github.com/interviewcoach/coach/internal/coach"
	"github.com/interviewcoach/coach/internal/postgres"
	"github.com/interviewcoach/coach/internal/postgres/pgtest"
	"github.com/interviewcoach/coach/migrations"
)

func TestSessions(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db, url := pgtest.NewWithURL(t)
	for n := 1; n <= 3; n++ {
		if _, err := db.SaveReference(ctx, record(n, "m", 4)); err != nil {
			t.Fatal(err)
		}
	}
	hash := sha256.Sum256([]byte("token"))
	s := &coach.Session{ID: "s-1", TokenHash: hash[:], Name: "Ada", Topic: "orm", Difficulty: coach.DifficultyMedium}
	if err := db.CreateSession(ctx, s); err != nil {
		t.Fatal(err)
	}
	if s.CreatedAt.IsZero() {
		t.Error("CreatedAt not set")
	}
	got, err := db.Session(ctx, "s-1")
	if err != nil {
		t.Fatal(err)
	}
	if got.Name != "Ada" || got.Topic != "orm" || got.Difficulty != "medium" || !bytes.Equal(got.TokenHash, hash[:]) || !got.CreatedAt.Equal(s.CreatedAt) {
		t.Errorf("session = %+v", got)
	}
	open := &coach.Session{ID: "s-2", TokenHash: hash[:]}
	if err := db.CreateSession(ctx, open); err != nil {
		t.Fatal(err)
	}
	if got, err := db.Session(ctx, "s-2"); err != nil || got.Topic != "" || got.Difficulty != "" || got.Name != "" {
		t.Errorf("session without filter = %+v, %v", got, err)
	}
	plan := &coach.Session{ID: "s-plan", TokenHash: hash[:], Topics: []string{"orm", "security"}, QuestionCount: 5, AnswerSeconds: 90}
	if err := db.CreateSession(ctx, plan); err != nil {
		t.Fatal(err)
	}
	if got, err := db.Session(ctx, "s-plan"); err != nil || len(got.Topics) != 2 || got.Topics[1] != "security" ||
		got.QuestionCount != 5 || got.AnswerSeconds != 90 || got.EndedAt != nil {
		t.Errorf("planned session = %+v, %v", got, err)
	}
	ended, err := db.EndSession(ctx, "s-plan")
	if err != nil || ended.IsZero() {
		t.Fatalf("EndSession = %v, %v", ended, err)
	}
	if again, err := db.EndSession(ctx, "s-plan"); err != nil || !again.Equal(ended) {
		t.Errorf("ending twice = %v, %v; want the first end, %v", again, err, ended)
	}
	if got, err := db.Session(ctx, "s-plan"); err != nil || got.EndedAt == nil || !got.EndedAt.Equal(ended) {
		t.Errorf("ended session = %+v, %v", got, err)
	}
	if _, err := db.EndSession(ctx, "s-none"); coach.ErrorCode(err) != coach.ENOTFOUND {
		t.Errorf("ending an unknown session: err %v", err)
	}
	if _, err := db.Session(ctx, "s-none"); coach.ErrorCode(err) != coach.ENOTFOUND {
		t.Errorf("unknown session: err %v", err)
	}
	if err := db.CreateSession(ctx, &coach.Session{ID: "s-3", TokenHash: hash[:], Topic: "cooking"}); err == nil {
		t.Error("a session of an unknown topic was stored")
	}

	for _, tt := range []struct {
		topic, difficulty string
		want              int
	}{{"", "", 3}, {"orm", "", 3}, {"orm", "medium", 3}, {"orm", "hard", 0}, {"security", "", 0}} {
		qs, err := db.SessionQuestions(ctx, topicList(tt.topic), tt.difficulty)
		if err != nil || len(qs) != tt.want {
			t.Errorf("SessionQuestions(%q, %q) = %d questions, %v; want %d", tt.topic, tt.difficulty, len(qs), err, tt.want)
		}
	}
	if ok, err := db.TopicExists(ctx, "orm"); err != nil || !ok {
		t.Errorf("TopicExists(orm) = %v, %v", ok, err)
	}
	if ok, err := db.TopicExists(ctx, "cooking"); err != nil || ok {
		t.Errorf("TopicExists(cooking) = %v, %v", ok, err)
	}

	// Attempts come back oldest first with their question's topic; other sessions' stay apart.
	for i, a := range []*coach.Attempt{
		{ID: "a-1", SessionID: "s-1", QuestionID: "q-2", Question: "Question number 2?", Answer: "first", Score: 10},
		{ID: "a-2", SessionID: "s-2", QuestionID: "q-1", Question: "Question number 1?", Answer: "other", Score: 90},
		{ID: "a-3", SessionID: "s-1", Question: "A typed question?", Answer: "second", Score: 60,
			KeyPoints: []coach.Judgement{{KeyPointID: "k", Text: "t", Status: coach.StatusMissing}}},
		{ID: "a-4", Question: "No session", Answer: "x"},
	} {
		a.Band, a.Grader.Kind, a.LatencyMS = coach.Band(a.Score), coach.GraderOffline, int64(i)
		if err := db.CreateAttempt(ctx, a); err != nil {
			t.Fatal(err)
		}
	}
	attempts, err := db.SessionAttempts(ctx, "s-1")
	if err != nil {
		t.Fatal(err)
	}
	if len(attempts) != 2 || attempts[0].Attempt.ID != "a-1" || attempts[0].Topic != "orm" ||
		attempts[1].Attempt.ID != "a-3" || attempts[1].Topic != "" || attempts[1].Attempt.Answer != "second" ||
		len(attempts[1].Attempt.KeyPoints) != 1 || attempts[1].Attempt.CreatedAt.IsZero() {
		t.Errorf("attempts of s-1 = %+v", attempts)
	}

	// An attempt whose session is gone (deleted while it was graded) is stored outside any session,
	// and says so, rather than lost.
	orphan := &coach.Attempt{ID: "a-5", SessionID: "s-none", Question: "q", Answer: "a", Band: "weak", Grader: coach.GraderInfo{Kind: "offline"}}
	if err := db.CreateAttempt(ctx, orphan); err != nil {
		t.Fatalf("attempt of a deleted session: %v", err)
	}
	if orphan.SessionID != "" || !slices.Contains(orphan.Warnings, postgres.WarnSessionDeleted) {
		t.Errorf("attempt of a deleted session = %+v", orphan)
	}
	if stored, err := db.Attempt(ctx, "a-5"); err != nil || stored.SessionID != "" || !slices.Contains(stored.Warnings, postgres.WarnSessionDeleted) {
		t.Errorf("stored attempt of a deleted session = %+v, %v", stored, err)
	}

	// Deleting a session deletes its attempts, and only its own.
	conn, err := pgx.Connect(ctx, url)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(ctx)
	if _, err := conn.Exec(ctx, `DELETE FROM sessions WHERE id = 's-1'`); err != nil {
		t.Fatal(err)
	}
	if _, err := db.Attempt(ctx, "a-1"); coach.ErrorCode(err) != coach.ENOTFOUND {
		t.Errorf("attempt of a deleted session: err %v", err)
	}
	for _, id := range []string{"a-2", "a-4"} {
		if _, err := db.Attempt(ctx, id); err != nil {
			t.Errorf("attempt %s: %v", id, err)
		}
	}
	if attempts, err := db.SessionAttempts(ctx, "s-1"); err != nil || len(attempts) != 0 {
		t.Errorf("attempts of a deleted session = %v, %v", attempts, err)
	}
}

// TestSessionsMigrationClearsFreeLabels checks that migration 3 applies over attempts stored when
// session_id was a free label, and rolls back.
func TestSessionsMigrationClearsFreeLabels(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	_, url := pgtest.NewWithURL(t)
	conn, err := pgx.Connect(ctx, url)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(ctx)
	down, err := migrationSQL(3, false)
	if err != nil {
		t.Fatal(err)
	}
	up, err := migrationSQL(3, true)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := conn.Exec(ctx, down); err != nil {
		t.Fatalf("rollback: %v", err)
	}
	if _, err := conn.Exec(ctx, `
		INSERT INTO attempts (id, session_id, question, answer, grader_kind, score, band, grounded, result, latency_ms)
		VALUES ('a-old', 'anything', 'q', 'a', 'offline', 0, 'incorrect', false, '{}', 0)`); err != nil {
		t.Fatal(err)
	}
	if _, err := conn.Exec(ctx, up); err != nil {
		t.Fatalf("migrate over a free label: %v", err)
	}
	var label *string
	if err := conn.QueryRow(ctx, `SELECT session_id FROM attempts WHERE id = 'a-old'`).Scan(&label); err != nil || label != nil {
		t.Errorf("session_id = %v, %v; want NULL", label, err)
	}
}

// migrationSQL returns the forward (up) or rollback SQL of migration number n.
func migrationSQL(n int, up bool) (string, error) {
	names, err := fs.Glob(migrations.FS, fmt.Sprintf("%03d_*.sql", n))
	if err != nil || len(names) != 1 {
		return "", fmt.Errorf("migration %d: %v %v", n, names, err)
	}
	data, err := fs.ReadFile(migrations.FS, names[0])
	if err != nil {
		return "", err
	}
	forward, rollback, ok := strings.Cut(string(data), "---- create above / drop below ----")
	if !ok {
		return "", fmt.Errorf("%s has no rollback", names[0])
	}
	if up {
		return forward, nil
	}
	return rollback, nil
}

func topicList(topic string) []string {
	if topic == "" {
		return nil
	}
	return []string{topic}
}
