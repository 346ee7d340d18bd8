package postgres

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/interviewcoach/coach/internal/coach"
)

// EnqueueImport stores docs as a new import job, drafts[i] being the number of drafts docs[i] holds,
// and returns the job.
func (db *DB) EnqueueImport(ctx context.Context, docs []coach.Document, drafts []int) (*coach.ImportJob, error) {
	var id int64
	err := db.inTx(ctx, func(tx pgx.Tx) error {
		total := 0
		for _, n := range drafts {
			total += n
		}
		p, _ := json.Marshal(coach.ImportProgress{FilesTotal: len(docs), DraftsTotal: total})
		if err := tx.QueryRow(ctx, `INSERT INTO import_jobs (progress) VALUES ($1) RETURNING id`, p).Scan(&id); err != nil {
			return fmt.Errorf("insert job: %w", err)
		}
		rows := make([][]any, len(docs))
		for i, d := range docs {
			rows[i] = []any{id, i + 1, d.Name, d.Data, drafts[i]}
		}
		if _, err := tx.CopyFrom(ctx, pgx.Identifier{"import_job_files"}, []string{"job_id", "ordinal", "name", "data", "drafts"},
			pgx.CopyFromRows(rows)); err != nil {
			return fmt.Errorf("insert job files: %w", err)
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("postgres: enqueue import: %w", err)
	}
	return db.ImportJob(ctx, id)
}

// ClaimImportJob claims the oldest queued job, or a running one whose worker has not been heard of
// for staleAfter (it stopped), and marks it running; ok is false when there is none. Several
// workers claim at once without waiting on each other (FOR UPDATE SKIP LOCKED).
func (db *DB) ClaimImportJob(ctx context.Context, staleAfter time.Duration) (id int64, ok bool, err error) {
	err = db.queryRow(ctx, `
		UPDATE import_jobs SET state = 'running', attempts = attempts + 1, heartbeat_at = now(),
			started_at = coalesce(started_at, now())
		WHERE id = (
			SELECT id FROM import_jobs
			WHERE state = 'queued' OR state = 'running' AND heartbeat_at < now() - make_interval(secs => $1)
			ORDER BY id LIMIT 1 FOR UPDATE SKIP LOCKED)
		RETURNING id`, staleAfter.Seconds()).Scan(&id)
	if errors.Is(err, pgx.ErrNoRows) {
		return 0, false, nil
	} else if err != nil {
		return 0, false, fmt.Errorf("postgres: claim import job: %w", err)
	}
	return id, true, nil
}

// ImportJobFiles lists a job's files, without their content, in order.
func (db *DB) ImportJobFiles(ctx context.Context, id int64) ([]coach.ImportJobFile, error) {
	rows, err := db.query(ctx, `SELECT ordinal, name, drafts, done, summary, coalesce(error, '')
		FROM import_job_files WHERE job_id = $1 ORDER BY ordinal`, id)
	if err != nil {
		return nil, fmt.Errorf("postgres: import job files: %w", err)
	}
	files, err := pgx.CollectRows(rows, func(row pgx.CollectableRow) (coach.ImportJobFile, error) {
		var f coach.ImportJobFile
		err := row.Scan(&f.Ordinal, &f.Name, &f.Drafts, &f.Done, &f.Summary, &f.Error)
		return f, err
	})
	if err != nil {
		return nil, fmt.Errorf("postgres: import job files: %w", err)
	}
	return files, nil
}

// ImportJobFileData returns the content of a job's file.
func (db *DB) ImportJobFileData(ctx context.Context, id int64, ordinal int) ([]byte, error) {
	var data []byte
	if err := db.queryRow(ctx, `SELECT data FROM import_job_files WHERE job_id = $1 AND ordinal = $2`, id, ordinal).Scan(&data); err != nil {
		return nil, fmt.Errorf("postgres: import job file: %w", notFound(err, "import job %d has no file %d", id, ordinal))
	}
	return data, nil
}

// MarkImportJobFile records how a job's file ended: done with sum, or failed with msg. Run in the
// file's import transaction (see InTx), done commits with what the file stored, or not at all.
func (db *DB) MarkImportJobFile(ctx context.Context, id int64, ordinal int, sum *coach.ImportSummary, msg string) error {
	var s any
	if sum != nil {
		s = sum
	}
	if _, err := db.exec(ctx, `UPDATE import_job_files SET done = $3, summary = $4, error = NULLIF($5, ''), data = CASE WHEN $3 THEN NULL ELSE data END
		WHERE job_id = $1 AND ordinal = $2`, id, ordinal, msg == "", s, msg); err != nil {
		return fmt.Errorf("postgres: mark import job file: %w", err)
	}
	return nil
}

// SaveImportProgress records a running job's progress, which is also its worker's heartbeat.
func (db *DB) SaveImportProgress(ctx context.Context, id int64, p coach.ImportProgress) error {
	if _, err := db.exec(ctx, `UPDATE import_jobs SET progress = $2, heartbeat_at = now() WHERE id = $1 AND state = 'running'`, id, p); err != nil {
		return fmt.Errorf("postgres: save import progress: %w", err)
	}
	return nil
}

// FinishImportJob records a job's end: its state (done or failed), report and error message.
func (db *DB) FinishImportJob(ctx context.Context, id int64, state string, p coach.ImportProgress, sum *coach.ImportSummary, msg string) error {
	if _, err := db.exec(ctx, `UPDATE import_jobs SET state = $2, progress = $3, summary = $4, error = NULLIF($5, ''),
		finished_at = now(), heartbeat_at = now() WHERE id = $1`, id, state, p, sum, msg); err != nil {
		return fmt.Errorf("postgres: finish import job: %w", err)
	}
	return nil
}

// ImportJob returns an import job.
func (db *DB) ImportJob(ctx context.Context, id int64) (*coach.ImportJob, error) {
	var j coach.ImportJob
	var msg *string
	err := db.queryRow(ctx, `SELECT id, state, created_at, started_at, finished_at, attempts, progress, summary, error
		FROM import_jobs WHERE id = $1`, id).Scan(&j.ID, &j.State, &j.CreatedAt, &j.StartedAt, &j.FinishedAt, &j.Attempts,
		&j.Progress, &j.Summary, &msg)
	if err != nil {
		return nil, fmt.Errorf("postgres: import job: %w", notFound(err, "import job %d not found", id))
	}
	if msg != nil {
		j.Error = *msg
	}
	return &j, nil
}
