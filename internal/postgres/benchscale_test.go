//go:build benchscale

package postgres_test

import (
	"context"
	"fmt"
	"math"
	"math/rand/v2"
	"os"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/pgvector/pgvector-go"
	pgxvec "github.com/pgvector/pgvector-go/pgx"

	"github.com/interviewcoach/coach/internal/coach"
	"github.com/interviewcoach/coach/internal/grading"
	"github.com/interviewcoach/coach/internal/localembed"
	"github.com/interviewcoach/coach/internal/offline"
	"github.com/interviewcoach/coach/internal/postgres"
	"github.com/interviewcoach/coach/internal/postgres/pgtest"
)

// The scale benchmark (`make bench-scale N=...`, scripts/bench-scale.sh) loads a deterministic
// synthetic bank of N passages into a schema of its own on the test database and measures search
// latency through the store beside the same SQL sent raw, recall@10 against exact search, offline
// grading throughput, index build time and the tables' sizes. It talks to the database only, on
// loopback, and is bounded by BENCH_QUERIES, BENCH_GRADE_SECONDS and the test timeout.
//
// The vectors are deterministic pseudo-random unit vectors with cluster structure, not the local
// embedder's vectors of generated text: they cost nothing to make at a million passages (the embedder
// would take minutes of the same two cores the database needs), they are the same on every run and
// machine, and their structure is known: each cluster has a centre and a few directions of its own
// along which its vectors spread, plus isotropic noise, which is harder for an approximate index
// than real text embeddings and so gives recall figures on the safe side. Queries are fresh points of
// the same clusters, not stored vectors.
var (
	benchN            = envInt("BENCH_N", 10000)
	benchQueries      = envInt("BENCH_QUERIES", 100)
	benchGradeSeconds = envInt("BENCH_GRADE_SECONDS", 8)
)

const (
	benchDims         = localembed.DefaultDimensions
	benchModel        = localembed.ModelName
	passagesPerQ      = 5   // passages of each question's reference answer
	passagesPerTopic  = 500 // a topic per this many passages, at least benchTopicsMin
	benchTopicsMin    = 20
	clusterSize       = 100 // passages per cluster
	clusterDirections = 16
	benchK            = 10
)

// synth makes the synthetic bank's vectors; clusters are laid out in a fixed order, so vector i is
// the same on every run.
type synth struct {
	centres [][]float32
	dirs    [][][]float32
}

func newSynth(n int) *synth {
	clusters := max(1, n/clusterSize)
	s := &synth{centres: make([][]float32, clusters), dirs: make([][][]float32, clusters)}
	for c := range clusters {
		r := rand.New(rand.NewPCG(uint64(c), 0xc1))
		s.centres[c] = gaussian(r, 1)
		s.dirs[c] = make([][]float32, clusterDirections)
		for d := range clusterDirections {
			s.dirs[c][d] = gaussian(r, 1)
		}
	}
	return s
}

// gaussian returns a vector of benchDims normal values of norm about scale.
func gaussian(r *rand.Rand, scale float64) []float32 {
	v := make([]float32, benchDims)
	sd := scale / math.Sqrt(benchDims)
	for i := range v {
		v[i] = float32(r.NormFloat64() * sd)
	}
	return v
}

// point returns the unit vector seeded by seed in cluster c.
func (s *synth) point(c int, seed uint64) []float32 {
	r := rand.New(rand.NewPCG(seed, 0x5eed))
	v := gaussian(r, 0.6)
	for d := range clusterDirections {
		a := float32(r.NormFloat64() * 0.3)
		for i, x := range s.dirs[c][d] {
			v[i] += a * x
		}
	}
	var norm float64
	for i, x := range s.centres[c] {
		v[i] += x
		norm += float64(v[i]) * float64(v[i])
	}
	inv := float32(1 / math.Sqrt(norm))
	for i := range v {
		v[i] *= inv
	}
	return v
}

// Passage i (from 0) belongs to question i/passagesPerQ and to cluster i/clusterSize; a question's
// passages share a cluster because clusterSize is a multiple of passagesPerQ.
func clusterOf(i, clusters int) int { return min(i/clusterSize, clusters-1) }

var words = []string{"queryset", "middleware", "template", "migration", "signal", "cache", "session",
	"form", "view", "model", "manager", "serializer", "transaction", "index", "router", "admin",
	"field", "foreign key", "request", "response", "cookie", "token", "permission", "worker"}

func word(r *rand.Rand) string { return words[r.IntN(len(words))] }

func TestBenchScale(t *testing.T) {
	ctx := context.Background()
	n := benchN
	db, url := pgtest.NewWithURL(t)
	conn, err := pgx.Connect(ctx, url)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(ctx)
	if err := pgxvec.RegisterTypes(ctx, conn); err != nil {
		t.Fatal(err)
	}
	report := func(format string, args ...any) { fmt.Printf("bench-scale: "+format+"\n", args...) }
	report("N=%d passages, %d dims, GOMAXPROCS=%d", n, benchDims, runtimeProcs())

	// Load.
	s := newSynth(n)
	clusters := len(s.centres)
	questions := (n + passagesPerQ - 1) / passagesPerQ
	topics := max(benchTopicsMin, n/passagesPerTopic)
	start := time.Now()
	loadBank(ctx, t, conn, s, n, questions, topics)
	report("loaded %d passages, %d questions, %d topics in %s (%.0f passages/s, COPY)",
		n, questions, topics, since(start), float64(n)/time.Since(start).Seconds())

	start = time.Now()
	if err := db.EnsureVectorIndex(ctx, benchModel, benchDims); err != nil {
		t.Fatal(err)
	}
	report("HNSW indexes (passages and questions) built in %s", since(start))
	for _, tbl := range []string{"passage_embeddings", "question_embeddings", "passages", "questions", "reference_answers", "key_points"} {
		if _, err := conn.Exec(ctx, "VACUUM ANALYZE "+tbl); err != nil {
			t.Fatal(err)
		}
	}
	var heap, toast, idx int64
	if err := conn.QueryRow(ctx, `
		SELECT pg_relation_size(c.oid), coalesce(pg_total_relation_size(nullif(c.reltoastrelid, 0)), 0),
			pg_indexes_size(c.oid)
		FROM pg_class c WHERE c.oid = 'passage_embeddings'::regclass`).Scan(&heap, &toast, &idx); err != nil {
		t.Fatal(err)
	}
	var storage string
	if err := conn.QueryRow(ctx, `SELECT attstorage::text FROM pg_attribute
		WHERE attrelid = 'passage_embeddings'::regclass AND attname = 'embedding'`).Scan(&storage); err != nil {
		t.Fatal(err)
	}
	report("passage_embeddings: heap %s, TOAST %s, indexes %s (embedding storage %q)", mb(heap), mb(toast), mb(idx), storage)

	// Queries: fresh points of random clusters, the same on every run.
	qr := rand.New(rand.NewPCG(7, 7))
	queries := make([][]float32, benchQueries)
	// Each query is tried within its own cluster's topic, where its nearest neighbours are, and
	// within the next topic, whose passages are all far from it: the case a filter applied after the
	// index scan gets wrong.
	ownTopic, otherTopic := make([]string, benchQueries), make([]string, benchQueries)
	for i := range queries {
		c := qr.IntN(clusters)
		queries[i] = s.point(c, uint64(1<<40+i))
		ownTopic[i] = "topic-" + strconv.Itoa(c%topics)
		otherTopic[i] = "topic-" + strconv.Itoa((c+1)%topics)
	}
	search, err := postgres.SearchSQL(benchModel, benchDims, benchK, false)
	if err != nil {
		t.Fatal(err)
	}
	searchInTopic, err := postgres.SearchSQL(benchModel, benchDims, benchK, true)
	if err != nil {
		t.Fatal(err)
	}
	// args returns the query's arguments and its text, with or without a topic.
	args := func(vec []float32, topic string) (string, []any) {
		if topic == "" {
			return search, []any{pgvector.NewVector(vec)}
		}
		return searchInTopic, []any{pgvector.NewVector(vec), topic}
	}
	ef := postgres.EfSearch(n)
	if _, err := conn.Exec(ctx, fmt.Sprintf("SET hnsw.ef_search = %d", ef)); err != nil {
		t.Fatal(err)
	}
	// BENCH_RAW_ITERATIVE=1 gives the raw SQL's session the store's other settings too (iterative
	// index scans and their bound), so that the ratio shows what the store adds to its own SQL.
	if os.Getenv("BENCH_RAW_ITERATIVE") != "" {
		if _, err := conn.Exec(ctx, fmt.Sprintf("SET hnsw.iterative_scan = relaxed_order; SET hnsw.max_scan_tuples = %d", max(20000, n/10))); err != nil {
			t.Fatal(err)
		}
	}
	raw := func(vec []float32, topic string) ([]int64, error) {
		sql, a := args(vec, topic)
		rows, err := conn.Query(ctx, sql, a...)
		if err != nil {
			return nil, err
		}
		return pgx.CollectRows(rows, func(row pgx.CollectableRow) (int64, error) {
			var r coach.SearchResult
			err := row.Scan(&r.PassageID, &r.ReferenceID, &r.QuestionID, &r.Question, &r.Text, &r.Source, &r.SourceURL, &r.Similarity, &r.Kind, &r.Title)
			return r.PassageID, err
		})
	}
	store := func(vec []float32, topic string) ([]int64, error) {
		res, err := db.Search(ctx, benchModel, vec, benchK, topic)
		ids := make([]int64, len(res))
		for i, r := range res {
			ids[i] = r.PassageID
		}
		return ids, err
	}

	// Latency: store and raw SQL interleaved, after one warm-up round of each, so that both see the
	// same cache and the same neighbours on the machine.
	for _, q := range queries {
		if _, err := store(q, ""); err != nil {
			t.Fatal(err)
		}
		if _, err := raw(q, ""); err != nil {
			t.Fatal(err)
		}
	}
	var storeTimes, rawTimes []time.Duration
	for round := 0; round < 3; round++ {
		for _, q := range queries {
			t0 := time.Now()
			if _, err := store(q, ""); err != nil {
				t.Fatal(err)
			}
			t1 := time.Now()
			if _, err := raw(q, ""); err != nil {
				t.Fatal(err)
			}
			storeTimes, rawTimes = append(storeTimes, t1.Sub(t0)), append(rawTimes, time.Since(t1))
		}
	}
	sp50, sp99 := pct(storeTimes, 50), pct(storeTimes, 99)
	rp50, rp99 := pct(rawTimes, 50), pct(rawTimes, 99)
	report("search k=%d, %d queries: store p50 %s p99 %s; raw SQL (session ef_search=%d) p50 %s p99 %s; p50 ratio %.2f",
		benchK, len(storeTimes), ms(sp50), ms(sp99), ef, ms(rp50), ms(rp99), float64(sp50)/float64(rp50))

	// Recall@10 against exact search: the same query with every index scan off reads every vector.
	exactConn, err := pgx.Connect(ctx, url)
	if err != nil {
		t.Fatal(err)
	}
	defer exactConn.Close(ctx)
	if err := pgxvec.RegisterTypes(ctx, exactConn); err != nil {
		t.Fatal(err)
	}
	for _, sql := range []string{"SET enable_indexscan = off", "SET enable_bitmapscan = off"} {
		if _, err := exactConn.Exec(ctx, sql); err != nil {
			t.Fatal(err)
		}
	}
	exact := func(vec []float32, topic string) ([]int64, error) {
		sql, a := args(vec, topic)
		rows, err := exactConn.Query(ctx, sql, a...)
		if err != nil {
			return nil, err
		}
		return pgx.CollectRows(rows, func(row pgx.CollectableRow) (int64, error) {
			var r coach.SearchResult
			err := row.Scan(&r.PassageID, &r.ReferenceID, &r.QuestionID, &r.Question, &r.Text, &r.Source, &r.SourceURL, &r.Similarity, &r.Kind, &r.Title)
			return r.PassageID, err
		})
	}
	recall := func(got, truth []int64) (found int) {
		for _, id := range got {
			if slices.Contains(truth, id) {
				found++
			}
		}
		return found
	}
	var unfiltered [][]int64
	for _, filter := range []struct {
		label  string
		topics []string
	}{
		{"any topic", nil},
		{fmt.Sprintf("its own topic of %d", topics), ownTopic},
		{fmt.Sprintf("another topic of %d", topics), otherTopic},
	} {
		var found, want int
		var exactTime time.Duration
		var storeTimes []time.Duration
		for i, q := range queries {
			topic := ""
			if filter.topics != nil {
				topic = filter.topics[i]
			}
			t0 := time.Now()
			truth, err := exact(q, topic)
			if err != nil {
				t.Fatal(err)
			}
			exactTime += time.Since(t0)
			if filter.topics == nil {
				unfiltered = append(unfiltered, truth)
			}
			t0 = time.Now()
			got, err := store(q, topic)
			if err != nil {
				t.Fatal(err)
			}
			storeTimes = append(storeTimes, time.Since(t0))
			want += len(truth)
			found += recall(got, truth)
		}
		report("recall@%d within %s, %d queries: %.3f (store p50 %s p99 %s; exact search %s a query)",
			benchK, filter.label, len(queries), float64(found)/float64(max(want, 1)),
			ms(pct(storeTimes, 50)), ms(pct(storeTimes, 99)), ms(exactTime/time.Duration(len(queries))))
	}
	// Recall and latency of the raw SQL at other ef_search values, to choose the store's from.
	for _, e := range []int{40, 100, 200, 400, 800} {
		if _, err := conn.Exec(ctx, fmt.Sprintf("SET hnsw.ef_search = %d", e)); err != nil {
			t.Fatal(err)
		}
		var found, want int
		var times []time.Duration
		for i, q := range queries {
			t0 := time.Now()
			got, err := raw(q, "")
			if err != nil {
				t.Fatal(err)
			}
			times = append(times, time.Since(t0))
			want += len(unfiltered[i])
			found += recall(got, unfiltered[i])
		}
		report("ef_search=%d (raw SQL, any topic): recall@%d %.3f, p50 %s", e, benchK, float64(found)/float64(max(want, 1)), ms(pct(times, 50)))
	}

	// Offline grading through the grading service on the same store: bank questions by id, each
	// answer a few of the bank's words, for a fixed time at each concurrency.
	// The store is opened again with a tracer that times its statements, to report the database
	// statements a grading makes and what each kind costs.
	timer := &statementTimer{spent: map[string]time.Duration{}, calls: map[string]int{}}
	traced, err := postgres.Open(ctx, url, nil, postgres.WithTracer(timer))
	if err != nil {
		t.Fatal(err)
	}
	defer traced.Close()
	off := offline.New(localembed.New(localembed.DefaultDimensions))
	svc := &grading.Service{Store: traced, Embedder: localembed.New(localembed.DefaultDimensions), Grader: off, Offline: off,
		MaxAnswerChars: 4000}
	for _, c := range []int{1, 16} {
		timer.reset()
		var done, failed atomic.Int64
		var mu sync.Mutex
		var lat []time.Duration
		deadline := time.Now().Add(time.Duration(benchGradeSeconds) * time.Second)
		start := time.Now()
		var wg sync.WaitGroup
		for w := range c {
			wg.Add(1)
			go func() {
				defer wg.Done()
				r := rand.New(rand.NewPCG(uint64(w), uint64(c)))
				for time.Now().Before(deadline) {
					q := r.IntN(questions)
					req := coach.GradeRequest{QuestionID: questionID(q),
						Answer: fmt.Sprintf("The %s uses a %s so that the %s and the %s stay consistent.", word(r), word(r), word(r), word(r))}
					t0 := time.Now()
					if _, err := svc.Grade(ctx, req); err != nil {
						if failed.Add(1) == 1 {
							t.Errorf("grade: %v", err)
						}
						continue
					}
					d := time.Since(t0)
					done.Add(1)
					mu.Lock()
					lat = append(lat, d)
					mu.Unlock()
				}
			}()
		}
		wg.Wait()
		elapsed := time.Since(start)
		report("offline grading c=%d: %d in %s, %.1f req/s, p50 %s p99 %s, %d failed",
			c, done.Load(), since(start), float64(done.Load())/elapsed.Seconds(), ms(pct(lat, 50)), ms(pct(lat, 99)), failed.Load())
		timer.report(report, int(done.Load()+failed.Load()))
	}
}

// loadBank fills the bank's tables with COPY: topics, one source, questions, one reference answer
// with two key points per question, passagesPerQ passages per reference, and their vectors.
func loadBank(ctx context.Context, t *testing.T, conn *pgx.Conn, s *synth, n, questions, topics int) {
	t.Helper()
	clusters := len(s.centres)
	copyRows := func(table string, cols []string, count int, row func(i int) []any) {
		t.Helper()
		got, err := conn.CopyFrom(ctx, pgx.Identifier{table}, cols, pgx.CopyFromFunc(func() func() ([]any, error) {
			i := 0
			return func() ([]any, error) {
				if i == count {
					return nil, nil
				}
				i++
				return row(i - 1), nil
			}
		}()))
		if err != nil {
			t.Fatalf("copy %s: %v", table, err)
		}
		if int(got) != count {
			t.Fatalf("copy %s: %d rows, want %d", table, got, count)
		}
	}
	copyRows("topics", []string{"id", "name"}, topics, func(i int) []any {
		return []any{"topic-" + strconv.Itoa(i), "Topic " + strconv.Itoa(i)}
	})
	var source int64
	if err := conn.QueryRow(ctx, `INSERT INTO sources (name, format, content_hash) VALUES ('synthetic', 'yaml', 'h') RETURNING id`).Scan(&source); err != nil {
		t.Fatal(err)
	}
	text := func(seed uint64, n int) string {
		r := rand.New(rand.NewPCG(seed, 0x7e))
		out := "The " + word(r)
		for range n {
			out += " " + word(r)
		}
		return out + "."
	}
	copyRows("questions", []string{"id", "topic_id", "text", "normalized", "difficulty"}, questions, func(q int) []any {
		r := rand.New(rand.NewPCG(uint64(q), 0x9))
		txt := fmt.Sprintf("How does the %s of a %s work with a %s (%d)?", word(r), word(r), word(r), q)
		return []any{questionID(q), topicOf(q, topics, clusters), txt, fmt.Sprintf("q %d", q), "medium"}
	})
	copyRows("reference_answers", []string{"id", "question_id", "source_id", "text", "content_hash"}, questions, func(q int) []any {
		return []any{"r" + strconv.Itoa(q), questionID(q), source, text(uint64(q), 20), "h" + strconv.Itoa(q)}
	})
	copyRows("key_points", []string{"id", "reference_id", "ordinal", "text", "origin"}, 2*questions, func(i int) []any {
		q := i / 2
		return []any{fmt.Sprintf("k%d-%d", q, i%2), "r" + strconv.Itoa(q), i % 2, text(uint64(i)<<20, 6), "authored"}
	})
	copyRows("passages", []string{"reference_id", "ordinal", "text"}, n, func(i int) []any {
		return []any{"r" + strconv.Itoa(i/passagesPerQ), i % passagesPerQ, text(uint64(i)<<24, 40)}
	})
	var lo, hi int64
	if err := conn.QueryRow(ctx, `SELECT min(id), max(id) FROM passages`).Scan(&lo, &hi); err != nil {
		t.Fatal(err)
	}
	if lo != 1 || hi != int64(n) {
		t.Fatalf("passage ids run %d-%d, want 1-%d", lo, hi, n)
	}
	copyRows("passage_embeddings", []string{"passage_id", "model", "dimensions", "embedding"}, n, func(i int) []any {
		return []any{int64(i + 1), benchModel, benchDims, pgvector.NewVector(s.point(clusterOf(i, clusters), uint64(i)))}
	})
	copyRows("question_embeddings", []string{"question_id", "model", "dimensions", "embedding"}, questions, func(q int) []any {
		return []any{questionID(q), benchModel, benchDims, pgvector.NewVector(s.point(clusterOf(q*passagesPerQ, clusters), uint64(q)+1<<32))}
	})
}

// statementTimer adds up the time of the store's statements by kind (their first words).
type statementTimer struct {
	mu    sync.Mutex
	spent map[string]time.Duration
	calls map[string]int
}

type startKey struct{}

type started struct {
	kind string
	at   time.Time
}

func (s *statementTimer) TraceQueryStart(ctx context.Context, _ *pgx.Conn, d pgx.TraceQueryStartData) context.Context {
	words := strings.Fields(d.SQL)
	kind := strings.Join(words[:min(len(words), 4)], " ")
	return context.WithValue(ctx, startKey{}, started{kind, time.Now()})
}

func (s *statementTimer) TraceQueryEnd(ctx context.Context, _ *pgx.Conn, _ pgx.TraceQueryEndData) {
	st, ok := ctx.Value(startKey{}).(started)
	if !ok {
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.spent[st.kind] += time.Since(st.at)
	s.calls[st.kind]++
}

func (s *statementTimer) reset() {
	s.mu.Lock()
	defer s.mu.Unlock()
	clear(s.spent)
	clear(s.calls)
}

// report prints the statements per grading and the mean time of each kind.
func (s *statementTimer) report(report func(string, ...any), gradings int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	total := 0
	var kinds []string
	for k, n := range s.calls {
		total += n
		kinds = append(kinds, k)
	}
	slices.Sort(kinds)
	report("  %.2f statements a grading", float64(total)/float64(max(gradings, 1)))
	for _, k := range kinds {
		report("  %-40q %5d, mean %s", k, s.calls[k], ms(s.spent[k]/time.Duration(s.calls[k])))
	}
}

func questionID(q int) string { return "q" + strconv.Itoa(q) }

// topicOf puts question q in the topic of its cluster: cluster c belongs to topic c mod topics.
func topicOf(q, topics, clusters int) string {
	return "topic-" + strconv.Itoa(clusterOf(q*passagesPerQ, clusters)%topics)
}

func pct(d []time.Duration, p int) time.Duration {
	if len(d) == 0 {
		return 0
	}
	s := slices.Clone(d)
	slices.Sort(s)
	return s[min(len(s)-1, len(s)*p/100)]
}

func ms(d time.Duration) string { return fmt.Sprintf("%.2fms", float64(d.Microseconds())/1000) }
func since(t time.Time) string  { return time.Since(t).Round(10 * time.Millisecond).String() }
func mb(b int64) string         { return fmt.Sprintf("%.1f MB", float64(b)/(1<<20)) }
func runtimeProcs() int         { return runtime.GOMAXPROCS(0) }
func envInt(name string, def int) int {
	if v, err := strconv.Atoi(os.Getenv(name)); err == nil && v > 0 {
		return v
	}
	return def
}
