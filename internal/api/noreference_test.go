package api_test

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	"github.com/interviewcoach/coach/internal/coach"
	"github.com/interviewcoach/coach/internal/grading"
)

// TestNoGradeWithoutReference: the offline grader grades no typed question that nothing in the
// bank is close to. The answer is a 422 no_reference error that names the closest bank questions
// with their similarity and says how to add a reference or configure a model; nothing is stored.
func TestNoGradeWithoutReference(t *testing.T) {
	t.Parallel()
	a := newSessionAPI(t, nil)
	s := a.createSession(t, `{"name": "Ada"}`)
	typed := []struct{ question, answer string }{
		{"How does React's useEffect hook decide when to run?", "It runs after render, and again when a value in its dependency array changes."},
		{"Why put nginx in front of gunicorn?", "nginx serves static files, terminates TLS and buffers slow clients so gunicorn workers stay free."},
	}
	for _, tt := range typed {
		body, _ := json.Marshal(map[string]any{"question": tt.question, "answer": tt.answer, "session_id": s.id})
		for _, path := range []string{"/api/v1/grade", "/api/v1/grade?stream=true", "/api/v1/followups"} {
			r := a.call(t, "POST", path, s.token, string(body))
			if r.code != 422 || !strings.HasPrefix(r.header.Get("Content-Type"), "application/json") {
				t.Fatalf("%s %q = %d %s, want a 422 JSON error", path, tt.question, r.code, r.body)
			}
			var e struct {
				Error struct {
					Code, Message string
					Closest       []coach.ClosestQuestion
					MinSimilarity float64 `json:"min_similarity"`
				}
			}
			if err := json.Unmarshal(r.body, &e); err != nil {
				t.Fatal(err)
			}
			if e.Error.Code != coach.ENOREFERENCE || e.Error.MinSimilarity != grading.GroundedSimilarity || len(e.Error.Closest) == 0 {
				t.Fatalf("%s %q: error %s", path, tt.question, r.body)
			}
			best := e.Error.Closest[0]
			if best.QuestionID == "" || best.Question == "" || best.Similarity >= grading.GroundedSimilarity {
				t.Errorf("%s %q: closest %+v", path, tt.question, best)
			}
			for i := 1; i < len(e.Error.Closest); i++ {
				if e.Error.Closest[i].Similarity > e.Error.Closest[i-1].Similarity {
					t.Errorf("%s %q: closest not best first: %+v", path, tt.question, e.Error.Closest)
				}
			}
			// The message alone tells a person what happened and what to do.
			for _, want := range []string{"nothing in the question bank is close enough", best.Question,
				fmt.Sprintf("similarity %.2f", best.Similarity), "coach ingest", "/api/v1/bank/import", "COACH_GRADER=llm"} {
				if !strings.Contains(e.Error.Message, want) {
					t.Errorf("%s %q: message %q does not say %q", path, tt.question, e.Error.Message, want)
				}
			}
			if strings.Contains(string(r.body), `"score"`) {
				t.Errorf("%s %q: a refused grade carries a score: %s", path, tt.question, r.body)
			}
		}
	}
	// "nginx in front of gunicorn" is nearest to the deployment question, and says so.
	body, _ := json.Marshal(map[string]any{"question": typed[1].question, "answer": typed[1].answer})
	if r := a.call(t, "POST", "/api/v1/grade", "", string(body)); !strings.Contains(string(r.body), "deployment-app-servers") {
		t.Errorf("nginx question: closest does not name the deployment question: %s", r.body)
	}
	// Nothing was stored: the session has no attempt.
	r := a.call(t, "GET", "/api/v1/sessions/"+s.id, s.token, "")
	if n := len(r.object(t)["history"].([]any)); r.code != 200 || n != 0 {
		t.Errorf("after refused grades the session holds %d attempts (%d)", n, r.code)
	}
	// A typed paraphrase of a bank question is still graded against it.
	body, _ = json.Marshal(map[string]any{"question": "How do select_related and prefetch_related differ?",
		"answer": "select_related joins a foreign key in the same query.", "session_id": s.id})
	if r := a.call(t, "POST", "/api/v1/grade", s.token, string(body)); r.code != 200 || r.object(t)["grounded"] != true {
		t.Errorf("typed paraphrase = %d %s", r.code, r.body)
	}
}

// TestNoReferenceWithModel: a language model grades a typed question far from the bank, saying the
// grade is not grounded; when it is down, the offline fallback does not stand in.
func TestNoReferenceWithModel(t *testing.T) {
	t.Parallel()
	far := `{"question": "What is the airspeed velocity of an unladen swallow?", "answer": "About eleven metres per second."}`
	code, body := post(t, gradeSetup(t, &fakeModel{t: t}, false), "/api/v1/grade", far)
	if code != 200 || body["grounded"] != false || !strings.Contains(fmt.Sprint(body["warnings"]), "not grounded") {
		t.Errorf("model, far question = %d %v", code, body)
	}
	code, body = post(t, gradeSetup(t, nil, true), "/api/v1/grade", far)
	if code != 503 || errorCode(t, body) != coach.EUNAVAILABLE || !strings.Contains(fmt.Sprint(body), "offline grader cannot stand in") {
		t.Errorf("model down with fallback, far question = %d %v", code, body)
	}
}
