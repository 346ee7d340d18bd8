package postgres

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/pgvector/pgvector-go"

	"github.com/interviewcoach/coach/internal/coach"
)

// SaveReference stores rec in one transaction: its source, topic and question when missing, the
// reference with its key points, passages and vectors. It returns false, and changes nothing, when a
// reference with the same content hash is already stored, even by an import running at the same
// time. When rec.NewQuestion is set but another import stored a question of the same text
// meanwhile, the reference joins that question, and rec.NewQuestion and rec.Question say so. It is
// SaveReferences of one record.
func (db *DB) SaveReference(ctx context.Context, rec *coach.ImportRecord) (created bool, err error) {
	flags, err := db.SaveReferences(ctx, []*coach.ImportRecord{rec})
	if err != nil {
		return false, err
	}
	return flags[0], nil
}

// ReferenceExists reports whether a reference with this content hash is stored.
func (db *DB) ReferenceExists(ctx context.Context, contentHash string) (bool, error) {
	var exists bool
	err := db.queryRow(ctx, `SELECT EXISTS (SELECT 1 FROM reference_answers WHERE content_hash = $1)`, contentHash).Scan(&exists)
	if err != nil {
		return false, fmt.Errorf("postgres: reference exists: %w", err)
	}
	return exists, nil
}

// StoredReferences returns which of hashes are content hashes of stored references, in one query.
func (db *DB) StoredReferences(ctx context.Context, hashes []string) (map[string]bool, error) {
	rows, err := db.query(ctx, `SELECT content_hash FROM reference_answers WHERE content_hash = ANY($1)`, hashes)
	if err != nil {
		return nil, fmt.Errorf("postgres: stored references: %w", err)
	}
	found, err := pgx.CollectRows(rows, pgx.RowTo[string])
	if err != nil {
		return nil, fmt.Errorf("postgres: stored references: %w", err)
	}
	out := make(map[string]bool, len(found))
	for _, h := range found {
		out[h] = true
	}
	return out, nil
}

// QuestionByKey returns the stored question whose normalised text is key.
func (db *DB) QuestionByKey(ctx context.Context, key string) (*coach.Question, error) {
	row := db.queryRow(ctx, `SELECT `+questionColumns+` FROM questions WHERE normalized = $1`, key)
	q, err := scanQuestion(row)
	if err != nil {
		return nil, fmt.Errorf("postgres: question by key: %w", notFound(err, "no question with that text"))
	}
	return q, nil
}

// NearestQuestions returns the k stored questions whose vectors (of model) are closest to vec, each
// with its references and their key points (as Question has them), in one query.
func (db *DB) NearestQuestions(ctx context.Context, model string, vec []float32, k int) ([]coach.QuestionMatch, error) {
	query, err := nearestQuestionsSQL(model, len(vec), k, true)
	if err != nil {
		return nil, err
	}
	var matches []coach.QuestionMatch
	err = db.onVectorConn(ctx, "question_embeddings", model, len(vec), func(run querier) error {
		rows, err := run.Query(ctx, query, pgvector.NewVector(vec))
		if err != nil {
			return err
		}
		matches, err = pgx.CollectRows(rows, scanMatch(true))
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("postgres: nearest questions: %w", mapError(err))
	}
	return matches, nil
}

// scanMatch scans a row of nearestQuestionsSQL, with the question's references when it has them.
func scanMatch(withReferences bool) pgx.RowToFunc[coach.QuestionMatch] {
	return func(row pgx.CollectableRow) (coach.QuestionMatch, error) {
		var m coach.QuestionMatch
		dest := []any{&m.Question.ID, &m.Question.TopicID, &m.Question.Text, &m.Question.Difficulty,
			&m.Question.Tags, &m.Question.RubricVersion, &m.Question.CreatedAt, &m.Similarity}
		if withReferences {
			dest = append(dest, &m.Question.References)
		}
		err := row.Scan(dest...)
		return m, err
	}
}

// likeEscaper makes text match itself in a LIKE pattern (whose escape character is \).
var likeEscaper = strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`)

const questionColumns = `id, topic_id, text, coalesce(difficulty, ''), tags, rubric_version, created_at`

// sourceName is the SQL expression of a source's readable name: its title, else the name it was
// imported under. Importers give base names; the path is cut off here too, for sources imported
// before they did.
const sourceName = `coalesce(nullif(s.title, ''), regexp_replace(s.name, '^.*[/\\]', ''))`

// weightOf is the stored weight of a key point: unset counts as core.
func weightOf(w float64) float64 {
	if w <= 0 {
		return coach.WeightCore
	}
	return w
}

// statusOf is the stored status of a key point: unset counts as approved.
func statusOf(s string) string {
	if s == "" {
		return coach.KeyPointApproved
	}
	return s
}

// bumpRubric records a change of question id's rubric.
func bumpRubric(ctx context.Context, tx pgx.Tx, id string) error {
	if _, err := tx.Exec(ctx, `UPDATE questions SET rubric_version = rubric_version + 1 WHERE id = $1`, id); err != nil {
		return fmt.Errorf("bump rubric version: %w", err)
	}
	return nil
}

// prefixed qualifies columns (a questionColumns-like list) with a table alias.
func prefixed(prefix, columns string) string {
	parts := strings.Split(columns, ", ")
	for i, p := range parts {
		switch {
		case p == "'')":
		case strings.HasPrefix(p, "coalesce("):
			parts[i] = "coalesce(" + prefix + strings.TrimPrefix(p, "coalesce(")
		default:
			parts[i] = prefix + p
		}
	}
	return strings.Join(parts, ", ")
}

func scanQuestion(row pgx.Row) (*coach.Question, error) {
	var q coach.Question
	if err := row.Scan(&q.ID, &q.TopicID, &q.Text, &q.Difficulty, &q.Tags, &q.RubricVersion, &q.CreatedAt); err != nil {
		return nil, err
	}
	return &q, nil
}

// CountQuestions returns how many questions the bank holds.
func (db *DB) CountQuestions(ctx context.Context) (int, error) {
	var n int
	if err := db.queryRow(ctx, `SELECT count(*) FROM questions`).Scan(&n); err != nil {
		return 0, fmt.Errorf("postgres: count questions: %w", err)
	}
	return n, nil
}

// Topics lists the topics with their question counts.
func (db *DB) Topics(ctx context.Context) ([]coach.Topic, error) {
	rows, err := db.query(ctx, `
		SELECT t.id, t.name, count(q.id) FROM topics t LEFT JOIN questions q ON q.topic_id = t.id
		GROUP BY t.id, t.name ORDER BY t.name`)
	if err != nil {
		return nil, fmt.Errorf("postgres: topics: %w", err)
	}
	topics, err := pgx.CollectRows(rows, func(row pgx.CollectableRow) (coach.Topic, error) {
		var t coach.Topic
		err := row.Scan(&t.ID, &t.Name, &t.QuestionCount)
		return t, err
	})
	if err != nil {
		return nil, fmt.Errorf("postgres: topics: %w", err)
	}
	return topics, nil
}

// Questions returns a page of questions ordered by id, and the cursor of the next page ("" at the end).
func (db *DB) Questions(ctx context.Context, f coach.QuestionFilter) ([]coach.Question, string, error) {
	var (
		where []string
		args  []any
	)
	arg := func(v any) string {
		args = append(args, v)
		return fmt.Sprintf("$%d", len(args))
	}
	if f.Topic != "" {
		where = append(where, "topic_id = "+arg(f.Topic))
	}
	if f.Difficulty != "" {
		where = append(where, "difficulty = "+arg(f.Difficulty))
	}
	if f.Query != "" {
		p := arg(f.Query)
		// The words match through the full-text index; the raw text, for identifiers such as
		// select_related that the English parser splits, matches literally: % and _ are escaped.
		like := arg(likeEscaper.Replace(f.Query))
		where = append(where, fmt.Sprintf("(search @@ websearch_to_tsquery('english', %s) OR text ILIKE '%%' || %s || '%%')", p, like))
	}
	if f.After != "" {
		where = append(where, "id > "+arg(f.After))
	}
	sql := `SELECT ` + questionColumns + ` FROM questions`
	if len(where) > 0 {
		sql += " WHERE " + strings.Join(where, " AND ")
	}
	sql += " ORDER BY id LIMIT " + arg(f.Limit+1)
	rows, err := db.query(ctx, sql, args...)
	if err != nil {
		return nil, "", fmt.Errorf("postgres: questions: %w", err)
	}
	questions, err := pgx.CollectRows(rows, func(row pgx.CollectableRow) (coach.Question, error) {
		q, err := scanQuestion(row)
		if err != nil {
			return coach.Question{}, err
		}
		return *q, nil
	})
	if err != nil {
		return nil, "", fmt.Errorf("postgres: questions: %w", err)
	}
	next := ""
	if len(questions) > f.Limit {
		questions = questions[:f.Limit]
		next = questions[len(questions)-1].ID
	}
	return questions, next, nil
}

// Question returns a question with its references and their key points, in one query.
func (db *DB) Question(ctx context.Context, id string) (*coach.Question, error) {
	var q coach.Question
	err := db.queryRow(ctx, `SELECT `+prefixed("q.", questionColumns)+`, `+referencesJSON("q.id")+` FROM questions q WHERE q.id = $1`, id).
		Scan(&q.ID, &q.TopicID, &q.Text, &q.Difficulty, &q.Tags, &q.RubricVersion, &q.CreatedAt, &q.References)
	if err != nil {
		return nil, fmt.Errorf("postgres: question: %w", notFound(err, "question %s not found", coach.Echo(id)))
	}
	return &q, nil
}

// referencesJSON is the SQL of a JSON array of the references of the question whose id is the SQL
// expression questionID, each with its key points, in the order and form references gives them.
func referencesJSON(questionID string) string {
	return `(
		SELECT coalesce(json_agg(json_build_object('id', r.id, 'question_id', coalesce(r.question_id, ''), 'text', r.text,
			'source', ` + sourceName + `, 'source_url', s.url, 'location', r.location, 'content_hash', r.content_hash,
			'key_points', (
				SELECT coalesce(json_agg(json_build_object('id', k.id, 'reference_id', k.reference_id, 'ordinal', k.ordinal,
					'text', k.text, 'origin', k.origin, 'weight', k.weight, 'status', k.status) ORDER BY k.ordinal), '[]')
				FROM key_points k WHERE k.reference_id = r.id)) ORDER BY r.created_at, r.id), '[]')
		FROM reference_answers r JOIN sources s ON s.id = r.source_id
		WHERE r.question_id = ` + questionID + `)`
}

// References returns the references with the given ids, with their key points, in no set order.
func (db *DB) References(ctx context.Context, ids []string) ([]coach.Reference, error) {
	return db.references(ctx, `r.id = ANY($1)`, ids)
}

func (db *DB) references(ctx context.Context, cond string, arg any) ([]coach.Reference, error) {
	rows, err := db.query(ctx, `
		SELECT r.id, coalesce(r.question_id, ''), r.text, `+sourceName+`, s.url, r.location, r.content_hash,
			coalesce(json_agg(json_build_object('id', k.id, 'reference_id', k.reference_id, 'ordinal', k.ordinal,
				'text', k.text, 'origin', k.origin, 'weight', k.weight, 'status', k.status) ORDER BY k.ordinal)
				FILTER (WHERE k.id IS NOT NULL), '[]')
		FROM reference_answers r
		JOIN sources s ON s.id = r.source_id
		LEFT JOIN key_points k ON k.reference_id = r.id
		WHERE `+cond+`
		GROUP BY r.id, s.name, s.title, s.url
		ORDER BY r.created_at, r.id`, arg)
	if err != nil {
		return nil, fmt.Errorf("postgres: references: %w", err)
	}
	refs, err := pgx.CollectRows(rows, func(row pgx.CollectableRow) (coach.Reference, error) {
		var r coach.Reference
		err := row.Scan(&r.ID, &r.QuestionID, &r.Text, &r.Source, &r.SourceURL, &r.Location, &r.ContentHash, &r.KeyPoints)
		return r, err
	})
	if err != nil {
		return nil, fmt.Errorf("postgres: references: %w", err)
	}
	return refs, nil
}

// LockDocument waits until no other import of a document with this content hash runs, on any
// instance, and holds that lock until unlock is called: an import of the same document at the same
// time then finds it all stored, rather than storing half of it each. Waiting holds no connection;
// the lock holds one. When ctx ends first, the error says another import of the document is running.
func (db *DB) LockDocument(ctx context.Context, contentHash string) (unlock func(), err error) {
	conn, err := db.pool.Acquire(ctx)
	if err != nil {
		return nil, fmt.Errorf("postgres: lock document: %w", mapError(err))
	}
	const key = `hashtextextended('document:' || $1, 0)`
	for {
		var ok bool
		if err := conn.QueryRow(ctx, `SELECT pg_try_advisory_lock(`+key+`)`, contentHash).Scan(&ok); err != nil {
			conn.Release()
			if ctx.Err() != nil {
				return nil, documentBusy()
			}
			return nil, fmt.Errorf("postgres: lock document: %w", mapError(err))
		}
		if ok {
			break
		}
		conn.Release()
		select {
		case <-ctx.Done():
			return nil, documentBusy()
		case <-time.After(50 * time.Millisecond):
		}
		if conn, err = db.pool.Acquire(ctx); err != nil {
			if ctx.Err() != nil {
				return nil, documentBusy()
			}
			return nil, fmt.Errorf("postgres: lock document: %w", mapError(err))
		}
	}
	return func() {
		// A background context: the lock must go even when the import's context has ended.
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		if _, err := conn.Exec(ctx, `SELECT pg_advisory_unlock(`+key+`)`, contentHash); err != nil {
			// The session is in doubt: close it, which lets the lock go.
			conn.Conn().Close(ctx)
		}
		conn.Release()
	}, nil
}

func documentBusy() error {
	return coach.Errorf(coach.ECONFLICT, "the same document is being imported by another request, which did not finish in time: import it again later (it will report what that import left to do)")
}
