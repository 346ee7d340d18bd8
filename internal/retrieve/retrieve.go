// Package retrieve finds the reference passages nearest to a text by vector similarity.
package retrieve

import (
	"context"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/interviewcoach/coach/internal/coach"
)

// Store is what retrieval needs of the database.
type Store interface {
	Search(ctx context.Context, model string, vec []float32, k int, topic string) ([]coach.SearchResult, error)
}

// MaxK is the most results one search returns.
const MaxK = 50

// MaxQueryChars bounds a search query: a question or an answer's worth of text finds what it can,
// and a longer one would only cost memory and time.
const MaxQueryChars = 2000

// Observer is told how long each search takes, for metrics; op is "search".
type Observer interface {
	ObserveRetrieval(op string, d time.Duration)
}

// Retriever embeds queries and searches the stored passages of the embedder's model.
type Retriever struct {
	Store    Store
	Embedder coach.Embedder
	// Observer, when set, is told how long each search takes.
	Observer Observer
}

// Search returns the k passages nearest to query, optionally within one topic, most similar first.
func (r *Retriever) Search(ctx context.Context, query string, k int, topic string) ([]coach.SearchResult, error) {
	query = strings.TrimSpace(query)
	if query == "" {
		return nil, coach.Errorf(coach.EINVALID, "query is empty")
	}
	if n := utf8.RuneCountInString(query); n > MaxQueryChars {
		return nil, coach.Errorf(coach.EINVALID, "query is %d characters long; the limit is %d", n, MaxQueryChars)
	}
	if k < 1 || k > MaxK {
		return nil, coach.Errorf(coach.EINVALID, "k must be between 1 and %d", MaxK)
	}
	start := time.Now()
	vecs, err := r.Embedder.Embed(ctx, []string{query})
	if err != nil {
		return nil, err
	}
	results, err := r.Store.Search(ctx, r.Embedder.Model(), vecs[0], k, topic)
	if err == nil && r.Observer != nil {
		r.Observer.ObserveRetrieval("search", time.Since(start))
	}
	return results, err
}
