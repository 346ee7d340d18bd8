package postgres

import (
	"context"
	"fmt"

	"github.com/jackc/pgx/v5"

	"github.com/interviewcoach/coach/internal/coach"
)

// SaveDocSections stores sections of one documentation source in one transaction: the source
// (created or updated with its version and base URL), each section as a reference with no question,
// and its passages with their vectors (COPY). A section already stored (same content hash) is left
// alone; created says which were stored.
func (db *DB) SaveDocSections(ctx context.Context, recs []*coach.DocSectionRecord) (created []bool, err error) {
	if len(recs) == 0 {
		return nil, nil
	}
	src := recs[0].Source
	ids, locs, texts, hashes, titles, urls := make([]string, len(recs)), make([]string, len(recs)),
		make([]string, len(recs)), make([]string, len(recs)), make([]string, len(recs)), make([]string, len(recs))
	for i, s := range recs {
		if len(s.Passages) != len(s.Vectors) {
			return nil, fmt.Errorf("postgres: save doc sections: %s: %d passages but %d vectors", s.Location, len(s.Passages), len(s.Vectors))
		}
		if s.Source != src {
			return nil, fmt.Errorf("postgres: save doc sections: %s is of source %q, not %q", s.Location, s.Source.Name, src.Name)
		}
		ids[i], locs[i], texts[i], hashes[i], titles[i], urls[i] = s.ID, s.Location, s.Text, s.ContentHash, s.Title, s.URL
	}
	err = db.inTx(ctx, func(tx pgx.Tx) error {
		var sourceID int64
		if err := tx.QueryRow(ctx, `
			INSERT INTO sources (name, format, title, url, content_hash, kind, version, base_url)
			VALUES ($1, 'docs', $2, $3, $4, 'docs', $5, $3)
			ON CONFLICT (name) DO UPDATE SET format = 'docs', kind = 'docs', title = excluded.title, url = excluded.url,
				version = excluded.version, base_url = excluded.base_url, content_hash = excluded.content_hash
			RETURNING id`,
			src.Name, src.Title, src.BaseURL, src.Version, src.Version).Scan(&sourceID); err != nil {
			return fmt.Errorf("upsert source: %w", err)
		}
		stored, err := column[string](ctx, tx, `
			INSERT INTO reference_answers (id, question_id, source_id, location, text, content_hash, title, url)
			SELECT id, NULL, $1, location, text, content_hash, title, url
			FROM unnest($2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[])
				AS u(id, location, text, content_hash, title, url)
			ON CONFLICT (content_hash) DO NOTHING
			RETURNING content_hash`, sourceID, ids, locs, texts, hashes, titles, urls)
		if err != nil {
			return fmt.Errorf("insert sections: %w", err)
		}
		isNew := make(map[string]bool, len(stored))
		for _, h := range stored {
			isNew[h] = true
		}
		created = make([]bool, len(recs))
		var sets []passageSet
		for i, s := range recs {
			if created[i] = isNew[s.ContentHash]; created[i] {
				delete(isNew, s.ContentHash) // a section twice in recs is stored once
				sets = append(sets, passageSet{s.ID, s.Model, s.Passages, s.Vectors})
			}
		}
		return storePassages(ctx, tx, sets)
	})
	if err != nil {
		return nil, fmt.Errorf("postgres: save doc sections: %w", err)
	}
	return created, nil
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
