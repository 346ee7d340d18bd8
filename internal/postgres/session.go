package postgres

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/interviewcoach/coach/internal/coach"
)

// CreateSession stores a new practice session and sets its creation time. Only the token's hash is
// stored.
func (db *DB) CreateSession(ctx context.Context, s *coach.Session) error {
	topics := s.Topics
	if topics == nil {
		topics = []string{}
	}
	err := db.queryRow(ctx, `
		INSERT INTO sessions (id, token_hash, name, topic_id, difficulty, topics, question_count, answer_seconds)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
		RETURNING created_at`,
		s.ID, s.TokenHash, s.Name, nullable(s.Topic), nullable(s.Difficulty), topics, s.QuestionCount,
		s.AnswerSeconds).Scan(&s.CreatedAt)
	if err != nil {
		return fmt.Errorf("postgres: create session: %w", err)
	}
	return nil
}

// Session returns a stored session with its token hash.
func (db *DB) Session(ctx context.Context, id string) (*coach.Session, error) {
	var s coach.Session
	err := db.queryRow(ctx, `
		SELECT id, token_hash, name, coalesce(topic_id, ''), topics, coalesce(difficulty, ''), question_count,
			answer_seconds, ended_at, created_at
		FROM sessions WHERE id = $1`, id).
		Scan(&s.ID, &s.TokenHash, &s.Name, &s.Topic, &s.Topics, &s.Difficulty, &s.QuestionCount, &s.AnswerSeconds,
			&s.EndedAt, &s.CreatedAt)
	if err != nil {
		return nil, fmt.Errorf("postgres: session: %w", notFound(err, "session %s not found", coach.Echo(id)))
	}
	return &s, nil
}

// EndSession records that the candidate ended session id now, unless it has ended already, and
// returns when it ended.
func (db *DB) EndSession(ctx context.Context, id string) (time.Time, error) {
	var ended time.Time
	err := db.queryRow(ctx, `
		UPDATE sessions SET ended_at = coalesce(ended_at, now()) WHERE id = $1 RETURNING ended_at`, id).Scan(&ended)
	if err != nil {
		return ended, fmt.Errorf("postgres: end session: %w", notFound(err, "session %s not found", coach.Echo(id)))
	}
	return ended, nil
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

// SessionQuestions returns every question of topics (none: every topic) and difficulty ("" for
// any), ordered by id, without references.
func (db *DB) SessionQuestions(ctx context.Context, topics []string, difficulty string) ([]coach.Question, error) {
	if topics == nil {
		topics = []string{}
	}
	rows, err := db.query(ctx, `
		SELECT `+questionColumns+` FROM questions
		WHERE (cardinality($1::text[]) = 0 OR topic_id = ANY ($1)) AND ($2 = '' OR difficulty = $2)
		ORDER BY id`, topics, difficulty)
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
