package ingest

import (
	"context"

	"github.com/interviewcoach/coach/internal/coach"
)

// ReindexStore is what re-embedding the bank needs of the database.
type ReindexStore interface {
	EnsureVectorIndex(ctx context.Context, model string, dims int) error
	CountPassages(ctx context.Context, model string) (total, embedded int, err error)
	AllQuestions(ctx context.Context) ([]coach.Question, error)
	PassagesPage(ctx context.Context, after int64, limit int) ([]coach.PassageText, error)
	SaveVectors(ctx context.Context, model string, v coach.Vectors) error
}

// ReindexBatch is how many texts go to the embedder at once.
const ReindexBatch = 64

// Reindex embeds every passage and question with embedder, replacing its earlier vectors of the same
// model; vectors of other models stay, unused, until that model is configured again. step, when set,
// is called as the work progresses with the number of texts done and the total.
func Reindex(ctx context.Context, store ReindexStore, embedder coach.Embedder, step func(done, total int)) (*coach.ReindexSummary, error) {
	model := embedder.Model()
	sum := &coach.ReindexSummary{Model: model, Dimensions: embedder.Dimensions()}
	if err := store.EnsureVectorIndex(ctx, model, embedder.Dimensions()); err != nil {
		return nil, err
	}
	total, _, err := store.CountPassages(ctx, model)
	if err != nil {
		return nil, err
	}
	all, err := store.AllQuestions(ctx)
	if err != nil {
		return nil, err
	}
	total += len(all)
	progress := func() {
		if step != nil {
			step(sum.Passages+sum.Questions, total)
		}
	}

	var after int64
	for {
		page, err := store.PassagesPage(ctx, after, ReindexBatch)
		if err != nil {
			return sum, err
		}
		if len(page) == 0 {
			break
		}
		texts := make([]string, len(page))
		ids := make([]int64, len(page))
		for i, p := range page {
			texts[i] = coach.EmbeddingInput(p.Question, p.Text)
			ids[i] = p.ID
		}
		vecs, err := embedder.Embed(ctx, texts)
		if err != nil {
			return sum, err
		}
		if err := store.SaveVectors(ctx, model, coach.Vectors{PassageIDs: ids, Vectors: vecs}); err != nil {
			return sum, err
		}
		sum.Passages += len(page)
		after = page[len(page)-1].ID
		progress()
	}
	for start := 0; start < len(all); start += ReindexBatch {
		batch := all[start:min(start+ReindexBatch, len(all))]
		texts := make([]string, len(batch))
		ids := make([]string, len(batch))
		for i, q := range batch {
			texts[i], ids[i] = q.Text, q.ID
		}
		vecs, err := embedder.Embed(ctx, texts)
		if err != nil {
			return sum, err
		}
		if err := store.SaveVectors(ctx, model, coach.Vectors{QuestionIDs: ids, Vectors: vecs}); err != nil {
			return sum, err
		}
		sum.Questions += len(batch)
		progress()
	}
	return sum, nil
}

// CatchUp re-embeds the bank when some of its passages have no vector of embedder's model, as after
// the embedding model changed, and reports whether it did. Imports call it first: they find
// duplicate questions and orphans' questions by vectors of the current model, and would miss every
// question stored only with another model's.
func CatchUp(ctx context.Context, store ReindexStore, embedder coach.Embedder, step func(done, total int)) (bool, error) {
	total, embedded, err := store.CountPassages(ctx, embedder.Model())
	if err != nil {
		return false, err
	}
	if embedded >= total {
		return false, nil
	}
	if _, err := Reindex(ctx, store, embedder, step); err != nil {
		return false, err
	}
	return true, nil
}
