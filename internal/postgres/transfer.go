package postgres

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/pgvector/pgvector-go"

	"github.com/interviewcoach/coach/internal/coach"
)

// ExportBank reads the whole bank, vectors aside, from one snapshot, in the fixed order BankFile
// documents. Times are in UTC, so the file does not depend on the server's time zone.
func (db *DB) ExportBank(ctx context.Context) (*coach.BankFile, error) {
	f := &coach.BankFile{
		Format: coach.BankFormat, Version: coach.BankVersion,
		Topics: []coach.BankTopic{}, Sources: []coach.BankSource{}, Questions: []coach.BankQuestion{}, Orphans: []coach.BankReference{},
	}
	opts := pgx.TxOptions{IsoLevel: pgx.RepeatableRead, AccessMode: pgx.ReadOnly}
	err := pgx.BeginTxFunc(ctx, db.pool, opts, func(tx pgx.Tx) error {
		rows, _ := tx.Query(ctx, `SELECT id, name, created_at FROM topics ORDER BY id`)
		topics, err := pgx.CollectRows(rows, func(row pgx.CollectableRow) (coach.BankTopic, error) {
			var t coach.BankTopic
			err := row.Scan(&t.ID, &t.Name, &t.CreatedAt)
			t.CreatedAt = t.CreatedAt.UTC()
			return t, err
		})
		if err != nil {
			return fmt.Errorf("topics: %w", err)
		}
		f.Topics = append(f.Topics, topics...)

		rows, _ = tx.Query(ctx, `SELECT name, format, title, url, content_hash, imported_at FROM sources ORDER BY name`)
		sources, err := pgx.CollectRows(rows, func(row pgx.CollectableRow) (coach.BankSource, error) {
			var s coach.BankSource
			err := row.Scan(&s.Name, &s.Format, &s.Title, &s.URL, &s.ContentHash, &s.ImportedAt)
			s.ImportedAt = s.ImportedAt.UTC()
			return s, err
		})
		if err != nil {
			return fmt.Errorf("sources: %w", err)
		}
		f.Sources = append(f.Sources, sources...)

		keyPoints := map[string][]coach.BankKeyPoint{}
		rows, _ = tx.Query(ctx, `SELECT reference_id, id, ordinal, text, origin, weight, status FROM key_points ORDER BY reference_id, ordinal`)
		var refID string
		var kp coach.BankKeyPoint
		if _, err := pgx.ForEachRow(rows, []any{&refID, &kp.ID, &kp.Ordinal, &kp.Text, &kp.Origin, &kp.Weight, &kp.Status}, func() error {
			keyPoints[refID] = append(keyPoints[refID], kp)
			return nil
		}); err != nil {
			return fmt.Errorf("key points: %w", err)
		}
		passages := map[string][]string{}
		rows, _ = tx.Query(ctx, `SELECT reference_id, text FROM passages ORDER BY reference_id, ordinal`)
		var passage string
		if _, err := pgx.ForEachRow(rows, []any{&refID, &passage}, func() error {
			passages[refID] = append(passages[refID], passage)
			return nil
		}); err != nil {
			return fmt.Errorf("passages: %w", err)
		}

		refs := map[string][]coach.BankReference{} // by question id; "" for orphans
		rows, _ = tx.Query(ctx, `
			SELECT coalesce(r.question_id, ''), r.id, s.name, r.location, r.text, r.content_hash, r.created_at
			FROM reference_answers r JOIN sources s ON s.id = r.source_id
			ORDER BY r.created_at, r.id`)
		var questionID string
		var r coach.BankReference
		if _, err := pgx.ForEachRow(rows, []any{&questionID, &r.ID, &r.Source, &r.Location, &r.Text, &r.ContentHash, &r.CreatedAt}, func() error {
			ref := r
			ref.CreatedAt = ref.CreatedAt.UTC()
			ref.KeyPoints = nonNilSlice(keyPoints[ref.ID])
			ref.Passages = nonNilSlice(passages[ref.ID])
			refs[questionID] = append(refs[questionID], ref)
			return nil
		}); err != nil {
			return fmt.Errorf("references: %w", err)
		}
		f.Orphans = append(f.Orphans, refs[""]...)

		rows, _ = tx.Query(ctx, `SELECT `+questionColumns+` FROM questions ORDER BY id`)
		questions, err := pgx.CollectRows(rows, func(row pgx.CollectableRow) (coach.BankQuestion, error) {
			q, err := scanQuestion(row)
			if err != nil {
				return coach.BankQuestion{}, err
			}
			return coach.BankQuestion{
				ID: q.ID, Topic: q.TopicID, Text: q.Text, Difficulty: q.Difficulty, Tags: nonNilSlice(q.Tags),
				RubricVersion: q.RubricVersion,
				CreatedAt:     q.CreatedAt.UTC(), References: nonNilSlice(refs[q.ID]),
			}, nil
		})
		if err != nil {
			return fmt.Errorf("questions: %w", err)
		}
		f.Questions = append(f.Questions, questions...)
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("postgres: export bank: %w", err)
	}
	return f, nil
}

// ImportBank stores a bank file in one transaction: all of it or, on any error, nothing. Rows the
// bank already holds (a topic or question of the same id, a source of the same name, a reference of
// the same id or content) are left as they were. A question whose text the bank already holds
// under another id is a conflict.
func (db *DB) ImportBank(ctx context.Context, in *coach.BankImport) (*coach.BankImportSummary, error) {
	sum := &coach.BankImportSummary{}
	err := db.inTx(ctx, func(tx pgx.Tx) error {
		for _, t := range in.File.Topics {
			tag, err := tx.Exec(ctx, `INSERT INTO topics (id, name, created_at) VALUES ($1, $2, coalesce($3, now())) ON CONFLICT (id) DO NOTHING`,
				t.ID, t.Name, orNow(t.CreatedAt))
			if err != nil {
				return fmt.Errorf("topic %s: %w", t.ID, err)
			}
			sum.Topics += int(tag.RowsAffected())
		}
		sourceIDs := map[string]int64{}
		for _, s := range in.File.Sources {
			tag, err := tx.Exec(ctx, `
				INSERT INTO sources (name, format, title, url, content_hash, imported_at) VALUES ($1, $2, $3, $4, $5, coalesce($6, now()))
				ON CONFLICT (name) DO NOTHING`, s.Name, s.Format, s.Title, s.URL, s.ContentHash, orNow(s.ImportedAt))
			if err != nil {
				return fmt.Errorf("source %s: %w", s.Name, err)
			}
			sum.Sources += int(tag.RowsAffected())
			var id int64
			if err := tx.QueryRow(ctx, `SELECT id FROM sources WHERE name = $1`, s.Name).Scan(&id); err != nil {
				return fmt.Errorf("source %s: %w", s.Name, err)
			}
			sourceIDs[s.Name] = id
		}
		for _, q := range in.File.Questions {
			tag, err := tx.Exec(ctx, `
				INSERT INTO questions (id, topic_id, text, normalized, difficulty, tags, rubric_version, created_at)
				VALUES ($1, $2, $3, $4, NULLIF($5, ''), $6, greatest($7, 1), coalesce($8, now())) ON CONFLICT DO NOTHING`,
				q.ID, q.Topic, q.Text, in.QuestionKeys[q.ID], q.Difficulty, nonNilSlice(q.Tags), q.RubricVersion, orNow(q.CreatedAt))
			if err != nil {
				return fmt.Errorf("question %s: %w", q.ID, err)
			}
			if tag.RowsAffected() == 1 {
				sum.Questions++
				if vec := in.QuestionVectors[q.ID]; vec != nil {
					if _, err := tx.Exec(ctx, `
						INSERT INTO question_embeddings (question_id, model, dimensions, embedding) VALUES ($1, $2, $3, $4)`,
						q.ID, in.Model, len(vec), pgvector.NewVector(vec)); err != nil {
						return fmt.Errorf("question %s: %w", q.ID, err)
					}
				}
			} else {
				var exists bool
				if err := tx.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM questions WHERE id = $1)`, q.ID).Scan(&exists); err != nil {
					return fmt.Errorf("question %s: %w", q.ID, err)
				}
				if !exists {
					return coach.Errorf(coach.ECONFLICT, "question %s: the bank already holds a question with this text under another id", q.ID)
				}
			}
			for _, r := range q.References {
				if err := importReference(ctx, tx, in, sourceIDs, q.ID, r, sum); err != nil {
					return err
				}
			}
		}
		for _, r := range in.File.Orphans {
			if err := importReference(ctx, tx, in, sourceIDs, "", r, sum); err != nil {
				return err
			}
		}
		return nil
	})
	var coded *coach.Error
	if errors.As(err, &coded) {
		return nil, err
	} else if err != nil {
		return nil, fmt.Errorf("postgres: import bank: %w", err)
	}
	return sum, nil
}

func importReference(ctx context.Context, tx pgx.Tx, in *coach.BankImport, sourceIDs map[string]int64, questionID string,
	r coach.BankReference, sum *coach.BankImportSummary) error {
	tag, err := tx.Exec(ctx, `
		INSERT INTO reference_answers (id, question_id, source_id, location, text, content_hash, created_at)
		VALUES ($1, $2, $3, $4, $5, $6, coalesce($7, now())) ON CONFLICT DO NOTHING`,
		r.ID, nullable(questionID), sourceIDs[r.Source], r.Location, r.Text, r.ContentHash, orNow(r.CreatedAt))
	if err != nil {
		return fmt.Errorf("reference %s: %w", r.ID, err)
	}
	if tag.RowsAffected() == 0 {
		sum.Existing++
		return nil
	}
	sum.References++
	for _, kp := range r.KeyPoints {
		status := kp.Status
		if status == "" && kp.Origin != coach.KeyPointAuthored {
			status = coach.KeyPointDraft
		}
		if _, err := tx.Exec(ctx, `
			INSERT INTO key_points (id, reference_id, ordinal, text, origin, weight, status) VALUES ($1, $2, $3, $4, $5, $6, $7)`,
			kp.ID, r.ID, kp.Ordinal, kp.Text, kp.Origin, weightOf(kp.Weight), statusOf(status)); err != nil {
			return fmt.Errorf("key point %s: %w", kp.ID, err)
		}
		sum.KeyPoints++
	}
	vecs := in.PassageVectors[r.ID]
	for i, text := range r.Passages {
		var passageID int64
		if err := tx.QueryRow(ctx, `INSERT INTO passages (reference_id, ordinal, text) VALUES ($1, $2, $3) RETURNING id`,
			r.ID, i+1, text).Scan(&passageID); err != nil {
			return fmt.Errorf("reference %s passage %d: %w", r.ID, i+1, err)
		}
		sum.Passages++
		if i < len(vecs) {
			if _, err := tx.Exec(ctx, `
				INSERT INTO passage_embeddings (passage_id, model, dimensions, embedding) VALUES ($1, $2, $3, $4)`,
				passageID, in.Model, len(vecs[i]), pgvector.NewVector(vecs[i])); err != nil {
				return fmt.Errorf("reference %s passage %d: %w", r.ID, i+1, err)
			}
		}
	}
	return nil
}

func nonNilSlice[T any](s []T) []T {
	if s == nil {
		return []T{}
	}
	return s
}

// orNow maps the zero time to SQL NULL, for coalesce(..., now()): a hand-written bank file may leave
// times out.
func orNow(t time.Time) *time.Time {
	if t.IsZero() {
		return nil
	}
	return &t
}
