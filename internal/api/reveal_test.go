package api_test

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	"github.com/interviewcoach/coach/internal/coach"
)

// followUpsOf returns the follow-ups of a response body (an attempt, or the answer of /followups).
func followUpsOf(t *testing.T, body map[string]any) []map[string]any {
	t.Helper()
	raw, ok := body["followups"].([]any)
	if !ok || len(raw) < 2 {
		t.Fatalf("want at least two follow-ups: %v", body["followups"])
	}
	out := make([]map[string]any, len(raw))
	for i, f := range raw {
		out[i] = f.(map[string]any)
	}
	return out
}

// wantHidden checks which follow-ups show their answer: shown[i] for follow-up i.
func wantHidden(t *testing.T, what string, fs []map[string]any, shown ...bool) {
	t.Helper()
	for i, f := range fs {
		show := i < len(shown) && shown[i]
		_, hasExpected := f["expected_answer"]
		_, hasTarget := f["target_text"]
		if f["question"] == "" || f["targets"] == "" || f["answer_hidden"] != !show || hasExpected != show || hasTarget != show {
			t.Errorf("%s: follow-up %d = %v; want its answer shown %v", what, i, f, show)
		}
	}
}

// TestFollowUpAnswersHidden checks who sees the answers to follow-up questions, through every route
// that returns follow-ups: a candidate (session token, candidate key, no key) only once the follow-up
// is answered, an interviewer always.
func TestFollowUpAnswersHidden(t *testing.T) {
	t.Parallel()
	w := newWorld(t, nil)
	s := w.newSession(t, `{}`)
	interviewer := bearer(w.key[coach.RoleInterviewer])
	const partial = `select_related uses a JOIN to fetch a ForeignKey in the same query. prefetch_related is another way to load related objects.`
	gradeBody := func(session string) string {
		b, _ := json.Marshal(map[string]any{"question_id": "orm-select-related-prefetch", "answer": partial, "session_id": session, "count": 3})
		return string(b)
	}

	// Grading in the session, with its token: the answers are hidden.
	r := w.do(t, w.open, request{method: "POST", path: "/api/v1/grade", body: gradeBody(s.id), token: s.token})
	if r.code != 200 {
		t.Fatalf("grade = %d %s", r.code, r.body)
	}
	first := r.object(t)
	wantHidden(t, "grade, token", followUpsOf(t, first))
	if bytes.Contains(r.body, []byte(`"expected_answer"`)) {
		t.Errorf("the grade response carries an expected answer: %s", r.body)
	}

	// The same through the event stream and through /followups.
	r = w.do(t, w.open, request{method: "POST", path: "/api/v1/grade?stream=true", body: gradeBody(s.id), token: s.token})
	var streamed map[string]any
	for sc := bufio.NewScanner(bytes.NewReader(r.body)); sc.Scan(); {
		if line, ok := strings.CutPrefix(sc.Text(), "data: "); ok && strings.Contains(line, `"attempt_id"`) {
			_ = json.Unmarshal([]byte(line), &streamed)
		}
	}
	if streamed == nil {
		t.Fatalf("no grade event in the stream: %s", r.body)
	}
	wantHidden(t, "grade stream, token", followUpsOf(t, streamed))
	r = w.do(t, w.open, request{method: "POST", path: "/api/v1/followups", body: gradeBody(s.id), token: s.token})
	wantHidden(t, "followups, token", followUpsOf(t, r.object(t)))

	// Outside a session, with no key and with a candidate key: hidden too; with an interviewer key:
	// shown.
	for _, auth := range []string{"", bearer(w.key[coach.RoleCandidate])} {
		r = w.do(t, w.open, request{method: "POST", path: "/api/v1/grade", body: gradeBody(""), auth: auth})
		wantHidden(t, fmt.Sprintf("grade, auth %.20q", auth), followUpsOf(t, r.object(t)))
	}
	r = w.do(t, w.open, request{method: "POST", path: "/api/v1/followups", body: gradeBody(""), auth: interviewer})
	wantHidden(t, "followups, interviewer", followUpsOf(t, r.object(t)), true, true, true)

	// Reading the attempt back: hidden to the token, shown to an interviewer.
	path := "/api/v1/attempts/" + first["attempt_id"].(string)
	r = w.do(t, w.open, request{method: "GET", path: path, token: s.token})
	wantHidden(t, "attempt, token", followUpsOf(t, r.object(t)))
	r = w.do(t, w.open, request{method: "GET", path: path, auth: interviewer})
	interviewed := followUpsOf(t, r.object(t))
	wantHidden(t, "attempt, interviewer", interviewed, true, true, true)

	// Answering follow-up 1 reveals it, and it alone: in the answer's response, in the attempt and
	// in the session report.
	b, _ := json.Marshal(map[string]any{"answer": "It runs a second query and joins in Python.", "session_id": s.id,
		"followup": map[string]any{"attempt_id": first["attempt_id"], "index": 1}})
	r = w.do(t, w.open, request{method: "POST", path: "/api/v1/grade", body: string(b), token: s.token})
	if r.code != 200 {
		t.Fatalf("answer follow-up = %d %s", r.code, r.body)
	}
	answered, _ := r.object(t)["answered_followup"].(map[string]any)
	if answered == nil || answered["expected_answer"] != interviewed[1]["expected_answer"] || answered["answer_hidden"] != false ||
		answered["question"] != interviewed[1]["question"] {
		t.Errorf("answered_followup = %v, want follow-up 1 in full: %v", answered, interviewed[1])
	}
	r = w.do(t, w.open, request{method: "GET", path: path, token: s.token})
	wantHidden(t, "attempt after answering, token", followUpsOf(t, r.object(t)), false, true, false)

	r = w.do(t, w.open, request{method: "GET", path: "/api/v1/sessions/" + s.id + "/report", token: s.token})
	report := r.object(t)
	attempts := report["attempts"].([]any)
	wantHidden(t, "report, token", followUpsOf(t, attempts[0].(map[string]any)), false, true, false)
	if attempts[len(attempts)-1].(map[string]any)["followup"] == nil {
		t.Errorf("the report does not say which attempt answered a follow-up: %v", attempts[len(attempts)-1])
	}
	r = w.do(t, w.open, request{method: "GET", path: "/api/v1/sessions/" + s.id + "/report", auth: interviewer})
	wantHidden(t, "report, interviewer", followUpsOf(t, r.object(t)["attempts"].([]any)[0].(map[string]any)), true, true, true)
}
