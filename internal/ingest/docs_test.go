package ingest_test

import (
	"context"
	"math"
	"os"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/interviewcoach/coach/internal/bank"
	"github.com/interviewcoach/coach/internal/coach"
	"github.com/interviewcoach/coach/internal/ingest"
	"github.com/interviewcoach/coach/internal/localembed"
	"github.com/interviewcoach/coach/internal/postgres/pgtest"
)

// djangoDocs is a small documentation build: two real pages of Django 4.2's documentation (see
// internal/docparse/testdata/django/LICENSE), an index page and a static file.
func djangoDocs(t *testing.T) fstest.MapFS {
	t.Helper()
	read := func(name string) []byte {
		b, err := os.ReadFile("../docparse/testdata/django/" + name)
		if err != nil {
			t.Fatal(err)
		}
		return b
	}
	return fstest.MapFS{
		"ref/csrf.html":               {Data: read("ref_csrf.html")},
		"topics/db/optimization.html": {Data: read("topics_db_optimization.html")},
		"genindex.html":               {Data: []byte(`<html><body><h1>Index</h1><div class="section"><h2>A<a class="headerlink" href="#a">¶</a></h2><p>add() (in module)</p></div></body></html>`)},
		"_static/searchtools.html":    {Data: []byte(`<html><body><p>not documentation</p></body></html>`)},
	}
}

func TestImportDocs(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db := pgtest.New(t)
	emb := localembed.New(localembed.DefaultDimensions)
	src := coach.DocSource{Name: "Django documentation", Title: "Django documentation 4.2", Version: "4.2", BaseURL: "https://docs.djangoproject.com/en/4.2/"}
	first, err := ingest.ImportDocs(ctx, db, emb, src, djangoDocs(t), ingest.DocsOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if first.Pages != 2 || first.Skipped != 1 || first.Sections < 20 || first.Added != first.Sections || first.Passages < first.Sections {
		t.Fatalf("first import: %+v", first)
	}
	// Documentation is reference text: not one question is invented from its headings.
	if n, err := db.CountQuestions(ctx); err != nil || n != 0 {
		t.Fatalf("CountQuestions = %d, %v; documentation must not create questions", n, err)
	}
	second, err := ingest.ImportDocs(ctx, db, emb, src, djangoDocs(t), ingest.DocsOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if second.Added != 0 || second.Pruned != 0 || second.Sections != first.Sections {
		t.Fatalf("second import changed something: %+v", second)
	}

	q := "Should CSRF_COOKIE_HTTPONLY be set to stop JavaScript reading the CSRF cookie?"
	vec, res := searchDocs(t, db, emb, q)
	if len(res) == 0 || res[0].Kind != coach.SourceDocs || !strings.HasPrefix(res[0].SourceURL, "https://docs.djangoproject.com/en/4.2/ref/csrf/#") ||
		!strings.HasPrefix(res[0].Title, "Cross Site Request Forgery protection") || strings.Contains(res[0].Text, "¶") {
		t.Fatalf("search for %q: %+v", q, res)
	}
	if res, err := db.HybridSearch(ctx, emb.Model(), q, vec, 3, coach.SourceBank, ""); err != nil || len(res) != 0 {
		t.Fatalf("bank-only search found %d documentation passages, %v", len(res), err)
	}
	if _, err := db.HybridSearch(ctx, emb.Model(), q, vec, 3, "wiki", ""); coach.ErrorCode(err) != coach.EINVALID {
		t.Fatalf("unknown kind: %v", err)
	}

	// Re-embedding gives documentation passages the vectors the import gave them: the heading path
	// leads each passage's text in both.
	if _, err := ingest.Reindex(ctx, db, emb, nil); err != nil {
		t.Fatal(err)
	}
	again, err := db.HybridSearch(ctx, emb.Model(), q, vec, 3, coach.SourceDocs, "")
	if err != nil {
		t.Fatal(err)
	}
	for i := range res {
		if again[i].PassageID != res[i].PassageID || math.Abs(again[i].Similarity-res[i].Similarity) > 1e-6 {
			t.Errorf("after reindex, hit %d is passage %d at %.4f; before, %d at %.4f", i, again[i].PassageID, again[i].Similarity,
				res[i].PassageID, res[i].Similarity)
		}
	}

	// A later release without the optimization page prunes its sections.
	fewer := djangoDocs(t)
	delete(fewer, "topics/db/optimization.html")
	third, err := ingest.ImportDocs(ctx, db, emb, src, fewer, ingest.DocsOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if third.Pages != 1 || third.Pruned == 0 || third.Added != 0 {
		t.Fatalf("import without a page: %+v", third)
	}
}

// TestDocsDoNotCrowdOutTheBank: a vector search near documentation passages returns them first,
// while SearchOwn, which grading uses for bank questions, keeps k passages of the bank and adds at
// most the documentation passages asked for.
func TestDocsDoNotCrowdOutTheBank(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db := pgtest.New(t)
	emb := localembed.New(localembed.DefaultDimensions)
	if _, err := (&ingest.Importer{Store: db, Embedder: emb}).Import(ctx, bank.Name, bank.Django(), nil); err != nil {
		t.Fatal(err)
	}
	src := coach.DocSource{Name: "Django documentation", Title: "Django documentation 4.2", Version: "4.2", BaseURL: "https://docs.djangoproject.com/en/4.2/"}
	if _, err := ingest.ImportDocs(ctx, db, emb, src, djangoDocs(t), ingest.DocsOptions{}); err != nil {
		t.Fatal(err)
	}
	vec, err := emb.Embed(ctx, []string{"Database access optimization: use QuerySet.explain(), select_related() and prefetch_related(), bulk_create() and bulk_update(), iterator() and values_list()"})
	if err != nil {
		t.Fatal(err)
	}
	kinds := func(res []coach.SearchResult) map[string]int {
		n := map[string]int{}
		for _, r := range res {
			n[r.Kind]++
		}
		return n
	}
	all, err := db.Search(ctx, emb.Model(), vec[0], 4, "")
	if err != nil {
		t.Fatal(err)
	}
	if kinds(all)[coach.SourceDocs] < 3 {
		t.Fatalf("the probe is not nearest to documentation (%v); the test shows nothing", kinds(all))
	}
	own, err := db.SearchOwn(ctx, emb.Model(), vec[0], 4, 1)
	if err != nil {
		t.Fatal(err)
	}
	if n := kinds(own); n[coach.SourceBank] != 4 || n[coach.SourceDocs] != 1 || len(own) != 5 {
		t.Errorf("SearchOwn kinds = %v, want 4 bank passages and 1 documentation passage", n)
	}
	for i := 1; i < len(own); i++ {
		if own[i].Similarity > own[i-1].Similarity+1e-9 {
			t.Errorf("SearchOwn not most similar first: %v then %v", own[i-1].Similarity, own[i].Similarity)
		}
	}
	for _, r := range own {
		if r.Kind == coach.SourceDocs && (!strings.HasPrefix(r.SourceURL, "https://docs.djangoproject.com/en/4.2/topics/db/optimization/#") || r.Title == "") {
			t.Errorf("documentation passage without its section's title and URL: %+v", r)
		}
	}
}
