package postgres

import (
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

		// Each question's nearest other question, kept once per pair.
		rows, _ = tx.Query(ctx, `
			SELECT a.question_id, n.question_id, n.similarity
			FROM question_embeddings a
			CROSS JOIN LATERAL (
				SELECT b.question_id, 1 - (b.embedding <=> a.embedding) AS similarity
				FROM question_embeddings b
				WHERE b.model = a.model AND b.dimensions = a.dimensions AND b.question_id <> a.question_id
				ORDER BY b.embedding <=> a.embedding LIMIT 1
			) n
			WHERE a.model = $1 AND a.question_id < n.question_id AND n.similarity >= $2
			ORDER BY n.similarity DESC, a.question_id LIMIT $3`, model, duplicateSimilarity, limit)
		var a, b string
		var sim float64
		_, err = pgx.ForEachRow(rows, []any{&a, &b, &sim}, func() error {
			rep.SuspectedDuplicates = append(rep.SuspectedDuplicates, coach.SuspectedDuplicate{
				A: byID[a], B: byID[b], Similarity: math.Round(sim*1000) / 1000,
			})
			return nil
		})
		if err != nil {
			return fmt.Errorf("duplicates: %w", err)
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("postgres: review report: %w", err)
	}
	return rep, nil
}

func sortByDrafts(qs []coach.ReviewQuestion) {
	slices.SortStableFunc(qs, func(a, b coach.ReviewQuestion) int { return b.Drafts - a.Drafts })
}
