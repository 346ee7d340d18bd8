package main

import (
	"context"
	"fmt"

	"github.com/interviewcoach/coach/internal/ingest"
	"github.com/interviewcoach/coach/internal/progress"
)

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
	bar := progress.New(e.stderr, "reindex", 0)
	last := 0
	sum, err := ingest.Reindex(ctx, db, embedder, func(done, total int) {
		bar.SetTotal(total)
		bar.Add(done - last)
		last = done
	})
	bar.Finish()
	if err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "embedded %d passages and %d questions with %s (%d dimensions)\n",
		sum.Passages, sum.Questions, sum.Model, sum.Dimensions)
	return nil
}
