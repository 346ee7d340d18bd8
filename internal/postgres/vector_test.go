package postgres_test

import (
	"context"
	"fmt"
	"testing"

	"github.com/interviewcoach/coach/internal/postgres/pgtest"
)

// TestVectorsStayInTheHeap fails when vectors of a common embedding size are stored out of line in
// the TOAST table, where every index build and every scan has to fetch them one by one.
func TestVectorsStayInTheHeap(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db := pgtest.New(t)
	const dims, rows = 768, 200
	statements := append([]string{`INSERT INTO topics (id, name) VALUES ('t', 'T')`}, syntheticBank("heap", rows, "'t'")...)
	execAll(ctx, t, db, append(statements,
		fmt.Sprintf(`INSERT INTO passage_embeddings (passage_id, model, dimensions, embedding)
			SELECT id, 'heap-test', %[1]d, (SELECT array_agg(random()::real)::vector FROM generate_series(1, %[1]d) WHERE id > 0)
			FROM passages`, dims),
		fmt.Sprintf(`INSERT INTO question_embeddings (question_id, model, dimensions, embedding)
			SELECT id, 'heap-test', %[1]d, (SELECT array_agg(random()::real)::vector FROM generate_series(1, %[1]d) WHERE id > '')
			FROM questions`, dims),
	))
	for _, table := range []string{"passage_embeddings", "question_embeddings"} {
		heap, toast, err := db.RelationSizes(ctx, table)
		if err != nil {
			t.Fatal(err)
		}
		if toast > 0 || heap < rows*dims*4 {
			t.Errorf("%s: %d bytes of heap and %d of TOAST for %d vectors of %d dimensions; want them all in the heap",
				table, heap, toast, rows, dims)
		}
	}
}

// TestSearchWithinAFarTopic fails when a topic-filtered search stops after one pass of the index:
// every passage near the query belongs to another topic, so the ef_search candidates of a single
// pass hold none of the topic asked for.
func TestSearchWithinAFarTopic(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db := pgtest.New(t)
	const (
		model = "iterative-test"
		dims  = 64
		rows  = 5000
		far   = 2500 // passages of topic 'far', the last half
	)
	// Near passages point along the query, far ones away from it, each with some noise.
	vector := func(sign string) string {
		return fmt.Sprintf(`(SELECT array_agg((%s 0.5 + random() * 0.3)::real)::vector FROM generate_series(1, %d) WHERE g > 0)`, sign, dims)
	}
	statements := append([]string{`INSERT INTO topics (id, name) VALUES ('near', 'Near'), ('far', 'Far')`},
		syntheticBank("iterative", rows, fmt.Sprintf("CASE WHEN g > %d THEN 'far' ELSE 'near' END", rows-far))...)
	execAll(ctx, t, db, append(statements,
		fmt.Sprintf(`INSERT INTO passage_embeddings (passage_id, model, dimensions, embedding)
			SELECT g, '%s', %d, CASE WHEN g > %d THEN %s ELSE %s END FROM (SELECT id AS g FROM passages) p`,
			model, dims, rows-far, vector("-"), vector("")),
	))
	if err := db.EnsureVectorIndex(ctx, model, dims); err != nil {
		t.Fatal(err)
	}
	analyzeBank(ctx, t, db)
	query := make([]float32, dims)
	for i := range query {
		query[i] = 0.5
	}
	// Several times, so that the cached generic plan is tried as well as the first custom ones.
	for i := range 8 {
		got, err := db.Search(ctx, model, query, 5, "far")
		if err != nil {
			t.Fatal(err)
		}
		if len(got) != 5 {
			t.Fatalf("search %d within the far topic found %d passages, want 5", i+1, len(got))
		}
		for j, r := range got {
			if r.PassageID <= rows-far {
				t.Errorf("search %d: passage %d of the near topic returned within the far one", i+1, r.PassageID)
			}
			if j > 0 && r.Similarity > got[j-1].Similarity {
				t.Errorf("search %d: results out of order: %v after %v", i+1, r.Similarity, got[j-1].Similarity)
			}
		}
	}
}
