package ingest_test

import (
	"context"
	"errors"
	"testing"

	"github.com/jackc/pgx/v5"

	"github.com/interviewcoach/coach/internal/coach"
	"github.com/interviewcoach/coach/internal/ingest"
	"github.com/interviewcoach/coach/internal/localembed"
	"github.com/interviewcoach/coach/internal/postgres"
	"github.com/interviewcoach/coach/internal/postgres/pgtest"
)

// TestDocsBulkLoad imports the same documentation into two empty databases: once as a bulk load
// (the passage vectors' index dropped, then built again) and once with every vector inserted into
// the index. Both store the same sections and passages and answer searches alike, each ends with
// its index, and an import that stops half-way leaves the index built.
func TestDocsBulkLoad(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	emb := localembed.New(localembed.DefaultDimensions)
	src := coach.DocSource{Name: "Django documentation", Title: "Django documentation 4.2", Version: "4.2", BaseURL: "https://docs.djangoproject.com/en/4.2/"}
	type run struct {
		db  *postgres.DB
		url string
		sum *ingest.DocsSummary
	}
	importAs := func(min int) run {
		db, url := pgtest.NewWithURL(t)
		building := -1
		sum, err := ingest.ImportDocs(ctx, db, emb, src, djangoDocs(t), ingest.DocsOptions{BulkIndexMin: min,
			Building: func(passages int) { building = passages }})
		if err != nil {
			t.Fatal(err)
		}
		if bulk := min > 0; bulk != (sum.IndexBuild > 0) || bulk != (building == sum.Passages) {
			t.Fatalf("BulkIndexMin %d: index built %s after the load, Building called with %d of %d passages",
				min, sum.IndexBuild, building, sum.Passages)
		}
		if n := passageIndexes(t, url); n != 1 {
			t.Fatalf("BulkIndexMin %d: %d HNSW indexes over the passage vectors after the import, want 1", min, n)
		}
		return run{db, url, sum}
	}
	bulk, rows := importAs(1), importAs(-1)
	if bulk.sum.Added != rows.sum.Added || bulk.sum.Passages != rows.sum.Passages || bulk.sum.Passages < 20 {
		t.Fatalf("bulk load stored %d sections / %d passages, row by row %d / %d", bulk.sum.Added, bulk.sum.Passages,
			rows.sum.Added, rows.sum.Passages)
	}
	for _, q := range []string{
		"Should CSRF_COOKIE_HTTPONLY be set to stop JavaScript reading the CSRF cookie?",
		"How do I avoid running one query per object with select_related?",
		"persistent database connections and iterator()",
	} {
		vec, err := emb.Embed(ctx, []string{q})
		if err != nil {
			t.Fatal(err)
		}
		a, err := bulk.db.Search(ctx, emb.Model(), vec[0], 5, "")
		if err != nil {
			t.Fatal(err)
		}
		b, err := rows.db.Search(ctx, emb.Model(), vec[0], 5, "")
		if err != nil {
			t.Fatal(err)
		}
		if len(a) != 5 || len(b) != 5 {
			t.Fatalf("%q: %d and %d results", q, len(a), len(b))
		}
		for i := range a {
			if a[i].Text != b[i].Text || a[i].SourceURL != b[i].SourceURL {
				t.Errorf("%q: hit %d is %q (%s) after a bulk load, %q (%s) row by row", q, i, a[i].Text, a[i].SourceURL, b[i].Text, b[i].SourceURL)
			}
		}
	}

	// Stopped half-way (the context cancelled once the sections are stored, so the import fails
	// pruning): the index is built all the same.
	db, url := pgtest.NewWithURL(t)
	cctx, cancel := context.WithCancel(ctx)
	defer cancel()
	sum, err := ingest.ImportDocs(cctx, db, emb, src, djangoDocs(t), ingest.DocsOptions{BulkIndexMin: 1,
		Step: func(done, total int) { cancel() }})
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("cancelled import: %v", err)
	}
	if n := passageIndexes(t, url); n != 1 || sum.Added == 0 || sum.IndexBuild == 0 {
		t.Fatalf("cancelled import: %d passage indexes, %d sections stored, index built in %s", n, sum.Added, sum.IndexBuild)
	}
}

// passageIndexes counts the HNSW indexes over passage_embeddings in the database at url.
func passageIndexes(t *testing.T, url string) int {
	t.Helper()
	conn, err := pgx.Connect(context.Background(), url)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(context.Background())
	var n int
	if err := conn.QueryRow(context.Background(), `
		SELECT count(*) FROM pg_indexes WHERE schemaname = current_schema() AND tablename = 'passage_embeddings'
			AND indexdef LIKE '%USING hnsw%'`).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}
