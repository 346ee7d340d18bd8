package postgres

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"math"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"time"

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
	for _, table := range []string{"passage_embeddings", "question_embeddings"} {
		sql := fmt.Sprintf(`CREATE INDEX IF NOT EXISTS %s ON %s USING hnsw ((embedding::vector(%d)) vector_cosine_ops) WHERE model = %s`,
			vectorIndexName(table, model, dims), table, dims, quoteLiteral(model))
		if _, err := db.exec(ctx, sql); err != nil {
			return fmt.Errorf("postgres: create vector index: %w", err)
		}
	}
	return nil
}

// vectorIndexName names the partial HNSW index of table for model's vectors of dims dimensions.
func vectorIndexName(table, model string, dims int) string {
	sum := sha256.Sum256([]byte(fmt.Sprintf("%s/%d", model, dims)))
	return table + "_hnsw_" + hex.EncodeToString(sum[:6])
}

// Search returns the k passages whose vectors (of model) are nearest to vec, optionally within one
// topic, most similar first.
//
// The HNSW candidate list grows with the number of vectors of the model (efSearch), so that recall
// holds as the bank grows. Index scans are iterative (pgvector 0.8) in relaxed order: a search within
// a topic learns the topic only after the join, and a single pass of ef_search candidates may hold
// fewer than k passages of the topic, or none; a search without one takes its k from the first pass,
// as before. The settings are the session's, set on a connection only when they differ from what it
// has, so a search is one statement, as the same SQL sent by hand would be.
func (db *DB) Search(ctx context.Context, model string, vec []float32, k int, topic string) ([]coach.SearchResult, error) {
	query, err := searchSQL(model, len(vec), k, topic != "")
	if err != nil {
		return nil, err
	}
	args := []any{pgvector.NewVector(vec)}
	if topic != "" {
		args = append(args, topic)
	}
	return db.vectorSearch(ctx, model, len(vec), query, args...)
}

// SearchOwn is Search without a topic that keeps documentation from crowding out the bank: the k
// passages of question banks and pages nearest to vec, and the docs nearest passages of
// documentation, together, most similar first. Grading a bank question uses it, so that a large
// documentation corpus leaves the bank's own passages among the references shown.
func (db *DB) SearchOwn(ctx context.Context, model string, vec []float32, k, docs int) ([]coach.SearchResult, error) {
	if docs > 0 {
		// Without documentation, the index scan for it would visit every vector looking for one.
		n, err := db.docsSources(ctx)
		if err != nil {
			return nil, fmt.Errorf("postgres: search: %w", err)
		}
		if n == 0 {
			docs = 0
		}
	}
	query, err := searchOwnSQL(model, len(vec), k, docs)
	if err != nil {
		return nil, err
	}
	return db.vectorSearch(ctx, model, len(vec), query, pgvector.NewVector(vec))
}

// vectorSearch runs the vector search query with args under the session settings of a search
// over model's passage vectors of dims dimensions.
func (db *DB) vectorSearch(ctx context.Context, model string, dims int, query string, args ...any) ([]coach.SearchResult, error) {
	var results []coach.SearchResult
	err := db.onVectorConn(ctx, "passage_embeddings", model, dims, func(run querier) error {
		rows, err := run.Query(ctx, query, args...)
		if err != nil {
			return err
		}
		results, err = pgx.CollectRows(rows, func(row pgx.CollectableRow) (coach.SearchResult, error) {
			var r coach.SearchResult
			err := row.Scan(&r.PassageID, &r.ReferenceID, &r.QuestionID, &r.Question, &r.Text, &r.Source, &r.SourceURL, &r.Similarity,
				&r.Kind, &r.Title)
			return r, err
		})
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("postgres: search: %w", mapError(err))
	}
	return results, nil
}

// querier runs statements: a pooled connection, or the transaction within InTx.
type querier interface {
	Query(ctx context.Context, sql string, args ...any) (pgx.Rows, error)
	SendBatch(ctx context.Context, b *pgx.Batch) pgx.BatchResults
}

// onVectorConn runs fn on a connection whose session has the search settings for the HNSW index
// over model's vectors in table (passage_embeddings or question_embeddings): ef_search and the
// iterative scan's bound follow the index's size, so a lookup of 60,000 question vectors does not
// pay for the candidate list of 300,000 passages, and no lookup inherits another's. Within InTx (an
// import) it is the transaction, so that the lookup sees what the transaction stored so far.
func (db *DB) onVectorConn(ctx context.Context, table, model string, dims int, fn func(querier) error) error {
	n, err := db.vectorCount(ctx, table, model, dims)
	if err != nil {
		return err
	}
	settings := searchSettings{efSearch: efSearch(n), maxScanTuples: maxScanTuples(n)}
	if db.tx != nil {
		if err := db.searchSettings(ctx, db.tx.Conn(), settings); err != nil {
			return err
		}
		return fn(db.tx)
	}
	conn, err := db.pool.Acquire(ctx)
	if err != nil {
		return err
	}
	defer conn.Release()
	if err := db.searchSettings(ctx, conn.Conn(), settings); err != nil {
		return err
	}
	return fn(conn)
}

// searchSettings are the session settings of vector searches.
type searchSettings struct {
	efSearch, maxScanTuples int
}

// searchSettings gives conn's session the settings s unless it has them already.
func (db *DB) searchSettings(ctx context.Context, conn *pgx.Conn, s searchSettings) error {
	if have, ok := db.sessions.Load(conn); ok && have.(searchSettings) == s {
		return nil
	}
	if _, err := conn.Exec(ctx, `SELECT set_config('hnsw.ef_search', $1, false),
		set_config('hnsw.iterative_scan', 'relaxed_order', false), set_config('hnsw.max_scan_tuples', $2, false)`,
		strconv.Itoa(s.efSearch), strconv.Itoa(s.maxScanTuples)); err != nil {
		db.sessions.Delete(conn)
		return err
	}
	db.sessions.Store(conn, s)
	return nil
}

// efSearch is the HNSW candidate list length for a search over n vectors of one model, chosen from
// `make bench-scale` (see the README): recall@10 at a fixed length falls as the graph grows, so the
// length grows with the square root of n, from 100 at 6k vectors and below to pgvector's
// greatest, 1,000, at 625k and above.
func efSearch(n int) int {
	ef := int(40 * math.Sqrt(float64(n)/1000))
	return min(max(ef, 100), 1000)
}

// maxScanTuples bounds the index entries an iterative scan of a topic-filtered search visits over n
// vectors: pgvector's default of 20,000, or a tenth of the vectors when that is more.
func maxScanTuples(n int) int { return max(20000, n/10) }

// vectorCountTTL is how long a count of a model's vectors is reused.
const vectorCountTTL = time.Minute

// vectorCounts caches the number of vectors of each model, as the planner's statistics have it, and
// the number of documentation sources.
type vectorCounts struct {
	mu sync.Mutex
	m  map[string]vectorCount
}

type vectorCount struct {
	n  int
	at time.Time
}

// vectorCount returns about how many vectors of model table holds: the row count of its partial
// index as of its build or last vacuum, or of the whole table when the index has never been counted.
// Counts are reused for vectorCountTTL, so a search rarely pays a round trip for it.
func (db *DB) vectorCount(ctx context.Context, table, model string, dims int) (int, error) {
	return db.counts.get(fmt.Sprintf("%s/%s/%d", table, model, dims), func() (int, error) {
		var index, rows float64
		err := db.queryRow(ctx, `
			SELECT coalesce((SELECT reltuples FROM pg_class WHERE oid = to_regclass($1)), -1)::float8,
				coalesce((SELECT reltuples FROM pg_class WHERE oid = to_regclass($2)), -1)::float8`,
			vectorIndexName(table, model, dims), table).Scan(&index, &rows)
		if err != nil {
			return 0, fmt.Errorf("count vectors: %w", err)
		}
		n := max(rows, 0)
		if index >= 0 {
			n = index
		}
		return int(n), nil
	})
}

// get returns the count under key, counted by count when it is missing or older than
// vectorCountTTL.
func (c *vectorCounts) get(key string, count func() (int, error)) (int, error) {
	c.mu.Lock()
	v, ok := c.m[key]
	c.mu.Unlock()
	if ok && time.Since(v.at) < vectorCountTTL {
		return v.n, nil
	}
	n, err := count()
	if err != nil {
		return 0, err
	}
	c.mu.Lock()
	if c.m == nil {
		c.m = map[string]vectorCount{}
	}
	c.m[key] = vectorCount{n: n, at: time.Now()}
	c.mu.Unlock()
	return n, nil
}

// docsSources returns how many documentation sources are stored, counted at most once per
// vectorCountTTL.
func (db *DB) docsSources(ctx context.Context) (int, error) {
	return db.counts.get("\x00docs sources", func() (int, error) {
		var n int
		if err := db.queryRow(ctx, `SELECT count(*) FROM sources WHERE kind = 'docs'`).Scan(&n); err != nil {
			return 0, fmt.Errorf("count documentation sources: %w", err)
		}
		return n, nil
	})
}

// PassagesPage returns up to limit passages with ids above after, with their questions, for
// re-embedding. A documentation passage has no question: its section's heading path stands in, as
// when it was imported (ingest.ImportDocs), so re-embedding gives the vectors the import gave.
func (db *DB) PassagesPage(ctx context.Context, after int64, limit int) ([]coach.PassageText, error) {
	rows, err := db.query(ctx, `
		SELECT p.id, coalesce(q.text, r.title), p.text FROM passages p
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

// DropVectorIndex drops the HNSW index over the passage vectors of model, ahead of a bulk load
// after which EnsureVectorIndex builds it again from the stored vectors: pgvector builds a graph
// several times faster than it inserts the same vectors one by one. Searches meanwhile compare
// every vector of the model (exact, slower). The question vectors' index is kept: the importer
// looks questions up by it.
func (db *DB) DropVectorIndex(ctx context.Context, model string, dims int) error {
	if err := vectorSQL(model, dims); err != nil {
		return err
	}
	if _, err := db.exec(ctx, `DROP INDEX IF EXISTS `+vectorIndexName("passage_embeddings", model, dims)); err != nil {
		return fmt.Errorf("postgres: drop vector index: %w", err)
	}
	return nil
}
