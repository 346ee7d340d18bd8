package postgres

import (
	"fmt"

	"github.com/interviewcoach/coach/internal/coach"
)

// The vector queries are written so that the planner can use the partial HNSW index of their model
// (see EnsureVectorIndex), and can keep using it from a cached plan:
//
//   - the embedding is cast to vector(N), the expression the index is built on; an uncast
//     `embedding <=> $1` never matches it, so every call would read and sort every vector;
//   - the model is written into the statement as a literal: a parameter `model = $1` cannot prove
//     the index's predicate `model = '…'`, so a generic plan could never use the index and every
//     execution would be planned anew. pgx caches one prepared statement per model and dimension.
//
// TestVectorQueriesUseTheIndex runs EXPLAIN on each of them.

// vectorSQL checks the model name and dimension that go into a vector query's text.
func vectorSQL(model string, dims int) error {
	if !modelName.MatchString(model) {
		return coach.Errorf(coach.EINVALID, "embedding model name %q has characters other than letters, digits and ._:@/+-", model)
	}
	if dims < 1 || dims > 2000 {
		return coach.Errorf(coach.EINVALID, "embedding dimension %d is outside 1-2000, the range pgvector can index", dims)
	}
	return nil
}

// searchSQL is Search's query for model's vectors of dims dimensions: $1 the query vector and, when
// inTopic is set, $2 the topic. The number of passages k is written into the statement too: under a
// parameter LIMIT a cached generic plan must guess how many rows are wanted, and its guess (a tenth of
// them) makes reading and sorting every vector look cheaper than the index. A topic filter gets a
// statement of its own for the same reason. An iterative index scan in relaxed order may yield the
// nearest passages slightly out of order, so they are sorted again once found.
func searchSQL(model string, dims, k int, inTopic bool) (string, error) {
	if err := vectorSQL(model, dims); err != nil {
		return "", err
	}
	if k < 1 || k > 1000 {
		return "", coach.Errorf(coach.EINVALID, "search for %d passages; the limit is 1-1000", k)
	}
	topic := ""
	if inTopic {
		topic = " AND q.topic_id = $2"
	}
	return fmt.Sprintf(`
		WITH `+nearestCTE("hits", "%[4]s", "%[3]d")+`
		SELECT `+hitColumns+` FROM hits ORDER BY distance`, dims, quoteLiteral(model), k, topic), nil
}

// searchOwnSQL is SearchOwn's query: $1 the query vector; the k nearest passages of question banks
// and pages, and the docs nearest of documentation, each by an index scan of its own.
func searchOwnSQL(model string, dims, k, docs int) (string, error) {
	if err := vectorSQL(model, dims); err != nil {
		return "", err
	}
	if k < 1 || k > 1000 || docs < 0 || docs > 1000 {
		return "", coach.Errorf(coach.EINVALID, "search for %d and %d passages; the limit is 1-1000", k, docs)
	}
	return fmt.Sprintf(`
		WITH `+nearestCTE("own", " AND s.kind <> 'docs'", "%[3]d")+`, `+nearestCTE("docs", " AND s.kind = 'docs'", "%[4]d")+`
		SELECT `+hitColumns+` FROM (SELECT * FROM own UNION ALL SELECT * FROM docs) hits ORDER BY distance`,
		dims, quoteLiteral(model), k, docs), nil
}

// hitColumns are the columns of a vector search's result, as Search scans them.
const hitColumns = `passage_id, reference_id, question_id, question, text, source, source_url, 1 - distance AS similarity, kind, title`

// nearestCTE is a common table expression name of the passages nearest to $1 (a vector(%[1]d) of
// the model %[2]s) that pass filter, at most limit of them; filter and limit are format verbs or
// SQL text.
func nearestCTE(name, filter, limit string) string {
	return name + ` AS MATERIALIZED (
			SELECT p.id AS passage_id, r.id AS reference_id, coalesce(q.id, '') AS question_id,
				coalesce(q.text, '') AS question, p.text, ` + sourceName + ` AS source,
				coalesce(nullif(r.url, ''), s.url) AS source_url, ` + sourceKind + ` AS kind, r.title,
				e.embedding::vector(%[1]d) <=> $1::vector(%[1]d) AS distance
			FROM passage_embeddings e
			JOIN passages p ON p.id = e.passage_id
			JOIN reference_answers r ON r.id = p.reference_id
			JOIN sources s ON s.id = r.source_id
			LEFT JOIN questions q ON q.id = r.question_id
			WHERE e.model = %[2]s AND e.dimensions = %[1]d` + filter + `
			ORDER BY distance
			LIMIT ` + limit + `)`
}

// nearestQuestionsSQL is NearestQuestions' query for the k questions nearest to $1 among model's
// vectors of dims dimensions. k is written into the statement, as in searchSQL: under a parameter
// LIMIT the generic plan pgx's cached statement turns to after five executions read every question
// vector. With withReferences each question comes with its references and their key points (as
// JSON), read for the k questions found only, so that a grading needs no query per related question.
func nearestQuestionsSQL(model string, dims, k int, withReferences bool) (string, error) {
	if err := vectorSQL(model, dims); err != nil {
		return "", err
	}
	if k < 1 || k > 1000 {
		return "", coach.Errorf(coach.EINVALID, "nearest %d questions; the limit is 1-1000", k)
	}
	refs := ""
	if withReferences {
		refs = ", " + referencesJSON("m.id")
	}
	return fmt.Sprintf(`
		WITH m AS MATERIALIZED (
			SELECT `+prefixed("q.", questionColumns)+`, 1 - (e.embedding::vector(%[1]d) <=> $1::vector(%[1]d)) AS similarity
			FROM question_embeddings e JOIN questions q ON q.id = e.question_id
			WHERE e.model = %[2]s AND e.dimensions = %[1]d
			ORDER BY e.embedding::vector(%[1]d) <=> $1::vector(%[1]d)
			LIMIT %[4]d)
		SELECT m.*%[3]s FROM m ORDER BY m.similarity DESC`, dims, quoteLiteral(model), refs, k), nil
}
