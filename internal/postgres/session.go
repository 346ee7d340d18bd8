package postgres

import (
	"context"
	"encoding/json"
	"fmt"

	"github.com/jackc/pgx/v5"

	"github.com/interviewcoach/coach/internal/coach"
)

// CreateSession stores a new practice session and sets its creation time. Only the token's hash is
// stored.
func (db *DB) CreateSession(ctx context.Context, s *coach.Session) error {
	err := db.queryRow(ctx, `
		INSERT INTO sessions (id, token_hash, name, topic_id, difficulty)
		VALUES ($1, $2, $3, $4, $5)
		RETURNING created_at`,
		s.ID, s.TokenHash, s.Name, nullable(s.Topic), nullable(s.Difficulty)).Scan(&s.CreatedAt)
	if err != nil {
		return fmt.Errorf("postgres: create session: %w", err)
	}
	return nil
}

// Session returns a stored session with its token hash.
func (db *DB) Session(ctx context.Context, id string) (*coach.Session, error) {
	var s coach.Session
	err := db.queryRow(ctx, `
		SELECT id, token_hash, name, coalesce(topic_id, ''), coalesce(difficulty, ''), created_at
		FROM sessions WHERE id = $1`, id).
		Scan(&s.ID, &s.TokenHash, &s.Name, &s.Topic, &s.Difficulty, &s.CreatedAt)
	if err != nil {
		return nil, fmt.Errorf("postgres: session: %w", notFound(err, "session %s not found", coach.Echo(id)))
	}
	return &s, nil
}

// SessionAttempts returns the attempts of a session, oldest first, each with the topic of its
// question.
func (db *DB) SessionAttempts(ctx context.Context, sessionID string) ([]coach.SessionAttempt, error) {
	rows, err := db.query(ctx, `
		SELECT a.result, a.raw_output, a.created_at, coalesce(q.topic_id, '')
		FROM attempts a LEFT JOIN questions q ON q.id = a.question_id
		WHERE a.session_id = $1
		ORDER BY a.created_at, a.id`, sessionID)
	if err != nil {
		return nil, fmt.Errorf("postgres: session attempts: %w", err)
	}
	attempts, err := pgx.CollectRows(rows, func(row pgx.CollectableRow) (coach.SessionAttempt, error) {
		var (
			sa  coach.SessionAttempt
			raw []byte
		)
		if err := row.Scan(&raw, &sa.Attempt.Raw, &sa.Attempt.CreatedAt, &sa.Topic); err != nil {
			return sa, err
		}
		createdAt := sa.Attempt.CreatedAt
		if err := json.Unmarshal(raw, &sa.Attempt); err != nil {
			return sa, err
		}
		sa.Attempt.CreatedAt = createdAt
		return sa, nil
	})
	if err != nil {
		return nil, fmt.Errorf("postgres: session attempts: %w", err)
	}
	return attempts, nil
}

// SessionQuestions returns every question of topic and difficulty ("" for any), ordered by id,
// without references.
func (db *DB) SessionQuestions(ctx context.Context, topic, difficulty string) ([]coach.Question, error) {
	rows, err := db.query(ctx, `
		SELECT `+questionColumns+` FROM questions
		WHERE ($1 = '' OR topic_id = $1) AND ($2 = '' OR difficulty = $2)
		ORDER BY id`, topic, difficulty)
	if err != nil {
		return nil, fmt.Errorf("postgres: session questions: %w", err)
	}
	questions, err := pgx.CollectRows(rows, func(row pgx.CollectableRow) (coach.Question, error) {
		q, err := scanQuestion(row)
		if err != nil {
			return coach.Question{}, err
		}
		return *q, nil
	})
	if err != nil {
		return nil, fmt.Errorf("postgres: session questions: %w", err)
	}
	return questions, nil
}

// TopicExists reports whether the bank has a topic with this id.
func (db *DB) TopicExists(ctx context.Context, id string) (bool, error) {
	var exists bool
	if err := db.queryRow(ctx, `SELECT EXISTS (SELECT 1 FROM topics WHERE id = $1)`, id).Scan(&exists); err != nil {
		return false, fmt.Errorf("postgres: topic exists: %w", err)
	}
	return exists, nil
}

// nullable maps "" to SQL NULL.
func nullable(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}
