package main

import (
	"encoding/json"
	"net/http"
	"slices"
	"strings"
	"testing"

	"github.com/interviewcoach/coach/internal/grading"
	"github.com/interviewcoach/coach/internal/openai/openaitest"
)

// cachedAttempt is the part of a grade response the grade cache tests read.
type cachedAttempt struct {
	ID        string          `json:"attempt_id"`
	Score     int             `json:"score"`
	Reused    bool            `json:"reused"`
	Warnings  []string        `json:"warnings"`
	KeyPoints json.RawMessage `json:"key_points"`
	ModelCall json.RawMessage `json:"model_call"`
	Grader    struct {
		Kind  string `json:"kind"`
		Model string `json:"model"`
	} `json:"grader"`
}

func gradeAnswer(t *testing.T, s *served, qid, answer string) cachedAttempt {
	t.Helper()
	body, _ := json.Marshal(map[string]string{"question_id": qid, "answer": answer})
	code, _, text := callAPI(t, "POST", s.base+"/api/v1/grade", "", string(body))
	var a cachedAttempt
	if err := json.Unmarshal([]byte(text), &a); err != nil || code != http.StatusOK {
		t.Fatalf("grade = %d %s (%v)", code, text, err)
	}
	return a
}

// TestGradeCache grades through the HTTP API against an in-process model and counts its requests:
// the same answer to the same question a second time comes back as a new attempt marked as reused,
// with the same grade and no request; another answer asks the model again; with COACH_GRADE_CACHE=off
// every grading does.
func TestGradeCache(t *testing.T) {
	t.Parallel()
	w := newModelWorld(t, openaitest.Settings{Model: "gpt-4o-mini"})
	s, qid := w.serve(t, "gpt-4o-mini", map[string]string{"COACH_GRADE_CACHE": "on", "COACH_ADMIN_KEY": testAdminKey})
	const answer = "select_related follows foreign keys with a SQL join in one query."

	first := gradeAnswer(t, s, qid, answer)
	if n := len(w.requestsSince(0)); n != 1 || first.Reused || first.Grader.Kind != "llm" || len(first.ModelCall) == 0 {
		t.Fatalf("first grading: %d model requests, attempt %+v; want 1 request and a fresh grade", n, first)
	}
	again := gradeAnswer(t, s, qid, answer)
	if n := len(w.requestsSince(1)); n != 0 {
		t.Errorf("the same grading again took %d model requests, want 0", n)
	}
	if !again.Reused || again.ID == first.ID || again.Score != first.Score || string(again.KeyPoints) != string(first.KeyPoints) ||
		again.Grader != first.Grader || len(again.ModelCall) != 0 || !slices.Contains(again.Warnings, grading.ReusedWarning) {
		t.Errorf("repeated grading = %+v; want a new attempt marked reused, with the first one's grade and no model call (first %+v)", again, first)
	}
	// The stored attempt says it was reused too.
	code, _, body := callAPI(t, "GET", s.base+"/api/v1/attempts/"+again.ID, testAdminKey, "")
	if code != http.StatusOK || !strings.Contains(body, `"reused":true`) {
		t.Errorf("stored reused attempt = %d %s", code, body)
	}

	other := gradeAnswer(t, s, qid, answer+" It avoids one query per row.")
	if n := len(w.requestsSince(1)); n != 1 || other.Reused {
		t.Errorf("another answer: %d model requests (want 1), reused %v", n, other.Reused)
	}

	off, qid := w.serve(t, "gpt-4o-mini", map[string]string{"COACH_GRADE_CACHE": "off"})
	before := len(w.requestsSince(0))
	for i := range 2 {
		if a := gradeAnswer(t, off, qid, answer); a.Reused {
			t.Errorf("grading %d with the cache off was reused", i+1)
		}
	}
	if n := len(w.requestsSince(before)); n != 2 {
		t.Errorf("with COACH_GRADE_CACHE=off two gradings took %d model requests, want 2", n)
	}
}
