package main

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"time"

	"github.com/interviewcoach/coach/internal/coach"
	"github.com/interviewcoach/coach/internal/ingest"
	"github.com/interviewcoach/coach/internal/progress"
)

func runDocs(ctx context.Context, e *env, args []string) error {
	fs := newFlags(e, "docs")
	dir := fs.String("dir", "", "the folder of the documentation's HTML build (e.g. Django's html/)")
	name := fs.String("name", "", "the documentation source's name, e.g. \"Django documentation\"")
	version := fs.String("version", "", "the release the documentation describes, e.g. 4.2")
	base := fs.String("base-url", "", "the public address of the documentation's root, e.g. https://docs.djangoproject.com/en/4.2/")
	asJSON := fs.Bool("json", false, "print the summary as JSON")
	if ok, err := parseFlags(fs, args); !ok {
		return err
	}
	if *dir == "" || *name == "" || *base == "" {
		fs.Usage()
		return errUsage
	}
	baseURL, err := ingest.DocsBase(*base)
	if err != nil {
		return err
	}
	if st, err := os.Stat(*dir); err != nil || !st.IsDir() {
		return coach.Errorf(coach.EINVALID, "--dir %q is not a folder", *dir)
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
	title := *name
	if *version != "" {
		title += " " + *version
	}
	bar := progress.New(e.stderr, "importing "+title, 0)
	sum, err := ingest.ImportDocs(ctx, db, embedder, coach.DocSource{Name: *name, Title: title, Version: *version, BaseURL: baseURL},
		os.DirFS(*dir), ingest.DocsOptions{
			BulkIndexMin: e.cfg.BulkIndexMin,
			Step: func(done, total int) {
				bar.SetTotal(total)
				bar.Set(done)
			},
			Building: func(passages int) {
				bar.Finish()
				fmt.Fprintf(e.stderr, "building the passage index after a bulk load of %d passages\n", passages)
			},
		})
	bar.Finish()
	if err != nil {
		return err
	}
	if *asJSON {
		enc := json.NewEncoder(e.stdout)
		enc.SetIndent("", "  ")
		return enc.Encode(sum)
	}
	build := ""
	if sum.IndexBuild > 0 {
		build = fmt.Sprintf(" (of which building the index %s)", sum.IndexBuild.Round(time.Millisecond))
	}
	fmt.Fprintf(e.stdout, "%s: %d pages (%d skipped), %d sections, %d new (%d passages), %d pruned; parse %s, embed and store %s%s\n",
		title, sum.Pages, sum.Skipped, sum.Sections, sum.Added, sum.Passages, sum.Pruned,
		sum.Parse.Round(time.Millisecond), sum.Index.Round(time.Millisecond), build)
	return nil
}
