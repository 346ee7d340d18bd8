package main

import (
	"context"
	"fmt"
	"io"
	"io/fs"
	"net/url"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/interviewcoach/coach/internal/bank"
	"github.com/interviewcoach/coach/internal/coach"
	"github.com/interviewcoach/coach/internal/docparse"
	"github.com/interviewcoach/coach/internal/ingest"
	"github.com/interviewcoach/coach/internal/postgres"
	"github.com/interviewcoach/coach/internal/progress"
)

func runIngest(ctx context.Context, e *env, args []string) error {
	fs := newFlags(e, "ingest")
	builtin := fs.Bool("builtin", false, "import the bundled Django and Python web bank")
	ifEmpty := fs.Bool("if-empty", false, "do nothing when the bank already holds questions")
	asJSON := fs.Bool("json", false, "print the summary as JSON")
	sourceName := fs.String("source-name", "", "the readable name of the source (one input only), shown instead of the file name or page title")
	sourceURL := fs.String("source-url", "", "the source's address (one input only), e.g. the page a text file was copied from")
	if ok, err := parseFlags(fs, args); !ok {
		return err
	}
	paths := fs.Args()
	if !*builtin && len(paths) == 0 {
		fs.Usage()
		return errUsage
	}
	if *sourceURL != "" && !validURL(*sourceURL) {
		return coach.Errorf(coach.EINVALID, "--source-url %q is not an absolute http or https URL", *sourceURL)
	}

	db, err := openReadyDB(ctx, e)
	if err != nil {
		return err
	}
	defer db.Close()
	if *ifEmpty {
		n, err := db.CountQuestions(ctx)
		if err != nil {
			return err
		}
		if n > 0 {
			fmt.Fprintf(e.stdout, "the bank already holds %d questions; nothing imported\n", n)
			return nil
		}
	}
	embedder, err := newEmbedder(ctx, e)
	if err != nil {
		return err
	}
	im, err := newImporter(e, db, embedder)
	if err != nil {
		return err
	}

	// Duplicates are found by vectors of the configured model: embed what it has not embedded yet.
	bar := progress.New(e.stderr, "embedding the bank with "+embedder.Model(), 0)
	caughtUp, err := ingest.CatchUp(ctx, db, embedder, func(done, total int) {
		bar.SetTotal(total)
		bar.Set(done)
	})
	if caughtUp {
		bar.Finish()
	}
	if err != nil {
		return err
	}

	var inputs []input
	if *builtin {
		inputs = append(inputs, input{name: bank.Name, data: bank.Django()})
	}
	files, err := expand(paths)
	if err != nil {
		return err
	}
	inputs = append(inputs, files...)
	if *sourceName != "" || *sourceURL != "" {
		if len(inputs) != 1 {
			return coach.Errorf(coach.EINVALID, "--source-name and --source-url name one source: give exactly one input file, not %d", len(inputs))
		}
		inputs[0].title, inputs[0].url = strings.TrimSpace(*sourceName), *sourceURL
	}

	total := &ingest.Summary{}
	for _, in := range inputs {
		sum, err := importOne(ctx, e, im, in)
		if sum != nil {
			total.Add(sum)
		}
		if err != nil {
			if ctx.Err() != nil {
				return ctx.Err()
			}
			if sum == nil {
				total.Files++
			}
			total.Failed = append(total.Failed, ingest.Failure{Source: in.name, Error: message(err)})
			fmt.Fprintf(e.stderr, "coach: %s\n", message(err))
		}
	}
	if total.Review, err = db.ReviewReport(ctx, embedder.Model(), im.Thresholds.Suspect, ingest.DefaultTopic, ingest.ReviewLimit); err != nil {
		return err
	}
	if *asJSON {
		if err := printJSON(e, total); err != nil {
			return err
		}
	} else {
		printSummary(e.stdout, total)
	}
	if n := len(total.Failed); n > 0 {
		return coach.Errorf(coach.EINVALID, "%d of %d inputs could not be imported (see above); everything else was stored", n, total.Files)
	}
	return nil
}

// newImporter builds the importer, with the language model writing key points when one is configured.
func newImporter(e *env, db *postgres.DB, embedder coach.Embedder) (*ingest.Importer, error) {
	thresholds, err := ingest.ParseThresholds(e.cfg.Similarity)
	if err != nil {
		return nil, coach.Errorf(coach.EINVALID, "COACH_SIMILARITY: %v", err)
	}
	if e.cfg.Similarity == "" && e.cfg.Embedder != "local" {
		e.logger.Warn("the similarity thresholds of imports were chosen for the local embedder: calibrate COACH_SIMILARITY for this one",
			"embedder", embedder.Model(), "thresholds", thresholds.String())
	}
	im := &ingest.Importer{Store: db, Embedder: embedder, Logger: e.logger, Observer: e.importObserver(), Thresholds: &thresholds,
		BulkIndexMin: e.cfg.BulkIndexMin}
	if e.cfg.UseLLM() {
		client, err := newOpenAI(e)
		if err != nil {
			return nil, err
		}
		im.Extractor = client
	}
	return im, nil
}

// input is one document to import. data is nil for a file read when its turn comes. name is what
// the source is known by: a file's base name, never its path; title and url, when set, name it.
type input struct {
	name  string
	path  string
	data  []byte
	title string
	url   string
}

// validURL reports whether s is an absolute http or https URL.
func validURL(s string) bool {
	u, err := url.Parse(s)
	return err == nil && (u.Scheme == "http" || u.Scheme == "https") && u.Host != ""
}

// expand turns the command-line paths into inputs: directories are walked (skipping hidden entries)
// and "-" is standard input.
func expand(paths []string) ([]input, error) {
	var out []input
	for _, p := range paths {
		if p == "-" {
			out = append(out, input{name: "stdin", path: "-"})
			continue
		}
		st, err := os.Stat(p)
		if err != nil {
			return nil, coach.Errorf(coach.EINVALID, "%s: no such file or directory", p)
		}
		if !st.IsDir() {
			out = append(out, input{name: ingest.SourceName(p), path: p})
			continue
		}
		var found []string
		err = filepath.WalkDir(p, func(path string, d fs.DirEntry, err error) error {
			if err != nil {
				return err
			}
			if path != p && strings.HasPrefix(d.Name(), ".") {
				if d.IsDir() {
					return filepath.SkipDir
				}
				return nil
			}
			if d.Type().IsRegular() {
				found = append(found, path)
			}
			return nil
		})
		if err != nil {
			return nil, fmt.Errorf("read %s: %w", p, err)
		}
		sort.Strings(found)
		for _, f := range found {
			out = append(out, input{name: ingest.SourceName(f), path: f})
		}
	}
	return out, nil
}

func importOne(ctx context.Context, e *env, im *ingest.Importer, in input) (*ingest.Summary, error) {
	data := in.data
	if data == nil {
		var err error
		if data, err = readInput(e, in); err != nil {
			return nil, err
		}
	}
	// The bar starts with the first stored draft, so a file refused outright draws none.
	var bar *progress.Bar
	sum, err := im.ImportAs(ctx, ingest.SourceInfo{Name: in.name, Title: in.title, URL: in.url}, data, func(done, total int) {
		if bar == nil {
			bar = progress.New(e.stderr, filepath.Base(in.name), total)
		}
		bar.Add(1)
	})
	if bar != nil {
		bar.Finish()
	}
	return sum, err
}

// readInput reads a file or stdin, refusing anything larger than the parser accepts before reading
// it all.
func readInput(e *env, in input) ([]byte, error) {
	var r io.Reader
	if in.path == "-" {
		r = e.stdin
	} else {
		f, err := os.Open(in.path)
		if err != nil {
			return nil, coach.Errorf(coach.EINVALID, "%s: cannot open: %v", in.name, err)
		}
		defer f.Close()
		if st, err := f.Stat(); err == nil && st.Size() > docparse.MaxSize {
			return nil, coach.Errorf(coach.ETOOLARGE, "%s: file too large: %d bytes, limit %d", in.name, st.Size(), docparse.MaxSize)
		}
		r = f
	}
	data, err := io.ReadAll(io.LimitReader(r, docparse.MaxSize+1))
	if err != nil {
		return nil, coach.Errorf(coach.EINVALID, "%s: read: %v", in.name, err)
	}
	if len(data) > docparse.MaxSize {
		return nil, coach.Errorf(coach.ETOOLARGE, "%s: file too large: over %d bytes", in.name, docparse.MaxSize)
	}
	return data, nil
}

func printSummary(w io.Writer, s *ingest.Summary) {
	fmt.Fprintf(w, "Imported %d input(s): %d new questions, %d new references (%d merged into questions from other sources), %d key points, %d passages.\n",
		s.Files, s.Questions, s.References, s.Merged, s.KeyPoints, s.Passages)
	fmt.Fprintf(w, "Duplicates left as they were: %d. Answers without a question: %d attached to a question, %d kept as passages.\n",
		s.Duplicates, s.OrphansAttached, s.OrphansKept)
	if len(s.Skipped) > 0 {
		fmt.Fprintf(w, "Skipped %d block(s):\n", len(s.Skipped))
		for _, sk := range s.Skipped {
			fmt.Fprintf(w, "  %s %s: %s\n", sk.Source, sk.Location, sk.Reason)
		}
	}
	if len(s.Warnings) > 0 {
		fmt.Fprintf(w, "Imported in part %d block(s):\n", len(s.Warnings))
		for _, sk := range s.Warnings {
			fmt.Fprintf(w, "  %s %s: %s\n", sk.Source, sk.Location, sk.Reason)
		}
	}
	if len(s.Failed) > 0 {
		fmt.Fprintf(w, "Failed %d input(s):\n", len(s.Failed))
		for _, f := range s.Failed {
			fmt.Fprintf(w, "  %s\n", f.Error)
		}
	}
	if s.DraftKeyPoints+s.DuplicateKeyPoints > 0 {
		fmt.Fprintf(w, "Key points: %d new drafts wait for review; %d not stored, as their question's rubric already said the same.\n",
			s.DraftKeyPoints, s.DuplicateKeyPoints)
	}
	if s.Review != nil {
		printReview(w, s.Review)
	}
}

// reviewShown is how many entries of each list of the review report the text summary prints.
const reviewShown = 10

func printReview(w io.Writer, r *coach.ReviewReport) {
	if r.DraftKeyPoints == 0 && len(r.WithoutRubric) == 0 && len(r.Unsorted) == 0 && len(r.SuspectedDuplicates) == 0 {
		fmt.Fprintln(w, "Nothing waits for review.")
		return
	}
	fmt.Fprintf(w, "To review (the bank page of the web UI, or GET /api/v1/bank/review):\n")
	list := func(title string, qs []coach.ReviewQuestion, line func(coach.ReviewQuestion) string) {
		if len(qs) == 0 {
			return
		}
		fmt.Fprintf(w, "  %s\n", title)
		for i, q := range qs {
			if i == reviewShown {
				fmt.Fprintf(w, "    … and %d more\n", len(qs)-reviewShown)
				break
			}
			fmt.Fprintf(w, "    %s\n", line(q))
		}
	}
	list(fmt.Sprintf("%d draft key points wait in %d questions:", r.DraftKeyPoints, len(r.Drafts)), r.Drafts, func(q coach.ReviewQuestion) string {
		return fmt.Sprintf("%s: %d drafts, %d approved", q.ID, q.Drafts, q.Approved)
	})
	list(fmt.Sprintf("%d questions have no approved rubric and are graded against their drafts:", len(r.WithoutRubric)), r.WithoutRubric, func(q coach.ReviewQuestion) string {
		return fmt.Sprintf("%s: %s", q.ID, q.Text)
	})
	list(fmt.Sprintf("%d questions are unsorted (no clear topic):", len(r.Unsorted)), r.Unsorted, func(q coach.ReviewQuestion) string {
		return fmt.Sprintf("%s: %s", q.ID, q.Text)
	})
	if n := len(r.SuspectedDuplicates); n > 0 {
		fmt.Fprintf(w, "  %d pairs of questions may be the same (merge them if so):\n", n)
		for i, d := range r.SuspectedDuplicates {
			if i == reviewShown {
				fmt.Fprintf(w, "    … and %d more\n", n-reviewShown)
				break
			}
			fmt.Fprintf(w, "    %s ~ %s (%.2f): %q / %q\n", d.A.ID, d.B.ID, d.Similarity, d.A.Text, d.B.Text)
		}
	}
}
