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
	return a.Store.ReviewReport(ctx, a.Importer.Embedder.Model(), a.Importer.thresholds().Suspect, DefaultTopic, ReviewLimit)
}

// Admin changes the bank on an administrator's request: imports documents, re-embeds the bank and
// deletes questions, as the command line does.
type Admin struct {
	Importer *Importer
	Store    AdminStore
	// Jobs, when set, runs imports in the background (EnqueueImport).
	Jobs *Jobs

	// reindexing holds one token while a reindex or an import's catch-up runs; a channel rather
	// than a mutex, so an import can wait for it as long as its context allows.
	reindexing chan struct{}
	once       sync.Once
}

// token returns the reindexing token's channel.
func (a *Admin) token() chan struct{} {
	a.once.Do(func() { a.reindexing = make(chan struct{}, 1) })
	return a.reindexing
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

// catchUp runs CatchUp, one at a time with reindexing. Imports that find nothing to catch up (the
// usual case) take no lock, so several run at once; one that must wait for a reindex waits, and
// its deadline, if it runs out, says so.
func (a *Admin) catchUp(ctx context.Context) error {
	total, embedded, err := a.Store.CountPassages(ctx, a.Importer.Embedder.Model())
	if err != nil {
		return err
	}
	if embedded >= total {
		return nil
	}
	select {
	case a.token() <- struct{}{}:
	case <-ctx.Done():
		return coach.Errorf(coach.ECONFLICT, "the bank is being re-embedded for model %s and the import gave up waiting: import again when `coach reindex` is done", a.Importer.Embedder.Model())
	}
	defer func() { <-a.token() }()
	_, err = CatchUp(ctx, a.Store, a.Importer.Embedder, nil)
	return err
}

// Reindex re-embeds the bank with the importer's embedder; see Reindex. One runs at a time: a second
// request meanwhile is a conflict rather than the same work twice.
func (a *Admin) Reindex(ctx context.Context) (*coach.ReindexSummary, error) {
	select {
	case a.token() <- struct{}{}:
	default:
		return nil, coach.Errorf(coach.ECONFLICT, "a reindex (or an import re-embedding the bank for a new model) is already running")
	}
	defer func() { <-a.token() }()
	return Reindex(ctx, a.Store, a.Importer.Embedder, nil)
}

// DeleteQuestion deletes a question with its references, key points and passages; attempts keep
// their own copy.
func (a *Admin) DeleteQuestion(ctx context.Context, id string) error {
	return a.Store.DeleteQuestion(ctx, id)
}

// EnqueueImport queues docs as an import job; see Jobs.Enqueue.
func (a *Admin) EnqueueImport(ctx context.Context, docs []coach.Document) (*coach.ImportJob, error) {
	if a.Jobs == nil {
		return nil, coach.Errorf(coach.EUNAVAILABLE, "this server runs no import jobs: import with coach ingest")
	}
	return a.Jobs.Enqueue(ctx, docs)
}

// ImportJob returns an import job.
func (a *Admin) ImportJob(ctx context.Context, id int64) (*coach.ImportJob, error) {
	if a.Jobs == nil {
		return nil, coach.Errorf(coach.ENOTFOUND, "import job %d not found", id)
	}
	return a.Jobs.Job(ctx, id)
}
