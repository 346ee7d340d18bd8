package ingest

import (
	"context"
	"sync"

	"github.com/interviewcoach/coach/internal/coach"
)

// AdminStore is what changing the bank on an administrator's request needs of the database.
type AdminStore interface {
	ReindexStore
	DeleteQuestion(ctx context.Context, id string) error
	ReviewReport(ctx context.Context, model string, duplicateSimilarity float64, unsortedTopic string, limit int) (*coach.ReviewReport, error)
}

// Review report settings.
const (
	// SuspectSimilarity is the least similarity of two questions' vectors for the review report to
	// suspect they are one question; MergeSimilarity and above are merged at import already.
	SuspectSimilarity = 0.75
	// ReviewLimit is the most entries of each list of the review report.
	ReviewLimit = 100
)

// Review returns what waits for an admin's review; see coach.ReviewReport.
func (a *Admin) Review(ctx context.Context) (*coach.ReviewReport, error) {
	return a.Store.ReviewReport(ctx, a.Importer.Embedder.Model(), SuspectSimilarity, DefaultTopic, ReviewLimit)
}

// Admin changes the bank on an administrator's request: imports documents, re-embeds the bank and
// deletes questions, as the command line does.
type Admin struct {
	Importer *Importer
	Store    AdminStore

	reindexing sync.Mutex
}

// ImportDocuments imports docs, after embedding what the current model has not embedded yet; see
// Importer.ImportAll and CatchUp.
func (a *Admin) ImportDocuments(ctx context.Context, docs []coach.Document) (*coach.ImportSummary, error) {
	if err := a.catchUp(ctx); err != nil {
		return nil, err
	}
	sum, err := a.Importer.ImportAll(ctx, docs)
	if err != nil {
		return sum, err
	}
	if sum.Review, err = a.Review(ctx); err != nil {
		return sum, err
	}
	return sum, nil
}

// catchUp runs CatchUp, one at a time with reindexing.
func (a *Admin) catchUp(ctx context.Context) error {
	if !a.reindexing.TryLock() {
		// The lock is shared with Reindex, and every import takes it first: a concurrent import is
		// the likelier holder, so the message names both.
		return coach.Errorf(coach.ECONFLICT, "another import or a reindex is embedding the bank right now (every import first embeds what the current model has not); import again when it is done")
	}
	defer a.reindexing.Unlock()
	_, err := CatchUp(ctx, a.Store, a.Importer.Embedder, nil)
	return err
}

// Reindex re-embeds the bank with the importer's embedder; see Reindex. One runs at a time: a second
// request meanwhile is a conflict rather than the same work twice.
func (a *Admin) Reindex(ctx context.Context) (*coach.ReindexSummary, error) {
	if !a.reindexing.TryLock() {
		return nil, coach.Errorf(coach.ECONFLICT, "a reindex or an import is already embedding the bank; reindex again when it is done")
	}
	defer a.reindexing.Unlock()
	return Reindex(ctx, a.Store, a.Importer.Embedder, nil)
}

// DeleteQuestion deletes a question with its references, key points and passages; attempts keep
// their own copy.
func (a *Admin) DeleteQuestion(ctx context.Context, id string) error {
	return a.Store.DeleteQuestion(ctx, id)
}
