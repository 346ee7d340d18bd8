package postgres

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/pgvector/pgvector-go"

	"github.com/interviewcoach/coach/internal/coach"
)

// Each change made through the editing API runs in one transaction that also writes its audit row
// (see bank_audit) and, when it touches a rubric, increments the question's rubric_version.

// snapshot returns row id of table as JSON, without generated columns; nil when there is none.
func snapshot(ctx context.Context, tx pgx.Tx, table, id string) (json.RawMessage, error) {
	var out json.RawMessage
	var sql string
	switch table {
	case "questions":
		sql = `SELECT to_jsonb(t) - 'search' - 'normalized' FROM questions t WHERE id = $1`
	case "reference_answers":
		// With its source's name and address, which an edit may change.
		sql = `SELECT to_jsonb(t) || jsonb_build_object('source', s.name, 'source_url', s.url)
			FROM reference_answers t JOIN sources s ON s.id = t.source_id WHERE t.id = $1`
	case "key_points":
		sql = `SELECT to_jsonb(t) FROM key_points t WHERE id = $1`
	default:
		return nil, fmt.Errorf("snapshot: unknown table %s", table)
	}
	err := tx.QueryRow(ctx, sql, id).Scan(&out)
	if errors.Is(err, pgx.ErrNoRows) {
		return nil, nil
	}
	return out, err
}

var entities = map[string]string{"question": "questions", "reference": "reference_answers", "key_point": "key_points"}

// audited runs change in a transaction and records it: the entity's row before and after.
func (db *DB) audited(ctx context.Context, action, entity, id string, change func(tx pgx.Tx) error) error {
	table := entities[entity]
	return db.inTx(ctx, func(tx pgx.Tx) error {
		before, err := snapshot(ctx, tx, table, id)
		if err != nil {
			return err
		}
		if err := change(tx); err != nil {
			return err
		}
		after, err := snapshot(ctx, tx, table, id)
		if err != nil {
			return err
		}
		_, err = tx.Exec(ctx, `INSERT INTO bank_audit (actor, action, entity, entity_id, before, after) VALUES ($1, $2, $3, $4, $5, $6)`,
			coach.ActorFrom(ctx), action, entity, id, before, after)
		return err
	})
}

// questionOfReference returns the question a reference answers ("" for an orphan).
func questionOfReference(ctx context.Context, tx pgx.Tx, refID string) (string, error) {
	var q *string
	err := tx.QueryRow(ctx, `SELECT question_id FROM reference_answers WHERE id = $1`, refID).Scan(&q)
	if err != nil {
		return "", notFound(err, "reference %q not found", refID)
	}
	if q == nil {
		return "", nil
	}
	return *q, nil
}

func questionOfKeyPoint(ctx context.Context, tx pgx.Tx, id string) (string, error) {
	var q *string
	err := tx.QueryRow(ctx, `SELECT r.question_id FROM key_points k JOIN reference_answers r ON r.id = k.reference_id WHERE k.id = $1`, id).Scan(&q)
	if err != nil {
		return "", notFound(err, "key point %q not found", id)
	}
	if q == nil {
		return "", nil
	}
	return *q, nil
}

func bumpIf(ctx context.Context, tx pgx.Tx, questionID string) error {
	if questionID == "" {
		return nil
	}
	return bumpRubric(ctx, tx, questionID)
}

// CreateQuestion stores a new question, with its vector of model, and its topic when missing.
func (db *DB) CreateQuestion(ctx context.Context, q *coach.Question, key string, vec []float32, model string) error {
	err := db.audited(ctx, "create", "question", q.ID, func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, `INSERT INTO topics (id, name) VALUES ($1, $1) ON CONFLICT (id) DO NOTHING`, q.TopicID); err != nil {
			return err
		}
		_, err := tx.Exec(ctx, `
			INSERT INTO questions (id, topic_id, text, normalized, difficulty, tags) VALUES ($1, $2, $3, $4, NULLIF($5, ''), $6)`,
			q.ID, q.TopicID, q.Text, key, q.Difficulty, nonNilSlice(q.Tags))
		if err != nil {
			return uniqueConflict(err, "a question with this id or text already exists")
		}
		if vec != nil {
			_, err = tx.Exec(ctx, `INSERT INTO question_embeddings (question_id, model, dimensions, embedding) VALUES ($1, $2, $3, $4)`,
				q.ID, model, len(vec), pgvector.NewVector(vec))
		}
		return err
	})
	if err != nil {
		return fmt.Errorf("postgres: create question: %w", err)
	}
	return nil
}

func uniqueConflict(err error, msg string) error {
	var pgErr *pgconn.PgError
	if errors.As(err, &pgErr) && pgErr.Code == "23505" {
		return coach.Errorf(coach.ECONFLICT, "%s", msg)
	}
	return err
}

// UpdateQuestion changes a question's fields; when its text changes, key and vec (of model) are its
// new deduplication key and vector.
func (db *DB) UpdateQuestion(ctx context.Context, id string, e coach.QuestionEdit, key string, vec []float32, model string) error {
	err := db.audited(ctx, "update", "question", id, func(tx pgx.Tx) error {
		if e.Topic != nil {
			if _, err := tx.Exec(ctx, `INSERT INTO topics (id, name) VALUES ($1, $1) ON CONFLICT (id) DO NOTHING`, *e.Topic); err != nil {
				return err
			}
		}
		var tags []string
		if e.Tags != nil {
			tags = nonNilSlice(*e.Tags)
		}
		tag, err := tx.Exec(ctx, `
			UPDATE questions SET
				text = coalesce($2, text), normalized = coalesce(NULLIF($3, ''), normalized),
				topic_id = coalesce($4, topic_id),
				difficulty = CASE WHEN $5::text IS NULL THEN difficulty ELSE NULLIF($5, '') END,
				tags = coalesce($6, tags)
			WHERE id = $1`, id, e.Text, key, e.Topic, e.Difficulty, tags)
		if err != nil {
			return uniqueConflict(err, "another question has this text")
		}
		if tag.RowsAffected() == 0 {
			return coach.Errorf(coach.ENOTFOUND, "question %q not found", id)
		}
		if vec != nil {
			if _, err := tx.Exec(ctx, `DELETE FROM question_embeddings WHERE question_id = $1`, id); err != nil {
				return err
			}
			_, err = tx.Exec(ctx, `INSERT INTO question_embeddings (question_id, model, dimensions, embedding) VALUES ($1, $2, $3, $4)`,
				id, model, len(vec), pgvector.NewVector(vec))
		}
		return err
	})
	if err != nil {
		return fmt.Errorf("postgres: update question: %w", err)
	}
	return nil
}

// DeleteQuestionAudited deletes a question with its references, key points and passages, and
// records it.
func (db *DB) DeleteQuestionAudited(ctx context.Context, id string) error {
	err := db.audited(ctx, "delete", "question", id, func(tx pgx.Tx) error {
		tag, err := tx.Exec(ctx, `DELETE FROM questions WHERE id = $1`, id)
		if err == nil && tag.RowsAffected() == 0 {
			return coach.Errorf(coach.ENOTFOUND, "question %q not found", id)
		}
		return err
	})
	if err != nil {
		return fmt.Errorf("postgres: delete question: %w", err)
	}
	return nil
}

// MergeQuestions moves every reference of question from to question into, then deletes from: the
// two were the same question. Attempts at from keep their own copy of what they were graded against.
func (db *DB) MergeQuestions(ctx context.Context, from, into string) error {
	if from == into {
		return coach.Errorf(coach.EINVALID, "a question cannot be merged into itself")
	}
	err := db.audited(ctx, "merge into "+into, "question", from, func(tx pgx.Tx) error {
		var exists bool
		if err := tx.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM questions WHERE id = $1)`, into).Scan(&exists); err != nil {
			return err
		}
		if !exists {
			return coach.Errorf(coach.ENOTFOUND, "question %q not found", into)
		}
		if _, err := tx.Exec(ctx, `UPDATE reference_answers SET question_id = $2 WHERE question_id = $1`, from, into); err != nil {
			return err
		}
		tag, err := tx.Exec(ctx, `DELETE FROM questions WHERE id = $1`, from)
		if err == nil && tag.RowsAffected() == 0 {
			return coach.Errorf(coach.ENOTFOUND, "question %q not found", from)
		}
		if err != nil {
			return err
		}
		return bumpRubric(ctx, tx, into)
	})
	if err != nil {
		return fmt.Errorf("postgres: merge questions: %w", err)
	}
	return nil
}

// CreateReference stores a reference answer to a question, from a source (created when missing),
// with its passages and their vectors of model.
func (db *DB) CreateReference(ctx context.Context, ref *coach.Reference, src coach.Source, passages []string, vecs [][]float32, model string) error {
	err := db.audited(ctx, "create", "reference", ref.ID, func(tx pgx.Tx) error {
		sourceID, err := upsertSource(ctx, tx, src)
		if err != nil {
			return err
		}
		tag, err := tx.Exec(ctx, `
			INSERT INTO reference_answers (id, question_id, source_id, text, content_hash)
			SELECT $1, id, $3, $4, $5 FROM questions WHERE id = $2`, ref.ID, ref.QuestionID, sourceID, ref.Text, ref.ContentHash)
		if err != nil {
			return uniqueConflict(err, "the question already has this reference")
		}
		if tag.RowsAffected() == 0 {
			return coach.Errorf(coach.ENOTFOUND, "question %q not found", ref.QuestionID)
		}
		return insertPassages(ctx, tx, ref.ID, passages, vecs, model)
	})
	if err != nil {
		return fmt.Errorf("postgres: create reference: %w", err)
	}
	return nil
}

// upsertSource returns the id of the source named src.Name, created when missing; a non-empty URL
// replaces the one it has.
func upsertSource(ctx context.Context, tx pgx.Tx, src coach.Source) (int64, error) {
	var id int64
	err := tx.QueryRow(ctx, `
		INSERT INTO sources (name, format, title, url, content_hash) VALUES ($1, $2, $3, $4, $5)
		ON CONFLICT (name) DO UPDATE SET url = CASE WHEN excluded.url <> '' THEN excluded.url ELSE sources.url END
		RETURNING id`, src.Name, src.Format, src.Title, src.URL, src.ContentHash).Scan(&id)
	return id, err
}

// insertPassages stores a reference's passages, in order, with their vectors of model.
func insertPassages(ctx context.Context, tx pgx.Tx, refID string, passages []string, vecs [][]float32, model string) error {
	for i, text := range passages {
		var pid int64
		if err := tx.QueryRow(ctx, `INSERT INTO passages (reference_id, ordinal, text) VALUES ($1, $2, $3) RETURNING id`,
			refID, i+1, text).Scan(&pid); err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `INSERT INTO passage_embeddings (passage_id, model, dimensions, embedding) VALUES ($1, $2, $3, $4)`,
			pid, model, len(vecs[i]), pgvector.NewVector(vecs[i])); err != nil {
			return err
		}
	}
	return nil
}

// UpdateReference changes a reference in place: its text, whose passages are replaced by the new
// ones (vectors of other models go with the old passages: `coach reindex` makes them again), or its
// source. Its key points stay; its question's rubric version changes.
func (db *DB) UpdateReference(ctx context.Context, id string, c coach.ReferenceChange) error {
	err := db.audited(ctx, "update", "reference", id, func(tx pgx.Tx) error {
		q, err := questionOfReference(ctx, tx, id)
		if err != nil {
			return err
		}
		if c.Text != "" {
			if _, err := tx.Exec(ctx, `UPDATE reference_answers SET text = $2, content_hash = $3 WHERE id = $1`, id, c.Text, c.ContentHash); err != nil {
				return uniqueConflict(err, "another reference already has this text")
			}
			if _, err := tx.Exec(ctx, `DELETE FROM passages WHERE reference_id = $1`, id); err != nil {
				return err
			}
			if err := insertPassages(ctx, tx, id, c.Passages, c.Vectors, c.Model); err != nil {
				return err
			}
		}
		switch {
		case c.Source != nil:
			sourceID, err := upsertSource(ctx, tx, *c.Source)
			if err != nil {
				return err
			}
			if _, err := tx.Exec(ctx, `UPDATE reference_answers SET source_id = $2 WHERE id = $1`, id, sourceID); err != nil {
				return err
			}
		case c.URL != "":
			if _, err := tx.Exec(ctx, `UPDATE sources s SET url = $2 FROM reference_answers r WHERE r.id = $1 AND s.id = r.source_id`, id, c.URL); err != nil {
				return err
			}
		}
		return bumpIf(ctx, tx, q)
	})
	if err != nil {
		return fmt.Errorf("postgres: update reference: %w", err)
	}
	return nil
}

// MoveReference gives a reference, with its key points and passages, to another question.
func (db *DB) MoveReference(ctx context.Context, id, questionID string) error {
	err := db.audited(ctx, "move", "reference", id, func(tx pgx.Tx) error {
		from, err := questionOfReference(ctx, tx, id)
		if err != nil {
			return err
		}
		tag, err := tx.Exec(ctx, `UPDATE reference_answers SET question_id = q.id FROM questions q WHERE reference_answers.id = $1 AND q.id = $2`, id, questionID)
		if err != nil {
			return err
		}
		if tag.RowsAffected() == 0 {
			return coach.Errorf(coach.ENOTFOUND, "question %q not found", questionID)
		}
		if err := bumpIf(ctx, tx, from); err != nil {
			return err
		}
		return bumpRubric(ctx, tx, questionID)
	})
	if err != nil {
		return fmt.Errorf("postgres: move reference: %w", err)
	}
	return nil
}

// DeleteReference deletes a reference with its key points and passages.
func (db *DB) DeleteReference(ctx context.Context, id string) error {
	err := db.audited(ctx, "delete", "reference", id, func(tx pgx.Tx) error {
		q, err := questionOfReference(ctx, tx, id)
		if err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `DELETE FROM reference_answers WHERE id = $1`, id); err != nil {
			return err
		}
		return bumpIf(ctx, tx, q)
	})
	if err != nil {
		return fmt.Errorf("postgres: delete reference: %w", err)
	}
	return nil
}

// AddKeyPoint appends a key point to a reference's rubric; kp.Ordinal is set to the next one.
func (db *DB) AddKeyPoint(ctx context.Context, kp *coach.KeyPoint) error {
	err := db.audited(ctx, "create", "key_point", kp.ID, func(tx pgx.Tx) error {
		q, err := questionOfReference(ctx, tx, kp.ReferenceID)
		if err != nil {
			return err
		}
		err = tx.QueryRow(ctx, `
			INSERT INTO key_points (id, reference_id, ordinal, text, origin, weight, status)
			SELECT $1, $2, coalesce(max(ordinal), 0) + 1, $3, $4, $5, $6 FROM key_points WHERE reference_id = $2
			RETURNING ordinal`, kp.ID, kp.ReferenceID, kp.Text, kp.Origin, weightOf(kp.Weight), statusOf(kp.Status)).Scan(&kp.Ordinal)
		if err != nil {
			return err
		}
		return bumpIf(ctx, tx, q)
	})
	if err != nil {
		return fmt.Errorf("postgres: add key point: %w", err)
	}
	return nil
}

// UpdateKeyPoint changes a key point's text, weight or review status.
func (db *DB) UpdateKeyPoint(ctx context.Context, id string, e coach.KeyPointEdit) error {
	action := "update"
	if e.Status != nil && e.Text == nil && e.Weight == nil {
		action = map[string]string{coach.KeyPointApproved: "approve", coach.KeyPointRejected: "reject", coach.KeyPointDraft: "unreview"}[*e.Status]
	}
	err := db.audited(ctx, action, "key_point", id, func(tx pgx.Tx) error {
		q, err := questionOfKeyPoint(ctx, tx, id)
		if err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `
			UPDATE key_points SET text = coalesce($2, text), weight = coalesce($3, weight), status = coalesce($4, status)
			WHERE id = $1`, id, e.Text, e.Weight, e.Status); err != nil {
			return err
		}
		return bumpIf(ctx, tx, q)
	})
	if err != nil {
		return fmt.Errorf("postgres: update key point: %w", err)
	}
	return nil
}

// DeleteKeyPoint deletes a key point.
func (db *DB) DeleteKeyPoint(ctx context.Context, id string) error {
	err := db.audited(ctx, "delete", "key_point", id, func(tx pgx.Tx) error {
		q, err := questionOfKeyPoint(ctx, tx, id)
		if err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `DELETE FROM key_points WHERE id = $1`, id); err != nil {
			return err
		}
		return bumpIf(ctx, tx, q)
	})
	if err != nil {
		return fmt.Errorf("postgres: delete key point: %w", err)
	}
	return nil
}

// ReorderKeyPoints sets the order of a reference's key points: ids must name each of them once.
func (db *DB) ReorderKeyPoints(ctx context.Context, refID string, ids []string) error {
	err := db.audited(ctx, "reorder", "reference", refID, func(tx pgx.Tx) error {
		q, err := questionOfReference(ctx, tx, refID)
		if err != nil {
			return err
		}
		var current []string
		rows, _ := tx.Query(ctx, `SELECT id FROM key_points WHERE reference_id = $1 ORDER BY id`, refID)
		if current, err = pgx.CollectRows(rows, pgx.RowTo[string]); err != nil {
			return err
		}
		seen := map[string]bool{}
		for _, id := range ids {
			seen[id] = true
		}
		if len(seen) != len(ids) || len(ids) != len(current) {
			return coach.Errorf(coach.EINVALID, "give each of the reference's %d key points once", len(current))
		}
		for _, id := range current {
			if !seen[id] {
				return coach.Errorf(coach.EINVALID, "key point %s of the reference is missing from the order", id)
			}
		}
		// Ordinals are unique per reference: move them out of the way first.
		if _, err := tx.Exec(ctx, `UPDATE key_points SET ordinal = -ordinal WHERE reference_id = $1`, refID); err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `
			UPDATE key_points k SET ordinal = o.n FROM unnest($2::text[]) WITH ORDINALITY AS o(id, n)
			WHERE k.reference_id = $1 AND k.id = o.id`, refID, ids); err != nil {
			return err
		}
		return bumpIf(ctx, tx, q)
	})
	if err != nil {
		return fmt.Errorf("postgres: reorder key points: %w", err)
	}
	return nil
}

// AuditTrail returns the recorded changes, newest first: of one entity when entity and id are
// given, of everything otherwise.
func (db *DB) AuditTrail(ctx context.Context, entity, id string, limit int) ([]coach.AuditEntry, error) {
	rows, err := db.query(ctx, `
		SELECT id, actor, action, entity, entity_id, coalesce(before, 'null'), coalesce(after, 'null'), at FROM bank_audit
		WHERE ($1 = '' OR entity = $1) AND ($2 = '' OR entity_id = $2)
		ORDER BY id DESC LIMIT $3`, entity, id, limit)
	if err != nil {
		return nil, fmt.Errorf("postgres: audit trail: %w", err)
	}
	out, err := pgx.CollectRows(rows, func(row pgx.CollectableRow) (coach.AuditEntry, error) {
		var e coach.AuditEntry
		err := row.Scan(&e.ID, &e.Actor, &e.Action, &e.Entity, &e.EntityID, &e.Before, &e.After, &e.At)
		return e, err
	})
	if err != nil {
		return nil, fmt.Errorf("postgres: audit trail: %w", err)
	}
	return out, nil
}
