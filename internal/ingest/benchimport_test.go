//go:build benchscale

package ingest_test

import (
	"context"
	"encoding/csv"
	"fmt"
	"math/rand/v2"
	"os"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/interviewcoach/coach/internal/bank"
	"github.com/interviewcoach/coach/internal/coach"
	"github.com/interviewcoach/coach/internal/ingest"
	"github.com/interviewcoach/coach/internal/localembed"
	"github.com/interviewcoach/coach/internal/postgres"
	"github.com/interviewcoach/coach/internal/postgres/pgtest"
)

// The import benchmark (`make bench-import N=...`, scripts/bench-import.sh): the bundled bank, then
// BENCH_IMPORT_FILES files of N generated questions each imported one after the other through the
// importer with the local embedder, each file's passages/s reported as the bank grows. Every question
// has three passages, half of them name a topic (the others take one from their nearest questions),
// half of them list their key points; every tenth repeats an earlier question's text with a new
// answer (merged, its key points reviewed against the stored rubric). Not part of `make test`.
func TestBenchImport(t *testing.T) {
	ctx := context.Background()
	n := benchEnv("BENCH_IMPORT_N", 1000)
	files := benchEnv("BENCH_IMPORT_FILES", 2)
	db := pgtest.New(t)
	im := &ingest.Importer{Store: db, Embedder: localembed.New(localembed.DefaultDimensions)}
	if _, err := im.Import(ctx, bank.Name, bank.Django(), nil); err != nil {
		t.Fatal(err)
	}
	ts := &timedStore{Store: db}
	im.Store = bulkTimedStore{ts, db}
	// BENCH_IMPORT_BULK=off imports every file with its vectors inserted into the index one by one;
	// by default a file is a bulk load when the product would make it one (COACH_BULK_INDEX_MIN).
	if os.Getenv("BENCH_IMPORT_BULK") == "off" {
		im.BulkIndexMin = -1
	}
	for f := range files {
		ts.spent, ts.calls = map[string]time.Duration{}, map[string]int{}
		data := generatedBank(f*n, n)
		start := time.Now()
		sum, err := im.Import(ctx, "generated-"+strconv.Itoa(f)+".csv", []byte(data), nil)
		if err != nil {
			t.Fatal(err)
		}
		d := time.Since(start)
		_, stored, err := db.CountPassages(ctx, localembed.ModelName)
		if err != nil {
			t.Fatal(err)
		}
		fmt.Printf("bench-import: file %d: %d drafts, %d questions, %d merged, %d references, %d key points (%d dropped), %d passages in %s: %.0f passages/s (%d passages stored after)\n",
			f+1, sum.Drafts, sum.Questions, sum.Merged, sum.References, sum.KeyPoints, sum.DuplicateKeyPoints, sum.Passages,
			d.Round(10*time.Millisecond), float64(sum.Passages)/d.Seconds(), stored)
		for name, spent := range ts.spent {
			fmt.Printf("bench-import:   %s: %d calls, %s\n", name, ts.calls[name], spent.Round(time.Millisecond))
		}
	}
}

// generatedBank is a CSV bank of n questions numbered from first, deterministic.
func generatedBank(first, n int) string {
	syllables := strings.Fields("ka lo mi nu pe ra si to vu za be do fi gu ha je ko li mo nar")
	word := func(x int) string {
		x = x*7919%640000 + 1
		var w strings.Builder
		for ; x > 0; x /= len(syllables) {
			w.WriteString(syllables[x%len(syllables)])
		}
		return w.String()
	}
	common := strings.Fields("queryset middleware template migration signal cache session form view model manager serializer transaction index router admin field request response cookie token permission worker")
	topics := []string{"orm", "views", "security", "caching", "testing"}
	question := func(i int) string {
		r := rand.New(rand.NewPCG(uint64(i), 1))
		return fmt.Sprintf("How does the %s %s of a %s work with %s %s?", word(i*8), common[r.IntN(len(common))],
			common[r.IntN(len(common))], word(i*8+1), word(i*8+2))
	}
	var b strings.Builder
	w := csv.NewWriter(&b)
	_ = w.Write([]string{"question", "answer", "topic", "key_points"})
	for i := first; i < first+n; i++ {
		r := rand.New(rand.NewPCG(uint64(i), 2))
		q := question(i)
		if i%10 == 9 && i > first {
			q = question(i - 1 - r.IntN(min(i-first, 50)))
		}
		var paragraphs []string
		var sentences []string
		for range 3 {
			var p []string
			for range 6 {
				s := fmt.Sprintf("The %s %s keeps the %s of each %s %s so that %s %s %s stay consistent across %s requests.",
					word(r.IntN(50000)), common[r.IntN(len(common))], common[r.IntN(len(common))], word(r.IntN(50000)),
					common[r.IntN(len(common))], word(r.IntN(50000)), common[r.IntN(len(common))], word(r.IntN(50000)), word(r.IntN(50000)))
				p = append(p, s)
				sentences = append(sentences, s)
			}
			paragraphs = append(paragraphs, strings.Join(p, " "))
		}
		topic, kps := "", ""
		if i%2 == 0 {
			topic = topics[i%len(topics)]
		}
		if i%4 < 2 {
			kps = strings.Join([]string{sentences[0], sentences[7], sentences[14]}, "|")
		}
		_ = w.Write([]string{q, strings.Join(paragraphs, "\n\n"), topic, kps})
	}
	w.Flush()
	return b.String()
}

func benchEnv(name string, def int) int {
	if v, err := strconv.Atoi(os.Getenv(name)); err == nil && v > 0 {
		return v
	}
	return def
}

// bulkTimedStore is a timedStore that also offers what a bulk load needs.
type bulkTimedStore struct {
	*timedStore
	db *postgres.DB
}

func (s bulkTimedStore) CountPassages(ctx context.Context, model string) (int, int, error) {
	return s.db.CountPassages(ctx, model)
}

func (s bulkTimedStore) DropVectorIndex(ctx context.Context, model string, dims int) error {
	defer s.track("DropVectorIndex", time.Now())
	return s.db.DropVectorIndex(ctx, model, dims)
}

func (s bulkTimedStore) EnsureVectorIndex(ctx context.Context, model string, dims int) error {
	defer s.track("EnsureVectorIndex", time.Now())
	return s.db.EnsureVectorIndex(ctx, model, dims)
}

// timedStore adds up the time spent in each of the store's methods the importer calls.
type timedStore struct {
	ingest.Store
	spent map[string]time.Duration
	calls map[string]int
}

func (s *timedStore) track(name string, start time.Time) {
	s.spent[name] += time.Since(start)
	s.calls[name]++
}

func (s *timedStore) SaveReferences(ctx context.Context, recs []*coach.ImportRecord) ([]bool, error) {
	defer s.track("SaveReferences", time.Now())
	return s.Store.SaveReferences(ctx, recs)
}

func (s *timedStore) StoredReferences(ctx context.Context, hashes []string) (map[string]bool, error) {
	defer s.track("StoredReferences", time.Now())
	return s.Store.StoredReferences(ctx, hashes)
}

func (s *timedStore) QuestionsByKeys(ctx context.Context, keys []string) (map[string]*coach.Question, error) {
	defer s.track("QuestionsByKeys", time.Now())
	return s.Store.QuestionsByKeys(ctx, keys)
}

func (s *timedStore) NearestQuestionsMany(ctx context.Context, model string, vecs [][]float32, k int) ([][]coach.QuestionMatch, error) {
	defer s.track("NearestQuestionsMany", time.Now())
	return s.Store.NearestQuestionsMany(ctx, model, vecs, k)
}

func (s *timedStore) KeyPointsOf(ctx context.Context, ids []string) (map[string][]coach.KeyPoint, error) {
	defer s.track("KeyPointsOf", time.Now())
	return s.Store.KeyPointsOf(ctx, ids)
}

func (s *timedStore) Search(ctx context.Context, model string, vec []float32, k int, topic string) ([]coach.SearchResult, error) {
	defer s.track("Search", time.Now())
	return s.Store.Search(ctx, model, vec, k, topic)
}
