package api_test

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/interviewcoach/coach/internal/coach"
	"github.com/interviewcoach/coach/internal/ingest"
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
	// The same question written again in the editor (not merged: only imports merge) is suspected.
	again := w.as(t, coach.RoleAdmin, "POST", "/api/v1/questions", `{"text": "What is a blueprint in Flask?", "topic": "flask"}`)
	if again.code != 201 {
		t.Fatalf("create = %d %s", again.code, again.body)
	}
	dup := decode[coach.Question](t, again)

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
	pairs := map[[2]string]int{}
	paired := false
	for _, d := range rep.SuspectedDuplicates {
		pairs[[2]string{d.A.ID, d.B.ID}]++
		other := map[string]string{d.A.ID: d.B.Text, d.B.ID: d.A.Text}[dup.ID]
		paired = paired || strings.Contains(other, "What is a Flask blueprint?")
		if d.A.ID >= d.B.ID || d.A.Text == "" || d.B.Text == "" || d.Similarity < ingest.SuspectSimilarity || d.Similarity > 1 {
			t.Errorf("suspected duplicate: %+v", d)
		}
	}
	for p, n := range pairs {
		if n > 1 {
			t.Errorf("pair %v listed %d times", p, n)
		}
	}
	if !paired {
		t.Errorf("the question written twice is not a suspected duplicate: %+v", rep.SuspectedDuplicates)
	}
	if r := w.do(t, w.closed, request{method: "GET", path: "/api/v1/bank/review", auth: bearer(w.key[coach.RoleInterviewer])}); r.code != 403 {
		t.Errorf("an interviewer read the review report: %d", r.code)
	}
}

// adminWants returns a function that calls the API as an admin and stops the test unless the
// status is want.
func (w *world) adminWants(t *testing.T) func(method, path, body string, want int) response {
	return func(method, path, body string, want int) response {
		t.Helper()
		r := w.as(t, coach.RoleAdmin, method, path, body)
		if r.code != want {
			t.Fatalf("%s %s %s = %d %s, want %d", method, path, body, r.code, r.body, want)
		}
		return r
	}
}

// as calls the API with the key of role.
func (w *world) as(t *testing.T, role, method, path, body string) response {
	t.Helper()
	return w.do(t, w.closed, request{method: method, path: path, body: body, auth: bearer(w.key[role])})
}

func decode[T any](t *testing.T, r response) T {
	t.Helper()
	var v T
	if err := json.Unmarshal(r.body, &v); err != nil {
		t.Fatalf("%v: %s", err, r.body)
	}
	return v
}

// importFlask imports a page whose question the bank does not have and returns that question.
func importFlask(t *testing.T, w *world) coach.Question {
	t.Helper()
	page := "# Flask notes\n\n## What is a Flask blueprint?\n\nA blueprint groups the views and templates of one part of an application. " +
		"It is registered on the application with a URL prefix. Blueprints let a large application be split into modules.\n"
	body, ct := multipartBody(t, "flask.md", page)
	if r := w.admin(t, "POST", "/api/v1/bank/import", body, ct); r.code != 200 {
		t.Fatalf("import = %d %s", r.code, r.body)
	}
	r := w.as(t, coach.RoleAdmin, "GET", "/api/v1/questions?q=blueprint", "")
	page1 := decode[struct{ Questions []coach.Question }](t, r)
	if len(page1.Questions) != 1 {
		t.Fatalf("imported question: %s", r.body)
	}
	r = w.as(t, coach.RoleAdmin, "GET", "/api/v1/questions/"+page1.Questions[0].ID, "")
	return decode[coach.Question](t, r)
}

// An imported question is graded against its drafts until an admin reviews them; the review bumps
// the rubric version, and an attempt graded before still shows what it was graded against.
func TestReviewDraftsThenGrade(t *testing.T) {
	t.Parallel()
	w := newWorld(t, nil)
	q := importFlask(t, w)
	kps := q.References[0].KeyPoints
	if len(kps) < 2 {
		t.Fatalf("want at least two drafts: %+v", kps)
	}
	for _, kp := range kps {
		if kp.Status != coach.KeyPointDraft {
			t.Fatalf("imported key point %s is %q, want a draft", kp.ID, kp.Status)
		}
	}
	answer := `{"question_id": "` + q.ID + `", "answer": "A blueprint groups views and templates and is registered on the app with a URL prefix."}`
	r := w.as(t, coach.RoleInterviewer, "POST", "/api/v1/grade", answer)
	before := decode[coach.Attempt](t, r)
	if r.code != 200 || before.RubricStatus != coach.RubricDraft || len(before.KeyPoints) != len(kps) {
		t.Fatalf("grade before review = %d, rubric %q, %d key points: %s", r.code, before.RubricStatus, len(before.KeyPoints), r.body)
	}

	// An interviewer may propose, not decide.
	r = w.as(t, coach.RoleInterviewer, "POST", "/api/v1/references/"+kps[0].ReferenceID+"/key_points", `{"text": "A blueprint can carry its own static folder.", "status": "approved"}`)
	proposed := decode[coach.KeyPoint](t, r)
	if r.code != 201 || proposed.Status != coach.KeyPointDraft {
		t.Fatalf("interviewer's proposal = %d %s, want a draft", r.code, r.body)
	}
	if r := w.as(t, coach.RoleInterviewer, "PATCH", "/api/v1/key_points/"+proposed.ID, `{"status": "approved"}`); r.code != 403 {
		t.Errorf("interviewer approved a key point: %d %s", r.code, r.body)
	}

	// The admin approves the first draft as core, the second as a detail, and rejects the proposal.
	for _, tt := range []struct{ id, body string }{
		{kps[0].ID, `{"status": "approved"}`},
		{kps[1].ID, `{"status": "approved", "weight": 0.5}`},
		{proposed.ID, `{"status": "rejected"}`},
	} {
		if r := w.as(t, coach.RoleAdmin, "PATCH", "/api/v1/key_points/"+tt.id, tt.body); r.code != 204 {
			t.Fatalf("PATCH %s %s = %d %s", tt.id, tt.body, r.code, r.body)
		}
	}
	r = w.as(t, coach.RoleAdmin, "GET", "/api/v1/questions/"+q.ID, "")
	reviewed := decode[coach.Question](t, r)
	if reviewed.RubricVersion < q.RubricVersion+4 {
		t.Errorf("rubric version %d after a proposal and three reviews, was %d", reviewed.RubricVersion, q.RubricVersion)
	}

	r = w.as(t, coach.RoleInterviewer, "POST", "/api/v1/grade", answer)
	after := decode[coach.Attempt](t, r)
	if after.RubricStatus != coach.RubricApproved || len(after.KeyPoints) != 2 || after.RubricVersion != reviewed.RubricVersion {
		t.Errorf("grade after review: rubric %q version %d, %d key points; want approved version %d, 2", after.RubricStatus, after.RubricVersion, len(after.KeyPoints), reviewed.RubricVersion)
	}
	for _, j := range after.KeyPoints {
		if j.KeyPointID == kps[1].ID && j.Weight != coach.WeightDetail {
			t.Errorf("detail key point judged with weight %v", j.Weight)
		}
	}
	for _, warning := range after.Warnings {
		if warning == coach.DraftRubricWarning {
			t.Errorf("approved rubric still labelled as drafts")
		}
	}

	// The first attempt still shows what it was graded against.
	r = w.as(t, coach.RoleInterviewer, "GET", "/api/v1/attempts/"+before.ID, "")
	old := decode[coach.Attempt](t, r)
	if old.RubricVersion != before.RubricVersion || old.RubricStatus != coach.RubricDraft || len(old.KeyPoints) != len(kps) || old.KeyPoints[0].Text != kps[0].Text {
		t.Errorf("old attempt: version %d (was %d), %q, %d key points", old.RubricVersion, before.RubricVersion, old.RubricStatus, len(old.KeyPoints))
	}

	// Every change is in the audit trail, with who made it and the row before and after.
	r = w.as(t, coach.RoleAdmin, "GET", "/api/v1/bank/audit?entity=key_point&id="+kps[0].ID, "")
	trail := decode[struct{ Entries []coach.AuditEntry }](t, r)
	if len(trail.Entries) != 1 || trail.Entries[0].Action != "approve" || !strings.Contains(trail.Entries[0].Actor, "admin") ||
		!strings.Contains(string(trail.Entries[0].Before), `"draft"`) || !strings.Contains(string(trail.Entries[0].After), `"approved"`) {
		t.Errorf("audit trail of %s: %s", kps[0].ID, r.body)
	}
}

func TestEditTheBank(t *testing.T) {
	t.Parallel()
	w := newWorld(t, nil)
	admin := w.adminWants(t)
	r := admin("POST", "/api/v1/questions", `{"text": "What does Flask's g object hold?", "topic": "Flask", "difficulty": "easy", "tags": ["flask"]}`, 201)
	q := decode[coach.Question](t, r)
	if q.TopicID != "flask" || q.Difficulty != "easy" || q.RubricVersion != 1 {
		t.Errorf("created: %s", r.body)
	}
	r = admin("PATCH", "/api/v1/questions/"+q.ID, `{"text": "What does the g object hold in Flask?", "difficulty": ""}`, 200)
	if e := decode[coach.Question](t, r); e.Text != "What does the g object hold in Flask?" || e.Difficulty != "" || e.TopicID != "flask" {
		t.Errorf("edited: %s", r.body)
	}
	r = admin("POST", "/api/v1/questions/"+q.ID+"/references", `{"text": "g holds data for the length of one request or app context.", "source": "Flask docs", "source_url": "https://flask.example/g"}`, 201)
	withRef := decode[coach.Question](t, r)
	if len(withRef.References) != 1 || withRef.References[0].Source != "Flask docs" || withRef.References[0].SourceURL != "https://flask.example/g" {
		t.Fatalf("reference: %s", r.body)
	}
	ref := withRef.References[0].ID
	var ids []string
	for _, text := range []string{"g lives for one app context.", "g is not shared between requests.", "Use g for per-request resources such as a database connection."} {
		kp := decode[coach.KeyPoint](t, admin("POST", "/api/v1/references/"+ref+"/key_points", `{"text": "`+text+`"}`, 201))
		if kp.Status != coach.KeyPointApproved || kp.Origin != coach.KeyPointAuthored {
			t.Errorf("admin's key point: %+v", kp)
		}
		ids = append(ids, kp.ID)
	}
	admin("PUT", "/api/v1/references/"+ref+"/key_points/order", `{"ids": ["`+ids[2]+`", "`+ids[0]+`", "`+ids[1]+`"]}`, 204)
	got := decode[coach.Question](t, admin("GET", "/api/v1/questions/"+q.ID, "", 200))
	if kps := got.References[0].KeyPoints; kps[0].ID != ids[2] || kps[1].ID != ids[0] || kps[2].ID != ids[1] {
		t.Errorf("order after reordering: %+v", kps)
	}
	admin("DELETE", "/api/v1/key_points/"+ids[1], "", 204)

	// Bad edits name their problem and change nothing.
	for _, tt := range []struct{ method, path, body, code, message string }{
		{"PATCH", "/api/v1/key_points/" + ids[0], `{"weight": 2}`, "invalid", "weight"},
		{"PATCH", "/api/v1/key_points/" + ids[0], `{"status": "maybe"}`, "invalid", "maybe"},
		{"PATCH", "/api/v1/key_points/" + ids[0], `{}`, "invalid", "give text, weight or status"},
		{"PATCH", "/api/v1/key_points/nope", `{"status": "approved"}`, "not_found", "nope"},
		{"PUT", "/api/v1/references/" + ref + "/key_points/order", `{"ids": ["` + ids[0] + `"]}`, "invalid", "once"},
		{"POST", "/api/v1/questions", `{"text": "What does the g object hold in Flask?"}`, "conflict", "already exists"},
		{"POST", "/api/v1/questions", `{"text": ""}`, "invalid", "text"},
		{"PATCH", "/api/v1/questions/" + q.ID, `{"difficulty": "extreme"}`, "invalid", "extreme"},
		{"POST", "/api/v1/questions/" + q.ID + "/merge", `{"into": "` + q.ID + `"}`, "invalid", "itself"},
		{"POST", "/api/v1/questions/" + q.ID + "/merge", `{"into": "nope"}`, "not_found", "nope"},
		{"POST", "/api/v1/questions/" + q.ID + "/references", `{"text": "x", "source_url": "javascript:alert(1)"}`, "invalid", "source_url"},
	} {
		r := w.as(t, coach.RoleAdmin, tt.method, tt.path, tt.body)
		if r.errorCode(t) != tt.code || !strings.Contains(string(r.body), tt.message) {
			t.Errorf("%s %s %s = %d %s, want %s naming %q", tt.method, tt.path, tt.body, r.code, r.body, tt.code, tt.message)
		}
	}
	if r := w.as(t, coach.RoleInterviewer, "POST", "/api/v1/questions", `{"text": "Anything?"}`); r.code != 403 {
		t.Errorf("interviewer created a question: %d", r.code)
	}

	// A second question that is the same: merge it; then move the reference back and delete.
	dup := decode[coach.Question](t, admin("POST", "/api/v1/questions", `{"text": "What is flask.g for?", "topic": "flask"}`, 201))
	admin("POST", "/api/v1/questions/"+dup.ID+"/references", `{"text": "flask.g stores values during a request."}`, 201)
	merged := decode[coach.Question](t, admin("POST", "/api/v1/questions/"+dup.ID+"/merge", `{"into": "`+q.ID+`"}`, 200))
	if len(merged.References) != 2 {
		t.Errorf("merged question has %d references, want 2", len(merged.References))
	}
	admin("GET", "/api/v1/questions/"+dup.ID, "", 404)
	other := decode[coach.Question](t, admin("POST", "/api/v1/questions", `{"text": "What is the application context in Flask?", "topic": "flask"}`, 201))
	admin("PATCH", "/api/v1/references/"+merged.References[1].ID, `{"question_id": "`+other.ID+`"}`, 204)
	if o := decode[coach.Question](t, admin("GET", "/api/v1/questions/"+other.ID, "", 200)); len(o.References) != 1 || o.RubricVersion != 2 {
		t.Errorf("moved reference: %d references, rubric version %d", len(o.References), o.RubricVersion)
	}
	admin("DELETE", "/api/v1/references/"+merged.References[1].ID, "", 204)
	admin("DELETE", "/api/v1/questions/"+other.ID, "", 204)

	trail := decode[struct{ Entries []coach.AuditEntry }](t, admin("GET", "/api/v1/bank/audit", "", 200))
	actions := map[string]int{}
	for _, e := range trail.Entries {
		actions[e.Entity+" "+e.Action]++
		if e.Actor == "" || e.At.IsZero() {
			t.Errorf("audit entry without actor or time: %+v", e)
		}
	}
	for _, want := range []string{"question create", "question update", "reference create", "key_point create", "reference reorder",
		"key_point delete", "question merge into " + q.ID, "reference move", "reference delete", "question delete"} {
		if actions[want] == 0 {
			t.Errorf("audit trail lacks %q: %v", want, actions)
		}
	}
}

func TestEditReferenceInPlace(t *testing.T) {
	t.Parallel()
	w := newWorld(t, nil)
	admin := w.adminWants(t)
	q := decode[coach.Question](t, admin("POST", "/api/v1/questions", `{"text": "What does Flask's url_for do?", "topic": "flask"}`, 201))
	q = decode[coach.Question](t, admin("POST", "/api/v1/questions/"+q.ID+"/references", `{"text": "url_for builds a URL to an endpoint."}`, 201))
	ref := q.References[0].ID
	var kps []string
	for _, text := range []string{"url_for builds URLs from endpoint names.", "url_for escapes arguments."} {
		kps = append(kps, decode[coach.KeyPoint](t, admin("POST", "/api/v1/references/"+ref+"/key_points", `{"text": "`+text+`"}`, 201)).ID)
	}
	before := decode[coach.Question](t, admin("GET", "/api/v1/questions/"+q.ID, "", 200))

	// A new text: the reference keeps its id and key points; retrieval finds what it now says.
	text := "url_for builds a URL to an endpoint from its name and arguments. Zanzibarquill arguments unknown to the rule become the query string."
	got := decode[coach.Reference](t, admin("PATCH", "/api/v1/references/"+ref, `{"text": "`+text+`", "source": "Flask API", "source_url": "https://flask.example/api#url_for"}`, 200))
	if got.ID != ref || got.Text != text || got.Source != "Flask API" || got.SourceURL != "https://flask.example/api#url_for" ||
		len(got.KeyPoints) != 2 || got.KeyPoints[0].ID != kps[0] || got.KeyPoints[1].ID != kps[1] {
		t.Errorf("edited reference: %+v", got)
	}
	after := decode[coach.Question](t, admin("GET", "/api/v1/questions/"+q.ID, "", 200))
	if after.RubricVersion != before.RubricVersion+1 || len(after.References) != 1 || after.References[0].Text != text {
		t.Errorf("question after the edit: version %d (was %d), %+v", after.RubricVersion, before.RubricVersion, after.References)
	}
	// Retrieval finds the new passage and never the old one.
	found := decode[struct{ Results []coach.SearchResult }](t, admin("POST", "/api/v1/search", `{"query": "`+q.Text+` `+text+`", "k": 5}`, 200))
	newPassage := false
	for _, r := range found.Results {
		newPassage = newPassage || (r.ReferenceID == ref && strings.Contains(r.Text, "Zanzibarquill"))
		if r.ReferenceID == ref && r.Text == "url_for builds a URL to an endpoint." {
			t.Errorf("the old passage is still retrieved: %+v", r)
		}
	}
	if !newPassage {
		t.Errorf("search after the edit misses the new passage: %+v", found.Results)
	}
	// The address alone changes the source's address.
	got = decode[coach.Reference](t, admin("PATCH", "/api/v1/references/"+ref, `{"source_url": "https://flask.example/url_for"}`, 200))
	if got.Source != "Flask API" || got.SourceURL != "https://flask.example/url_for" {
		t.Errorf("new address: %+v", got)
	}
	trail := decode[struct{ Entries []coach.AuditEntry }](t, admin("GET", "/api/v1/bank/audit?entity=reference&id="+ref, "", 200))
	if len(trail.Entries) < 2 || trail.Entries[1].Action != "update" || !strings.Contains(string(trail.Entries[1].Before), "builds a URL to an endpoint.") ||
		!strings.Contains(string(trail.Entries[1].After), "Zanzibarquill") || !strings.Contains(string(trail.Entries[1].After), `"Flask API"`) {
		t.Errorf("audit trail of the reference: %+v", trail.Entries)
	}

	// Bad edits name their problem and change nothing.
	other := decode[coach.Question](t, admin("POST", "/api/v1/questions/"+q.ID+"/references", `{"text": "url_for takes the endpoint first."}`, 201))
	for _, tt := range []struct{ body, code, message string }{
		{`{}`, "invalid", "give text, source or source_url"},
		{`{"text": "  "}`, "invalid", "text must not be empty"},
		{`{"source_url": "javascript:alert(1)"}`, "invalid", "source_url"},
		{`{"source": "two\nlines"}`, "invalid", "one line"},
		{`{"question_id": "` + q.ID + `", "text": "x"}`, "invalid", "not both"},
		{`{"text": "url_for takes the endpoint first."}`, "conflict", "already has this text"},
		{`{"colour": "red"}`, "invalid", "colour"},
	} {
		r := w.as(t, coach.RoleAdmin, "PATCH", "/api/v1/references/"+ref, tt.body)
		if r.errorCode(t) != tt.code || !strings.Contains(string(r.body), tt.message) {
			t.Errorf("PATCH %s = %d %s, want %s naming %q", tt.body, r.code, r.body, tt.code, tt.message)
		}
	}
	if r := w.as(t, coach.RoleAdmin, "PATCH", "/api/v1/references/nope", `{"text": "x"}`); r.errorCode(t) != "not_found" {
		t.Errorf("unknown reference: %d %s", r.code, r.body)
	}
	if r := w.as(t, coach.RoleInterviewer, "PATCH", "/api/v1/references/"+ref, `{"text": "x"}`); r.code != 403 {
		t.Errorf("interviewer edited a reference: %d", r.code)
	}
	final := decode[coach.Question](t, admin("GET", "/api/v1/questions/"+q.ID, "", 200))
	if final.References[0].Text != text || len(final.References) != len(other.References) {
		t.Errorf("a refused edit changed the reference: %+v", final.References)
	}
}
