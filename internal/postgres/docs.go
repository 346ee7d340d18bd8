package postgres

import (
	"context"
	"fmt"

	"github.com/jackc/pgx/v5"
	"github.com/pgvector/pgvector-go"

	"github.com/interviewcoach/coach/internal/coach"
)

// SaveDocSection stores one section of a documentation source: the source (created or updated with
// its version and base URL), the section as a reference with no question, and its passages with
// their vectors. A section already stored (same content hash) is left alone and false returned.
func (db *DB) SaveDocSection(ctx context.Context, s *coach.DocSectionRecord) (created bool, err error) {
	if len(s.Passages) != len(s.Vectors) {
		return false, fmt.Errorf("postgres: save doc section: %d passages but %d vectors", len(s.Passages), len(s.Vectors))
	}
	err = db.inTx(ctx, func(tx pgx.Tx) error {
		var sourceID int64
		if err := tx.QueryRow(ctx, `
			INSERT INTO sources (name, format, title, url, content_hash, kind, version, base_url)
			VALUES ($1, 'docs', $2, $3, $4, 'docs', $5, $3)
			ON CONFLICT (name) DO UPDATE SET format = 'docs', kind = 'docs', title = excluded.title, url = excluded.url,
				version = excluded.version, base_url = excluded.base_url, content_hash = excluded.content_hash
			RETURNING id`,
			s.Source.Name, s.Source.Title, s.Source.BaseURL, s.Source.Version, s.Source.Version).Scan(&sourceID); err != nil {
			return fmt.Errorf("upsert source: %w", err)
		}
		tag, err := tx.Exec(ctx, `
			INSERT INTO reference_answers (id, question_id, source_id, location, text, content_hash, title, url)
			VALUES ($1, NULL, $2, $3, $4, $5, $6, $7) ON CONFLICT (content_hash) DO NOTHING`,
			s.ID, sourceID, s.Location, s.Text, s.ContentHash, s.Title, s.URL)
		if err != nil {
			return fmt.Errorf("insert section: %w", err)
		}
		if tag.RowsAffected() == 0 {
			return errDuplicate
		}
		for i, text := range s.Passages {
			var passageID int64
			if err := tx.QueryRow(ctx, `INSERT INTO passages (reference_id, ordinal, text) VALUES ($1, $2, $3) RETURNING id`,
				s.ID, i+1, text).Scan(&passageID); err != nil {
				return fmt.Errorf("insert passage: %w", err)
			}
			if _, err := tx.Exec(ctx, `
				INSERT INTO passage_embeddings (passage_id, model, dimensions, embedding) VALUES ($1, $2, $3, $4)`,
				passageID, s.Model, len(s.Vectors[i]), pgvector.NewVector(s.Vectors[i])); err != nil {
				return fmt.Errorf("insert passage embedding: %w", err)
			}
		}
		return nil
	})
	if err == errDuplicate {
		return false, nil
	} else if err != nil {
		return false, fmt.Errorf("postgres: save doc section: %w", err)
	}
	return true, nil
}

// PruneDocSections deletes the sections of the documentation source name whose content hash is not
// in keep: what an earlier release documented and the current one no longer does. It returns how
// many were deleted.
func (db *DB) PruneDocSections(ctx context.Context, name string, keep []string) (int, error) {
	tag, err := db.exec(ctx, `
		DELETE FROM reference_answers r USING sources s
		WHERE s.id = r.source_id AND s.name = $1 AND s.kind = 'docs' AND NOT (r.content_hash = ANY($2))`, name, keep)
	if err != nil {
		return 0, fmt.Errorf("postgres: prune doc sections: %w", err)
	}
	return int(tag.RowsAffected()), nil
}
