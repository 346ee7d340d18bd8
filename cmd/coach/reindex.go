package main

import (
	"context"
	"fmt"

	"github.com/interviewcoach/coach/internal/ingest"
	"github.com/interviewcoach/coach/internal/progress"
)

func runReindex(ctx context.Context, e *env, args []string) error {
	fs := newFlags(e, "reindex")
	ifNeeded := fs.Bool("if-needed", false, "do nothing when every passage already has a vector of the configured model")
	if ok, err := parseFlags(fs, args); !ok {
		return err
	}
	db, err := openReadyDB(ctx, e)
	if err != nil {
		return err
	}
	defer db.Close()
	embedder, err := newEmbedder(ctx, e)
	if err != nil {
		return err
	}
	if *ifNeeded {
		total, embedded, err := db.CountPassages(ctx, embedder.Model())
		if err != nil {
			return err
		}
		if embedded >= total {
			fmt.Fprintf(e.stdout, "every passage has a vector of %s; nothing to do\n", embedder.Model())
			return nil
		}
	}
	bar := progress.New(e.stderr, "reindex", 0)
	sum, err := ingest.Reindex(ctx, db, embedder, func(done, total int) {
		bar.SetTotal(total)
		bar.Set(done)
	})
	bar.Finish()
	if err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "embedded %d passages and %d questions with %s (%d dimensions)\n",
		sum.Passages, sum.Questions, sum.Model, sum.Dimensions)
	return nil
}
