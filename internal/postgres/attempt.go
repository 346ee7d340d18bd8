package postgres

import (
	"context"
	"encoding/json"
	"fmt"

	"github.com/interviewcoach/coach/internal/coach"
)

// CreateAttempt stores a graded attempt. The whole graded result is kept as JSON beside the columns
// that audits and reports query.
func (db *DB) CreateAttempt(ctx context.Context, a *coach.Attempt) error {
	result, err := json.Marshal(a)
	if err != nil {
		return fmt.Errorf("postgres: create attempt: %w", err)
	}
	refIDs := make([]string, 0, len(a.References))
	for _, r := range a.References {
		refIDs = append(refIDs, r.ID)
	}
	var (
		sessionID, questionID *string
		rubricVersion         *int
	)
	if a.RubricVersion > 0 {
		rubricVersion = &a.RubricVersion
	}
	if a.SessionID != "" {
		sessionID = &a.SessionID
	}
	if a.QuestionID != "" {
		questionID = &a.QuestionID
	}
	// The model call's settings get columns of their own too, so audits can query them.
	var call coach.ModelCall
	if a.ModelCall != nil {
		call = *a.ModelCall
	}
	err = db.queryRow(ctx, `
		INSERT INTO attempts (id, session_id, question_id, question, answer, reference_ids, grader_kind, model,
			prompt_version, fallback, raw_output, score, band, grounded, result, latency_ms, prompt_tokens,
			completion_tokens, response_format, temperature, seed, system_fingerprint, model_requests, rubric_version)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20,
			$21, $22, $23, $24)
		RETURNING created_at`,
		a.ID, sessionID, questionID, a.Question, a.Answer, refIDs, a.Grader.Kind, a.Grader.Model,
		a.Grader.PromptVersion, a.Grader.Fallback, a.Raw, a.Score, a.Band, a.Grounded, result, a.LatencyMS,
		a.Usage.PromptTokens, a.Usage.CompletionTokens, call.ResponseFormat, call.Temperature, call.Seed,
		call.SystemFingerprint, call.Requests, rubricVersion).Scan(&a.CreatedAt)
	if err != nil {
		return fmt.Errorf("postgres: create attempt: %w", err)
	}
	return nil
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
