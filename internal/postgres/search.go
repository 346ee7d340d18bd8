package postgres

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"regexp"
	"strings"

	"github.com/jackc/pgx/v5"
	"github.com/pgvector/pgvector-go"

	"github.com/interviewcoach/coach/internal/coach"
)

// modelName limits the model names that are written into index definitions.
var modelName = regexp.MustCompile(`^[A-Za-z0-9._:@/+-]{1,100}$`)

// EnsureVectorIndex creates, when missing, the HNSW cosine index over the passage vectors of model.
// The vector column has no fixed dimension, so each model gets a partial index over a cast to its own.
func (db *DB) EnsureVectorIndex(ctx context.Context, model string, dims int) error {
	if err := vectorSQL(model, dims); err != nil {
		return err
	}
	sum := sha256.Sum256([]byte(fmt.Sprintf("%s/%d", model, dims)))
	suffix := hex.EncodeToString(sum[:6])
	for _, table := range []string{"passage_embeddings", "question_embeddings"} {
		sql := fmt.Sprintf(`CREATE INDEX IF NOT EXISTS %s_hnsw_%s ON %s USING hnsw ((embedding::vector(%d)) vector_cosine_ops) WHERE model = %s`,
			table, suffix, table, dims, quoteLiteral(model))
		if _, err := db.exec(ctx, sql); err != nil {
			return fmt.Errorf("postgres: create vector index: %w", err)
		}
	}
	return nil
}

// Search returns the k passages whose vectors (of model) are nearest to vec, optionally within one
// topic, most similar first.
func (db *DB) Search(ctx context.Context, model string, vec []float32, k int, topic string) ([]coach.SearchResult, error) {
	query, err := searchSQL(model, len(vec))
	if err != nil {
		return nil, err
	}
	var results []coach.SearchResult
	err = db.inTx(ctx, func(tx pgx.Tx) error {
		// A topic filter is applied after the index scan; a wider candidate list keeps k results.
		if _, err := tx.Exec(ctx, fmt.Sprintf(`SET LOCAL hnsw.ef_search = %d`, efSearch(0))); err != nil {
			return err
		}
		rows, err := tx.Query(ctx, query, pgvector.NewVector(vec), k, topic)
		if err != nil {
			return err
		}
		results, err = pgx.CollectRows(rows, func(row pgx.CollectableRow) (coach.SearchResult, error) {
			var r coach.SearchResult
			err := row.Scan(&r.PassageID, &r.ReferenceID, &r.QuestionID, &r.Question, &r.Text, &r.Source, &r.Similarity)
			return r, err
		})
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("postgres: search: %w", err)
	}
	return results, nil
}

// efSearch is the HNSW candidate list length for a search over n vectors.
func efSearch(int) int { return 200 }

// PassagesPage returns up to limit passages with ids above after, with their questions, for
// re-embedding.
func (db *DB) PassagesPage(ctx context.Context, after int64, limit int) ([]coach.PassageText, error) {
	rows, err := db.query(ctx, `
		SELECT p.id, coalesce(q.text, ''), p.text FROM passages p
		JOIN reference_answers r ON r.id = p.reference_id
		LEFT JOIN questions q ON q.id = r.question_id
		WHERE p.id > $1 ORDER BY p.id LIMIT $2`, after, limit)
	if err != nil {
		return nil, fmt.Errorf("postgres: passages: %w", err)
	}
	out, err := pgx.CollectRows(rows, pgx.RowToStructByPos[coach.PassageText])
	if err != nil {
		return nil, fmt.Errorf("postgres: passages: %w", err)
	}
	return out, nil
}

// CountPassages returns how many passages are stored and how many of them have a vector of model.
func (db *DB) CountPassages(ctx context.Context, model string) (total, embedded int, err error) {
	err = db.queryRow(ctx, `
		SELECT (SELECT count(*) FROM passages), (SELECT count(*) FROM passage_embeddings WHERE model = $1)`,
		model).Scan(&total, &embedded)
	if err != nil {
		return 0, 0, fmt.Errorf("postgres: count passages: %w", err)
	}
	return total, embedded, nil
}

// AllQuestions returns every question's id and text, for re-embedding.
func (db *DB) AllQuestions(ctx context.Context) ([]coach.Question, error) {
	rows, err := db.query(ctx, `SELECT `+questionColumns+` FROM questions ORDER BY id`)
	if err != nil {
		return nil, fmt.Errorf("postgres: all questions: %w", err)
	}
	out, err := pgx.CollectRows(rows, func(row pgx.CollectableRow) (coach.Question, error) {
		q, err := scanQuestion(row)
		if err != nil {
			return coach.Question{}, err
		}
		return *q, nil
	})
	if err != nil {
		return nil, fmt.Errorf("postgres: all questions: %w", err)
	}
	return out, nil
}

// Vectors names the rows of one kind (passages or questions) to store vectors for.
type Vectors = coach.Vectors

// SaveVectors stores (replacing) the vectors of model for the given passages or questions, in one
// transaction.
func (db *DB) SaveVectors(ctx context.Context, model string, v Vectors) error {
	if len(v.PassageIDs)+len(v.QuestionIDs) != len(v.Vectors) {
		return fmt.Errorf("postgres: save vectors: ids and vectors differ in number")
	}
	err := db.inTx(ctx, func(tx pgx.Tx) error {
		batch := &pgx.Batch{}
		for i, id := range v.PassageIDs {
			batch.Queue(`
				INSERT INTO passage_embeddings (passage_id, model, dimensions, embedding) VALUES ($1, $2, $3, $4)
				ON CONFLICT (passage_id, model) DO UPDATE SET dimensions = excluded.dimensions, embedding = excluded.embedding`,
				id, model, len(v.Vectors[i]), pgvector.NewVector(v.Vectors[i]))
		}
		for i, id := range v.QuestionIDs {
			vec := v.Vectors[len(v.PassageIDs)+i]
			batch.Queue(`
				INSERT INTO question_embeddings (question_id, model, dimensions, embedding) VALUES ($1, $2, $3, $4)
				ON CONFLICT (question_id, model) DO UPDATE SET dimensions = excluded.dimensions, embedding = excluded.embedding`,
				id, model, len(vec), pgvector.NewVector(vec))
		}
		return tx.SendBatch(ctx, batch).Close()
	})
	if err != nil {
		return fmt.Errorf("postgres: save vectors: %w", err)
	}
	return nil
}

// quoteLiteral quotes s as an SQL string literal.
func quoteLiteral(s string) string {
	return "'" + strings.ReplaceAll(s, "'", "''") + "'"
}
