package postgres

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"

	"github.com/jackc/pgx/v5"

	"github.com/interviewcoach/coach/internal/coach"
)

// Warnings added to an attempt whose session or question was deleted while it was being graded.
const (
	WarnSessionDeleted  = "the practice session was deleted while this answer was being graded: the attempt is kept outside any session"
	WarnQuestionDeleted = "the question was deleted from the bank while this answer was being graded: the attempt keeps its own copy of the question and rubric"
)

// CreateAttempt stores a graded attempt. The whole graded result is kept as JSON beside the columns
// that audits and reports query.
//
// A grade is never lost because its session or question was deleted while it was being graded: the
// attempt is stored without the link (SessionID cleared; the question's id stays in the result, as
// for attempts whose question is deleted later) and a warning saying so is added to a. The session
// and question rows are locked (FOR KEY SHARE) until the attempt is stored, so a delete either comes
// first and is seen here, or waits and then treats the attempt like any other stored one.
func (db *DB) CreateAttempt(ctx context.Context, a *coach.Attempt) error {
	// Nearly always the session and question are there: one statement locks them and stores the
	// attempt, or stores nothing when either is gone, which the transaction below then handles.
	stored, err := insertAttempt(ctx, db.runner(), a, a.SessionID, a.QuestionID)
	if err != nil {
		return fmt.Errorf("postgres: create attempt: %w", mapError(err))
	} else if stored {
		return nil
	}
	err = db.inTx(ctx, func(tx pgx.Tx) error {
		var sessionID, questionID string
		if a.SessionID != "" {
			gone, err := missing(ctx, tx, `SELECT true FROM sessions WHERE id = $1 FOR KEY SHARE`, a.SessionID)
			if err != nil {
				return err
			}
			if gone {
				a.SessionID = ""
				a.Warnings = append(a.Warnings, WarnSessionDeleted)
			} else {
				sessionID = a.SessionID
			}
		}
		if a.QuestionID != "" {
			gone, err := missing(ctx, tx, `SELECT true FROM questions WHERE id = $1 FOR KEY SHARE`, a.QuestionID)
			if err != nil {
				return err
			}
			if gone {
				a.Warnings = append(a.Warnings, WarnQuestionDeleted)
			} else {
				questionID = a.QuestionID
			}
		}
		if stored, err := insertAttempt(ctx, tx, a, sessionID, questionID); err != nil {
			return err
		} else if !stored {
			return errors.New("the session or question changed while the attempt was stored")
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("postgres: create attempt: %w", err)
	}
	return nil
}

// insertAttempt stores a linked to the session and question of the given ids ("" for none), each
// locked (FOR KEY SHARE, until the transaction ends) so that neither is deleted meanwhile; it stores
// nothing, and returns false, when either is gone.
func insertAttempt(ctx context.Context, run interface {
	QueryRow(ctx context.Context, sql string, args ...any) pgx.Row
}, a *coach.Attempt, sessionID, questionID string) (bool, error) {
	refIDs := make([]string, 0, len(a.References))
	for _, r := range a.References {
		refIDs = append(refIDs, r.ID)
	}
	var rubricVersion *int
	if a.RubricVersion > 0 {
		rubricVersion = &a.RubricVersion
	}
	// The model call's settings get columns of their own too, so audits can query them.
	var call coach.ModelCall
	if a.ModelCall != nil {
		call = *a.ModelCall
	}
	result, err := json.Marshal(a)
	if err != nil {
		return false, err
	}
	err = run.QueryRow(ctx, `
		INSERT INTO attempts (id, session_id, question_id, question, answer, reference_ids, grader_kind, model,
			prompt_version, fallback, raw_output, score, band, grounded, result, latency_ms, prompt_tokens,
			completion_tokens, response_format, temperature, seed, system_fingerprint, model_requests, rubric_version)
		SELECT $1, NULLIF($2, ''), NULLIF($3, ''), $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18,
			$19, $20, $21, $22, $23, $24
		WHERE ($2 = '' OR EXISTS (SELECT FROM sessions WHERE id = $2 FOR KEY SHARE))
			AND ($3 = '' OR EXISTS (SELECT FROM questions WHERE id = $3 FOR KEY SHARE))
		RETURNING created_at`,
		a.ID, sessionID, questionID, a.Question, a.Answer, refIDs, a.Grader.Kind, a.Grader.Model,
		a.Grader.PromptVersion, a.Grader.Fallback, a.Raw, a.Score, a.Band, a.Grounded, result, a.LatencyMS,
		a.Usage.PromptTokens, a.Usage.CompletionTokens, call.ResponseFormat, call.Temperature, call.Seed,
		call.SystemFingerprint, call.Requests, rubricVersion).Scan(&a.CreatedAt)
	if errors.Is(err, pgx.ErrNoRows) {
		return false, nil
	}
	return err == nil, err
}

// missing reports whether query, which selects one row by id, finds none.
func missing(ctx context.Context, tx pgx.Tx, query, id string) (bool, error) {
	var found bool
	err := tx.QueryRow(ctx, query, id).Scan(&found)
	if errors.Is(err, pgx.ErrNoRows) {
		return true, nil
	}
	return false, err
}

// Attempt returns a stored attempt as it was graded.
func (db *DB) Attempt(ctx context.Context, id string) (*coach.Attempt, error) {
	var (
		a   coach.Attempt
		raw []byte
	)
	err := db.queryRow(ctx, `SELECT result, raw_output, created_at FROM attempts WHERE id = $1`, id).
		Scan(&raw, &a.Raw, &a.CreatedAt)
	if err != nil {
		return nil, fmt.Errorf("postgres: attempt: %w", notFound(err, "attempt %s not found", coach.Echo(id)))
	}
	createdAt := a.CreatedAt
	if err := json.Unmarshal(raw, &a); err != nil {
		return nil, fmt.Errorf("postgres: attempt: %w", err)
	}
	a.CreatedAt = createdAt
	return &a, nil
}
