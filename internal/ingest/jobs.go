package ingest

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"time"

	"github.com/interviewcoach/coach/internal/coach"
)

// JobStore is what import jobs need of the database. The queue is one table claimed with
// SELECT ... FOR UPDATE SKIP LOCKED (see postgres.ClaimImportJob) rather than a job library: a file
// is imported and marked done in one transaction, which a queue on another connection could not
// share, and the import needs no other kind of job yet.
type JobStore interface {
	EnqueueImport(ctx context.Context, docs []coach.Document, drafts []int) (*coach.ImportJob, error)
	ClaimImportJob(ctx context.Context, staleAfter time.Duration) (int64, bool, error)
	ImportJobFiles(ctx context.Context, id int64) ([]coach.ImportJobFile, error)
	ImportJobFileData(ctx context.Context, id int64, ordinal int) ([]byte, error)
	MarkImportJobFile(ctx context.Context, id int64, ordinal int, sum *coach.ImportSummary, msg string) error
	SaveImportProgress(ctx context.Context, id int64, p coach.ImportProgress) error
	FinishImportJob(ctx context.Context, id int64, state string, p coach.ImportProgress, sum *coach.ImportSummary, msg string) error
	ImportJob(ctx context.Context, id int64) (*coach.ImportJob, error)
	// InFileTx runs fn with a store whose every change is in one transaction, committed when fn
	// returns nil: a file is imported, and marked done, whole or not at all.
	InFileTx(ctx context.Context, fn func(FileTx) error) error
}

// JobDB is a database that offers what JobStore needs but InFileTx, and InTx, which runs a function
// with a store of type T bound to one transaction; NewJobStore makes it a JobStore.
type JobDB[T FileTx] interface {
	EnqueueImport(ctx context.Context, docs []coach.Document, drafts []int) (*coach.ImportJob, error)
	ClaimImportJob(ctx context.Context, staleAfter time.Duration) (int64, bool, error)
	ImportJobFiles(ctx context.Context, id int64) ([]coach.ImportJobFile, error)
	ImportJobFileData(ctx context.Context, id int64, ordinal int) ([]byte, error)
	MarkImportJobFile(ctx context.Context, id int64, ordinal int, sum *coach.ImportSummary, msg string) error
	SaveImportProgress(ctx context.Context, id int64, p coach.ImportProgress) error
	FinishImportJob(ctx context.Context, id int64, state string, p coach.ImportProgress, sum *coach.ImportSummary, msg string) error
	ImportJob(ctx context.Context, id int64) (*coach.ImportJob, error)
	InTx(ctx context.Context, fn func(T) error) error
}

// NewJobStore returns db as a JobStore.
func NewJobStore[T FileTx](db JobDB[T]) JobStore { return jobDB[T]{db} }

type jobDB[T FileTx] struct{ JobDB[T] }

func (d jobDB[T]) InFileTx(ctx context.Context, fn func(FileTx) error) error {
	return d.InTx(ctx, func(tx T) error { return fn(tx) })
}

// FileTx is the store of one file's transaction.
type FileTx interface {
	Store
	MarkImportJobFile(ctx context.Context, id int64, ordinal int, sum *coach.ImportSummary, msg string) error
}

// Job settings.
const (
	// JobStaleAfter is how long a running job's worker may go unheard before another claims the job
	// and resumes it; workers save progress every JobHeartbeat.
	JobStaleAfter = time.Minute
	JobHeartbeat  = 2 * time.Second
	// JobPoll is how often an idle worker looks for jobs another instance queued.
	JobPoll = 2 * time.Second
)

// Jobs runs imports in the background: Enqueue stores the documents and returns at once, Run
// imports them file by file, each file whole or not at all, saving progress as it goes. A job whose
// worker stopped (a restart) is claimed again after JobStaleAfter and resumes at its first file
// not done.
type Jobs struct {
	Admin  *Admin
	Store  JobStore
	Logger *slog.Logger

	wakeOnce sync.Once
	wake     chan struct{}
}

func (j *Jobs) waker() chan struct{} {
	j.wakeOnce.Do(func() { j.wake = make(chan struct{}, 1) })
	return j.wake
}

// Enqueue parses docs (a document that cannot be read fails the request with an EINVALID error
// naming it, and nothing is queued), stores them as a job and returns it.
func (j *Jobs) Enqueue(ctx context.Context, docs []coach.Document) (*coach.ImportJob, error) {
	if len(docs) == 0 {
		return nil, coach.Errorf(coach.EINVALID, "%v", ErrNoInput)
	}
	drafts := make([]int, len(docs))
	for i := range docs {
		docs[i].Name = SourceName(docs[i].Name)
		doc, err := parse(docs[i].Name, docs[i].Data)
		if err != nil {
			return nil, err
		}
		drafts[i] = len(doc.Drafts)
	}
	job, err := j.Store.EnqueueImport(ctx, docs, drafts)
	if err != nil {
		return nil, err
	}
	select {
	case j.waker() <- struct{}{}:
	default:
	}
	return job, nil
}

// Job returns an import job.
func (j *Jobs) Job(ctx context.Context, id int64) (*coach.ImportJob, error) {
	return j.Store.ImportJob(ctx, id)
}

// Run claims and runs jobs until ctx ends. A job cut by the end of ctx stays running in the table
// and is resumed by the next worker to claim it.
func (j *Jobs) Run(ctx context.Context) {
	for ctx.Err() == nil {
		id, ok, err := j.Store.ClaimImportJob(ctx, JobStaleAfter)
		if err != nil && ctx.Err() == nil {
			j.Logger.WarnContext(ctx, "claiming an import job failed", "error", err)
		}
		if ok {
			j.runJob(ctx, id)
			continue
		}
		select {
		case <-ctx.Done():
		case <-j.waker():
		case <-time.After(JobPoll):
		}
	}
}

// RunOne claims and runs one job, if there is one, and reports whether it did.
func (j *Jobs) RunOne(ctx context.Context) (bool, error) {
	id, ok, err := j.Store.ClaimImportJob(ctx, JobStaleAfter)
	if err != nil || !ok {
		return false, err
	}
	return true, j.runJob(ctx, id)
}

// runJob imports job id's files not done yet, then records its report.
func (j *Jobs) runJob(ctx context.Context, id int64) error {
	log := j.Logger.With("job", id)
	log.InfoContext(ctx, "import job running")
	files, err := j.Store.ImportJobFiles(ctx, id)
	if err != nil {
		return err
	}
	var (
		mu   sync.Mutex
		prog coach.ImportProgress
	)
	total := &Summary{Skipped: []Skipped{}, Failed: []Failure{}}
	prog.FilesTotal = len(files)
	for _, f := range files {
		prog.DraftsTotal += f.Drafts
		if f.Done && f.Summary != nil {
			total.Add(f.Summary)
			prog.FilesDone++
			prog.DraftsDone += f.Drafts
		}
	}
	prog.Questions, prog.References, prog.Passages = total.Questions, total.References, total.Passages
	save := func() {
		mu.Lock()
		p := prog
		mu.Unlock()
		if err := j.Store.SaveImportProgress(ctx, id, p); err != nil && ctx.Err() == nil {
			log.WarnContext(ctx, "saving import progress failed", "error", err)
		}
	}
	save()
	beat, stopBeat := context.WithCancel(ctx)
	defer stopBeat()
	go func() {
		for {
			select {
			case <-beat.Done():
				return
			case <-time.After(JobHeartbeat):
				save()
			}
		}
	}()

	if err := j.Admin.catchUp(ctx); err != nil {
		return j.fail(ctx, id, prog, total, err)
	}
	// The files left are one bulk load when they are many more than the passages stored: the
	// passage vectors' index is built after the last, not extended row by row.
	recorded := false // the error, if any, is recorded already
	err = j.Admin.Importer.bulk(ctx, prog.DraftsTotal-prog.DraftsDone, func() error {
		recorded = true
		for _, f := range files {
			if f.Done {
				continue
			}
			mu.Lock()
			prog.Current = f.Name
			base := prog
			mu.Unlock()
			sum, err := j.importFile(ctx, id, f, func(s *Summary, done int) {
				mu.Lock()
				prog.DraftsDone = base.DraftsDone + done
				prog.Questions, prog.References, prog.Passages = base.Questions+s.Questions, base.References+s.References, base.Passages+s.Passages
				mu.Unlock()
			})
			if ctx.Err() != nil {
				// Shut down: the file's transaction rolled back; the job resumes after a restart.
				log.InfoContext(context.WithoutCancel(ctx), "import job stopped; it resumes when claimed again", "file", f.Name)
				return ctx.Err()
			}
			mu.Lock()
			prog = base
			prog.DraftsDone += f.Drafts
			prog.FilesDone++
			if err != nil {
				msg := coach.ErrorMessage(err)
				total.Failed = append(total.Failed, Failure{Source: f.Name, Error: msg})
				if err := j.Store.MarkImportJobFile(ctx, id, f.Ordinal, nil, msg); err != nil {
					mu.Unlock()
					return j.fail(ctx, id, prog, total, err)
				}
				log.WarnContext(ctx, "import job file failed; nothing of it was stored", "file", f.Name, "error", err)
			} else {
				total.Add(sum)
				prog.Questions, prog.References, prog.Passages = total.Questions, total.References, total.Passages
			}
			mu.Unlock()
		}
		recorded = false
		return nil
	})
	if err != nil && !recorded {
		return j.fail(ctx, id, prog, total, err)
	} else if err != nil {
		return err
	}
	mu.Lock()
	prog.Current = ""
	mu.Unlock()
	explain(total)
	// The review report can take a while on a large bank: the heartbeat goes on meanwhile, so the
	// job is not taken for stale and claimed again by another worker.
	if rev, err := j.Admin.Review(ctx); err == nil {
		total.Review = rev
	}
	stopBeat()
	state := coach.JobDone
	if len(total.Failed) == len(files) {
		state = coach.JobFailed
	}
	if err := j.Store.FinishImportJob(ctx, id, state, prog, total, ""); err != nil {
		return err
	}
	log.InfoContext(ctx, "import job finished", "state", state, "questions", total.Questions, "references", total.References,
		"failed", len(total.Failed))
	return nil
}

// importFile imports one file of job id in one transaction that also marks it done.
func (j *Jobs) importFile(ctx context.Context, id int64, f coach.ImportJobFile, step func(*Summary, int)) (*Summary, error) {
	data, err := j.Store.ImportJobFileData(ctx, id, f.Ordinal)
	if err != nil {
		return nil, err
	}
	doc, err := parse(f.Name, data)
	if err != nil {
		return nil, err
	}
	var sum *Summary
	err = j.Store.InFileTx(ctx, func(tx FileTx) error {
		im := *j.Admin.Importer
		im.Store = tx
		var partial *Summary
		im.progress = func(s *Summary) { partial = s }
		s, err := im.importParsed(ctx, f.Name, data, doc, func(done, _ int) {
			if partial != nil {
				step(partial, done)
			}
		})
		if err != nil {
			return err
		}
		sum = s
		return tx.MarkImportJobFile(ctx, id, f.Ordinal, s, "")
	})
	if err != nil {
		return nil, err
	}
	return sum, nil
}

// fail records that job id stopped on err.
func (j *Jobs) fail(ctx context.Context, id int64, p coach.ImportProgress, sum *Summary, err error) error {
	msg := coach.ErrorMessage(err)
	if errors.Is(err, context.Canceled) {
		return err
	}
	if ferr := j.Store.FinishImportJob(ctx, id, coach.JobFailed, p, sum, msg); ferr != nil {
		return fmt.Errorf("ingest: job %d: %w (and recording it: %w)", id, err, ferr)
	}
	return err
}
