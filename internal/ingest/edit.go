package ingest

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"net/url"
	"strings"
	"unicode/utf8"

	"github.com/interviewcoach/coach/internal/coach"
	"github.com/interviewcoach/coach/internal/text"
)

// EditStore is what editing the bank needs of the database. Each change is recorded in the audit
// trail with the actor of its context (coach.WithActor).
type EditStore interface {
	Question(ctx context.Context, id string) (*coach.Question, error)
	CreateQuestion(ctx context.Context, q *coach.Question, key string, vec []float32, model string) error
	UpdateQuestion(ctx context.Context, id string, e coach.QuestionEdit, key string, vec []float32, model string) error
	DeleteQuestionAudited(ctx context.Context, id string) error
	MergeQuestions(ctx context.Context, from, into string) error
	CreateReference(ctx context.Context, ref *coach.Reference, src coach.Source, passages []string, vecs [][]float32, model string) error
	References(ctx context.Context, ids []string) ([]coach.Reference, error)
	UpdateReference(ctx context.Context, id string, c coach.ReferenceChange) error
	MoveReference(ctx context.Context, id, questionID string) error
	DeleteReference(ctx context.Context, id string) error
	AddKeyPoint(ctx context.Context, kp *coach.KeyPoint) error
	UpdateKeyPoint(ctx context.Context, id string, e coach.KeyPointEdit) error
	DeleteKeyPoint(ctx context.Context, id string) error
	ReorderKeyPoints(ctx context.Context, refID string, ids []string) error
	AuditTrail(ctx context.Context, entity, id string, limit int) ([]coach.AuditEntry, error)
	EnsureVectorIndex(ctx context.Context, model string, dims int) error
}

// Editor changes the bank one question, reference or key point at a time, on an admin's request;
// interviewers may only propose key points, which arrive as drafts.
type Editor struct {
	Store    EditStore
	Embedder coach.Embedder
}

// Limits of what the editor accepts.
const (
	maxQuestionRunes  = 2000
	maxKeyPointRunes  = 1000
	maxReferenceRunes = 50000
	// EditorSource is the source of references written in the editor when no other is named.
	EditorSource = "editor"
)

func checkText(field, s string, max int, oneLine bool) (string, error) {
	s = strings.TrimSpace(s)
	switch {
	case s == "":
		return "", coach.Errorf(coach.EINVALID, "%s must not be empty", field)
	case !utf8.ValidString(s) || strings.ContainsRune(s, 0):
		return "", coach.Errorf(coach.EINVALID, "%s must be valid UTF-8 without NUL characters", field)
	case utf8.RuneCountInString(s) > max:
		return "", coach.Errorf(coach.EINVALID, "%s is longer than %d characters", field, max)
	case oneLine && strings.ContainsAny(s, "\r\n"):
		return "", coach.Errorf(coach.EINVALID, "%s must be one line", field)
	}
	return s, nil
}

func checkQuestionFields(topic, difficulty *string, tags *[]string) error {
	if topic != nil {
		if *topic = slug(*topic); *topic == "" {
			return coach.Errorf(coach.EINVALID, "topic must hold letters or digits")
		}
	}
	if difficulty != nil && *difficulty != "" && !coach.ValidDifficulty(*difficulty) {
		return coach.Errorf(coach.EINVALID, "difficulty %q is not easy, medium, hard or \"\" (unknown)", *difficulty)
	}
	if tags != nil {
		for _, t := range *tags {
			if strings.TrimSpace(t) == "" || utf8.RuneCountInString(t) > 50 {
				return coach.Errorf(coach.EINVALID, "tags must be 1-50 characters each")
			}
		}
	}
	return nil
}

// CreateQuestion adds a question. Its id, when not given, is made from its text; its topic, when
// not given, is DefaultTopic.
func (ed *Editor) CreateQuestion(ctx context.Context, q coach.Question) (*coach.Question, error) {
	var err error
	if q.Text, err = checkText("text", q.Text, maxQuestionRunes, true); err != nil {
		return nil, err
	}
	if q.TopicID == "" {
		q.TopicID = DefaultTopic
	}
	if err := checkQuestionFields(&q.TopicID, &q.Difficulty, &q.Tags); err != nil {
		return nil, err
	}
	key := text.Normalize(q.Text)
	if q.ID == "" {
		q.ID = "q-" + hashOf(key)[:10]
	} else if slug(q.ID) != q.ID {
		return nil, coach.Errorf(coach.EINVALID, "id %q must be lowercase letters, digits and dashes", q.ID)
	}
	vec, err := ed.embedOne(ctx, q.Text)
	if err != nil {
		return nil, err
	}
	if err := ed.Store.CreateQuestion(ctx, &q, key, vec, ed.Embedder.Model()); err != nil {
		return nil, err
	}
	return ed.Store.Question(ctx, q.ID)
}

func (ed *Editor) embedOne(ctx context.Context, s string) ([]float32, error) {
	if err := ed.Store.EnsureVectorIndex(ctx, ed.Embedder.Model(), ed.Embedder.Dimensions()); err != nil {
		return nil, err
	}
	vecs, err := ed.Embedder.Embed(ctx, []string{s})
	if err != nil {
		return nil, err
	}
	return vecs[0], nil
}

// UpdateQuestion changes a question's text, topic, difficulty or tags.
func (ed *Editor) UpdateQuestion(ctx context.Context, id string, e coach.QuestionEdit) (*coach.Question, error) {
	if e.Text == nil && e.Topic == nil && e.Difficulty == nil && e.Tags == nil {
		return nil, coach.Errorf(coach.EINVALID, "give text, topic, difficulty or tags to change")
	}
	if err := checkQuestionFields(e.Topic, e.Difficulty, e.Tags); err != nil {
		return nil, err
	}
	var (
		key string
		vec []float32
	)
	if e.Text != nil {
		t, err := checkText("text", *e.Text, maxQuestionRunes, true)
		if err != nil {
			return nil, err
		}
		e.Text, key = &t, text.Normalize(t)
		if vec, err = ed.embedOne(ctx, t); err != nil {
			return nil, err
		}
	}
	if err := ed.Store.UpdateQuestion(ctx, id, e, key, vec, ed.Embedder.Model()); err != nil {
		return nil, err
	}
	return ed.Store.Question(ctx, id)
}

// DeleteQuestion deletes a question with its references, key points and passages.
func (ed *Editor) DeleteQuestion(ctx context.Context, id string) error {
	return ed.Store.DeleteQuestionAudited(ctx, id)
}

// MergeQuestions moves the references of question from to question into and deletes from.
func (ed *Editor) MergeQuestions(ctx context.Context, from, into string) (*coach.Question, error) {
	if strings.TrimSpace(into) == "" {
		return nil, coach.Errorf(coach.EINVALID, "give into: the id of the question to merge into")
	}
	if err := ed.Store.MergeQuestions(ctx, from, into); err != nil {
		return nil, err
	}
	return ed.Store.Question(ctx, into)
}

// AddReference adds a reference answer to a question: retrievable and citable at once; its key
// points are added one by one.
func (ed *Editor) AddReference(ctx context.Context, questionID string, in coach.NewReference) (*coach.Question, error) {
	body, err := checkText("text", in.Text, maxReferenceRunes, false)
	if err != nil {
		return nil, err
	}
	q, err := ed.Store.Question(ctx, questionID)
	if err != nil {
		return nil, err
	}
	name := strings.TrimSpace(in.Source)
	if name == "" {
		name = EditorSource
	}
	src, err := editorSource(name, in.SourceURL)
	if err != nil {
		return nil, err
	}
	hash := referenceHash(q.Text, body)
	ref := &coach.Reference{ID: "r-" + hash[:12], QuestionID: q.ID, Text: body, ContentHash: hash}
	passages, vecs, err := ed.embedPassages(ctx, q.Text, body)
	if err != nil {
		return nil, err
	}
	if err := ed.Store.CreateReference(ctx, ref, src, passages, vecs, ed.Embedder.Model()); err != nil {
		return nil, err
	}
	return ed.Store.Question(ctx, q.ID)
}

// editorSource is the source named in the editor, checked.
func editorSource(name, sourceURL string) (coach.Source, error) {
	if sourceURL != "" && !validURL(sourceURL) {
		return coach.Source{}, coach.Errorf(coach.EINVALID, "source_url %q is not an absolute http or https URL", sourceURL)
	}
	name, err := checkText("source", name, 200, true)
	if err != nil {
		return coach.Source{}, err
	}
	return coach.Source{Name: name, Format: "editor", Title: name, URL: sourceURL, ContentHash: hashOf(name)}, nil
}

// referenceHash is the content hash of a reference to question: its identity in the bank.
func referenceHash(question, body string) string {
	return hashOf(text.Normalize(question) + "\x00" + text.Normalize(body))
}

// embedPassages cuts a reference to question into passages and embeds them as the importer does.
func (ed *Editor) embedPassages(ctx context.Context, question, body string) ([]string, [][]float32, error) {
	passages := Chunk(body)
	inputs := make([]string, len(passages))
	for i, p := range passages {
		inputs[i] = coach.EmbeddingInput(question, p)
	}
	if err := ed.Store.EnsureVectorIndex(ctx, ed.Embedder.Model(), ed.Embedder.Dimensions()); err != nil {
		return nil, nil, err
	}
	vecs, err := ed.Embedder.Embed(ctx, inputs)
	if err != nil {
		return nil, nil, err
	}
	return passages, vecs, nil
}

// UpdateReference changes a reference's text or source in place. A new text is cut into passages
// and embedded again, so retrieval finds what it now says; its key points stay as they are (an
// admin reviews them against the new text), and its question's rubric version changes.
func (ed *Editor) UpdateReference(ctx context.Context, id string, e coach.ReferenceEdit) (*coach.Reference, error) {
	if e.Text == nil && e.Source == nil && e.SourceURL == nil {
		return nil, coach.Errorf(coach.EINVALID, "give text, source or source_url to change")
	}
	refs, err := ed.Store.References(ctx, []string{id})
	if err != nil {
		return nil, err
	}
	if len(refs) == 0 {
		return nil, coach.Errorf(coach.ENOTFOUND, "reference %s not found", coach.Echo(id))
	}
	ref := refs[0]
	var c coach.ReferenceChange
	sourceURL := ""
	if e.SourceURL != nil {
		if sourceURL = strings.TrimSpace(*e.SourceURL); sourceURL != "" && !validURL(sourceURL) {
			return nil, coach.Errorf(coach.EINVALID, "source_url %q is not an absolute http or https URL", sourceURL)
		}
	}
	if e.Source != nil {
		src, err := editorSource(strings.TrimSpace(*e.Source), sourceURL)
		if err != nil {
			return nil, err
		}
		c.Source = &src
	} else {
		c.URL = sourceURL
	}
	if e.Text != nil {
		body, err := checkText("text", *e.Text, maxReferenceRunes, false)
		if err != nil {
			return nil, err
		}
		question := "" // an orphan answer is embedded alone, as the importer does
		if ref.QuestionID != "" {
			q, err := ed.Store.Question(ctx, ref.QuestionID)
			if err != nil {
				return nil, err
			}
			question = q.Text
		}
		if body != ref.Text {
			c.Text, c.ContentHash, c.Model = body, referenceHash(question, body), ed.Embedder.Model()
			if c.Passages, c.Vectors, err = ed.embedPassages(ctx, question, body); err != nil {
				return nil, err
			}
		}
	}
	if err := ed.Store.UpdateReference(ctx, id, c); err != nil {
		return nil, err
	}
	if refs, err = ed.Store.References(ctx, []string{id}); err != nil {
		return nil, err
	}
	if len(refs) == 0 {
		return nil, coach.Errorf(coach.ENOTFOUND, "reference %s not found", coach.Echo(id))
	}
	return &refs[0], nil
}

// MoveReference gives a reference to another question.
func (ed *Editor) MoveReference(ctx context.Context, id, questionID string) error {
	if strings.TrimSpace(questionID) == "" {
		return coach.Errorf(coach.EINVALID, "give question_id: the question to move the reference to")
	}
	return ed.Store.MoveReference(ctx, id, questionID)
}

// DeleteReference deletes a reference with its key points and passages.
func (ed *Editor) DeleteReference(ctx context.Context, id string) error {
	return ed.Store.DeleteReference(ctx, id)
}

// AddKeyPoint adds a key point to a reference. An admin's is approved unless it says otherwise;
// anyone else's (an interviewer's) is a draft, whatever it says: interviewers propose, admins
// decide.
func (ed *Editor) AddKeyPoint(ctx context.Context, refID string, in coach.NewKeyPoint, admin bool) (*coach.KeyPoint, error) {
	t, err := checkText("text", in.Text, maxKeyPointRunes, false)
	if err != nil {
		return nil, err
	}
	if err := checkWeight(in.Weight, true); err != nil {
		return nil, err
	}
	status := in.Status
	switch {
	case !admin:
		status = coach.KeyPointDraft
	case status == "":
		status = coach.KeyPointApproved
	case !coach.ValidKeyPointStatus(status):
		return nil, coach.Errorf(coach.EINVALID, "status %q is not approved, draft or rejected", status)
	}
	kp := &coach.KeyPoint{ID: newKeyPointID(refID), ReferenceID: refID, Text: t, Origin: coach.KeyPointAuthored,
		Weight: in.Weight, Status: status}
	if err := ed.Store.AddKeyPoint(ctx, kp); err != nil {
		return nil, err
	}
	return kp, nil
}

func checkWeight(w float64, zeroOK bool) error {
	if (w == 0 && zeroOK) || (w > 0 && w <= 1) {
		return nil
	}
	return coach.Errorf(coach.EINVALID, "weight %v is outside (0, 1]: 1 for a core statement, 0.5 for a detail", w)
}

// UpdateKeyPoint changes a key point's text, weight or status (approve, reject).
func (ed *Editor) UpdateKeyPoint(ctx context.Context, id string, e coach.KeyPointEdit) error {
	if e.Text == nil && e.Weight == nil && e.Status == nil {
		return coach.Errorf(coach.EINVALID, "give text, weight or status to change")
	}
	if e.Text != nil {
		t, err := checkText("text", *e.Text, maxKeyPointRunes, false)
		if err != nil {
			return err
		}
		e.Text = &t
	}
	if e.Weight != nil {
		if err := checkWeight(*e.Weight, false); err != nil {
			return err
		}
	}
	if e.Status != nil && !coach.ValidKeyPointStatus(*e.Status) {
		return coach.Errorf(coach.EINVALID, "status %q is not approved, draft or rejected", *e.Status)
	}
	return ed.Store.UpdateKeyPoint(ctx, id, e)
}

// DeleteKeyPoint deletes a key point.
func (ed *Editor) DeleteKeyPoint(ctx context.Context, id string) error {
	return ed.Store.DeleteKeyPoint(ctx, id)
}

// ReorderKeyPoints sets the order of a reference's key points.
func (ed *Editor) ReorderKeyPoints(ctx context.Context, refID string, ids []string) error {
	return ed.Store.ReorderKeyPoints(ctx, refID, ids)
}

// AuditTrail returns the recorded changes, newest first, of one entity ("question", "reference",
// "key_point") when given.
func (ed *Editor) AuditTrail(ctx context.Context, entity, id string) ([]coach.AuditEntry, error) {
	if entity != "" && entity != "question" && entity != "reference" && entity != "key_point" {
		return nil, coach.Errorf(coach.EINVALID, "entity %q is not question, reference or key_point", entity)
	}
	return ed.Store.AuditTrail(ctx, entity, id, 200)
}

// newKeyPointID returns a fresh id for a key point of reference refID.
func newKeyPointID(refID string) string {
	b := make([]byte, 4)
	if _, err := rand.Read(b); err != nil {
		panic(err)
	}
	return refID + "-e" + hex.EncodeToString(b)
}

// validURL reports whether s is an absolute http or https URL.
func validURL(s string) bool {
	u, err := url.Parse(s)
	return err == nil && (u.Scheme == "http" || u.Scheme == "https") && u.Host != ""
}
