package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/interviewcoach/coach/internal/coach"
	"github.com/interviewcoach/coach/internal/ingest"
)

// runPurge deletes the attempts older than --older-than and the sessions that leaves empty.
func runPurge(ctx context.Context, e *env, args []string) error {
	fs := newFlags(e, "purge")
	olderThan := fs.String("older-than", "", "age of the attempts to delete: 90d, 36h or any Go duration such as 90m")
	if ok, err := parseFlags(fs, args); !ok {
		return err
	}
	if *olderThan == "" || fs.NArg() > 0 {
		fs.Usage()
		return errUsage
	}
	age, err := parseAge(*olderThan)
	if err != nil {
		return err
	}
	db, err := openReadyDB(ctx, e)
	if err != nil {
		return err
	}
	defer db.Close()
	sum, err := db.Purge(ctx, time.Now().Add(-age))
	if err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "purged %d attempts and %d sessions left empty, from before %s\n",
		sum.Attempts, sum.Sessions, sum.Before.UTC().Format(time.RFC3339))
	return nil
}

// parseAge reads an age as a number of days ("90d") or a Go duration ("36h", "90m").
func parseAge(s string) (time.Duration, error) {
	bad := coach.Errorf(coach.EINVALID, "--older-than %q is not an age such as 90d, 36h or 90m", s)
	if days, ok := strings.CutSuffix(s, "d"); ok {
		n, err := strconv.Atoi(days)
		if err != nil || n <= 0 || n > 100*365 {
			return 0, bad
		}
		return time.Duration(n) * 24 * time.Hour, nil
	}
	d, err := time.ParseDuration(s)
	if err != nil || d <= 0 {
		return 0, bad
	}
	return d, nil
}

// runExport writes the whole bank as one JSON file.
func runExport(ctx context.Context, e *env, args []string) error {
	fs := newFlags(e, "export")
	out := fs.String("out", "", "file to write (default: standard output)")
	if ok, err := parseFlags(fs, args); !ok {
		return err
	}
	if fs.NArg() > 0 {
		fs.Usage()
		return errUsage
	}
	db, err := openReadyDB(ctx, e)
	if err != nil {
		return err
	}
	defer db.Close()
	if *out == "" {
		return ingest.ExportBank(ctx, db, e.stdout)
	}
	// Written beside the target and renamed, so that a failure never leaves half a bank behind.
	tmp, err := os.CreateTemp(filepath.Dir(*out), "."+filepath.Base(*out)+".*")
	if err != nil {
		return coach.Errorf(coach.EINVALID, "--out: %v", err)
	}
	defer os.Remove(tmp.Name())
	if err := ingest.ExportBank(ctx, db, tmp); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return fmt.Errorf("write %s: %w", *out, err)
	}
	if err := os.Rename(tmp.Name(), *out); err != nil {
		return fmt.Errorf("write %s: %w", *out, err)
	}
	fmt.Fprintf(e.stderr, "exported the bank to %s\n", *out)
	return nil
}

// runImport stores a bank file written by `coach export`, all or nothing.
func runImport(ctx context.Context, e *env, args []string) error {
	fs := newFlags(e, "import")
	asJSON := fs.Bool("json", false, "print the summary as JSON")
	if ok, err := parseFlags(fs, args); !ok {
		return err
	}
	if fs.NArg() != 1 {
		fs.Usage()
		return errUsage
	}
	var r io.Reader = e.stdin
	if name := fs.Arg(0); name != "-" {
		f, err := os.Open(name)
		if err != nil {
			return coach.Errorf(coach.EINVALID, "%s: cannot open: %v", name, err)
		}
		defer f.Close()
		r = f
	}
	bank, err := ingest.ReadBank(r)
	if err != nil {
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
	sum, err := ingest.ImportBank(ctx, db, embedder, bank)
	if err != nil {
		return err
	}
	if *asJSON {
		return printJSON(e, sum)
	}
	fmt.Fprintf(e.stdout, "imported %d topics, %d sources, %d questions, %d references, %d key points and %d passages; %d references were already stored\n",
		sum.Topics, sum.Sources, sum.Questions, sum.References, sum.KeyPoints, sum.Passages, sum.Existing)
	return nil
}
