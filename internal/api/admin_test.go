package api_test

import (
	"context"
	"encoding/json"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5"

	"github.com/interviewcoach/coach/internal/api"
	"github.com/interviewcoach/coach/internal/coach"
)

// count runs a counting query on the world's database.
func (w *world) count(t *testing.T, sql string, args ...any) int {
	t.Helper()
	conn, err := pgx.Connect(context.Background(), w.dbURL)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(context.Background())
	var n int
	if err := conn.QueryRow(context.Background(), sql, args...).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

func (w *world) admin(t *testing.T, method, path, body, contentType string) response {
	t.Helper()
	return w.do(t, w.closed, request{method: method, path: path, body: body, contentType: contentType, auth: bearer(testAdminKey)})
}

func TestImportEndpoint(t *testing.T) {
	t.Parallel()
	w := newWorld(t, func(s *api.Server) {
		s.MaxBodyBytes = 2048 // the general limit, which uploads are not bound by
		s.Limits.MaxImportBytes = 64 << 10
	})
	questions := w.count(t, `SELECT count(*) FROM questions`)

	page := "# Caching notes\n\n## What does the per-view cache key on?\n\nThe per-view cache keys each page on its full URL, " +
		"so the same view under two URLs is cached twice. " + strings.Repeat("Cache headers decide what downstream caches keep. ", 60)
	body, ct := multipartBody(t, "uploads/extra.yaml", extraBank, `C:\notes\caching.md`, page)
	if len(body) <= 2048 {
		t.Fatal("the upload must be larger than the general body limit")
	}
	r := w.admin(t, "POST", "/api/v1/bank/import", body, ct)
	if r.code != 200 {
		t.Fatalf("import = %d %s", r.code, r.body)
	}
	var sum coach.ImportSummary
	if err := json.Unmarshal(r.body, &sum); err != nil {
		t.Fatal(err)
	}
	if sum.Files != 2 || sum.Questions != 2 || sum.References != 2 || sum.Skipped == nil || sum.Failed == nil {
		t.Errorf("summary = %s", r.body)
	}
	for _, name := range []string{"extra.yaml", "caching.md"} {
		if n := w.count(t, `SELECT count(*) FROM sources WHERE name = $1`, name); n != 1 {
			t.Errorf("source %q stored %d times: uploads are named by their base name", name, n)
		}
	}
	if r := w.do(t, w.open, request{method: "GET", path: "/api/v1/questions/extra-one"}); r.code != 200 {
		t.Errorf("imported question = %d %s", r.code, r.body)
	}
	// Again: nothing new.
	r = w.admin(t, "POST", "/api/v1/bank/import", body, ct)
	if err := json.Unmarshal(r.body, &sum); err != nil || r.code != 200 || sum.Questions != 0 || sum.Duplicates != 2 {
		t.Errorf("second import = %d %s", r.code, r.body)
	}
	questions += 2

	more := strings.ReplaceAll(extraBank, "extra-one", "extra-two")
	more = strings.ReplaceAll(more, "What does the extra test question ask?", "Which second question does the upload hold?")
	for _, tt := range []struct {
		name        string
		body, ct    string
		status      int
		code, names string
	}{
		{"a binary file among good ones", "", "", 400, "invalid", "image.png"},
		{"an empty file", "", "", 400, "invalid", "empty.md"},
		{"no file", "", "", 400, "invalid", "multipart field"},
		{"another field", "", "", 400, "invalid", "document"},
		{"the same name twice", "", "", 400, "invalid", "more.yaml"},
		{"not multipart", `{"file": "x"}`, "application/json", 400, "invalid", "multipart"},
		{"too large", "", "", 413, "too_large", "limit"},
	} {
		body, ct := tt.body, tt.ct
		switch tt.name {
		case "a binary file among good ones":
			body, ct = multipartBody(t, "more.yaml", more, "image.png", "\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00")
		case "an empty file":
			body, ct = multipartBody(t, "more.yaml", more, "empty.md", "")
		case "no file":
			body, ct = multipartBody(t)
		case "another field":
			body = "--B\r\nContent-Disposition: form-data; name=\"document\"; filename=\"a.md\"\r\n\r\nx\r\n--B--\r\n"
			ct = "multipart/form-data; boundary=B"
		case "the same name twice":
			body, ct = multipartBody(t, "more.yaml", more, "dir/more.yaml", more)
		case "too large":
			body, ct = multipartBody(t, "big.md", strings.Repeat("Why? Because. ", 6000))
		}
		r := w.admin(t, "POST", "/api/v1/bank/import", body, ct)
		if r.code != tt.status || r.errorCode(t) != tt.code || !strings.Contains(string(r.body), tt.names) {
			t.Errorf("%s: = %d %s, want %d %s naming %s", tt.name, r.code, r.body, tt.status, tt.code, tt.names)
		}
	}
	if n := w.count(t, `SELECT count(*) FROM questions`); n != questions {
		t.Errorf("the bank has %d questions, want %d: a refused upload stored something or lost something", n, questions)
	}
}

func TestDeleteQuestion(t *testing.T) {
	t.Parallel()
	w := newWorld(t, nil)
	s := w.newSession(t, `{"topic": "security"}`)
	const id = "security-csrf"
	attempt := w.gradeIn(t, s, id, "The CsrfViewMiddleware checks a token on unsafe requests against the csrftoken cookie.")
	refs := w.count(t, `SELECT count(*) FROM reference_answers WHERE question_id = $1`, id)
	if refs == 0 {
		t.Fatal("the question has no references to delete")
	}

	if r := w.admin(t, "DELETE", "/api/v1/questions/"+id, "", ""); r.code != 204 || len(r.body) != 0 {
		t.Fatalf("delete = %d %s", r.code, r.body)
	}
	if r := w.do(t, w.open, request{method: "GET", path: "/api/v1/questions/" + id}); r.code != 404 {
		t.Errorf("deleted question = %d %s", r.code, r.body)
	}
	if r := w.admin(t, "DELETE", "/api/v1/questions/"+id, "", ""); r.code != 404 || r.errorCode(t) != "not_found" {
		t.Errorf("second delete = %d %s", r.code, r.body)
	}
	for _, sql := range []string{
		`SELECT count(*) FROM reference_answers WHERE question_id = $1`,
		`SELECT count(*) FROM key_points k JOIN reference_answers r ON r.id = k.reference_id WHERE r.question_id = $1`,
		`SELECT count(*) FROM question_embeddings WHERE question_id = $1`,
	} {
		if n := w.count(t, sql, id); n != 0 {
			t.Errorf("%d rows of the question remain: %s", n, sql)
		}
	}
	if n := w.count(t, `SELECT count(*) FROM passages WHERE text LIKE '%CsrfViewMiddleware checks%'`); n != 0 {
		t.Errorf("%d passages of the question remain", n)
	}
	// The attempt keeps its own copy of what it was graded on.
	r := w.do(t, w.open, request{method: "GET", path: "/api/v1/attempts/" + attempt, token: s.token})
	var a coach.Attempt
	if err := json.Unmarshal(r.body, &a); err != nil || r.code != 200 {
		t.Fatalf("attempt after the delete = %d %s", r.code, r.body)
	}
	if a.QuestionID != id || a.Question == "" || len(a.KeyPoints) == 0 || len(a.References) == 0 {
		t.Errorf("attempt lost its copy: %+v", a)
	}
	if r := w.do(t, w.open, request{method: "GET", path: "/api/v1/sessions/" + s.id + "/report", token: s.token}); r.code != 200 {
		t.Errorf("report after the delete = %d %s", r.code, r.body)
	}
}

func TestReindexEndpoint(t *testing.T) {
	t.Parallel()
	w := newWorld(t, nil)
	r := w.admin(t, "POST", "/api/v1/bank/reindex", "", "")
	var sum coach.ReindexSummary
	if err := json.Unmarshal(r.body, &sum); err != nil || r.code != 200 {
		t.Fatalf("reindex = %d %s", r.code, r.body)
	}
	passages, questions := w.count(t, `SELECT count(*) FROM passages`), w.count(t, `SELECT count(*) FROM questions`)
	if sum.Passages != passages || sum.Questions != questions || sum.Model == "" || sum.Dimensions != 768 {
		t.Errorf("summary = %+v; the bank has %d passages and %d questions", sum, passages, questions)
	}
	if n := w.count(t, `SELECT count(*) FROM passage_embeddings WHERE model = $1`, sum.Model); n != passages {
		t.Errorf("%d passage vectors of %s, want %d", n, sum.Model, passages)
	}
}

func TestDeleteSession(t *testing.T) {
	t.Parallel()
	w := newWorld(t, nil)
	mine := w.newSession(t, `{"topic": "security"}`)
	other := w.newSession(t, `{"topic": "security"}`)
	attempts := []string{
		w.gradeIn(t, mine, "security-csrf", "A token."),
		w.gradeIn(t, mine, "security-xss", "Escaping."),
	}
	kept := w.gradeIn(t, other, "security-csrf", "A cookie.")

	if r := w.do(t, w.open, request{method: "DELETE", path: "/api/v1/sessions/" + mine.id}); r.code != 401 {
		t.Errorf("delete without the token = %d %s", r.code, r.body)
	}
	if r := w.do(t, w.closed, request{method: "DELETE", path: "/api/v1/sessions/" + mine.id, token: mine.token}); r.code != 204 || len(r.body) != 0 {
		t.Fatalf("delete with the token = %d %s", r.code, r.body)
	}
	// Gone: the token opens nothing any more, and interviewers find nothing.
	if r := w.do(t, w.open, request{method: "GET", path: "/api/v1/sessions/" + mine.id, token: mine.token}); r.code != 403 {
		t.Errorf("deleted session with its token = %d %s", r.code, r.body)
	}
	staff := bearer(w.key[coach.RoleInterviewer])
	for _, id := range attempts {
		if r := w.do(t, w.open, request{method: "GET", path: "/api/v1/attempts/" + id, auth: staff}); r.code != 404 {
			t.Errorf("attempt %s of the deleted session = %d %s", id, r.code, r.body)
		}
	}
	if n := w.count(t, `SELECT count(*) FROM attempts WHERE session_id = $1 OR id = ANY($2)`, mine.id, attempts); n != 0 {
		t.Errorf("%d attempts of the deleted session remain", n)
	}
	if r := w.do(t, w.open, request{method: "GET", path: "/api/v1/attempts/" + kept, token: other.token}); r.code != 200 {
		t.Errorf("the other session's attempt = %d %s", r.code, r.body)
	}
	// An interviewer may delete any session; one that does not exist is a 404 for them.
	if r := w.do(t, w.open, request{method: "DELETE", path: "/api/v1/sessions/" + other.id, auth: staff}); r.code != 204 {
		t.Errorf("delete as interviewer = %d %s", r.code, r.body)
	}
	if r := w.do(t, w.open, request{method: "DELETE", path: "/api/v1/sessions/" + other.id, auth: staff}); r.code != 404 {
		t.Errorf("second delete as interviewer = %d %s", r.code, r.body)
	}
	if logs := w.logs.String(); !strings.Contains(logs, "session deleted") || !strings.Contains(logs, "key_name=\"test interviewer\"") {
		t.Errorf("deletions are not in the log:\n%s", logs)
	}
}

func TestKeyEndpoints(t *testing.T) {
	t.Parallel()
	w := newWorld(t, nil)
	r := w.admin(t, "POST", "/api/v1/keys", `{"role": "interviewer", "name": " Grace "}`, "")
	if r.code != 201 || r.header.Get("Cache-Control") != "no-store" {
		t.Fatalf("create = %d %s", r.code, r.body)
	}
	var created struct {
		ID, Name, Role, Key string
		RevokedAt           *string `json:"revoked_at"`
	}
	if err := json.Unmarshal(r.body, &created); err != nil {
		t.Fatal(err)
	}
	if created.Name != "Grace" || created.Role != "interviewer" || created.RevokedAt != nil ||
		!strings.HasPrefix(created.Key, "coach_"+created.ID) || len(created.Key) != 61 {
		t.Errorf("created = %s", r.body)
	}
	// The new key works at once, with its role.
	grace := bearer(created.Key)
	if r := w.do(t, w.closed, request{method: "POST", path: "/api/v1/grade", auth: grace,
		body: `{"question_id": "security-csrf", "answer": "A token."}`}); r.code != 200 {
		t.Errorf("grading with the new key = %d %s", r.code, r.body)
	}
	if r := w.do(t, w.closed, request{method: "GET", path: "/api/v1/keys", auth: grace}); r.code != 403 {
		t.Errorf("listing keys as interviewer = %d %s", r.code, r.body)
	}

	r = w.admin(t, "GET", "/api/v1/keys", "", "")
	if r.code != 200 || !strings.Contains(string(r.body), created.ID) || strings.Contains(string(r.body), created.Key) ||
		strings.Contains(string(r.body), "hash") {
		t.Errorf("list = %d %s", r.code, r.body)
	}
	r = w.admin(t, "DELETE", "/api/v1/keys/"+created.ID, "", "")
	if r.code != 200 || !strings.Contains(string(r.body), `"revoked_at":"`) {
		t.Errorf("revoke = %d %s", r.code, r.body)
	}
	if r := w.do(t, w.closed, request{method: "GET", path: "/api/v1/topics", auth: grace}); r.code != 401 {
		t.Errorf("a revoked key = %d %s", r.code, r.body)
	}
	for _, tt := range []struct {
		method, path, body string
		status             int
	}{
		{"POST", "/api/v1/keys", `{"role": "root", "name": "x"}`, 400},
		{"POST", "/api/v1/keys", `{"role": "admin", "name": ""}`, 400},
		{"POST", "/api/v1/keys", `{"role": "admin", "name": "x", "scope": "all"}`, 400},
		{"DELETE", "/api/v1/keys/000000000000", "", 404},
		{"DELETE", "/api/v1/keys/admin-env", "", 400},
	} {
		if r := w.admin(t, tt.method, tt.path, tt.body, ""); r.code != tt.status {
			t.Errorf("%s %s %s = %d %s, want %d", tt.method, tt.path, tt.body, r.code, r.body, tt.status)
		}
	}
}
