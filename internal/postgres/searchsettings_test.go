package postgres_test

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/jackc/pgx/v5"

	"github.com/interviewcoach/coach/internal/postgres"
	"github.com/interviewcoach/coach/internal/postgres/pgtest"
)

// efLog records the hnsw.ef_search values the store sets.
type efLog struct {
	mu  sync.Mutex
	efs []int
}

func (l *efLog) TraceQueryStart(ctx context.Context, _ *pgx.Conn, d pgx.TraceQueryStartData) context.Context {
	if strings.Contains(d.SQL, "set_config('hnsw.ef_search'") && len(d.Args) > 0 {
		if n, err := strconv.Atoi(fmt.Sprint(d.Args[0])); err == nil {
			l.mu.Lock()
			l.efs = append(l.efs, n)
			l.mu.Unlock()
		}
	}
	return ctx
}

func (l *efLog) TraceQueryEnd(context.Context, *pgx.Conn, pgx.TraceQueryEndData) {}

// Each vector lookup runs with the candidate list of the index it reads: on one connection, a
// passage search over 7,000 vectors, then a nearest-question lookup over 1,000, then a passage
// search again, each set the connection's ef_search for their own index's size, where the question
// lookup used to inherit whatever the connection had last.
func TestSearchSettingsFollowTheIndex(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db, dbURL := pgtest.NewWithURL(t)
	const (
		model     = "settings-test"
		dims      = 8
		questions = 1000
		perRef    = 7
	)
	vec := fmt.Sprintf(`(SELECT array_agg(random()::real)::vector FROM generate_series(1, %d) WHERE g > 0)`, dims)
	execAll(ctx, t, db, append(append([]string{`INSERT INTO topics (id, name) VALUES ('t', 'T')`}, syntheticBank("settings", questions, "'t'")...),
		fmt.Sprintf(`INSERT INTO passages (reference_id, ordinal, text) SELECT id, o, text FROM reference_answers, generate_series(2, %d) o`, perRef),
		fmt.Sprintf(`INSERT INTO question_embeddings (question_id, model, dimensions, embedding)
			SELECT 'q' || g, '%s', %d, %s FROM generate_series(1, %d) g`, model, dims, vec, questions),
		fmt.Sprintf(`INSERT INTO passage_embeddings (passage_id, model, dimensions, embedding)
			SELECT id, '%s', %d, %s FROM (SELECT id, id AS g FROM passages) p`, model, dims, vec),
	))
	if err := db.EnsureVectorIndex(ctx, model, dims); err != nil {
		t.Fatal(err)
	}
	analyzeBank(ctx, t, db)

	log := &efLog{}
	traced := openOneConn(t, dbURL, log)
	probe := make([]float32, dims)
	probe[0] = 1
	if _, err := traced.Search(ctx, model, probe, 5, ""); err != nil {
		t.Fatal(err)
	}
	if _, err := traced.NearestQuestions(ctx, model, probe, 5); err != nil {
		t.Fatal(err)
	}
	if _, err := traced.NearestQuestionsMany(ctx, model, [][]float32{probe, probe}, 5); err != nil {
		t.Fatal(err)
	}
	if _, err := traced.Search(ctx, model, probe, 5, ""); err != nil {
		t.Fatal(err)
	}
	passages, forQuestions := postgres.EfSearch(questions*perRef), postgres.EfSearch(questions)
	if passages == forQuestions {
		t.Fatalf("the sizes give one ef_search (%d): the test cannot tell them apart", passages)
	}
	want := []int{passages, forQuestions, passages} // the second question lookup needs no change
	if fmt.Sprint(log.efs) != fmt.Sprint(want) {
		t.Fatalf("ef_search set to %v, want %v (passages %d, questions %d)", log.efs, want, questions*perRef, questions)
	}
}
