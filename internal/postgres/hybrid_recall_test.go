package postgres_test

import (
	"context"
	"log/slog"
	"os"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/interviewcoach/coach/internal/grading"
	"github.com/interviewcoach/coach/internal/localembed"
	"github.com/interviewcoach/coach/internal/postgres"
)

// docsQuestions are questions in an interviewer's or a candidate's words whose answers are in
// Django's documentation, with the pages (any of them) that answer them. They were written for this
// measurement, not taken from the bank.
var docsQuestions = []struct {
	q     string
	pages []string
}{
	{"Which setting stops JavaScript from reading the CSRF cookie?", []string{"ref/settings/", "ref/csrf/", "howto/csrf/"}},
	{"why is my page slow when listing books with their authors", []string{"topics/db/optimization/", "ref/models/querysets/"}},
	{"How do I see the query plan the database uses for a queryset?", []string{"ref/models/querysets/", "topics/db/optimization/"}},
	{"How can I make two fields unique together on a model?", []string{"ref/models/constraints/", "ref/models/options/"}},
	{"How do I get emailed when my site raises a server error?", []string{"howto/error-reporting/", "ref/settings/", "topics/logging/"}},
	{"What does SECURE_HSTS_SECONDS do?", []string{"ref/settings/", "ref/middleware/", "howto/deployment/checklist/"}},
	{"How can I serve files users uploaded while developing locally?", []string{"howto/static-files/", "ref/views/"}},
	{"How do I write my own manage.py command?", []string{"howto/custom-management-commands/"}},
	{"How do I run a raw SQL statement without going through a model?", []string{"topics/db/sql/"}},
	{"How do I add my own filter to templates?", []string{"howto/custom-template-tags/"}},
	{"How do I lock rows so another transaction cannot change them until I commit?", []string{"ref/models/querysets/", "topics/db/transactions/"}},
	{"How do I show dates in the user's own time zone?", []string{"topics/i18n/timezones/"}},
	{"What is ALLOWED_HOSTS for and what happens if a request's host is not in it?", []string{"ref/settings/", "topics/security/"}},
	{"How do I roll back a migration I already applied?", []string{"topics/migrations/", "ref/django-admin/"}},
	{"How do I fill in a new column for existing rows in a migration?", []string{"topics/migrations/", "howto/writing-migrations/"}},
	{"How can a test assert how many queries a view runs?", []string{"topics/testing/tools/"}},
	{"How do I translate a string inside a template?", []string{"topics/i18n/translation/"}},
	{"How do I split a long list of objects into pages?", []string{"topics/pagination/", "ref/paginator/"}},
	{"How do I cache the whole output of one view?", []string{"topics/cache/"}},
	{"How do I generate a sitemap for search engines?", []string{"ref/contrib/sitemaps/"}},
	{"How do I require a logged-in user for a class-based view?", []string{"topics/auth/default/"}},
	{"How do I replace the built-in User with my own model?", []string{"topics/auth/customizing/"}},
	{"How can responses be gzip compressed?", []string{"ref/middleware/"}},
	{"How do I increment a counter in the database without a race condition?", []string{"ref/models/expressions/", "ref/models/querysets/"}},
	{"How do I run code only after the transaction has committed?", []string{"topics/db/transactions/"}},
	{"How do I limit a model field to a fixed set of values?", []string{"ref/models/fields/"}},
	{"How do I validate a form field that depends on another field's value?", []string{"ref/forms/validation/"}},
	{"How do I send some models to a second database?", []string{"topics/db/multi-db/"}},
	{"How do I set SameSite on the session cookie?", []string{"ref/settings/"}},
	{"How do I run Django behind Gunicorn?", []string{"howto/deployment/wsgi/gunicorn/"}},
	{"How do I write a view with async def?", []string{"topics/async/", "topics/http/views/"}},
	{"How do I do full-text search on PostgreSQL with the ORM?", []string{"ref/contrib/postgres/search/", "topics/db/search/"}},
}

// TestDocsRecall measures recall@5 (a right page among the top 5 documentation passages) of
// vector-only, full-text-only and hybrid search over the Django documentation corpus. It runs when
// DOCS_DATABASE_URL names a database that `make docs` has filled (with the local embedder, as `make
// run` uses) and is skipped otherwise:
//
//	DOCS_DATABASE_URL=$DATABASE_URL go test -run TestDocsRecall -v ./internal/postgres/
func TestDocsRecall(t *testing.T) {
	ctx := context.Background()
	db, emb := docsCorpus(t)
	recall := map[postgres.HybridMode]int{}
	var latencies []time.Duration
	for _, c := range docsQuestions {
		vecs, err := emb.Embed(ctx, []string{c.q})
		if err != nil {
			t.Fatal(err)
		}
		for _, mode := range []postgres.HybridMode{postgres.ModeVector, postgres.ModeFullText, postgres.ModeHybrid} {
			start := time.Now()
			res, err := db.HybridSearchMode(ctx, mode, emb.Model(), c.q, vecs[0], 5, "docs", "")
			if err != nil {
				t.Fatal(err)
			}
			if mode == postgres.ModeHybrid {
				latencies = append(latencies, time.Since(start))
			}
			hit := false
			for _, r := range res {
				for _, p := range c.pages {
					if strings.Contains(r.SourceURL, "/"+p) {
						hit = true
					}
				}
			}
			if hit {
				recall[mode]++
			} else if mode == postgres.ModeHybrid && testing.Verbose() {
				var got []string
				for _, r := range res {
					got = append(got, r.SourceURL)
				}
				t.Logf("hybrid miss: %q -> %v", c.q, got)
			}
		}
	}
	n := len(docsQuestions)
	sort.Slice(latencies, func(i, j int) bool { return latencies[i] < latencies[j] })
	t.Logf("%d questions; recall@5 vector %d/%d (%.2f), full text %d/%d (%.2f), hybrid %d/%d (%.2f); hybrid query p50 %s, max %s",
		n, recall[postgres.ModeVector], n, float64(recall[postgres.ModeVector])/float64(n),
		recall[postgres.ModeFullText], n, float64(recall[postgres.ModeFullText])/float64(n),
		recall[postgres.ModeHybrid], n, float64(recall[postgres.ModeHybrid])/float64(n),
		latencies[len(latencies)/2].Round(time.Microsecond), latencies[len(latencies)-1].Round(time.Microsecond))
	if recall[postgres.ModeHybrid] < recall[postgres.ModeVector] || recall[postgres.ModeHybrid] < recall[postgres.ModeFullText] {
		t.Errorf("hybrid search recalls less than one of its parts")
	}
}

// offDocsQuestions are questions the Django documentation does not answer.
var offDocsQuestions = []string{
	"How does a JavaScript Promise differ from a callback?", "What is the CAP theorem?",
	"How does Kubernetes schedule pods onto nodes?", "How does React reconcile the virtual DOM?",
	"What is the difference between TCP and UDP?", "How do you reverse a linked list?",
	"What is dependency injection in Spring?", "How does garbage collection work in Go?",
	"Explain the Python GIL", "What is a monad?", "How do you balance a red-black tree?",
	"What does the Rust borrow checker prevent?",
}

// TestDocsGroundingThreshold counts the questions grading would ground in the documentation (a
// passage at least grading.DocsGroundedSimilarity similar to the question's vector): of
// docsQuestions, which the documentation answers, and of offDocsQuestions, which it does not. Like
// TestDocsRecall it needs DOCS_DATABASE_URL:
//
//	DOCS_DATABASE_URL=$DATABASE_URL go test -run TestDocsGroundingThreshold -v ./internal/postgres/
func TestDocsGroundingThreshold(t *testing.T) {
	ctx := context.Background()
	db, emb := docsCorpus(t)
	grounded := func(q string) bool {
		vecs, err := emb.Embed(ctx, []string{q})
		if err != nil {
			t.Fatal(err)
		}
		res, err := db.HybridSearch(ctx, emb.Model(), q, vecs[0], grading.DocsCandidates, "docs", "")
		if err != nil {
			t.Fatal(err)
		}
		for _, r := range res {
			if r.Similarity >= grading.DocsGroundedSimilarity {
				return true
			}
		}
		return false
	}
	in, out := 0, 0
	for _, c := range docsQuestions {
		if grounded(c.q) {
			in++
		}
	}
	for _, q := range offDocsQuestions {
		if grounded(q) {
			out++
			t.Logf("grounded though the documentation does not answer it: %q", q)
		}
	}
	t.Logf("at similarity %.2f: %d of %d documentation questions grounded, %d of %d others",
		grading.DocsGroundedSimilarity, in, len(docsQuestions), out, len(offDocsQuestions))
	if in <= out*len(docsQuestions)/len(offDocsQuestions) {
		t.Errorf("the threshold grounds documentation questions no more often than others")
	}
}

// BenchmarkDocsHybridSearch measures hybrid searches for the questions of docsQuestions in turn, each
// question searched by every variant one after the other so that all see the same load, and reports
// each variant's mean time per search (ms/search): over every source (as /api/v1/search runs it),
// "before" ranks every passage that shares a word with the question, each joined to its source
// first; "rare-words" leaves out of the full-text half the words of more than CommonLexeme of the
// passages; "after" also ranks the matches before joining only the best to their sources. "docs-..."
// search documentation only, as grading does for a typed question.
// Like TestDocsRecall it needs DOCS_DATABASE_URL:
//
//	DOCS_DATABASE_URL=$DATABASE_URL nice go test -run '^$' -bench DocsHybridSearch -benchtime 96x ./internal/postgres/
func BenchmarkDocsHybridSearch(b *testing.B) {
	ctx := context.Background()
	db, emb := docsCorpus(b)
	vecs := make([][]float32, len(docsQuestions))
	for i, c := range docsQuestions {
		v, err := emb.Embed(ctx, []string{c.q})
		if err != nil {
			b.Fatal(err)
		}
		vecs[i] = v[0]
	}
	variants := []struct {
		name, kind string
		common     float64
		eager      bool
	}{
		{"before", "", 1, true}, {"rare-words", "", postgres.CommonLexeme, true}, {"after", "", postgres.CommonLexeme, false},
		{"docs-before", "docs", 1, true}, {"docs-after", "docs", postgres.CommonLexeme, false},
	}
	spent := make([]time.Duration, len(variants))
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		j := i % len(docsQuestions)
		for v, bc := range variants {
			start := time.Now()
			if _, err := db.HybridSearchWith(ctx, postgres.ModeHybrid, bc.common, bc.eager, emb.Model(), docsQuestions[j].q, vecs[j], 5, bc.kind, ""); err != nil {
				b.Fatal(err)
			}
			spent[v] += time.Since(start)
		}
	}
	for v, bc := range variants {
		b.ReportMetric(float64(spent[v].Milliseconds())/float64(b.N), bc.name+"-ms/search")
	}
}

// docsCorpus opens the database DOCS_DATABASE_URL names, which `make docs` has filled with the
// local embedder (closed when tb ends), and that embedder; tb is skipped when the variable is unset.
func docsCorpus(tb testing.TB) (*postgres.DB, *localembed.Embedder) {
	tb.Helper()
	url := os.Getenv("DOCS_DATABASE_URL")
	if url == "" {
		tb.Skip("DOCS_DATABASE_URL is unset: no documentation corpus to measure")
	}
	db, err := postgres.Open(context.Background(), url, slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelWarn})))
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(db.Close)
	return db, localembed.New(localembed.DefaultDimensions)
}
