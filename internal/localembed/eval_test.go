package localembed

import (
	"context"
	"slices"
	"testing"
)

// retrieval holds the figures of one query set.
type retrieval struct {
	recall1, recall3, mrr float64
	misses                []string
}

// record counts one query, given the ids of what it retrieved, best first.
func (r *retrieval) record(query, want string, ranked []string) {
	rank := slices.Index(ranked, want) + 1
	if rank == 1 {
		r.recall1++
	}
	if rank <= 3 {
		r.recall3++
	}
	r.mrr += 1 / float64(rank)
	if rank != 1 {
		r.misses = append(r.misses, query+" -> want "+want+", got "+ranked[0]+", rank "+itoa(rank))
	}
}

// average turns the sums of n recorded queries into means.
func (r *retrieval) average(n int) {
	r.recall1 /= float64(n)
	r.recall3 /= float64(n)
	r.mrr /= float64(n)
}

// evaluate embeds the passages and queries and ranks the passages for each query by cosine
// similarity.
func evaluate(t testing.TB, e *Embedder, queries []evalQuery) retrieval {
	t.Helper()
	ctx := context.Background()
	texts := make([]string, len(evalPassages))
	for i, p := range evalPassages {
		texts[i] = p.text
	}
	pv, err := e.Embed(ctx, texts)
	if err != nil {
		t.Fatal(err)
	}
	qtexts := make([]string, len(queries))
	for i, q := range queries {
		qtexts[i] = q.text
	}
	qv, err := e.Embed(ctx, qtexts)
	if err != nil {
		t.Fatal(err)
	}
	var r retrieval
	for qi, q := range queries {
		type scored struct {
			id  string
			sim float64
		}
		ranked := make([]scored, len(evalPassages))
		for pi, p := range evalPassages {
			ranked[pi] = scored{p.id, dot(qv[qi], pv[pi])}
		}
		slices.SortStableFunc(ranked, func(a, b scored) int {
			switch {
			case a.sim > b.sim:
				return -1
			case a.sim < b.sim:
				return 1
			}
			return 0
		})
		ids := make([]string, len(ranked))
		for i, s := range ranked {
			ids[i] = s.id
		}
		r.record(q.text, q.want, ids)
	}
	r.average(len(queries))
	return r
}

func dot(a, b []float32) float64 {
	var s float64
	for i := range a {
		s += float64(a[i]) * float64(b[i])
	}
	return s
}

func itoa(n int) string {
	if n < 10 {
		return string(rune('0' + n))
	}
	return itoa(n/10) + string(rune('0'+n%10))
}

// hashSeeds is how many hash functions the averaged figures run over.
const hashSeeds = 12

// evaluateSeeds averages the figures over hashSeeds hash functions. Which features collide depends
// on the hash function, and on a few dozen queries one lucky or unlucky collision moves recall by a
// query; the average says what the features are worth.
func evaluateSeeds(t testing.TB, dims int, queries []evalQuery) retrieval {
	var avg retrieval
	for s := range hashSeeds {
		r := evaluate(t, &Embedder{dims: dims, seed: uint64(s) * 0x9e3779b97f4a7c15}, queries)
		avg.recall1 += r.recall1 / hashSeeds
		avg.recall3 += r.recall3 / hashSeeds
		avg.mrr += r.mrr / hashSeeds
	}
	return avg
}

// TestRetrieval measures how well paraphrased questions find their reference passage with the
// embedder as shipped. The floors sit a little under the measured figures, so a change of features
// that loses ground fails here.
func TestRetrieval(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name                   string
		queries                []evalQuery
		minRecall1, minRecall3 float64
		minMRR                 float64
	}{
		// Measured: tuned 0.925, 0.975, 0.944; held-out 0.750, 0.800, 0.805
		// (local-hash-v1: tuned 0.925, 0.975, 0.948; held-out 0.600, 0.800, 0.700).
		{"tuned", tuneQueries, 0.875, 0.95, 0.90},
		{"held-out", heldOutQueries, 0.70, 0.75, 0.75},
	}
	e := New(0)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			r := evaluate(t, e, tt.queries)
			avg := evaluateSeeds(t, e.Dimensions(), tt.queries)
			t.Logf("%s: %d queries, %d passages, %d dimensions: recall@1 %.3f, recall@3 %.3f, MRR %.3f "+
				"(mean over %d hash functions: %.3f, %.3f, %.3f)",
				tt.name, len(tt.queries), len(evalPassages), e.Dimensions(), r.recall1, r.recall3, r.mrr,
				hashSeeds, avg.recall1, avg.recall3, avg.mrr)
			for _, m := range r.misses {
				t.Logf("miss: %s", m)
			}
			if r.recall1 < tt.minRecall1 || r.recall3 < tt.minRecall3 || r.mrr < tt.minMRR {
				t.Errorf("%s: recall@1 %.3f, recall@3 %.3f, MRR %.3f; want at least %.3f, %.3f, %.3f",
					tt.name, r.recall1, r.recall3, r.mrr, tt.minRecall1, tt.minRecall3, tt.minMRR)
			}
		})
	}
}
