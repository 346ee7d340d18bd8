package postgres

import (
	"cmp"
	"context"
	"fmt"
	"math"
	"slices"

	"github.com/jackc/pgx/v5"

	"github.com/interviewcoach/coach/internal/coach"
)

// ReviewReport lists what waits for review (see coach.ReviewReport): pairs of questions whose
// vectors of model are at least duplicateSimilarity close are suspected duplicates; unsortedTopic
// is the topic of questions the importer could not sort. Each list holds at most limit entries.
func (db *DB) ReviewReport(ctx context.Context, model string, duplicateSimilarity float64, unsortedTopic string, limit int) (*coach.ReviewReport, error) {
	rep := &coach.ReviewReport{Drafts: []coach.ReviewQuestion{}, WithoutRubric: []coach.ReviewQuestion{},
		Unsorted: []coach.ReviewQuestion{}, SuspectedDuplicates: []coach.SuspectedDuplicate{}}
	opts := pgx.TxOptions{IsoLevel: pgx.RepeatableRead, AccessMode: pgx.ReadOnly}
	err := pgx.BeginTxFunc(ctx, db.pool, opts, func(tx pgx.Tx) error {
		rows, _ := tx.Query(ctx, `
			SELECT q.id, q.topic_id, q.text,
				count(k.id) FILTER (WHERE k.status = 'approved'), count(k.id) FILTER (WHERE k.status = 'draft')
			FROM questions q
			LEFT JOIN reference_answers r ON r.question_id = q.id
			LEFT JOIN key_points k ON k.reference_id = r.id
			GROUP BY q.id ORDER BY q.id`)
		questions, err := pgx.CollectRows(rows, func(row pgx.CollectableRow) (coach.ReviewQuestion, error) {
			var q coach.ReviewQuestion
			err := row.Scan(&q.ID, &q.Topic, &q.Text, &q.Approved, &q.Drafts)
			return q, err
		})
		if err != nil {
			return fmt.Errorf("questions: %w", err)
		}
		byID := map[string]coach.ReviewQuestion{}
		for _, q := range questions {
			byID[q.ID] = q
			rep.DraftKeyPoints += q.Drafts
			if q.Drafts > 0 {
				rep.Drafts = append(rep.Drafts, q)
			}
			if q.Approved == 0 && len(rep.WithoutRubric) < limit {
				rep.WithoutRubric = append(rep.WithoutRubric, q)
			}
			if q.Topic == unsortedTopic && len(rep.Unsorted) < limit {
				rep.Unsorted = append(rep.Unsorted, q)
			}
		}
		sortByDrafts(rep.Drafts)
		if len(rep.Drafts) > limit {
			rep.Drafts = rep.Drafts[:limit]
		}

		dups, err := suspectedDuplicates(ctx, tx, model, duplicateSimilarity, limit)
		if err != nil {
			return fmt.Errorf("duplicates: %w", err)
		}
		for _, d := range dups {
			d.A, d.B = byID[d.A.ID], byID[d.B.ID]
			rep.SuspectedDuplicates = append(rep.SuspectedDuplicates, d)
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("postgres: review report: %w", err)
	}
	return rep, nil
}

// duplicateNeighbours is how many nearest questions of each question the review report looks at
// for duplicates: a question imported three times has two, and one more is slack.
const duplicateNeighbours = 4

// suspectedDuplicates returns the pairs of questions whose vectors of model are at least
// minSimilarity close, closest first, at most limit; only A.ID, B.ID and Similarity are set.
// Each question's neighbours come from the HNSW index (see duplicatesSQL), so the report costs
// one index search per question rather than a comparison of every pair.
func suspectedDuplicates(ctx context.Context, tx pgx.Tx, model string, minSimilarity float64, limit int) ([]coach.SuspectedDuplicate, error) {
	rows, _ := tx.Query(ctx, `SELECT DISTINCT dimensions FROM question_embeddings WHERE model = $1`, model)
	dims, err := pgx.CollectRows(rows, pgx.RowTo[int])
	if err != nil {
		return nil, err
	}
	// Each index scan stops after its ef_search candidates (pgvector's default 40: duplicates are
	// the nearest of all, so a short list finds them): an iterative scan, which searches may have
	// set on the connection, would walk on through the whole graph for every question that has no
	// neighbour within the bound, the usual case. The planner's cost of one index search per
	// question is far above its JIT threshold, and compiling the query costs more than it saves.
	if _, err := tx.Exec(ctx, `SET LOCAL hnsw.iterative_scan = off; SET LOCAL hnsw.ef_search = 40; SET LOCAL jit = off`); err != nil {
		return nil, err
	}
	var out []coach.SuspectedDuplicate
	for _, d := range dims {
		sql, err := duplicatesSQL(model, d)
		if err != nil {
			return nil, err
		}
		rows, _ := tx.Query(ctx, sql, 1-minSimilarity)
		var a, b string
		var sim float64
		_, err = pgx.ForEachRow(rows, []any{&a, &b, &sim}, func() error {
			out = append(out, coach.SuspectedDuplicate{A: coach.ReviewQuestion{ID: a}, B: coach.ReviewQuestion{ID: b},
				Similarity: math.Round(sim*1000) / 1000})
			return nil
		})
		if err != nil {
			return nil, err
		}
	}
	slices.SortStableFunc(out, func(x, y coach.SuspectedDuplicate) int { return cmp.Compare(y.Similarity, x.Similarity) })
	return out[:min(len(out), limit)], nil
}

// duplicatesSQL is suspectedDuplicates' query for model's vectors of dims dimensions: $1 the
// greatest cosine distance of a pair. For each question, a LATERAL k-NN search
// of the question index (cast and model literal as in searchSQL, so the partial HNSW index serves
// it) yields its nearest others within the distance; each pair is kept once.
func duplicatesSQL(model string, dims int) (string, error) {
	if err := vectorSQL(model, dims); err != nil {
		return "", err
	}
	return fmt.Sprintf(`
		SELECT DISTINCT ON (least(a.question_id, n.question_id), greatest(a.question_id, n.question_id))
			least(a.question_id, n.question_id), greatest(a.question_id, n.question_id), 1 - n.distance
		FROM question_embeddings a
		CROSS JOIN LATERAL (
			SELECT b.question_id, b.embedding::vector(%[1]d) <=> a.embedding::vector(%[1]d) AS distance
			FROM question_embeddings b
			WHERE b.model = %[2]s AND b.dimensions = %[1]d AND b.question_id <> a.question_id
				AND b.embedding::vector(%[1]d) <=> a.embedding::vector(%[1]d) <= $1
			ORDER BY b.embedding::vector(%[1]d) <=> a.embedding::vector(%[1]d)
			LIMIT %[3]d
		) n
		WHERE a.model = %[2]s AND a.dimensions = %[1]d
		ORDER BY least(a.question_id, n.question_id), greatest(a.question_id, n.question_id)`,
		dims, quoteLiteral(model), duplicateNeighbours), nil
}

func sortByDrafts(qs []coach.ReviewQuestion) {
	slices.SortStableFunc(qs, func(a, b coach.ReviewQuestion) int { return b.Drafts - a.Drafts })
}
