package postgres_test

import (
	"context"
	"fmt"
	"testing"

	"github.com/interviewcoach/coach/internal/postgres"
)

// syntheticBank returns the statements that store n questions q1..qn, each with one reference r<g>
// and one passage, from one source; topic is the SQL expression of question g's topic (topics are
// the caller's to insert). Vectors are the caller's too: plans and storage depend on sizes, not on
// what the text says.
func syntheticBank(source string, n int, topic string) []string {
	return []string{
		fmt.Sprintf(`INSERT INTO sources (name, format, content_hash) VALUES ('%s', 'yaml', 'h')`, source),
		fmt.Sprintf(`INSERT INTO questions (id, topic_id, text, normalized, difficulty)
			SELECT 'q' || g, %s, 'Question ' || g, 'question ' || g, 'medium' FROM generate_series(1, %d) g`, topic, n),
		fmt.Sprintf(`INSERT INTO reference_answers (id, question_id, source_id, text, content_hash)
			SELECT 'r' || g, 'q' || g, (SELECT id FROM sources), 'Answer ' || g, 'h' || g FROM generate_series(1, %d) g`, n),
		`INSERT INTO passages (reference_id, ordinal, text) SELECT id, 1, text FROM reference_answers ORDER BY substr(id, 2)::int`,
	}
}

// execAll runs statements in order, failing the test at the first that fails.
func execAll(ctx context.Context, t *testing.T, db *postgres.DB, statements []string) {
	t.Helper()
	for _, sql := range statements {
		if err := db.Exec(ctx, sql); err != nil {
			t.Fatalf("%s: %v", sql, err)
		}
	}
}

// analyzeBank gathers the planner's statistics of the bank's tables in this test's schema only: a
// database-wide ANALYZE would wait on every other test's schema.
func analyzeBank(ctx context.Context, t *testing.T, db *postgres.DB) {
	t.Helper()
	execAll(ctx, t, db, []string{`ANALYZE topics, sources, questions, reference_answers, passages, question_embeddings, passage_embeddings`})
}
