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
	SaveDocSections(ctx context.Context, recs []*coach.DocSectionRecord) ([]bool, error)
	PruneDocSections(ctx context.Context, name string, keep []string) (int, error)
	StoredReferences(ctx context.Context, hashes []string) (map[string]bool, error)
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
	// IndexBuild is the time spent building the passage vectors' index again after a bulk load
	// (zero when the new passages went into the index one by one).
	IndexBuild time.Duration `json:"index_build_ns,omitempty"`
}

// DocsOptions are ImportDocs' options; the zero value is the default.
type DocsOptions struct {
	// Step, when set, is called as sections are done.
	Step func(done, total int)
	// BulkIndexMin is how many new passages make the import a bulk load, which leaves the passage
	// vectors' index out and builds it afterwards when they are more than the model has stored:
	// 0 is DefaultBulkIndexMin, a negative number never.
	BulkIndexMin int
	// Building, when set, is called before the index is built after a bulk load.
	Building func(passages int)
}

// embedBatch is how many passages are embedded in one call.
const embedBatch = 64

// docsBatch is how many sections are stored in one transaction.
const docsBatch = 128

// ImportDocs imports every HTML page under root (a documentation build such as Django's) as the
// documentation source src: each section becomes a reference with no question, titled by its
// heading path, linked to its public URL under src.BaseURL, and cut into passages. Index pages
// and the build's own folders (_static, _modules, ...) are skipped. Importing the same build again
// adds nothing; sections that an earlier import stored and this build no longer holds are deleted.
func ImportDocs(ctx context.Context, store DocStore, embedder coach.Embedder, src coach.DocSource, root fs.FS, opts DocsOptions) (sum *DocsSummary, err error) {
	if src.Name == "" || src.BaseURL == "" {
		return nil, coach.Errorf(coach.EINVALID, "a documentation source needs a name and a base URL")
	}
	var files []string
	err = fs.WalkDir(root, ".", func(p string, d fs.DirEntry, err error) error {
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

	sum = &DocsSummary{}
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
	for i, r := range records {
		r.ID = "doc-" + r.ContentHash[:20]
		r.Model = embedder.Model()
		keep[i] = r.ContentHash
	}
	stored := map[string]bool{}
	for lo := 0; lo < len(keep); lo += 1000 {
		found, err := store.StoredReferences(ctx, keep[lo:min(lo+1000, len(keep))])
		if err != nil {
			return sum, err
		}
		for h := range found {
			stored[h] = true
		}
	}
	incoming := 0
	for _, r := range records {
		if !stored[r.ContentHash] {
			incoming += len(r.Passages)
		}
	}
	if incoming > 0 {
		if err := store.EnsureVectorIndex(ctx, embedder.Model(), embedder.Dimensions()); err != nil {
			return sum, err
		}
		rebuild, err := bulkIndex(ctx, nil, store, embedder.Model(), embedder.Dimensions(), incoming, opts.BulkIndexMin)
		if err != nil {
			return sum, err
		}
		if rebuild != nil {
			defer func() {
				if opts.Building != nil {
					opts.Building(sum.Passages)
				}
				t0 := time.Now()
				if rerr := rebuild(); rerr != nil && err == nil {
					err = rerr
				}
				sum.IndexBuild = time.Since(t0)
				sum.Index = time.Since(start)
			}()
		}
	}
	for lo := 0; lo < len(records); lo += docsBatch {
		if err := ctx.Err(); err != nil {
			return sum, err
		}
		batch := records[lo:min(lo+docsBatch, len(records))]
		var fresh []*coach.DocSectionRecord
		var inputs []string
		for _, r := range batch {
			if stored[r.ContentHash] {
				continue
			}
			fresh = append(fresh, r)
			for _, p := range r.Passages {
				inputs = append(inputs, coach.EmbeddingInput(r.Title, p))
			}
		}
		vecs := make([][]float32, 0, len(inputs))
		for j := 0; j < len(inputs); j += embedBatch {
			v, err := embedder.Embed(ctx, inputs[j:min(j+embedBatch, len(inputs))])
			if err != nil {
				return sum, fmt.Errorf("ingest: docs: embed: %w", err)
			}
			vecs = append(vecs, v...)
		}
		for _, r := range fresh {
			r.Vectors, vecs = vecs[:len(r.Passages):len(r.Passages)], vecs[len(r.Passages):]
		}
		created, err := store.SaveDocSections(ctx, fresh)
		if err != nil {
			return sum, fmt.Errorf("ingest: docs: %s: %w", fresh[0].Location, err)
		}
		for i, ok := range created {
			if ok {
				sum.Added++
				sum.Passages += len(fresh[i].Passages)
			}
		}
		if opts.Step != nil {
			opts.Step(lo+len(batch), len(records))
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
