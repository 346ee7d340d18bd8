package ingest_test

import (
	"context"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5"

	"github.com/interviewcoach/coach/internal/bank"
	"github.com/interviewcoach/coach/internal/ingest"
	"github.com/interviewcoach/coach/internal/localembed"
	"github.com/interviewcoach/coach/internal/postgres/pgtest"
)

var update = flag.Bool("update", false, "rewrite testdata/import.golden from this importer")

// The importer stores exactly what the row-at-a-time importer stored (testdata/import.golden was
// written by it, before imports were batched): the bundled bank, then the seed pages, give the same
// questions, references, key points, passages and vectors, and the same summaries; also as a bulk
// load (the bundled bank into an empty database, with the passage vectors' index built afterwards),
// which ends with the index in place.
func TestImportMatchesGolden(t *testing.T) {
	t.Parallel()
	for _, bulk := range []bool{false, true} {
		t.Run(fmt.Sprintf("bulk=%v", bulk), func(t *testing.T) {
			t.Parallel()
			min := -1
			if bulk {
				min = 1
			}
			importMatchesGolden(t, min)
		})
	}
}

func importMatchesGolden(t *testing.T, bulkIndexMin int) {
	ctx := context.Background()
	db, url := pgtest.NewWithURL(t)
	im := &ingest.Importer{Store: db, Embedder: localembed.New(localembed.DefaultDimensions), BulkIndexMin: bulkIndexMin}
	var lines []string
	sum, err := im.Import(ctx, bank.Name, bank.Django(), nil)
	if err != nil {
		t.Fatal(err)
	}
	lines = append(lines, fmt.Sprintf("summary %s: q=%d r=%d kp=%d dkp=%d dupkp=%d p=%d dup=%d m=%d oa=%d ok=%d", bank.Name,
		sum.Questions, sum.References, sum.KeyPoints, sum.DraftKeyPoints, sum.DuplicateKeyPoints, sum.Passages, sum.Duplicates, sum.Merged, sum.OrphansAttached, sum.OrphansKept))
	dir := seedsDir(t)
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		data, err := os.ReadFile(filepath.Join(dir, e.Name()))
		if err != nil {
			t.Fatal(err)
		}
		sum, err := im.Import(ctx, e.Name(), data, nil)
		if err != nil {
			t.Fatal(err)
		}
		lines = append(lines, fmt.Sprintf("summary %s: q=%d r=%d kp=%d dkp=%d dupkp=%d p=%d dup=%d m=%d oa=%d ok=%d", e.Name(),
			sum.Questions, sum.References, sum.KeyPoints, sum.DraftKeyPoints, sum.DuplicateKeyPoints, sum.Passages, sum.Duplicates, sum.Merged, sum.OrphansAttached, sum.OrphansKept))
	}
	conn, err := pgx.Connect(ctx, url)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(ctx)
	var stored []string
	for _, q := range []string{
		`SELECT 'question ' || id || ' ' || topic_id || ' ' || coalesce(difficulty, '-') || ' v' || rubric_version || ' ' || md5(text) FROM questions`,
		`SELECT 'question vector ' || question_id || ' ' || md5(embedding::text) FROM question_embeddings`,
		`SELECT 'reference ' || id || ' ' || coalesce(question_id, '-') || ' ' || location || ' ' || md5(text) FROM reference_answers`,
		`SELECT 'key point ' || id || ' ' || origin || ' ' || weight || ' ' || status || ' ' || md5(text) FROM key_points`,
		`SELECT 'passage ' || p.reference_id || ' ' || p.ordinal || ' ' || md5(p.text) || ' ' || md5(e.embedding::text)
			FROM passages p JOIN passage_embeddings e ON e.passage_id = p.id`,
	} {
		rows, err := conn.Query(ctx, q)
		if err != nil {
			t.Fatal(err)
		}
		got, err := pgx.CollectRows(rows, pgx.RowTo[string])
		if err != nil {
			t.Fatal(err)
		}
		stored = append(stored, got...)
	}
	sort.Strings(stored)
	got := strings.Join(append(lines, stored...), "\n") + "\n"
	golden := filepath.Join("testdata", "import.golden")
	if n := passageIndexes(t, url); n != 1 {
		t.Fatalf("%d HNSW indexes over the passage vectors after the imports, want 1", n)
	}
	if *update && bulkIndexMin < 0 {
		if err := os.MkdirAll("testdata", 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(golden, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatal(err)
	}
	if got != string(want) {
		g, w := strings.Split(got, "\n"), strings.Split(string(want), "\n")
		for i := 0; i < len(g) && i < len(w); i++ {
			if g[i] != w[i] {
				t.Fatalf("line %d differs from the golden file (%d lines against %d):\n got: %s\nwant: %s", i+1, len(g), len(w), g[i], w[i])
			}
		}
		t.Fatalf("%d lines against %d in the golden file", len(g), len(w))
	}
}
