package api_test

import (
	"context"
	"encoding/json"
	"log/slog"
	"net/http/httptest"
	"os"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"github.com/interviewcoach/coach/internal/bank"
	"github.com/interviewcoach/coach/internal/coach"
	"github.com/interviewcoach/coach/internal/grading"
	"github.com/interviewcoach/coach/internal/ingest"
	"github.com/interviewcoach/coach/internal/localembed"
	"github.com/interviewcoach/coach/internal/openai"
	"github.com/interviewcoach/coach/internal/openai/openaitest"
	"github.com/interviewcoach/coach/internal/postgres"
)

// newDocsAPI is newSessionAPI with two real pages of Django 4.2's documentation imported as a
// documentation source (internal/docparse/testdata/django).
func newDocsAPI(t *testing.T, grader coach.Grader) *sessionAPI {
	t.Helper()
	return newDocsBankAPI(t, grader, bank.Django())
}

// newDocsBankAPI is newDocsAPI serving the bank file data instead of the bundled bank.
func newDocsBankAPI(t *testing.T, grader coach.Grader, data []byte) *sessionAPI {
	t.Helper()
	a := newBankAPI(t, grader, data)
	ctx := context.Background()
	db, err := postgres.Open(ctx, a.dbURL, slog.New(slog.DiscardHandler))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	pages := fstest.MapFS{}
	for name, file := range map[string]string{"ref/csrf.html": "ref_csrf.html", "topics/db/optimization.html": "topics_db_optimization.html"} {
		data, err := os.ReadFile("../docparse/testdata/django/" + file)
		if err != nil {
			t.Fatal(err)
		}
		pages[name] = &fstest.MapFile{Data: data}
	}
	src := coach.DocSource{Name: "Django documentation", Title: "Django documentation 4.2", Version: "4.2", BaseURL: "https://docs.djangoproject.com/en/4.2/"}
	if _, err := ingest.ImportDocs(ctx, db, localembed.New(localembed.DefaultDimensions), src, pages, ingest.DocsOptions{}); err != nil {
		t.Fatal(err)
	}
	return a
}

// newDocsModel is an in-process OpenAI-compatible provider and a client of it.
func newDocsModel(t *testing.T) (*openaitest.Provider, *openai.Client) {
	t.Helper()
	provider := &openaitest.Provider{Settings: openaitest.Settings{Model: "test-model"}}
	ms := httptest.NewServer(provider)
	t.Cleanup(ms.Close)
	client, err := openai.New(openai.Config{BaseURL: ms.URL + "/v1", APIKey: "k", ChatModel: "test-model", Seed: 1, MaxRetries: 1,
		Timeout: 5 * time.Second, BackoffBase: time.Millisecond}, nil)
	if err != nil {
		t.Fatal(err)
	}
	return provider, client
}

// A question only the documentation answers (Django's CSRF FAQ; no bank question is close), and an
// answer that says what that section says.
const (
	docsQuestion = "Is posting an arbitrary CSRF token pair a vulnerability?"
	docsAnswer   = "No, this is by design. Without a man-in-the-middle attack, an attacker has no way to send a CSRF token cookie to the victim's browser, so a successful attack would need the victim's cookie anyway."
	docsBase     = "https://docs.djangoproject.com/en/4.2/ref/csrf/#"
)

// docsGrade is what a grade grounded in the documentation says of itself.
type docsGrade struct {
	AttemptID    string `json:"attempt_id"`
	QuestionID   string `json:"question_id"`
	Score        int
	Grounded     bool
	GroundedIn   string `json:"grounded_in"`
	RubricStatus string `json:"rubric_status"`
	Warnings     []string
	KeyPoints    []coach.Judgement `json:"key_points"`
	References   []coach.RetrievedReference
	Feedback     coach.Feedback
	Grader       coach.GraderInfo
}

// checkDocsGrade fails t unless g is grounded in documentation sections cited by heading path and
// public address, its key points drawn from those sections and its feedback citing them.
func checkDocsGrade(t *testing.T, g docsGrade) {
	t.Helper()
	if !g.Grounded || g.GroundedIn != coach.GroundedInDocs || g.RubricStatus != coach.RubricDocs || g.QuestionID != "" ||
		!strings.Contains(strings.Join(g.Warnings, " "), "documentation sections, which nobody has reviewed") {
		t.Errorf("not labelled as grounded in the documentation: %+v", g)
	}
	cited := map[string]coach.RetrievedReference{}
	for _, r := range g.References {
		if r.Kind == coach.SourceDocs {
			cited[r.ID] = r
			if !strings.HasPrefix(r.SourceURL, docsBase) || !strings.HasPrefix(r.Title, "Cross Site Request Forgery protection › ") ||
				r.Source != "Django documentation 4.2" || r.Excerpt == "" {
				t.Errorf("documentation reference not cited by heading path and public URL: %+v", r)
			}
		}
	}
	if len(g.KeyPoints) == 0 || len(g.KeyPoints) > 5 {
		t.Fatalf("%d key points, want 1-5: %+v", len(g.KeyPoints), g.KeyPoints)
	}
	for _, kp := range g.KeyPoints {
		if _, ok := cited[kp.ReferenceID]; !ok {
			t.Errorf("key point %q rests on %s, which is not a cited documentation section", kp.Text, kp.ReferenceID)
		}
	}
	remarks := append(append([]coach.Remark{}, g.Feedback.Strengths...), g.Feedback.Improvements...)
	if len(remarks) == 0 {
		t.Errorf("no feedback: %+v", g.Feedback)
	}
	for _, rm := range remarks {
		for _, id := range rm.ReferenceIDs {
			if _, ok := cited[id]; !ok {
				t.Errorf("feedback %q cites %s, not a documentation section of the grade", rm.Text, id)
			}
		}
	}
}

// TestGradeGroundedInDocs: the offline grader grades a typed question no bank question is close to
// against the close documentation sections, with key points drawn from their sentences, citing them
// by heading path and public URL in the grade, its feedback and the Markdown report; a question far
// from the documentation too is still refused (422) with the closest sections named.
func TestGradeGroundedInDocs(t *testing.T) {
	t.Parallel()
	a := newDocsAPI(t, nil)
	s := a.createSession(t, `{"name": "Ada"}`)
	grade := func(question, answer string) (response, docsGrade) {
		body, _ := json.Marshal(map[string]any{"question": question, "answer": answer, "session_id": s.id})
		r := a.call(t, "POST", "/api/v1/grade", s.token, string(body))
		var g docsGrade
		if r.code == 200 {
			if err := json.Unmarshal(r.body, &g); err != nil {
				t.Fatal(err)
			}
		}
		return r, g
	}
	r, good := grade(docsQuestion, docsAnswer)
	if r.code != 200 {
		t.Fatalf("grade = %d %s", r.code, r.body)
	}
	checkDocsGrade(t, good)
	if good.Grader.Kind != coach.GraderOffline {
		t.Errorf("grader %+v", good.Grader)
	}
	covered := 0
	for _, kp := range good.KeyPoints {
		if kp.Status == coach.StatusCovered {
			covered++
		}
	}
	_, weak := grade(docsQuestion, "Django renders the form with a template and saves the model when the form is valid.")
	if covered == 0 || good.Score <= weak.Score || weak.GroundedIn != coach.GroundedInDocs {
		t.Errorf("the documentation's own words score %d (%d key points covered), an unrelated answer %d", good.Score, covered, weak.Score)
	}

	// The Markdown report says what the grade rests on and links the sections.
	md := a.call(t, "GET", "/api/v1/sessions/"+s.id+"/report?format=md", s.token, "")
	if md.code != 200 {
		t.Fatalf("report = %d %s", md.code, md.body)
	}
	report := string(md.body)
	for _, ref := range good.References {
		if ref.Kind == coach.SourceDocs && !strings.Contains(report, "]("+ref.SourceURL+")") {
			t.Errorf("the report does not link %s:\n%s", ref.SourceURL, report)
		}
	}
	if !strings.Contains(report, "**Grounded in the documentation:**") || !strings.Contains(report, "**Documentation cited:**") ||
		!strings.Contains(report, "[Cross Site Request Forgery protection › ") {
		t.Errorf("the report does not say the grade rests on the documentation:\n%s", report)
	}

	// Far from the bank and from the documentation: today's honest refusal, naming both.
	r, _ = grade("What does the Rust borrow checker prevent?", "Data races and use after free.")
	var e struct {
		Error struct {
			Code              string
			Message           string
			ClosestDocs       []coach.ClosestSection `json:"closest_docs"`
			MinDocsSimilarity float64                `json:"min_docs_similarity"`
		}
	}
	if err := json.Unmarshal(r.body, &e); err != nil || r.code != 422 || e.Error.Code != coach.ENOREFERENCE {
		t.Fatalf("far question = %d %s", r.code, r.body)
	}
	if len(e.Error.ClosestDocs) == 0 || e.Error.MinDocsSimilarity != grading.DocsGroundedSimilarity ||
		e.Error.ClosestDocs[0].Similarity >= grading.DocsGroundedSimilarity || e.Error.ClosestDocs[0].Title == "" ||
		!strings.HasPrefix(e.Error.ClosestDocs[0].URL, "https://docs.djangoproject.com/en/4.2/") ||
		!strings.Contains(e.Error.Message, "nor is any documentation section") {
		t.Errorf("far question: %s", r.body)
	}
	if h := a.call(t, "GET", "/api/v1/sessions/"+s.id, s.token, ""); len(h.object(t)["history"].([]any)) != 2 {
		t.Errorf("the session holds %s, want the two graded attempts", h.body)
	}
}

// TestGradeGroundedInDocsWithModel: a language model grades the same question against the same
// documentation key points, and the grade says it is grounded in the documentation; the prompt holds
// the sections' passages as references.
func TestGradeGroundedInDocsWithModel(t *testing.T) {
	t.Parallel()
	provider, client := newDocsModel(t)
	a := newDocsAPI(t, client)
	body, _ := json.Marshal(map[string]any{"question": docsQuestion, "answer": docsAnswer})
	r := a.call(t, "POST", "/api/v1/grade", "", string(body))
	var g docsGrade
	if err := json.Unmarshal(r.body, &g); err != nil || r.code != 200 {
		t.Fatalf("grade = %d %s", r.code, r.body)
	}
	checkDocsGrade(t, g)
	if g.Grader.Kind != coach.GraderLLM || g.KeyPoints[0].Status != coach.StatusCovered || g.Score == 0 {
		t.Errorf("model grade: %+v", g)
	}
	reqs := provider.Requests()
	if len(reqs) != 1 {
		t.Fatalf("%d model requests", len(reqs))
	}
	user := reqs[0].Messages[len(reqs[0].Messages)-1].Content
	for _, kp := range g.KeyPoints {
		if !strings.Contains(user, kp.Text) {
			t.Errorf("the prompt does not hold key point %q", kp.Text)
		}
	}
	if !strings.Contains(user, "man-in-the-middle") {
		t.Errorf("the prompt does not hold the documentation passage:\n%s", user)
	}
	if problems := provider.Problems(); len(problems) > 0 {
		t.Errorf("provider problems: %v", problems)
	}
}
