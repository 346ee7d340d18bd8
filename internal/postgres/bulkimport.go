package postgres

import (
	"context"
	"fmt"
	"hash/fnv"
	"slices"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/pgvector/pgvector-go"

	"github.com/interviewcoach/coach/internal/coach"
)

// The importer works a batch of references at a time: one round trip each finds the batch's
// questions by text, their nearest stored questions and the key points of the questions they join, and
// SaveReferences stores the whole batch in one transaction, its rows sent with COPY. Row at a time,
// a reference cost a dozen round trips and a transaction of its own.

// QuestionsByKeys returns the stored questions whose normalised texts are among keys, by key.
func (db *DB) QuestionsByKeys(ctx context.Context, keys []string) (map[string]*coach.Question, error) {
	out := map[string]*coach.Question{}
	if len(keys) == 0 {
		return out, nil
	}
	rows, err := db.query(ctx, `SELECT normalized, `+questionColumns+` FROM questions WHERE normalized = ANY($1)`, keys)
	if err != nil {
		return nil, fmt.Errorf("postgres: questions by key: %w", err)
	}
	_, err = pgx.CollectRows(rows, func(row pgx.CollectableRow) (struct{}, error) {
		var key string
		var q coach.Question
		err := row.Scan(&key, &q.ID, &q.TopicID, &q.Text, &q.Difficulty, &q.Tags, &q.RubricVersion, &q.CreatedAt)
		out[key] = &q
		return struct{}{}, err
	})
	if err != nil {
		return nil, fmt.Errorf("postgres: questions by key: %w", err)
	}
	return out, nil
}

// NearestQuestionsMany is NearestQuestions for several vectors in one round trip, without the
// questions' references: out[i] holds the k stored questions nearest to vecs[i], most similar
// first. The lookups are NearestQuestions' own statement, pipelined, so each uses the questions'
// index as it does (one statement joining every vector LATERAL was planned as a scan of every
// question vector per lookup).
func (db *DB) NearestQuestionsMany(ctx context.Context, model string, vecs [][]float32, k int) ([][]coach.QuestionMatch, error) {
	out := make([][]coach.QuestionMatch, len(vecs))
	if len(vecs) == 0 {
		return out, nil
	}
	batch := &pgx.Batch{}
	for _, v := range vecs {
		query, err := nearestQuestionsSQL(model, len(v), k, false)
		if err != nil {
			return nil, err
		}
		batch.Queue(query, pgvector.NewVector(v))
	}
	err := db.onVectorConn(ctx, "question_embeddings", model, len(vecs[0]), func(run querier) error {
		results := run.SendBatch(ctx, batch)
		defer results.Close()
		for i := range vecs {
			rows, err := results.Query()
			if err != nil {
				return err
			}
			if out[i], err = pgx.CollectRows(rows, scanMatch(false)); err != nil {
				return err
			}
		}
		return results.Close()
	})
	if err != nil {
		return nil, fmt.Errorf("postgres: nearest questions: %w", mapError(err))
	}
	return out, nil
}

// KeyPointsOf returns the key points of the given questions, by question id: each question's
// references in the order Question lists them, each reference's key points in order.
func (db *DB) KeyPointsOf(ctx context.Context, ids []string) (map[string][]coach.KeyPoint, error) {
	out := map[string][]coach.KeyPoint{}
	if len(ids) == 0 {
		return out, nil
	}
	refs, err := db.references(ctx, `r.question_id = ANY($1)`, ids)
	if err != nil {
		return nil, err
	}
	for _, r := range refs {
		out[r.QuestionID] = append(out[r.QuestionID], r.KeyPoints...)
	}
	return out, nil
}

// SaveReferences stores recs in one transaction, in order, as SaveReference would one after the
// other: created[i] is false for a reference whose content hash is stored already (or comes earlier
// in recs), and a new question whose text another import (or an earlier record) stored meanwhile is
// joined instead, rec.NewQuestion and rec.Question saying so. When a record's new question has an
// id another question holds, the records before it are stored, created has their flags only, and
// the error (ECONFLICT) is that record's.
func (db *DB) SaveReferences(ctx context.Context, recs []*coach.ImportRecord) (created []bool, err error) {
	for _, rec := range recs {
		if len(rec.Passages) != len(rec.Vectors) {
			return nil, fmt.Errorf("postgres: save references: %d passages but %d vectors", len(rec.Passages), len(rec.Vectors))
		}
	}
	if len(recs) == 0 {
		return nil, nil
	}
	var conflict error
	err = db.inTx(ctx, func(tx pgx.Tx) error {
		var plan []bool
		var err error
		plan, conflict, err = planReferences(ctx, tx, recs)
		if err != nil {
			return err
		}
		created = plan
		return storeReferences(ctx, tx, recs[:len(plan)], plan)
	})
	if err != nil {
		return nil, fmt.Errorf("postgres: save references: %w", err)
	}
	return created, conflict
}

// planReferences takes the locks recs need and decides, from what is stored, which of them to
// store; it stops before a record whose new question's id is taken, and returns that conflict.
// Imports of the same references (or of one new question) at once wait for each other here rather
// than fail on a unique index: the locks on the content hashes, then those on the questions' texts,
// each set in one order, so two imports never wait on each other in a circle. After the wait the
// first one's work is seen, and the later one finds its references stored or joins the question the
// first one created.
func planReferences(ctx context.Context, tx pgx.Tx, recs []*coach.ImportRecord) ([]bool, error, error) {
	var hashes, keys, ids []string
	for _, rec := range recs {
		hashes = append(hashes, rec.Reference.ContentHash)
		if rec.Question != nil && rec.NewQuestion {
			keys = append(keys, rec.QuestionKey)
			ids = append(ids, rec.Question.ID)
		}
	}
	hashes, keys = sortedSet(hashes), sortedSet(keys)
	if err := lockKeys(ctx, tx, "reference", hashes); err != nil {
		return nil, nil, fmt.Errorf("lock references: %w", err)
	}
	storedHashes, err := column[string](ctx, tx, `SELECT content_hash FROM reference_answers WHERE content_hash = ANY($1)`, hashes)
	if err != nil {
		return nil, nil, fmt.Errorf("references stored: %w", err)
	}
	seen := map[string]bool{}
	for _, h := range storedHashes {
		seen[h] = true
	}
	byKey := map[string]string{} // question text -> id, stored or planned
	taken := map[string]bool{}   // question ids stored or planned
	if len(keys) > 0 {
		if err := lockKeys(ctx, tx, "question", keys); err != nil {
			return nil, nil, fmt.Errorf("lock questions: %w", err)
		}
		rows, err := tx.Query(ctx, `SELECT normalized, id FROM questions WHERE normalized = ANY($1)`, keys)
		if err != nil {
			return nil, nil, fmt.Errorf("questions by key: %w", err)
		}
		var key, id string
		if _, err := pgx.ForEachRow(rows, []any{&key, &id}, func() error { byKey[key] = id; return nil }); err != nil {
			return nil, nil, fmt.Errorf("questions by key: %w", err)
		}
		stored, err := column[string](ctx, tx, `SELECT id FROM questions WHERE id = ANY($1)`, ids)
		if err != nil {
			return nil, nil, fmt.Errorf("question ids taken: %w", err)
		}
		for _, id := range stored {
			taken[id] = true
		}
	}
	plan := make([]bool, 0, len(recs))
	for _, rec := range recs {
		if seen[rec.Reference.ContentHash] {
			plan = append(plan, false)
			continue
		}
		if q := rec.Question; q != nil && rec.NewQuestion {
			if id, ok := byKey[rec.QuestionKey]; ok {
				// Another import created the question meanwhile, or an earlier record of these
				// does: this reference joins it, and rec says so to the caller.
				rec.NewQuestion = false
				rec.Question = &coach.Question{ID: id, TopicID: q.TopicID, Text: q.Text}
			} else if taken[q.ID] {
				// The id was given by the document, and a question of another text holds it.
				return plan, coach.Errorf(coach.ECONFLICT, "question id %q is taken by another question of the bank: give %q another id",
					q.ID, q.Text), nil
			} else {
				byKey[rec.QuestionKey], taken[q.ID] = q.ID, true
			}
		}
		seen[rec.Reference.ContentHash] = true
		plan = append(plan, true)
	}
	return plan, nil, nil
}

// storeReferences stores the records planReferences kept (plan[i] set) with COPY: their sources,
// topics, new questions and their vectors, references, key points, passages and their vectors.
func storeReferences(ctx context.Context, tx pgx.Tx, recs []*coach.ImportRecord, plan []bool) error {
	var keep []*coach.ImportRecord
	for i, rec := range recs {
		if plan[i] {
			keep = append(keep, rec)
		}
	}
	if len(keep) == 0 {
		return nil
	}
	// References are listed by creation time: each gets its own, a microsecond after the one
	// before, from the database's clock, so that they keep the document's order as when each was
	// stored in a transaction of its own.
	sources := map[string]int64{}
	var clock time.Time
	for _, rec := range keep {
		if _, ok := sources[rec.Source.Name]; ok {
			continue
		}
		var id int64
		err := tx.QueryRow(ctx, `
			INSERT INTO sources (name, format, title, url, content_hash) VALUES ($1, $2, $3, $4, $5)
			ON CONFLICT (name) DO UPDATE SET format = excluded.format, title = excluded.title,
				url = excluded.url, content_hash = excluded.content_hash, imported_at = now()
			RETURNING id, clock_timestamp()`,
			rec.Source.Name, rec.Source.Format, rec.Source.Title, rec.Source.URL, rec.Source.ContentHash).Scan(&id, &clock)
		if err != nil {
			return fmt.Errorf("upsert source: %w", err)
		}
		sources[rec.Source.Name] = id
	}

	var topicIDs, topicNames []string
	var questions, questionVecs, refs, keyPoints [][]any
	bumps := map[string]int32{}
	var bumpOrder []string
	for i, rec := range keep {
		var questionID *string
		if q := rec.Question; q != nil {
			questionID = &q.ID
			if rec.NewQuestion {
				topicIDs, topicNames = append(topicIDs, rec.Topic.ID), append(topicNames, rec.Topic.Name)
				tags := q.Tags
				if tags == nil {
					tags = []string{}
				}
				var difficulty *string
				if q.Difficulty != "" {
					difficulty = &q.Difficulty
				}
				questions = append(questions, []any{q.ID, rec.Topic.ID, q.Text, rec.QuestionKey, difficulty, tags})
				if rec.QuestionVector != nil {
					questionVecs = append(questionVecs, []any{q.ID, rec.Model, int32(len(rec.QuestionVector)), pgvector.NewVector(rec.QuestionVector)})
				}
			} else if len(rec.Reference.KeyPoints) > 0 {
				if bumps[q.ID] == 0 {
					bumpOrder = append(bumpOrder, q.ID)
				}
				bumps[q.ID]++
			}
		}
		ref := rec.Reference
		refs = append(refs, []any{ref.ID, questionID, sources[rec.Source.Name], ref.Location, ref.Text, ref.ContentHash,
			clock.Add(time.Duration(i) * time.Microsecond)})
		for _, kp := range ref.KeyPoints {
			keyPoints = append(keyPoints, []any{kp.ID, ref.ID, int32(kp.Ordinal), kp.Text, kp.Origin, weightOf(kp.Weight), statusOf(kp.Status)})
		}
	}
	if len(topicIDs) > 0 {
		if _, err := tx.Exec(ctx, `INSERT INTO topics (id, name) SELECT * FROM unnest($1::text[], $2::text[]) ON CONFLICT (id) DO NOTHING`,
			topicIDs, topicNames); err != nil {
			return fmt.Errorf("insert topics: %w", err)
		}
	}
	for _, c := range []struct {
		table   string
		columns []string
		rows    [][]any
	}{
		{"questions", []string{"id", "topic_id", "text", "normalized", "difficulty", "tags"}, questions},
		{"question_embeddings", []string{"question_id", "model", "dimensions", "embedding"}, questionVecs},
		{"reference_answers", []string{"id", "question_id", "source_id", "location", "text", "content_hash", "created_at"}, refs},
		{"key_points", []string{"id", "reference_id", "ordinal", "text", "origin", "weight", "status"}, keyPoints},
	} {
		if len(c.rows) == 0 {
			continue
		}
		if _, err := tx.CopyFrom(ctx, pgx.Identifier{c.table}, c.columns, pgx.CopyFromRows(c.rows)); err != nil {
			return fmt.Errorf("copy %s: %w", c.table, err)
		}
	}
	if len(bumpOrder) > 0 {
		counts := make([]int32, len(bumpOrder))
		for i, id := range bumpOrder {
			counts[i] = bumps[id]
		}
		if _, err := tx.Exec(ctx, `UPDATE questions q SET rubric_version = q.rubric_version + u.n
			FROM unnest($1::text[], $2::int[]) AS u(id, n) WHERE q.id = u.id`, bumpOrder, counts); err != nil {
			return fmt.Errorf("bump rubric versions: %w", err)
		}
	}
	return storePassages(ctx, tx, importPassages(keep))
}

// passageSet is the passages of one reference with their vectors of one model.
type passageSet struct {
	referenceID, model string
	passages           []string
	vectors            [][]float32
}

// importPassages lists recs' passages for storePassages.
func importPassages(recs []*coach.ImportRecord) []passageSet {
	sets := make([]passageSet, len(recs))
	for i, rec := range recs {
		sets[i] = passageSet{rec.Reference.ID, rec.Model, rec.Passages, rec.Vectors}
	}
	return sets
}

// storePassages stores the passages of sets and their vectors: COPY into a temporary table, then
// one statement numbers the passages in order and stores their vectors beside them.
func storePassages(ctx context.Context, tx pgx.Tx, sets []passageSet) error {
	var rows [][]any
	for _, set := range sets {
		for i, p := range set.passages {
			rows = append(rows, []any{int32(len(rows)), set.referenceID, int32(i + 1), p, set.model,
				int32(len(set.vectors[i])), pgvector.NewVector(set.vectors[i])})
		}
	}
	if len(rows) == 0 {
		return nil
	}
	if _, err := tx.Exec(ctx, `
		CREATE TEMP TABLE IF NOT EXISTS import_passages (seq int, reference_id text, ordinal int, text text,
			model text, dimensions int, embedding vector);
		DELETE FROM pg_temp.import_passages`); err != nil {
		return fmt.Errorf("passage staging table: %w", err)
	}
	if _, err := tx.CopyFrom(ctx, pgx.Identifier{"pg_temp", "import_passages"},
		[]string{"seq", "reference_id", "ordinal", "text", "model", "dimensions", "embedding"}, pgx.CopyFromRows(rows)); err != nil {
		return fmt.Errorf("copy passages: %w", err)
	}
	if _, err := tx.Exec(ctx, `
		WITH p AS (
			INSERT INTO passages (reference_id, ordinal, text)
			SELECT reference_id, ordinal, text FROM pg_temp.import_passages ORDER BY seq
			RETURNING id, reference_id, ordinal)
		INSERT INTO passage_embeddings (passage_id, model, dimensions, embedding)
		SELECT p.id, s.model, s.dimensions, s.embedding
		FROM p JOIN pg_temp.import_passages s ON s.reference_id = p.reference_id AND s.ordinal = p.ordinal
		ORDER BY s.seq`); err != nil {
		return fmt.Errorf("insert passages: %w", err)
	}
	return nil
}

// column runs a query of one column and returns its values.
func column[T any](ctx context.Context, tx pgx.Tx, sql string, args ...any) ([]T, error) {
	rows, err := tx.Query(ctx, sql, args...)
	if err != nil {
		return nil, err
	}
	return pgx.CollectRows(rows, pgx.RowTo[T])
}

// lockBuckets is how many advisory locks of each kind (reference, question) a transaction takes at
// most: a key locks its bucket, so an import of a file in one transaction holds at most 2 ×
// lockBuckets locks, whatever its size. One lock a key overflowed PostgreSQL's shared lock table
// (max_locks_per_transaction × max_connections slots, about 6,400 by default, shared by every
// session) after some 6,000 questions of one file: "out of shared memory". Imports whose keys share a
// bucket wait for each other as if they shared the key.
const lockBuckets = 1024

// lockKeys takes, for the rest of tx, the advisory locks of kind on keys: their buckets, in
// ascending order, in PostgreSQL's two-key lock space (the hash of kind and the schema, bucket),
// apart from the one-key locks taken elsewhere. Advisory locks are the database's: with the schema in
// the key, imports into other schemas of it (tests) never wait on these.
func lockKeys(ctx context.Context, tx pgx.Tx, kind string, keys []string) error {
	_, err := tx.Exec(ctx, `SELECT pg_advisory_xact_lock(hashtext($1 || ':' || coalesce(current_schema(), '')), b) FROM unnest($2::int4[]) AS b`,
		kind, keyBuckets(keys))
	return err
}

// keyBuckets returns the distinct lock buckets of keys, ascending.
func keyBuckets(keys []string) []int32 {
	out := make([]int32, 0, min(len(keys), lockBuckets))
	for _, k := range keys {
		h := fnv.New64a()
		h.Write([]byte(k))
		out = append(out, int32(h.Sum64()%lockBuckets))
	}
	slices.Sort(out)
	return slices.Compact(out)
}

// sortedSet returns the distinct values of s in order.
func sortedSet(s []string) []string {
	s = slices.Clone(s)
	slices.Sort(s)
	return slices.Compact(s)
}
