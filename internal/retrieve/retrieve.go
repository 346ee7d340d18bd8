// Package retrieve finds the reference passages nearest to a text: by vector similarity, fused with
// full-text search when the store offers it (see HybridStore).
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

// HybridStore is a Store that also ranks passages by vector and full-text search fused, optionally
// of one kind of source (coach.SourceBank, SourcePage, SourceDocs).
type HybridStore interface {
	Store
	HybridSearch(ctx context.Context, model, query string, vec []float32, k int, kind, topic string) ([]coach.SearchResult, error)
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
	return r.SearchKind(ctx, query, k, topic, "")
}

// SearchKind is Search within one kind of source ("" for any). With a HybridStore the vector
// ranking is fused with full-text search; otherwise the kind must be "".
func (r *Retriever) SearchKind(ctx context.Context, query string, k int, topic, kind string) ([]coach.SearchResult, error) {
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
	var results []coach.SearchResult
	if h, ok := r.Store.(HybridStore); ok {
		results, err = h.HybridSearch(ctx, r.Embedder.Model(), query, vecs[0], k, kind, topic)
	} else if kind != "" {
		return nil, coach.Errorf(coach.EINVALID, "this store cannot filter by kind of source")
	} else {
		results, err = r.Store.Search(ctx, r.Embedder.Model(), vecs[0], k, topic)
	}
	if err == nil && r.Observer != nil {
		r.Observer.ObserveRetrieval("search", time.Since(start))
	}
	return results, err
}
