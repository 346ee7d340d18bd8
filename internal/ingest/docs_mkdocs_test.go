package ingest_test

import (
	"context"
	"os"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/interviewcoach/coach/internal/coach"
	"github.com/interviewcoach/coach/internal/ingest"
	"github.com/interviewcoach/coach/internal/localembed"
	"github.com/interviewcoach/coach/internal/postgres"
	"github.com/interviewcoach/coach/internal/postgres/pgtest"
)

// TestImportMkDocsBuild: an MkDocs build (two real pages of MkDocs' documentation, see
// internal/docparse/testdata/mkdocs/LICENSE, and its 404 page) imports as sections linked to the
// public site, with no question made from its headings.
func TestImportMkDocsBuild(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	read := func(name string) []byte {
		b, err := os.ReadFile("../docparse/testdata/mkdocs/" + name)
		if err != nil {
			t.Fatal(err)
		}
		return b
	}
	build := fstest.MapFS{
		"user-guide/installation.html":          {Data: read("user-guide_installation.html")},
		"user-guide/localizing-your-theme.html": {Data: read("user-guide_localizing-your-theme.html")},
		"404.html":                              {Data: []byte(`<html><body><div role="main"><h1 id="404-page-not-found">404<a class="headerlink" href="#404-page-not-found"></a></h1><p>Page not found</p></div></body></html>`)},
	}
	db := pgtest.New(t)
	emb := localembed.New(localembed.DefaultDimensions)
	src := coach.DocSource{Name: "MkDocs", Title: "MkDocs 1.4", Version: "1.4", BaseURL: "https://www.mkdocs.org/"}
	sum, err := ingest.ImportDocs(ctx, db, emb, src, build, ingest.DocsOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if sum.Pages != 2 || sum.Skipped != 1 || sum.Sections != 10 || sum.Added != 10 {
		t.Fatalf("import: %+v", sum)
	}
	if n, err := db.CountQuestions(ctx); err != nil || n != 0 {
		t.Fatalf("CountQuestions = %d, %v; documentation must not create questions", n, err)
	}
	q := "how do I install mkdocs with pip"
	_, res := searchDocs(t, db, emb, q)
	found := false
	for _, r := range res {
		if strings.Contains(r.Text, "¶") {
			t.Errorf("%s keeps a permalink sign", r.Title)
		}
		found = found || r.SourceURL == "https://www.mkdocs.org/user-guide/installation/#installing-mkdocs" &&
			r.Title == "MkDocs Installation › Installing MkDocs" && strings.Contains(r.Text, "pip install mkdocs")
	}
	if !found {
		for _, r := range res {
			t.Logf("%s %s", r.Title, r.SourceURL)
		}
		t.Fatalf("search for %q: the Installing MkDocs section, linked to its public anchor, is not in the top 3", q)
	}
}

// searchDocs embeds q and returns its vector and the top 3 documentation passages for it.
func searchDocs(t *testing.T, db *postgres.DB, emb *localembed.Embedder, q string) ([]float32, []coach.SearchResult) {
	t.Helper()
	vec, err := emb.Embed(context.Background(), []string{q})
	if err != nil {
		t.Fatal(err)
	}
	res, err := db.HybridSearch(context.Background(), emb.Model(), q, vec[0], 3, coach.SourceDocs, "")
	if err != nil {
		t.Fatal(err)
	}
	return vec[0], res
}
