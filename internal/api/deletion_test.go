package api_test

import (
	"context"
	"encoding/json"
	"net/http"
	"strings"
	"testing"

	"github.com/interviewcoach/coach/internal/api"
	"github.com/interviewcoach/coach/internal/coach"
	"github.com/interviewcoach/coach/internal/grading"
	"github.com/interviewcoach/coach/internal/localembed"
	"github.com/interviewcoach/coach/internal/offline"
	"github.com/interviewcoach/coach/internal/postgres"
)

// blockingGrader is the offline grader, except that each call tells started and then waits for
// release before grading: the test decides what happens while an answer is being graded.
type blockingGrader struct {
	next             coach.Grader
	started, release chan struct{}
}

func (g *blockingGrader) Grade(ctx context.Context, in coach.GradeInput) (*coach.Judged, error) {
	g.started <- struct{}{}
	select {
	case <-g.release:
	case <-ctx.Done():
		return nil, ctx.Err()
	}
	return g.next.Grade(ctx, in)
}

// blockedWorld is w with one more server whose grader blocks until released.
func blockedWorld(t *testing.T, w *world) (http.Handler, *blockingGrader) {
	t.Helper()
	embedder := localembed.New(localembed.DefaultDimensions)
	off := offline.New(embedder)
	g := &blockingGrader{next: off, started: make(chan struct{}, 1), release: make(chan struct{})}
	h := w.build(func(s *api.Server) {
		s.Grading = &grading.Service{Store: w.db, Embedder: embedder, Grader: g, Offline: off, MaxAnswerChars: 6000}
	})
	return h, g
}

// Deleting the session and the question of an answer while it is being graded loses nothing: the
// grade comes back with warnings naming both deletions, and the attempt is stored with its own copy
// of the question and rubric, outside any session.
func TestDeleteDuringGrading(t *testing.T) {
	t.Parallel()
	w := newWorld(t, nil)
	h, g := blockedWorld(t, w)
	s := w.newSession(t, `{"topic": "security"}`)
	const id = "security-csrf"
	body, _ := json.Marshal(map[string]string{
		"question_id": id, "session_id": s.id,
		"answer": "The CsrfViewMiddleware checks a token on unsafe requests; it must match the csrftoken cookie.",
	})
	graded := make(chan response, 1)
	go func() {
		graded <- w.do(t, h, request{method: "POST", path: "/api/v1/grade", body: string(body), token: s.token})
	}()
	<-g.started // the rubric is read and the grader is at work
	if r := w.do(t, w.open, request{method: "DELETE", path: "/api/v1/sessions/" + s.id, token: s.token}); r.code != 204 {
		t.Fatalf("delete the session = %d %s", r.code, r.body)
	}
	if r := w.admin(t, "DELETE", "/api/v1/questions/"+id, "", ""); r.code != 204 {
		t.Fatalf("delete the question = %d %s", r.code, r.body)
	}
	close(g.release)
	r := <-graded
	if r.code != 200 {
		t.Fatalf("grade after the deletes = %d %s", r.code, r.body)
	}
	var a coach.Attempt
	if err := json.Unmarshal(r.body, &a); err != nil {
		t.Fatal(err)
	}
	if a.ID == "" || a.Score == 0 || len(a.KeyPoints) == 0 || a.SessionID != "" || a.QuestionID != id {
		t.Errorf("grade = %+v", a)
	}
	warned := strings.Join(a.Warnings, "\n")
	for _, want := range []string{postgres.WarnSessionDeleted, postgres.WarnQuestionDeleted} {
		if !strings.Contains(warned, want) {
			t.Errorf("warnings %q lack %q", a.Warnings, want)
		}
	}
	if n := w.count(t, `SELECT count(*) FROM attempts WHERE id = $1 AND session_id IS NULL AND question_id IS NULL AND question <> ''`, a.ID); n != 1 {
		t.Fatalf("%d attempts stored as %s", n, a.ID)
	}
	// As stored: the grade, its copy of the rubric and the warnings, for an interviewer to read.
	stored := w.do(t, w.open, request{method: "GET", path: "/api/v1/attempts/" + a.ID, auth: bearer(w.key[coach.RoleInterviewer])})
	var b coach.Attempt
	if err := json.Unmarshal(stored.body, &b); err != nil || stored.code != 200 {
		t.Fatalf("stored attempt = %d %s", stored.code, stored.body)
	}
	if b.Score != a.Score || len(b.KeyPoints) != len(a.KeyPoints) || len(b.Warnings) != len(a.Warnings) || b.Question == "" {
		t.Errorf("stored %+v, answered %+v", b, a)
	}
	// The deleted session's token opens nothing, and the attempt is no longer its.
	if r := w.do(t, w.open, request{method: "GET", path: "/api/v1/attempts/" + a.ID, token: s.token}); r.code != 403 {
		t.Errorf("attempt with the deleted session's token = %d %s", r.code, r.body)
	}
}
