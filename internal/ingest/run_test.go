package ingest_test

import (
	"context"
	"strings"
	"testing"

	"github.com/interviewcoach/coach/internal/coach"
)

// Drafts of one batch are decided as if those before them were stored: a question asked twice in
// one file is created once and joined by the second answer, whose key point that repeats the first
// answer's is dropped; the same answer twice is a duplicate; a question near one created earlier in
// the file takes its topic.
func TestBatchSeesItsOwnDrafts(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db, im := setup(t)
	doc := `- id: persist
  topic: caching
  question: How does Redis persist data to disk?
  answer: With RDB snapshots taken at intervals and an append-only file that logs every write.
  key_points:
    - RDB snapshots are taken at intervals
    - the append-only file logs every write
- question: How does Redis persist data to disk?
  answer: Redis writes snapshots of the dataset and can also append each write to a log that is replayed at start.
  key_points:
    - RDB snapshots are taken at intervals
    - the log is replayed when Redis starts
- question: How does Redis persist data to disk?
  answer: With RDB snapshots taken at intervals and an append-only file that logs every write.
- question: How does Redis persist its data to disk when it restarts?
  answer: It reloads the RDB snapshot or replays the append-only file.
`
	sum, err := im.Import(ctx, "redis.yaml", []byte(doc), nil)
	if err != nil {
		t.Fatal(err)
	}
	if sum.Questions != 1 || sum.References != 3 || sum.Merged != 2 || sum.Duplicates != 1 || sum.DuplicateKeyPoints != 1 {
		t.Fatalf("summary %+v: want 1 question, 3 references (2 merged), 1 duplicate, 1 key point dropped", sum)
	}
	q, err := db.Question(ctx, "persist")
	if err != nil {
		t.Fatal(err)
	}
	if len(q.References) != 3 || q.RubricVersion != 3 {
		t.Fatalf("question: %d references, rubric version %d; want 3 and 3 (two merges with key points)", len(q.References), q.RubricVersion)
	}
	// References keep the document's order.
	if !strings.HasPrefix(q.References[0].Text, "With RDB") || !strings.HasPrefix(q.References[1].Text, "Redis writes") {
		t.Errorf("references out of the document's order: %q, %q", q.References[0].Text, q.References[1].Text)
	}
	var texts []string
	for _, r := range q.References {
		for _, kp := range r.KeyPoints {
			texts = append(texts, kp.Text)
		}
	}
	if strings.Count(strings.Join(texts, "|"), "RDB snapshots are taken at intervals") != 1 {
		t.Errorf("the repeated key point was stored again: %q", texts)
	}
}

// A question id that a stored question of another text holds stops the import at the draft that
// gives it, with a conflict naming it, and keeps what the drafts of its batch before it stored.
func TestConflictInABatchKeepsWhatCameBefore(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db, im := setup(t)
	first := `- id: taken-id
  topic: caching
  question: How does Redis persist data to disk?
  answer: With RDB snapshots taken at intervals and an append-only file that logs every write.
`
	if _, err := im.Import(ctx, "first.yaml", []byte(first), nil); err != nil {
		t.Fatal(err)
	}
	doc := `- id: bloom
  topic: caching
  question: What is a Bloom filter good for?
  answer: Testing set membership in little memory, with false positives but no false negatives.
- id: taken-id
  topic: orm
  question: What does select_related do?
  answer: It follows foreign keys with a SQL join so related objects arrive in the same query.
- id: prefetch
  topic: orm
  question: What does prefetch_related do?
  answer: It runs a second query per relation and joins the rows in Python.
`
	var steps int
	sum, err := im.Import(ctx, "conflict.yaml", []byte(doc), func(done, total int) { steps = done })
	if coach.ErrorCode(err) != coach.ECONFLICT || !strings.Contains(coach.ErrorMessage(err), "taken-id") {
		t.Fatalf("err %v (code %s); want a conflict naming the id", err, coach.ErrorCode(err))
	}
	if sum == nil || sum.Questions != 1 || sum.References != 1 || steps != 1 {
		t.Fatalf("summary %+v after %d steps: want the one question before the conflict", sum, steps)
	}
	if n, err := db.CountQuestions(ctx); err != nil || n != 2 {
		t.Fatalf("%d questions stored (%v), want 2", n, err)
	}
	if _, err := db.Question(ctx, "bloom"); err != nil {
		t.Errorf("the draft before the conflict was not stored: %v", err)
	}
	if _, err := db.Question(ctx, "prefetch"); coach.ErrorCode(err) != coach.ENOTFOUND {
		t.Errorf("the draft after the conflict was stored: %v", err)
	}
}
