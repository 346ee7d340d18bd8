//go:build benchscale

package postgres_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/interviewcoach/coach/internal/ingest"
	"github.com/interviewcoach/coach/internal/postgres"
	"github.com/interviewcoach/coach/internal/postgres/pgtest"
)

// quadraticDuplicatesSQL is the review report's duplicates query before it used the index: each
// question's nearest other by an uncast distance, which no index serves, so every question reads
// and sorts every vector.
const quadraticDuplicatesSQL = `
	SELECT a.question_id, n.question_id, n.similarity
	FROM question_embeddings a
	CROSS JOIN LATERAL (
		SELECT b.question_id, 1 - (b.embedding <=> a.embedding) AS similarity
		FROM question_embeddings b
		WHERE b.model = a.model AND b.dimensions = a.dimensions AND b.question_id <> a.question_id
		ORDER BY b.embedding <=> a.embedding LIMIT 1
	) n
	WHERE a.model = $1 AND a.question_id < n.question_id AND n.similarity >= $2
	ORDER BY n.similarity DESC, a.question_id LIMIT $3`

// TestBenchReviewDuplicates times the review report's suspected-duplicates query on a synthetic
// bank of REVIEW_BENCH_N questions (default 4000), before (every pair compared) and after (a k-NN
// search of the HNSW index per question), side by side, and counts how many of the planted
// duplicate pairs each finds. Run by scripts/bench-review.sh; not part of make test.
func TestBenchReviewDuplicates(t *testing.T) {
	ctx := context.Background()
	n := envInt("REVIEW_BENCH_N", 4000)
	runs := envInt("REVIEW_BENCH_RUNS", 3)
	const (
		model    = "bench-review"
		dims     = 768 // the local embedder's
		clusters = 50
	)
	planted := n / 20 // questions q(n-planted+1)..qn repeat q1..q(planted), reworded
	db, url := pgtest.NewWithURL(t)
	report := func(format string, args ...any) { fmt.Printf("bench-review: "+format+"\n", args...) }

	// Questions of one cluster (a topic) are about 0.5 similar, below the report's bound; a planted
	// duplicate is its original plus a little noise, about 0.95 similar.
	noise := func(scale float64) string {
		return fmt.Sprintf(`(SELECT array_agg(((random() - 0.5) * %g)::real)::vector FROM generate_series(1, %d) WHERE g >= 0)`, scale, dims)
	}
	start := time.Now()
	execAll(ctx, t, db, append(append([]string{`INSERT INTO topics (id, name) VALUES ('t', 'T')`}, syntheticBank("bench", n, "'t'")...),
		fmt.Sprintf(`CREATE TABLE bench_centres AS SELECT g AS c, %s AS v FROM generate_series(0, %d) g`, noise(1), clusters-1),
		fmt.Sprintf(`INSERT INTO question_embeddings (question_id, model, dimensions, embedding)
			SELECT 'q' || g, '%s', %d, c.v + %s FROM generate_series(1, %d) g JOIN bench_centres c ON c.c = g %% %d`,
			model, dims, noise(1), n-planted, clusters),
		fmt.Sprintf(`INSERT INTO question_embeddings (question_id, model, dimensions, embedding)
			SELECT 'q' || g, '%s', %d, e.embedding + %s FROM generate_series(%d, %d) g
			JOIN question_embeddings e ON e.question_id = 'q' || (g - %d)`,
			model, dims, noise(0.3), n-planted+1, n, n-planted),
	))
	if err := db.EnsureVectorIndex(ctx, model, dims); err != nil {
		t.Fatal(err)
	}
	analyzeBank(ctx, t, db)
	report("%d questions (%d planted duplicates), %d dims, loaded and indexed in %s", n, planted, dims, since(start))

	conn, err := pgx.Connect(ctx, url)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(ctx)
	after, err := postgres.DuplicatesSQL(model, dims)
	if err != nil {
		t.Fatal(err)
	}
	bound := ingest.SuspectSimilarity
	// plantedFound counts the planted pairs among rows of (a, b).
	plantedFound := func(rows pgx.Rows) (found, pairs int, err error) {
		var a, b string
		var x float64
		_, err = pgx.ForEachRow(rows, []any{&a, &b, &x}, func() error {
			pairs++
			var i, j int
			fmt.Sscanf(a, "q%d", &i)
			fmt.Sscanf(b, "q%d", &j)
			if max(i, j)-min(i, j) == n-planted {
				found++
			}
			return nil
		})
		return found, pairs, err
	}
	type result struct {
		best         time.Duration
		found, pairs int
	}
	run := func(name string, query func() (pgx.Rows, error)) result {
		r := result{best: time.Hour}
		for range runs {
			start := time.Now()
			rows, err := query()
			if err != nil {
				t.Fatalf("%s: %v", name, err)
			}
			found, pairs, err := plantedFound(rows)
			if err != nil {
				t.Fatalf("%s: %v", name, err)
			}
			r.best, r.found, r.pairs = min(r.best, time.Since(start)), found, pairs
		}
		return r
	}
	var before, indexed result
	for i := range 2 { // alternate, so that neither has the warmer cache throughout
		if i == 0 {
			before = run("before", func() (pgx.Rows, error) { return conn.Query(ctx, quadraticDuplicatesSQL, model, bound, n) })
		}
		indexed = run("after", func() (pgx.Rows, error) {
			if _, err := conn.Exec(ctx, `SET hnsw.iterative_scan = off; SET hnsw.ef_search = 40; SET jit = off`); err != nil {
				return nil, err
			}
			return conn.Query(ctx, after, 1-bound)
		})
	}
	report("before (every pair compared): best of %d %s, %d pairs, %d of %d planted duplicates", runs, ms(before.best), before.pairs, before.found, planted)
	report("after (HNSW k-NN per question, ef_search 40 as ReviewReport sets it): best of %d %s, %d pairs, %d of %d planted duplicates", runs, ms(indexed.best), indexed.pairs, indexed.found, planted)
	report("before/after: %.1fx", float64(before.best)/float64(indexed.best))
	// Shorter candidate lists, for the record: duplicates are the nearest of all.
	for _, ef := range []int{10, 20} {
		r := run("after", func() (pgx.Rows, error) {
			if _, err := conn.Exec(ctx, fmt.Sprintf(`SET hnsw.iterative_scan = off; SET hnsw.ef_search = %d; SET jit = off`, ef)); err != nil {
				return nil, err
			}
			return conn.Query(ctx, after, 1-bound)
		})
		report("after at ef_search %d: best of %d %s, %d of %d planted duplicates", ef, runs, ms(r.best), r.found, planted)
	}
	plan, err := db.Plans(ctx, []string{`SET hnsw.iterative_scan = off`}, after, 1-bound)
	if err != nil {
		t.Fatal(err)
	}
	report("plan of the query after:\n%s", plan)

	// The whole report, through the store, as coach ingest and GET /api/v1/bank/review run it.
	start = time.Now()
	rep, err := db.ReviewReport(ctx, model, bound, ingest.DefaultTopic, ingest.ReviewLimit)
	if err != nil {
		t.Fatal(err)
	}
	report("ReviewReport: %s, %d suspected duplicates listed (limit %d)", ms(time.Since(start)), len(rep.SuspectedDuplicates), ingest.ReviewLimit)
	if indexed.found < planted*95/100 {
		t.Errorf("the indexed query found %d of %d planted duplicates", indexed.found, planted)
	}
}
