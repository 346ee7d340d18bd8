package localembed

import (
	"context"
	"errors"
	"math"
	"strings"
	"sync"
	"testing"
)

func TestNew(t *testing.T) {
	t.Parallel()
	tests := []struct {
		dims, want int
		model      string
	}{
		{0, DefaultDimensions, ModelName},
		{-5, DefaultDimensions, ModelName},
		{384, 384, ModelName + "@384"},
		{MaxDimensions, MaxDimensions, ModelName + "@2000"},
	}
	for _, tt := range tests {
		e := New(tt.dims)
		if got := e.Dimensions(); got != tt.want {
			t.Errorf("New(%d).Dimensions() = %d, want %d", tt.dims, got, tt.want)
		}
		if got := e.Model(); got != tt.model {
			t.Errorf("New(%d).Model() = %q, want %q", tt.dims, got, tt.model)
		}
	}
}

func TestNewPanicsPastMaxDimensions(t *testing.T) {
	t.Parallel()
	defer func() {
		if recover() == nil {
			t.Error("New(MaxDimensions+1) did not panic")
		}
	}()
	New(MaxDimensions + 1)
}

func TestEmbedVectors(t *testing.T) {
	t.Parallel()
	e := New(256)
	texts := []string{
		"select_related follows foreign keys with a JOIN",
		"",
		"   ?!  ",
		"the and of",
		strings.Repeat("Caching stores expensive results. ", 500),
		"Ünïcödé café naïve — ✓ 漢字",
	}
	vecs, err := e.Embed(context.Background(), texts)
	if err != nil {
		t.Fatal(err)
	}
	if len(vecs) != len(texts) {
		t.Fatalf("Embed returned %d vectors for %d texts", len(vecs), len(texts))
	}
	for i, v := range vecs {
		if len(v) != 256 {
			t.Errorf("vector %d has %d dimensions, want 256", i, len(v))
		}
		var norm float64
		for _, x := range v {
			if math.IsNaN(float64(x)) || math.IsInf(float64(x), 0) {
				t.Fatalf("vector %d holds %v", i, x)
			}
			norm += float64(x) * float64(x)
		}
		if math.Abs(norm-1) > 1e-5 {
			t.Errorf("vector %d of %q has norm² %f, want 1", i, texts[i][:min(len(texts[i]), 30)], norm)
		}
	}
	// Texts without content words share one vector rather than having none.
	if got := dot(vecs[1], vecs[3]); math.Abs(got-1) > 1e-5 {
		t.Errorf("similarity of two texts without content words = %f, want 1", got)
	}
}

func TestEmbedIsDeterministic(t *testing.T) {
	t.Parallel()
	text := "Middleware wraps every request and response."
	a, err := New(0).Embed(context.Background(), []string{text})
	if err != nil {
		t.Fatal(err)
	}
	b, err := New(0).Embed(context.Background(), []string{"unrelated first", text})
	if err != nil {
		t.Fatal(err)
	}
	for i := range a[0] {
		if a[0][i] != b[1][i] {
			t.Fatalf("dimension %d differs between calls: %v and %v", i, a[0][i], b[1][i])
		}
	}
}

func TestEmbedSimilarity(t *testing.T) {
	t.Parallel()
	// Each text must be closer to its paraphrase than to the unrelated text.
	tests := []struct{ text, paraphrase, unrelated string }{
		{
			"Executing one query per row in a loop is the N+1 problem; select_related joins the rows.",
			"Why does my page run a separate SQL statement for every record?",
			"Static files are collected into STATIC_ROOT by collectstatic.",
		},
		{
			"Django protects forms against cross-site request forgery with a CSRF token.",
			"How does the framework stop CSRF attacks on POST requests?",
			"Signals let decoupled apps react to saves and deletes.",
		},
		{
			"Store the result in Redis with cache.set and a timeout.",
			"How do I cache an expensive computation in memcached?",
			"Use transaction.atomic to roll back on exceptions.",
		},
	}
	e := New(0)
	for _, tt := range tests {
		v, err := e.Embed(context.Background(), []string{tt.text, tt.paraphrase, tt.unrelated})
		if err != nil {
			t.Fatal(err)
		}
		near, far := dot(v[0], v[1]), dot(v[0], v[2])
		if near <= far {
			t.Errorf("%q: paraphrase similarity %.3f, unrelated %.3f; want the paraphrase closer", tt.text, near, far)
		}
	}
}

func TestEmbedHonoursCancellation(t *testing.T) {
	t.Parallel()
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	texts := make([]string, 1000)
	for i := range texts {
		texts[i] = "Migrations describe schema changes."
	}
	_, err := New(0).Embed(ctx, texts)
	if !errors.Is(err, context.Canceled) {
		t.Errorf("Embed with a cancelled context returned %v, want context.Canceled", err)
	}
}

func TestEmbedConcurrently(t *testing.T) {
	t.Parallel()
	e := New(0)
	texts := []string{
		"QuerySets are lazy until evaluated.",
		"Celery runs tasks on background workers.",
		"The admin site uses ModelAdmin.list_display.",
	}
	want, err := e.Embed(context.Background(), texts)
	if err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	for range 8 {
		wg.Go(func() {
			for range 20 {
				got, err := e.Embed(context.Background(), texts)
				if err != nil {
					t.Error(err)
					return
				}
				for i := range got {
					for j := range got[i] {
						if got[i][j] != want[i][j] {
							t.Errorf("text %d dimension %d: %v concurrently, %v alone", i, j, got[i][j], want[i][j])
							return
						}
					}
				}
			}
		})
	}
	wg.Wait()
}

// benchPassage is a reference passage of 100 words.
const benchPassage = "Accessing a related object inside a loop makes Django issue a separate SQL query for " +
	"every row, the classic N+1 problem. select_related follows foreign keys and one-to-one relations " +
	"with a SQL JOIN so the related rows arrive in the same query. prefetch_related runs one extra " +
	"query per relation and joins the results in Python, which is how you handle many-to-many and " +
	"reverse foreign key relations. Measure with assertNumQueries or the debug toolbar before and " +
	"after, because eager loading of data you never use costs memory, and a JOIN across large tables " +
	"can be far slower than two simple, separate queries."

func BenchmarkEmbed(b *testing.B) {
	if n := len(strings.Fields(benchPassage)); n != 100 {
		b.Fatalf("benchmark passage has %d words, want 100", n)
	}
	e := New(0)
	ctx := context.Background()
	texts := []string{benchPassage}
	b.SetBytes(int64(len(benchPassage)))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := e.Embed(ctx, texts); err != nil {
			b.Fatal(err)
		}
	}
}
