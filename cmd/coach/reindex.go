package main

import (
	"context"
	"fmt"

	"github.com/interviewcoach/coach/internal/coach"
	"github.com/interviewcoach/coach/internal/postgres"
	"github.com/interviewcoach/coach/internal/progress"
)

// reindexBatch is how many texts go to the embedder at once.
const reindexBatch = 64

func runReindex(ctx context.Context, e *env, args []string) error {
	fs := newFlags(e, "reindex")
	if ok, err := parseFlags(fs, args); !ok {
		return err
	}
	db, err := openReadyDB(ctx, e)
	if err != nil {
		return err
	}
	defer db.Close()
	embedder, err := newEmbedder(e)
	if err != nil {
		return err
	}
	passages, questions, err := reindex(ctx, db, embedder, e)
	if err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "embedded %d passages and %d questions with %s (%d dimensions)\n",
		passages, questions, embedder.Model(), embedder.Dimensions())
	return nil
}

// reindex re-embeds every passage and question with embedder, replacing its earlier vectors of the
// same model; vectors of other models stay, unused, until that model is configured again.
func reindex(ctx context.Context, db *postgres.DB, embedder coach.Embedder, e *env) (passages, questions int, err error) {
	model := embedder.Model()
	if err := db.EnsureVectorIndex(ctx, model, embedder.Dimensions()); err != nil {
		return 0, 0, err
	}
	total, _, err := db.CountPassages(ctx, model)
	if err != nil {
		return 0, 0, err
	}
	all, err := db.AllQuestions(ctx)
	if err != nil {
		return 0, 0, err
	}
	bar := progress.New(e.stderr, "reindex", total+len(all))
	defer bar.Finish()

	var after int64
	for {
		page, err := db.PassagesPage(ctx, after, reindexBatch)
		if err != nil {
			return passages, 0, err
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
			return passages, 0, err
		}
		if err := db.SaveVectors(ctx, model, postgres.Vectors{PassageIDs: ids, Vectors: vecs}); err != nil {
			return passages, 0, err
		}
		passages += len(page)
		after = page[len(page)-1].ID
		bar.Add(len(page))
	}
	for start := 0; start < len(all); start += reindexBatch {
		batch := all[start:min(start+reindexBatch, len(all))]
		texts := make([]string, len(batch))
		ids := make([]string, len(batch))
		for i, q := range batch {
			texts[i], ids[i] = q.Text, q.ID
		}
		vecs, err := embedder.Embed(ctx, texts)
		if err != nil {
			return passages, questions, err
		}
		if err := db.SaveVectors(ctx, model, postgres.Vectors{QuestionIDs: ids, Vectors: vecs}); err != nil {
			return passages, questions, err
		}
		questions += len(batch)
		bar.Add(len(batch))
	}
	return passages, questions, nil
}
