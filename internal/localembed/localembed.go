// Package localembed is an embedding model that runs anywhere: no network, no model files, the same
// vector for the same text on every machine. It hashes linguistic features of a text (concepts from
// the text package's synonym table and the package's own vocabulary of informal wordings, topics and
// symptom phrases, their stems, pairs of nearby concepts and character n-grams of the words) into a fixed number of dimensions, so the interview coach can retrieve reference answers
// offline.
package localembed

import (
	"context"
	"fmt"
	"math"
	"sync"

	"github.com/interviewcoach/coach/internal/coach"
	"github.com/interviewcoach/coach/internal/text"
)

// ModelName names the vectors this package makes. The version changes whenever the features or their
// weights do, since vectors of two versions must never be compared.
const ModelName = "local-hash-v2"

// DefaultDimensions is the vector length New uses when given none.
const DefaultDimensions = 768

// MaxDimensions is the largest vector length pgvector can index with HNSW.
const MaxDimensions = 2000

// cancelCheckEvery is how many texts Embed embeds between looks at its context.
const cancelCheckEvery = 16

// Embedder is the local embedding model. It holds no mutable state, so one Embedder serves any
// number of goroutines.
type Embedder struct {
	dims int
	// seed varies the hash functions. It is zero in every Embedder New makes; the evaluation sets
	// it to average its figures over many hash functions, so weights are not chosen for the lucky
	// collisions of one.
	seed uint64
}

var _ coach.Embedder = (*Embedder)(nil)

// New returns an Embedder making vectors of dims dimensions; dims of 0 or less means
// DefaultDimensions. New panics if dims exceeds MaxDimensions, a configuration error that must not
// wait for the first query to show.
func New(dims int) *Embedder {
	if dims <= 0 {
		dims = DefaultDimensions
	}
	if dims > MaxDimensions {
		panic(fmt.Sprintf("localembed: %d dimensions, more than the %d pgvector can index", dims, MaxDimensions))
	}
	return &Embedder{dims: dims}
}

// Model returns ModelName, with "@" and the dimension when that is not DefaultDimensions: vectors
// hashed into another number of dimensions are another model's, and the store must never compare
// them (the OpenAI embedder names shortened models the same way).
func (e *Embedder) Model() string {
	if e.dims == DefaultDimensions {
		return ModelName
	}
	return fmt.Sprintf("%s@%d", ModelName, e.dims)
}

// Dimensions returns the length of the vectors.
func (e *Embedder) Dimensions() int { return e.dims }

// Embed returns one L2-normalised vector per text, in order. It stops with the context's error when
// ctx ends before all texts are embedded.
func (e *Embedder) Embed(ctx context.Context, texts []string) ([][]float32, error) {
	out := make([][]float32, len(texts))
	w := workPool.Get().(*work)
	defer w.release()
	for i, s := range texts {
		if i%cancelCheckEvery == 0 {
			if err := ctx.Err(); err != nil {
				return nil, fmt.Errorf("localembed: %w", err)
			}
		}
		out[i] = e.embed(w, s)
	}
	return out, nil
}

// work holds the scratch buffers of one embedding, reused across calls.
type work struct {
	terms    []text.Term
	seq      []string
	features []feature
	slots    []slot
	vec      []float64
}

var workPool = sync.Pool{New: func() any { return &work{} }}

// maxPooledFeatures bounds the scratch buffers kept for reuse: enough for answers and passages of
// many pages, so that the common case allocates nothing, while the buffers of a rare huge text
// (a megabyte query) go back to the garbage collector instead of staying held by the pool.
const maxPooledFeatures = 1 << 15

// release returns w to the pool unless one huge text grew its buffers past maxPooledFeatures, and
// reports whether it did.
func (w *work) release() bool {
	if cap(w.features) > maxPooledFeatures || cap(w.slots) > 2*maxPooledFeatures ||
		cap(w.terms) > maxPooledFeatures || cap(w.seq) > maxPooledFeatures {
		return false
	}
	workPool.Put(w)
	return true
}

// feature is one hashed occurrence of a feature and its weight.
type feature struct {
	hash   uint64
	weight float64
}

// slot gathers the occurrences of one feature in an open-addressing table.
type slot struct {
	hash  uint64
	sum   float64
	count int32
}

// embed computes the vector of one text.
func (e *Embedder) embed(w *work, s string) []float32 {
	w.features = w.features[:0]
	w.terms = text.AppendTerms(w.terms[:0], s)
	w.features = appendFeatures(w.features, w.terms, e.seed)
	w.features, w.seq = appendPhraseFeatures(w.features, s, w.terms, w.seq, e.seed)
	if len(w.features) == 0 {
		// A text without content words still gets a unit vector, the same for all such texts, so
		// cosine similarity stays defined.
		w.features = append(w.features, feature{hash: hashString(familyEmpty, "", e.seed), weight: 1})
	}
	if cap(w.vec) < e.dims {
		w.vec = make([]float64, e.dims)
	}
	vec := w.vec[:e.dims]
	clear(vec)

	// Gather the occurrences of each feature in a table twice the size of the list.
	size := 1
	for size < 2*len(w.features) {
		size <<= 1
	}
	if cap(w.slots) < size {
		w.slots = make([]slot, size)
	}
	slots := w.slots[:size]
	clear(slots)
	mask := uint64(size - 1)
	for _, f := range w.features {
		i := f.hash & mask
		for slots[i].count > 0 && slots[i].hash != f.hash {
			i = (i + 1) & mask
		}
		slots[i].hash = f.hash
		slots[i].sum += f.weight
		slots[i].count++
	}
	for _, sl := range slots {
		if sl.count == 0 {
			continue
		}
		// Sublinear term frequency: a feature seen n times counts 1+ln(n) times its mean
		// weight, so a word repeated through a long passage does not drown the others.
		n := float64(sl.count)
		v := sl.sum / n * (1 + math.Log(n))
		// Signed hashing: features colliding in one dimension cancel out on average instead
		// of adding up to a bias.
		h := sl.hash
		idx := int((h >> 1) % uint64(e.dims))
		if h&1 == 1 {
			v = -v
		}
		vec[idx] += v
	}

	var norm float64
	for _, x := range vec {
		norm += x * x
	}
	out := make([]float32, e.dims)
	if norm == 0 {
		return out
	}
	inv := 1 / math.Sqrt(norm)
	for i, x := range vec {
		out[i] = float32(x * inv)
	}
	return out
}
