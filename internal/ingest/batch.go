package ingest

import (
	"context"
	"fmt"

	"github.com/interviewcoach/coach/internal/coach"
	"github.com/interviewcoach/coach/internal/docparse"
)

// ImportAll imports several documents as one request: every document is parsed before anything is
// stored, so a document that cannot be read fails the whole batch with an EINVALID error naming it,
// and changes nothing. Storing is then done document by document, as Import does.
func (im *Importer) ImportAll(ctx context.Context, docs []coach.Document) (*Summary, error) {
	if len(docs) == 0 {
		return nil, coach.Errorf(coach.EINVALID, "%v", ErrNoInput)
	}
	parsed := make([]*docparse.Document, len(docs))
	for i := range docs {
		docs[i].Name = SourceName(docs[i].Name)
	}
	for i, d := range docs {
		doc, err := parse(d.Name, d.Data)
		if err != nil {
			return nil, err
		}
		parsed[i] = doc
	}
	total := &Summary{Skipped: []Skipped{}, Failed: []Failure{}}
	drafts := 0
	for _, doc := range parsed {
		drafts += len(doc.Drafts)
	}
	err := im.bulk(ctx, drafts, func() error {
		for i, d := range docs {
			sum, err := im.importParsed(ctx, d.Name, d.Data, parsed[i], nil)
			if sum != nil {
				total.Add(sum)
			}
			if err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return total, err
	}
	explain(total)
	return total, nil
}

// explain sets sum.Message when the counts alone would leave a reader wondering: an import that
// stored nothing because everything was stored before (by an earlier import, or by the same
// document imported at the same time, which this one waited for).
func explain(sum *Summary) {
	if sum.References == 0 && sum.Duplicates > 0 {
		sum.Message = fmt.Sprintf("already imported: nothing changed (all %d references were stored before)", sum.Duplicates)
	}
}
