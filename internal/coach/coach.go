// Package coach holds the domain of the interview coach: the question bank, grading results and the
// small interfaces the rest of the program implements. It imports no database, HTTP or LLM library.
package coach

import (
	"context"
	"math"
	"time"
)

// Difficulty levels of a question.
const (
	DifficultyEasy   = "easy"
	DifficultyMedium = "medium"
	DifficultyHard   = "hard"
)

// ValidDifficulty reports whether d is one of the known difficulty levels.
func ValidDifficulty(d string) bool {
	return d == DifficultyEasy || d == DifficultyMedium || d == DifficultyHard
}

// Topic is a track of questions, such as "orm" or "security".
type Topic struct {
	ID            string `json:"id"`
	Name          string `json:"name"`
	QuestionCount int    `json:"question_count"`
}

// Question is one interview question of the bank.
type Question struct {
	ID         string      `json:"id"`
	TopicID    string      `json:"topic"`
	Text       string      `json:"text"`
	Difficulty string      `json:"difficulty"`
	Tags       []string    `json:"tags"`
	References []Reference `json:"references,omitempty"`
	// RubricVersion counts the changes of the question's rubric: every key point added, edited,
	// reviewed or removed increments it, and each attempt records the version it was graded against.
	RubricVersion int       `json:"rubric_version,omitempty"`
	CreatedAt     time.Time `json:"created_at"`
}

// Reference is a reference answer to a question, from one source document. QuestionID is empty for
// orphan passages whose question could not be recovered.
type Reference struct {
	ID         string `json:"id"`
	QuestionID string `json:"question_id,omitempty"`
	Text       string `json:"text"`
	// Source is the readable name of the document the reference comes from (its title, or the name
	// given at import), never a path on the server; SourceURL is its address when known.
	Source      string     `json:"source"`
	SourceURL   string     `json:"source_url,omitempty"`
	Location    string     `json:"location,omitempty"`
	ContentHash string     `json:"content_hash"`
	KeyPoints   []KeyPoint `json:"key_points"`
}

// Key point origins: who wrote the rubric statement.
const (
	KeyPointAuthored  = "authored"
	KeyPointExtracted = "extracted" // deterministic splitter
	KeyPointLLM       = "llm"
)

// KeyPoint is one short atomic statement of a reference answer: one line of the grading rubric.
type KeyPoint struct {
	ID          string `json:"id"`
	ReferenceID string `json:"reference_id"`
	Ordinal     int    `json:"ordinal"`
	Text        string `json:"text"`
	Origin      string `json:"origin"`
	// Weight is how much the key point counts in the score against the others of its rubric:
	// WeightCore for what an answer must say, WeightDetail for what a complete one adds. 0 (unset)
	// counts as WeightCore.
	Weight float64 `json:"weight,omitempty"`
	// Status is the key point's review status: approved key points make the question's rubric;
	// drafts wait for review; rejected ones are kept so a later import does not propose them again.
	// "" counts as approved.
	Status string `json:"status,omitempty"`
}

// Key point review statuses.
const (
	KeyPointApproved = "approved"
	KeyPointDraft    = "draft"
	KeyPointRejected = "rejected"
)

// ValidKeyPointStatus reports whether s is a known review status.
func ValidKeyPointStatus(s string) bool {
	return s == KeyPointApproved || s == KeyPointDraft || s == KeyPointRejected
}

// Rubric statuses of a grade: what the key points judged were.
const (
	// RubricApproved: the question's approved key points.
	RubricApproved = "approved"
	// RubricDraft: the question has no approved key point yet, so its drafts were judged.
	RubricDraft = "draft"
	// RubricDocs: no bank question was close, so key points were drawn from the sentences of the
	// closest documentation sections; nobody has reviewed them.
	RubricDocs = "documentation"
)

// DraftRubricWarning is the warning of a grade judged against draft key points.
const DraftRubricWarning = "this question's rubric has not been reviewed yet: the answer was judged against draft key points extracted from its references"

// DocsRubricWarning is the warning of a grade judged against key points drawn from documentation.
const DocsRubricWarning = "no bank question is close to this question: it was graded against key points drawn from the sentences of the closest documentation sections, which nobody has reviewed"

// Rubric returns the references of a question with only the key points to grade against, and
// which they are: the approved key points when the question has any (drafts and rejected ones are
// left out), else its drafts, labelled RubricDraft. References left without a key point are
// dropped: they still serve retrieval and citations, but have nothing to judge.
func Rubric(refs []Reference) ([]Reference, string) {
	approved := false
	for _, r := range refs {
		for _, kp := range r.KeyPoints {
			if kp.Status == "" || kp.Status == KeyPointApproved {
				approved = true
			}
		}
	}
	want, status := KeyPointApproved, RubricApproved
	if !approved {
		want, status = KeyPointDraft, RubricDraft
	}
	out := make([]Reference, 0, len(refs))
	for _, r := range refs {
		var kps []KeyPoint
		for _, kp := range r.KeyPoints {
			s := kp.Status
			if s == "" {
				s = KeyPointApproved
			}
			if s == want {
				kps = append(kps, kp)
			}
		}
		if len(kps) > 0 {
			r.KeyPoints = kps
			out = append(out, r)
		}
	}
	return out, status
}

// Key point weights: a core statement of the rubric counts twice what a detail does.
const (
	WeightCore   = 1.0
	WeightDetail = 0.5
)

// Passage is a retrievable chunk of a reference answer.
type Passage struct {
	ID          int64  `json:"passage_id"`
	ReferenceID string `json:"reference_id"`
	Ordinal     int    `json:"ordinal"`
	Text        string `json:"text"`
}

// SearchResult is a passage found by vector similarity.
type SearchResult struct {
	PassageID   int64   `json:"passage_id"`
	ReferenceID string  `json:"reference_id"`
	QuestionID  string  `json:"question_id"`
	Question    string  `json:"question"`
	Text        string  `json:"text"`
	Source      string  `json:"source"`
	SourceURL   string  `json:"source_url,omitempty"`
	Similarity  float64 `json:"similarity"`
	// Kind is where the passage comes from: SourceBank, SourcePage or SourceDocs (hybrid search).
	Kind string `json:"kind,omitempty"`
	// Title is a documentation section's heading path (hybrid search, documentation only).
	Title string `json:"title,omitempty"`
	// Score is the passage's reciprocal-rank-fusion score in a hybrid search.
	Score float64 `json:"score,omitempty"`
}

// Kinds of source a passage comes from.
const (
	SourceBank = "bank" // a structured question bank
	SourcePage = "page" // a Q&A page imported from the web
	SourceDocs = "docs" // a documentation corpus
)

// Cosine returns the cosine similarity of two vectors, 0 when either is zero or their lengths differ.
func Cosine(a, b []float32) float64 {
	if len(a) != len(b) {
		return 0
	}
	var dot, na, nb float64
	for i := range a {
		x, y := float64(a[i]), float64(b[i])
		dot += x * y
		na += x * x
		nb += y * y
	}
	if na == 0 || nb == 0 {
		return 0
	}
	return dot / math.Sqrt(na*nb)
}

// Embedder turns texts into vectors. Implementations must return one vector per input, in order, each
// of length Dimensions().
type Embedder interface {
	Embed(ctx context.Context, texts []string) ([][]float32, error)
	// Model names the embedding model; vectors of different models are never compared.
	Model() string
	Dimensions() int
}

// KeyPointExtractor splits a reference answer into rubric statements.
type KeyPointExtractor interface {
	ExtractKeyPoints(ctx context.Context, question, answer string) ([]string, error)
}
