package api_test

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/interviewcoach/coach/internal/coach"
)

func TestReviewReport(t *testing.T) {
	t.Parallel()
	w := newWorld(t, nil)
	page := "# Flask notes\n\n## What is a Flask blueprint?\n\nA blueprint groups the views and templates of one part of an application. " +
		"It is registered on the application with a URL prefix.\n"
	body, ct := multipartBody(t, "/srv/uploads/flask.md", page)
	r := w.admin(t, "POST", "/api/v1/bank/import", body, ct)
	if r.code != 200 {
		t.Fatalf("import = %d %s", r.code, r.body)
	}
	if strings.Contains(string(r.body), "/srv/") {
		t.Errorf("the import response names the server path: %s", r.body)
	}
	var sum coach.ImportSummary
	if err := json.Unmarshal(r.body, &sum); err != nil || sum.Review == nil || sum.DraftKeyPoints == 0 {
		t.Fatalf("import summary without drafts or review: %s", r.body)
	}

	r = w.admin(t, "GET", "/api/v1/bank/review", "", "")
	if r.code != 200 {
		t.Fatalf("review = %d %s", r.code, r.body)
	}
	var rep coach.ReviewReport
	if err := json.Unmarshal(r.body, &rep); err != nil {
		t.Fatal(err)
	}
	found := false
	for _, q := range rep.WithoutRubric {
		if strings.Contains(q.Text, "blueprint") && q.Drafts > 0 && q.Approved == 0 {
			found = true
		}
	}
	if !found || rep.DraftKeyPoints != sum.DraftKeyPoints {
		t.Errorf("review report lacks the imported question or its drafts (%d, import said %d): %s", rep.DraftKeyPoints, sum.DraftKeyPoints, r.body)
	}
	for _, q := range rep.WithoutRubric {
		if !strings.HasPrefix(q.ID, "q-") {
			t.Errorf("bundled question %s reported without a rubric", q.ID)
		}
	}
	if r := w.do(t, w.closed, request{method: "GET", path: "/api/v1/bank/review", auth: bearer(w.key[coach.RoleInterviewer])}); r.code != 403 {
		t.Errorf("an interviewer read the review report: %d", r.code)
	}
}
