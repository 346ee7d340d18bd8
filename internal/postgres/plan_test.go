package postgres_test

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/interviewcoach/coach/internal/postgres"
	"github.com/interviewcoach/coach/internal/postgres/pgtest"
)

// TestVectorQueriesUseTheIndex fails when a vector query of the store would read every vector
// instead of its model's HNSW index: at this size the planner prefers the index whenever the query
// can use it, from a fresh plan and from a cached generic one.
func TestVectorQueriesUseTheIndex(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db := pgtest.New(t)
	const (
		model = "plan-test"
		dims  = 64
		rows  = 5000
	)
	// Random vectors, made in the database: the plan depends on the sizes, not on the values.
	randomVector := fmt.Sprintf(`(SELECT array_agg(random()::real)::vector FROM generate_series(1, %d) WHERE g > 0)`, dims)
	statements := append([]string{`INSERT INTO topics (id, name) VALUES ('t', 'T')`}, syntheticBank("plan", rows, "'t'")...)
	execAll(ctx, t, db, append(statements,
		fmt.Sprintf(`INSERT INTO question_embeddings (question_id, model, dimensions, embedding)
			SELECT 'q' || g, '%s', %d, %s FROM generate_series(1, %d) g`, model, dims, randomVector, rows),
		fmt.Sprintf(`INSERT INTO passage_embeddings (passage_id, model, dimensions, embedding)
			SELECT id, '%s', %d, %s FROM (SELECT id, id AS g FROM passages) p`, model, dims, randomVector),
		// Another model's vectors share the tables and must not be read.
		fmt.Sprintf(`INSERT INTO question_embeddings (question_id, model, dimensions, embedding)
			SELECT 'q' || g, 'other', %d, %s FROM generate_series(1, %d) g`, dims, randomVector, rows),
	))
	if err := db.EnsureVectorIndex(ctx, model, dims); err != nil {
		t.Fatal(err)
	}
	analyzeBank(ctx, t, db)

	search, err := postgres.SearchSQL(model, dims, 5, false)
	if err != nil {
		t.Fatal(err)
	}
	searchInTopic, err := postgres.SearchSQL(model, dims, 5, true)
	if err != nil {
		t.Fatal(err)
	}
	nearest, err := postgres.NearestQuestionsSQL(model, dims, 5, true)
	if err != nil {
		t.Fatal(err)
	}
	nearestBare, err := postgres.NearestQuestionsSQL(model, dims, 10, false)
	if err != nil {
		t.Fatal(err)
	}
	duplicates, err := postgres.DuplicatesSQL(model, dims)
	if err != nil {
		t.Fatal(err)
	}
	searchOwn, err := postgres.SearchOwnSQL(model, dims, 8, 2)
	if err != nil {
		t.Fatal(err)
	}
	query := "[" + strings.TrimSuffix(strings.Repeat("0.5,", dims), ",") + "]"
	queries := []struct {
		name, sql, index string
		args             []any
	}{
		{"Search", search, "passage_embeddings_hnsw_", []any{query}},
		{"Search in a topic", searchInTopic, "passage_embeddings_hnsw_", []any{query, "t"}},
		{"NearestQuestions", nearest, "question_embeddings_hnsw_", []any{query}},
		{"NearestQuestionsMany", nearestBare, "question_embeddings_hnsw_", []any{query}},
		{"Suspected duplicates", duplicates, "question_embeddings_hnsw_", []any{0.25}},
		{"SearchOwn", searchOwn, "passage_embeddings_hnsw_", []any{query}},
	}
	for n, q := range queries {
		t.Run(q.name, func(t *testing.T) {
			plan, err := db.Plans(ctx, nil, q.sql, q.args...)
			if err != nil {
				t.Fatal(err)
			}
			if !strings.Contains(plan, "Index Scan using "+q.index) {
				t.Errorf("the plan does not scan the HNSW index %s*:\n%s", q.index, plan)
			}
			// A cached generic plan, as pgx's prepared statements get after five executions.
			args := make([]string, len(q.args))
			for i, a := range q.args {
				args[i] = fmt.Sprintf("'%v'", a)
			}
			generic, err := db.Plans(ctx, []string{
				"SET plan_cache_mode = force_generic_plan",
				fmt.Sprintf("PREPARE vq%d AS %s", n, q.sql),
			}, fmt.Sprintf("EXECUTE vq%d(%s)", n, strings.Join(args, ", ")))
			if err != nil {
				t.Fatal(err)
			}
			if !strings.Contains(generic, "Index Scan using "+q.index) {
				t.Errorf("the generic plan does not scan the HNSW index %s*:\n%s", q.index, generic)
			}
		})
	}

	// The model name is written into the query, so it must be one that cannot break out of it.
	if _, err := postgres.SearchSQL("x' OR true --", dims, 5, false); err == nil {
		t.Error("a model name with a quote was accepted into the query")
	}
}
