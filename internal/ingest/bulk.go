package ingest

import (
	"context"
	"log/slog"
	"time"
)

// DefaultBulkIndexMin is how many new passages make an import a bulk load (see bulkIndex).
const DefaultBulkIndexMin = 2000

// BulkIndexer is what a Store offers when a large import may be loaded without the passage
// vectors' HNSW index, which is built again afterwards.
type BulkIndexer interface {
	// CountPassages returns how many passages are stored and how many have a vector of model.
	CountPassages(ctx context.Context, model string) (total, embedded int, err error)
	// DropVectorIndex drops the HNSW index over model's passage vectors.
	DropVectorIndex(ctx context.Context, model string, dims int) error
	EnsureVectorIndex(ctx context.Context, model string, dims int) error
}

// bulkIndex decides whether adding incoming passages of model is a bulk load: at least min of
// them (DefaultBulkIndexMin when min is 0; never when it is negative), and more than the model has
// stored. Inserting a vector into an HNSW graph searches the graph and rewrites its neighbours'
// lists, which costs several times what the same vector costs when pgvector builds the graph from
// stored vectors; so when the stored vectors are fewer than the new ones, building the index again
// over both is cheaper than inserting the new ones. For a bulk load the index is dropped and the
// returned function builds it again (it runs even when ctx is cancelled, so an import that stops
// half-way leaves an index; `coach serve` and every import also build a missing one). Otherwise
// rebuild is nil and nothing changes.
func bulkIndex(ctx context.Context, log *slog.Logger, store any, model string, dims, incoming, min int) (rebuild func() error, err error) {
	if log == nil {
		log = slog.Default()
	}
	b, ok := store.(BulkIndexer)
	if min == 0 {
		min = DefaultBulkIndexMin
	}
	if !ok || min < 0 || incoming < min {
		return nil, nil
	}
	_, stored, err := b.CountPassages(ctx, model)
	if err != nil {
		return nil, err
	}
	if stored >= incoming {
		return nil, nil
	}
	if err := b.DropVectorIndex(ctx, model, dims); err != nil {
		return nil, err
	}
	log.InfoContext(ctx, "bulk load: the passage vector index is built after the import", "model", model,
		"incoming", incoming, "stored_passages", stored)
	return func() error {
		start := time.Now()
		err := b.EnsureVectorIndex(context.WithoutCancel(ctx), model, dims)
		log.InfoContext(ctx, "bulk load: passage vector index built", "model", model, "took", time.Since(start).Round(time.Millisecond))
		return err
	}, nil
}
