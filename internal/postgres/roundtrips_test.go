package postgres_test

import (
	"context"
	"net/url"
	"strings"
	"sync"
	"testing"

	"github.com/jackc/pgx/v5"

	"github.com/interviewcoach/coach/internal/bank"
	"github.com/interviewcoach/coach/internal/coach"
	"github.com/interviewcoach/coach/internal/grading"
	"github.com/interviewcoach/coach/internal/ingest"
	"github.com/interviewcoach/coach/internal/localembed"
	"github.com/interviewcoach/coach/internal/offline"
	"github.com/interviewcoach/coach/internal/postgres"
	"github.com/interviewcoach/coach/internal/postgres/pgtest"
)

// queryLog records the statements the store sends.
type queryLog struct {
	mu  sync.Mutex
	sql []string
}

func (l *queryLog) TraceQueryStart(ctx context.Context, _ *pgx.Conn, d pgx.TraceQueryStartData) context.Context {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.sql = append(l.sql, strings.Join(strings.Fields(d.SQL), " "))
	return ctx
}

func (l *queryLog) TraceQueryEnd(context.Context, *pgx.Conn, pgx.TraceQueryEndData) {}

func (l *queryLog) take() []string {
	l.mu.Lock()
	defer l.mu.Unlock()
	out := l.sql
	l.sql = nil
	return out
}

// An offline grading of a bank question costs four statements, whatever the number of related
// questions: the question with its rubric, the nearest questions with theirs, the passages nearest
// to the answer, and the attempt (which locks the question in the same statement). A grading by
// typed text that finds its bank question costs the same, less the first.
func TestGradingRoundTrips(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db, dbURL := pgtest.NewWithURL(t)
	embedder := localembed.New(localembed.DefaultDimensions)
	if _, err := (&ingest.Importer{Store: db, Embedder: embedder}).Import(ctx, bank.Name, bank.Django(), nil); err != nil {
		t.Fatal(err)
	}
	log := &queryLog{}
	traced := openOneConn(t, dbURL, log) // one connection, whose search settings the first grading sets
	off := offline.New(embedder)
	svc := &grading.Service{Store: traced, Embedder: embedder, Grader: off, Offline: off, MaxAnswerChars: 4000}
	answer := "select_related follows foreign keys with a JOIN; prefetch_related runs a second query per relation."
	if _, err := svc.Grade(ctx, coach.GradeRequest{QuestionID: "orm-select-related-prefetch", Answer: answer}); err != nil {
		t.Fatal(err)
	}
	log.take()
	for _, tt := range []struct {
		name string
		req  coach.GradeRequest
		want int
	}{
		{"bank question", coach.GradeRequest{QuestionID: "orm-select-related-prefetch", Answer: answer}, 4},
		{"typed question", coach.GradeRequest{Question: "What is the difference between select_related and prefetch_related?", Answer: answer}, 3},
	} {
		a, err := svc.Grade(ctx, tt.req)
		if err != nil {
			t.Fatal(err)
		}
		if a.QuestionID != "orm-select-related-prefetch" || len(a.References) == 0 {
			t.Fatalf("%s: graded against %q with %d references", tt.name, a.QuestionID, len(a.References))
		}
		if sql := log.take(); len(sql) != tt.want {
			t.Errorf("%s: %d statements, want %d:\n%s", tt.name, len(sql), tt.want, strings.Join(sql, "\n"))
		}
	}
}

// openOneConn opens the database at dbURL again with a pool of one connection whose statements are
// reported to tracer, closed when the test ends.
func openOneConn(t *testing.T, dbURL string, tracer pgx.QueryTracer) *postgres.DB {
	t.Helper()
	u, err := url.Parse(dbURL)
	if err != nil {
		t.Fatal(err)
	}
	q := u.Query()
	q.Set("pool_max_conns", "1")
	u.RawQuery = q.Encode()
	db, err := postgres.Open(context.Background(), u.String(), nil, postgres.WithTracer(tracer))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(db.Close)
	return db
}
