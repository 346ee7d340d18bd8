package ingest

import (
	"context"
	"fmt"
	"io/fs"
	"sort"
	"strings"
	"time"

	"github.com/interviewcoach/coach/internal/coach"
	"github.com/interviewcoach/coach/internal/docparse"
)

// DocStore is what a documentation import needs of the database.
type DocStore interface {
	SaveDocSection(ctx context.Context, s *coach.DocSectionRecord) (bool, error)
	PruneDocSections(ctx context.Context, name string, keep []string) (int, error)
	ReferenceExists(ctx context.Context, contentHash string) (bool, error)
	EnsureVectorIndex(ctx context.Context, model string, dims int) error
}

// DocsSummary counts what a documentation import did.
type DocsSummary struct {
	Pages    int           `json:"pages"`    // HTML pages read as documentation
	Skipped  int           `json:"skipped"`  // index pages and pages with no section
	Sections int           `json:"sections"` // sections with text
	Passages int           `json:"passages"` // passages of the sections stored by this run
	Added    int           `json:"added"`    // sections new in this run
	Pruned   int           `json:"pruned"`   // sections of an earlier import no longer in the documentation
	Parse    time.Duration `json:"parse_ns"` // reading the pages
	Index    time.Duration `json:"index_ns"` // embedding and storing
}

// embedBatch is how many passages are embedded in one call.
const embedBatch = 64

// ImportDocs imports every HTML page under root (a documentation build such as Django's) as the
// documentation source src: each section becomes a reference with no question, titled by its
// heading path, linked to its public URL under src.BaseURL, and cut into passages. Index pages
// and the build's own folders (_static, _modules, ...) are skipped. Importing the same build again
// adds nothing; sections that an earlier import stored and this build no longer holds are deleted.
func ImportDocs(ctx context.Context, store DocStore, embedder coach.Embedder, src coach.DocSource, root fs.FS, step func(done, total int)) (*DocsSummary, error) {
	if src.Name == "" || src.BaseURL == "" {
		return nil, coach.Errorf(coach.EINVALID, "a documentation source needs a name and a base URL")
	}
	var files []string
	err := fs.WalkDir(root, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() && p != "." && strings.HasPrefix(d.Name(), "_") {
			return fs.SkipDir
		}
		if !d.IsDir() && strings.HasSuffix(p, ".html") {
			files = append(files, p)
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("ingest: docs: %w", err)
	}
	if len(files) == 0 {
		return nil, fmt.Errorf("ingest: docs: %w: no HTML pages", ErrNoInput)
	}
	sort.Strings(files)

	sum := &DocsSummary{}
	start := time.Now()
	var records []*coach.DocSectionRecord
	for _, name := range files {
		if docparse.IsIndexPage(name) {
			sum.Skipped++
			continue
		}
		data, err := fs.ReadFile(root, name)
		if err != nil {
			return nil, fmt.Errorf("ingest: docs: %w", err)
		}
		page, err := docparse.ParseDocumentation(name, data)
		if err != nil {
			return nil, fmt.Errorf("ingest: docs: %s: %w", name, err)
		}
		if len(page.Sections) == 0 {
			sum.Skipped++
			continue
		}
		sum.Pages++
		for _, s := range page.Sections {
			loc := name
			if s.Anchor != "" {
				loc += "#" + s.Anchor
			}
			title := s.Title()
			records = append(records, &coach.DocSectionRecord{
				Source:      src,
				Location:    loc,
				Title:       title,
				URL:         docparse.PublicURL(src.BaseURL, name, s.Anchor),
				Text:        s.Text,
				ContentHash: hashOf("docs\x00" + src.Name + "\x00" + src.Version + "\x00" + loc + "\x00" + title + "\x00" + s.Text),
				Passages:    Chunk(s.Text),
			})
		}
	}
	sum.Sections = len(records)
	sum.Parse = time.Since(start)

	start = time.Now()
	keep := make([]string, len(records))
	indexed := false
	for i, r := range records {
		if err := ctx.Err(); err != nil {
			return sum, err
		}
		r.ID = "doc-" + r.ContentHash[:20]
		r.Model = embedder.Model()
		keep[i] = r.ContentHash
		if ok, err := store.ReferenceExists(ctx, r.ContentHash); err != nil {
			return sum, err
		} else if ok {
			if step != nil {
				step(i+1, len(records))
			}
			continue
		}
		inputs := make([]string, len(r.Passages))
		for j, p := range r.Passages {
			inputs[j] = coach.EmbeddingInput(r.Title, p)
		}
		for j := 0; j < len(inputs); j += embedBatch {
			vecs, err := embedder.Embed(ctx, inputs[j:min(j+embedBatch, len(inputs))])
			if err != nil {
				return sum, fmt.Errorf("ingest: docs: embed %s: %w", r.Location, err)
			}
			r.Vectors = append(r.Vectors, vecs...)
		}
		if !indexed && len(r.Vectors) > 0 {
			if err := store.EnsureVectorIndex(ctx, r.Model, len(r.Vectors[0])); err != nil {
				return sum, err
			}
			indexed = true
		}
		added, err := store.SaveDocSection(ctx, r)
		if err != nil {
			return sum, fmt.Errorf("ingest: docs: %s: %w", r.Location, err)
		}
		if added {
			sum.Added++
			sum.Passages += len(r.Passages)
		}
		if step != nil {
			step(i+1, len(records))
		}
	}
	n, err := store.PruneDocSections(ctx, src.Name, keep)
	if err != nil {
		return sum, err
	}
	sum.Pruned = n
	sum.Index = time.Since(start)
	return sum, nil
}

// DocsBase checks a documentation base URL and gives it its closing slash.
func DocsBase(u string) (string, error) {
	if !strings.HasPrefix(u, "https://") && !strings.HasPrefix(u, "http://") {
		return "", coach.Errorf(coach.EINVALID, "documentation base URL %q is not an absolute http or https URL", u)
	}
	if !strings.HasSuffix(u, "/") {
		u += "/"
	}
	return u, nil
}
