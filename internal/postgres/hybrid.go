package postgres

import (
	"context"
	"fmt"

	"github.com/jackc/pgx/v5"
	"github.com/pgvector/pgvector-go"

	"github.com/interviewcoach/coach/internal/coach"
)

// Hybrid search fuses two rankings of the passages in one query: the nearest vectors (the HNSW
// index of the model, as in Search) and full-text matches on passages.search, each cut to
// HybridCandidates, combined by reciprocal rank fusion: score = Σ 1/(RRFK + rank). Full text is
// what finds a setting or function named in the query (CSRF_COOKIE_HTTPONLY, select_related), which
// vectors blur; vectors find paraphrases that share no word with the passage. The full-text query
// ORs the query's stemmed words, since a question phrased by a person rarely has all its words in
// one passage.

// HybridCandidates is how many passages each ranking contributes before fusion.
const HybridCandidates = 60

// CommonLexeme is the share of passages above which a word of the query is left out of its
// full-text half, as the planner's statistics of passages.search count it (pg_stats): a word in
// more than a tenth of the passages ("use", "field", "model") hardly tells them apart, yet ranking
// every passage that has one is what made the full-text half slow. A query of common words only
// keeps them all.
const CommonLexeme = 0.2

// RRFK is the rank constant of reciprocal rank fusion (60, as in Cormack et al. 2009).
const RRFK = 60

// sourceKind is the SQL expression of a source's kind: SourceDocs, SourcePage or SourceBank.
const sourceKind = `CASE WHEN s.kind = 'docs' THEN 'docs' WHEN s.format = 'page' THEN 'page' ELSE 'bank' END`

// HybridMode selects the rankings a hybrid search uses; the single ones are for measuring.
type HybridMode int

// Modes of HybridSearchMode.
const (
	ModeHybrid HybridMode = iota
	ModeVector
	ModeFullText
)

func hybridSQL(model string, dims int, mode HybridMode, eagerJoins bool) (string, error) {
	if err := vectorSQL(model, dims); err != nil {
		return "", err
	}
	vecWeight, ftsWeight := 1, 1
	switch mode {
	case ModeVector:
		ftsWeight = 0
	case ModeFullText:
		vecWeight = 0
	}
	// The full-text half ranks the matching passages alone, then joins them to their sources in
	// rank order until it has HybridCandidates that pass the filters: joining every match first, as
	// eagerJoins does (kept to measure against), was most of its time.
	fts := `
			SELECT p.id, row_number() OVER (ORDER BY p.score DESC, p.id) AS rank
			FROM (
				SELECT p.id, p.reference_id, ts_rank_cd(p.search, tsq.q) AS score
				FROM tsq, passages p
				WHERE %[5]d = 1 AND tsq.q IS NOT NULL AND p.search @@ tsq.q
				ORDER BY score DESC, p.id
				OFFSET 0) p` + sourceJoins + `
			WHERE ($4 = '' OR ` + sourceKind + ` = $4) AND ($5 = '' OR q.topic_id = $5)
			ORDER BY p.score DESC, p.id
			LIMIT %[3]d`
	if eagerJoins {
		fts = `
			SELECT p.id, row_number() OVER (ORDER BY ts_rank_cd(p.search, tsq.q) DESC, p.id) AS rank
			FROM tsq, passages p` + sourceJoins + `
			WHERE %[5]d = 1 AND tsq.q IS NOT NULL AND p.search @@ tsq.q
				AND ($4 = '' OR ` + sourceKind + ` = $4) AND ($5 = '' OR q.topic_id = $5)
			ORDER BY ts_rank_cd(p.search, tsq.q) DESC, p.id
			LIMIT %[3]d`
	}
	// $1 query text, $2 query vector, $3 k, $4 kind ('' any), $5 topic ('' any), $6 the share of
	// passages above which a word is common (CommonLexeme).
	return fmt.Sprintf(`
		WITH vec AS (
			SELECT p.id, row_number() OVER (ORDER BY e.embedding::vector(%[1]d) <=> $2::vector(%[1]d)) AS rank
			FROM passage_embeddings e
			JOIN passages p ON p.id = e.passage_id`+sourceJoins+`
			WHERE %[4]d = 1 AND e.model = %[2]s AND e.dimensions = %[1]d
				AND ($4 = '' OR `+sourceKind+` = $4) AND ($5 = '' OR q.topic_id = $5)
			ORDER BY e.embedding::vector(%[1]d) <=> $2::vector(%[1]d)
			LIMIT %[3]d
		), common AS (
			SELECT u.w FROM pg_stats st, unnest(st.most_common_elems::text::text[], st.most_common_elem_freqs) AS u(w, f)
			WHERE st.schemaname = current_schema() AND st.tablename = 'passages' AND st.attname = 'search'
				AND u.w IS NOT NULL AND u.f > $6
		), tsq AS (
			SELECT coalesce(
				(SELECT string_agg('''' || replace(replace(l.w, '\', '\\'), '''', '''''') || '''', ' | ')::tsquery
					FROM unnest(tsvector_to_array(to_tsvector('english', $1))) AS l(w)
					WHERE l.w NOT IN (SELECT w FROM common)),
				nullif(replace(plainto_tsquery('english', $1)::text, '&', '|'), '')::tsquery) AS q
		), fts AS (`+fts+`
		), fused AS (
			SELECT id, sum(1.0 / (%[6]d + rank)) AS score
			FROM (SELECT id, rank FROM vec UNION ALL SELECT id, rank FROM fts) ranked
			GROUP BY id
		)
		SELECT p.id, r.id, coalesce(q.id, ''), coalesce(q.text, ''), p.text, `+sourceName+`,
			coalesce(nullif(r.url, ''), s.url), coalesce(1 - (e.embedding::vector(%[1]d) <=> $2::vector(%[1]d)), 0),
			`+sourceKind+`, r.title, f.score
		FROM fused f
		JOIN passages p ON p.id = f.id`+sourceJoins+`
		LEFT JOIN passage_embeddings e ON e.passage_id = p.id AND e.model = %[2]s AND e.dimensions = %[1]d
		ORDER BY f.score DESC, p.id
		LIMIT $3`, dims, quoteLiteral(model), HybridCandidates, vecWeight, ftsWeight, RRFK), nil
}

// sourceJoins joins a passage p to its reference r, source s and question q.
const sourceJoins = `
			JOIN reference_answers r ON r.id = p.reference_id
			JOIN sources s ON s.id = r.source_id
			LEFT JOIN questions q ON q.id = r.question_id`

// HybridSearch returns the k passages that rank best by reciprocal rank fusion of vector search
// (model's vectors near vec) and full-text search (query's words), optionally of one kind of source
// (coach.SourceBank, SourcePage, SourceDocs) and one topic. Similarity is the passage's vector
// similarity; Score the fused score.
func (db *DB) HybridSearch(ctx context.Context, model, query string, vec []float32, k int, kind, topic string) ([]coach.SearchResult, error) {
	return db.HybridSearchMode(ctx, ModeHybrid, model, query, vec, k, kind, topic)
}

// HybridSearchMode is HybridSearch with one ranking alone (ModeVector, ModeFullText) or both.
func (db *DB) HybridSearchMode(ctx context.Context, mode HybridMode, model, query string, vec []float32, k int, kind, topic string) ([]coach.SearchResult, error) {
	return db.hybridSearch(ctx, mode, CommonLexeme, false, model, query, vec, k, kind, topic)
}

// hybridSearch is HybridSearchMode leaving out of the full-text half the words of more than a
// share common of the passages (1: none), and with eagerJoins the full-text half joining every
// match to its source before ranking (as it did before; for measuring).
func (db *DB) hybridSearch(ctx context.Context, mode HybridMode, common float64, eagerJoins bool, model, query string, vec []float32, k int, kind, topic string) ([]coach.SearchResult, error) {
	switch kind {
	case "", coach.SourceBank, coach.SourcePage, coach.SourceDocs:
	default:
		return nil, coach.Errorf(coach.EINVALID, "kind %q is not one of bank, page, docs", kind)
	}
	sql, err := hybridSQL(model, len(vec), mode, eagerJoins)
	if err != nil {
		return nil, err
	}
	args := []any{query, pgvector.NewVector(vec), k, kind, topic, common}
	var results []coach.SearchResult
	err = db.inTx(ctx, func(tx pgx.Tx) error {
		// Kind and topic filters apply after the index scan; a wider candidate list keeps enough.
		if _, err := tx.Exec(ctx, `SET LOCAL hnsw.ef_search = 200`); err != nil {
			return err
		}
		rows, err := tx.Query(ctx, sql, args...)
		if err != nil {
			return err
		}
		results, err = pgx.CollectRows(rows, func(row pgx.CollectableRow) (coach.SearchResult, error) {
			var r coach.SearchResult
			err := row.Scan(&r.PassageID, &r.ReferenceID, &r.QuestionID, &r.Question, &r.Text, &r.Source, &r.SourceURL,
				&r.Similarity, &r.Kind, &r.Title, &r.Score)
			return r, err
		})
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("postgres: hybrid search: %w", err)
	}
	return results, nil
}
