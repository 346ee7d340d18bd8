package postgres

import (
	"context"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/interviewcoach/coach/internal/coach"
)

// DeleteQuestion deletes a question with its references, their key points, passages and vectors.
// Attempts at it keep their own copy of everything they were graded on; only their link to the
// question is cleared, and an answer still being graded against it is stored the same way.
func (db *DB) DeleteQuestion(ctx context.Context, id string) error {
	tag, err := db.exec(ctx, `DELETE FROM questions WHERE id = $1`, id)
	if err != nil {
		return fmt.Errorf("postgres: delete question: %w", err)
	}
	if tag.RowsAffected() == 0 {
		return coach.Errorf(coach.ENOTFOUND, "question %s not found", coach.Echo(id))
	}
	return nil
}

// DeleteSession deletes a session and, by cascade, its attempts. An answer still being graded in it
// is stored outside any session when its grade comes (see CreateAttempt).
func (db *DB) DeleteSession(ctx context.Context, id string) error {
	tag, err := db.exec(ctx, `DELETE FROM sessions WHERE id = $1`, id)
	if err != nil {
		return fmt.Errorf("postgres: delete session: %w", err)
	}
	if tag.RowsAffected() == 0 {
		return coach.Errorf(coach.ENOTFOUND, "session %s not found", coach.Echo(id))
	}
	return nil
}

// Purge deletes, in one transaction, the attempts graded before before and then the sessions started
// before it that have no attempt left.
func (db *DB) Purge(ctx context.Context, before time.Time) (*coach.PurgeSummary, error) {
	sum := &coach.PurgeSummary{Before: before}
	err := db.inTx(ctx, func(tx pgx.Tx) error {
		tag, err := tx.Exec(ctx, `DELETE FROM attempts WHERE created_at < $1`, before)
		if err != nil {
			return err
		}
		sum.Attempts = tag.RowsAffected()
		tag, err = tx.Exec(ctx, `
			DELETE FROM sessions s WHERE s.created_at < $1
			AND NOT EXISTS (SELECT 1 FROM attempts a WHERE a.session_id = s.id)`, before)
		if err != nil {
			return err
		}
		sum.Sessions = tag.RowsAffected()
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("postgres: purge: %w", err)
	}
	return sum, nil
}
