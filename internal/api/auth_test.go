package api_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/interviewcoach/coach/internal/access"
	"github.com/interviewcoach/coach/internal/api"
	"github.com/interviewcoach/coach/internal/bank"
	"github.com/interviewcoach/coach/internal/coach"
	"github.com/interviewcoach/coach/internal/grading"
	"github.com/interviewcoach/coach/internal/ingest"
	"github.com/interviewcoach/coach/internal/localembed"
	"github.com/interviewcoach/coach/internal/offline"
	"github.com/interviewcoach/coach/internal/postgres"
	"github.com/interviewcoach/coach/internal/postgres/pgtest"
	"github.com/interviewcoach/coach/internal/practice"
	"github.com/interviewcoach/coach/internal/retrieve"
)

// testAdminKey is the bootstrap admin key (COACH_ADMIN_KEY) of the test servers.
const testAdminKey = "test-admin-key-0123456789"

var (
	_ api.Keys  = (*access.Service)(nil)
	_ api.Admin = (*ingest.Admin)(nil)
)

// world is the whole API over the bundled bank, graded offline, with keys and admin routes, served
// twice over one database: with practice open (the default) and closed.
type world struct {
	db           *postgres.DB
	dbURL        string
	open, closed http.Handler
	keys         *access.Service
	// key holds a key of each role, by role.
	key  map[string]string
	logs *syncBuffer
	// build makes one more server over the database, with practice open, changed by configure.
	build func(configure func(*api.Server)) http.Handler
}

// newWorld builds a world; configure, when not nil, changes both servers before they start.
func newWorld(t *testing.T, configure func(*api.Server)) *world {
	t.Helper()
	ctx := context.Background()
	db, url := pgtest.NewWithURL(t)
	embedder := localembed.New(localembed.DefaultDimensions)
	im := &ingest.Importer{Store: db, Embedder: embedder}
	if _, err := im.Import(ctx, bank.Name, bank.Django(), nil); err != nil {
		t.Fatal(err)
	}
	w := &world{db: db, dbURL: url, keys: &access.Service{Store: db, AdminKey: testAdminKey}, key: map[string]string{}, logs: &syncBuffer{}}
	for _, role := range coach.Roles() {
		_, key, err := w.keys.Create(ctx, role, "test "+role)
		if err != nil {
			t.Fatal(err)
		}
		w.key[role] = key
	}
	off := offline.New(embedder)
	admin := &ingest.Admin{Importer: im, Store: db}
	admin.Jobs = &ingest.Jobs{Admin: admin, Store: ingest.NewJobStore(db), Logger: slog.New(slog.DiscardHandler)}
	w.build = func(configure func(*api.Server)) http.Handler {
		s := &api.Server{
			Bank: db, Health: db, Searcher: &retrieve.Retriever{Store: db, Embedder: embedder},
			Grading:  &grading.Service{Store: db, Embedder: embedder, Grader: off, Offline: off, MaxAnswerChars: 6000},
			Practice: &practice.Service{Store: db},
			Keys:     w.keys,
			Admin:    admin,
			Editor:   &ingest.Editor{Store: db, Embedder: embedder},
			Logger:   slog.New(slog.NewTextHandler(w.logs, nil)),

			MaxBodyBytes: 1 << 20,
		}
		if configure != nil {
			configure(s)
		}
		return s.Handler()
	}
	w.open = w.build(configure)
	w.closed = w.build(func(s *api.Server) {
		s.ClosedPractice = true
		if configure != nil {
			configure(s)
		}
	})
	return w
}

// request is one call to the API.
type request struct {
	method, path, body string
	contentType        string // application/json when there is a body and none is given
	auth               string // the Authorization header
	token              string // the X-Session-Token header
	header             http.Header
}

func (w *world) do(t *testing.T, h http.Handler, r request) response {
	t.Helper()
	req := httptest.NewRequest(r.method, r.path, strings.NewReader(r.body))
	req.RemoteAddr = "192.0.2.1:1234"
	if r.body != "" {
		ct := r.contentType
		if ct == "" {
			ct = "application/json"
		}
		req.Header.Set("Content-Type", ct)
	}
	if r.auth != "" {
		req.Header.Set("Authorization", r.auth)
	}
	if r.token != "" {
		req.Header.Set(api.TokenHeader, r.token)
	}
	for k, v := range r.header {
		req.Header[k] = v
	}
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	return response{code: rec.Code, header: rec.Header(), body: rec.Body.Bytes()}
}

func bearer(key string) string { return "Bearer " + key }

// newSession starts a session and returns it.
func (w *world) newSession(t *testing.T, body string) session {
	t.Helper()
	r := w.do(t, w.open, request{method: "POST", path: "/api/v1/sessions", body: body})
	if r.code != 201 {
		t.Fatalf("create session = %d %s", r.code, r.body)
	}
	out := r.object(t)
	return session{id: out["id"].(string), token: out["token"].(string)}
}

// gradeIn grades answer to question in session s and returns the attempt's id.
func (w *world) gradeIn(t *testing.T, s session, question, answer string) string {
	t.Helper()
	body, _ := json.Marshal(map[string]string{"question_id": question, "answer": answer, "session_id": s.id})
	r := w.do(t, w.open, request{method: "POST", path: "/api/v1/grade", body: string(body), token: s.token})
	if r.code != 200 {
		t.Fatalf("grade in session = %d %s", r.code, r.body)
	}
	return r.object(t)["attempt_id"].(string)
}

// multipartBody encodes files (name, content, name, content...) as fields named "file".
func multipartBody(t *testing.T, files ...string) (body, contentType string) {
	t.Helper()
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	for i := 0; i+1 < len(files); i += 2 {
		part, err := mw.CreateFormFile("file", files[i])
		if err != nil {
			t.Fatal(err)
		}
		part.Write([]byte(files[i+1]))
	}
	mw.Close()
	return buf.String(), mw.FormDataContentType()
}

const extraBank = `
topics: [{id: extra, name: "Extra"}]
questions:
  - id: extra-one
    topic: extra
    difficulty: easy
    question: "What does the extra test question ask?"
    answer: "It asks whether uploads through the admin endpoint reach the bank."
    key_points: ["Uploads through the admin endpoint reach the bank"]
`

// Levels of access of the API's routes; see auth.go.
const (
	levelPractice = iota // anyone while practice is open, any key otherwise
	levelGrading         // anyone while practice is open, an interviewer key otherwise
	levelStaff           // a session's token or an interviewer key; here no token is given
	levelAdmin           // an admin key
)

// allowed returns the status a caller of role ("" for none) gets at level: ok, 401 or 403.
func allowed(level int, role string, closed bool, ok int) int {
	rank := map[string]int{"": 0, coach.RoleCandidate: 1, coach.RoleInterviewer: 2, coach.RoleAdmin: 3}[role]
	need := map[int]int{levelPractice: 1, levelGrading: 2, levelStaff: 2, levelAdmin: 3}[level]
	if !closed && (level == levelPractice || level == levelGrading) {
		need = 0
	}
	switch {
	case rank >= need:
		return ok
	case rank == 0:
		return 401
	}
	return 403
}

// TestAccessMatrix calls every API route without a key, with a key of each role and with bad keys,
// with practice open and closed, and checks who gets through.
func TestAccessMatrix(t *testing.T) {
	t.Parallel()
	w := newWorld(t, nil)
	ctx := context.Background()
	mine := w.newSession(t, `{"topic": "security", "name": "Mine"}`)
	attempt := w.gradeIn(t, mine, "security-csrf", "Django compares a CSRF token from the form with the cookie.")

	ids := w.questionIDs(t)
	var deleted atomic.Int64 // questions deleted so far, each from the end of ids
	importBody, importType := multipartBody(t, "extra.yaml", extraBank)
	grade := `{"question_id": "security-csrf", "answer": "A token checked against a cookie."}`
	type endpoint struct {
		level        int
		method, path string
		body         string
		contentType  string
		ok           int
		// pathFor, when set, gives each call that should succeed a target of its own, for routes that
		// consume what they act on; refused calls use path.
		pathFor func(t *testing.T) string
	}
	endpoints := []endpoint{
		{level: levelPractice, method: "GET", path: "/api/v1/topics", ok: 200},
		{level: levelPractice, method: "GET", path: "/api/v1/questions", ok: 200},
		{level: levelPractice, method: "GET", path: "/api/v1/questions/security-csrf", ok: 200},
		{level: levelPractice, method: "POST", path: "/api/v1/search", body: `{"query": "csrf token"}`, ok: 200},
		{level: levelPractice, method: "POST", path: "/api/v1/sessions", body: `{}`, ok: 201},
		{level: levelGrading, method: "POST", path: "/api/v1/grade", body: grade, ok: 200},
		{level: levelGrading, method: "POST", path: "/api/v1/grade?stream=true", body: grade, ok: 200},
		{level: levelGrading, method: "POST", path: "/api/v1/followups", body: grade, ok: 200},
		{level: levelStaff, method: "GET", path: "/api/v1/attempts/" + attempt, ok: 200},
		{level: levelStaff, method: "GET", path: "/api/v1/sessions/" + mine.id, ok: 200},
		{level: levelStaff, method: "GET", path: "/api/v1/sessions/" + mine.id + "/next", ok: 200},
		{level: levelStaff, method: "GET", path: "/api/v1/sessions/" + mine.id + "/report", ok: 200},
		{level: levelStaff, method: "GET", path: "/api/v1/sessions/" + mine.id + "/report?format=md", ok: 200},
		{level: levelStaff, method: "POST", path: "/api/v1/grade",
			body: `{"question_id": "security-csrf", "answer": "x", "session_id": "` + mine.id + `"}`, ok: 200},
		{level: levelStaff, method: "DELETE", path: "/api/v1/sessions/" + mine.id, ok: 204, pathFor: func(t *testing.T) string {
			return "/api/v1/sessions/" + w.newSession(t, `{}`).id
		}},
		{level: levelAdmin, method: "POST", path: "/api/v1/bank/import", body: importBody, contentType: importType, ok: 200},
		{level: levelAdmin, method: "POST", path: "/api/v1/bank/reindex", ok: 200},
		{level: levelAdmin, method: "DELETE", path: "/api/v1/questions/security-csrf", ok: 204, pathFor: func(t *testing.T) string {
			return "/api/v1/questions/" + ids[len(ids)-1-int(deleted.Add(1))]
		}},
		{level: levelAdmin, method: "GET", path: "/api/v1/keys", ok: 200},
		{level: levelAdmin, method: "POST", path: "/api/v1/keys", body: `{"role": "candidate", "name": "Ada"}`, ok: 201},
		{level: levelAdmin, method: "DELETE", path: "/api/v1/keys/nope", ok: 200, pathFor: func(t *testing.T) string {
			k, _, err := w.keys.Create(ctx, coach.RoleCandidate, "to revoke")
			if err != nil {
				t.Fatal(err)
			}
			return "/api/v1/keys/" + k.ID
		}},
	}
	for _, closed := range []bool{false, true} {
		h := map[bool]http.Handler{false: w.open, true: w.closed}[closed]
		for _, e := range endpoints {
			for _, role := range []string{"", coach.RoleCandidate, coach.RoleInterviewer, coach.RoleAdmin} {
				want := allowed(e.level, role, closed, e.ok)
				path := e.path
				if e.pathFor != nil && want == e.ok {
					path = e.pathFor(t) // a target of its own, consumed by the call
				}
				r := request{method: e.method, path: path, body: e.body, contentType: e.contentType}
				if role != "" {
					r.auth = bearer(w.key[role])
				}
				got := w.do(t, h, r)
				if got.code != want {
					t.Errorf("closed=%v %s %s as %q = %d %.200s, want %d", closed, e.method, path, role, got.code, got.body, want)
					continue
				}
				switch want {
				case 401:
					if got.errorCode(t) != "unauthorized" || got.header.Get("WWW-Authenticate") == "" && e.level != levelStaff {
						t.Errorf("%s %s as %q: 401 %s without the bearer challenge", e.method, path, role, got.body)
					}
				case 403:
					if got.errorCode(t) != "forbidden" || !strings.Contains(string(got.body), role) {
						t.Errorf("%s %s as %q: 403 %s does not name the key's role", e.method, path, role, got.body)
					}
				}
			}
			// A malformed, unknown or revoked key is refused everywhere, even where no key is needed.
			revoked, revokedKey, err := w.keys.Create(ctx, coach.RoleAdmin, "revoked")
			if err != nil {
				t.Fatal(err)
			}
			if _, err := w.keys.Revoke(ctx, revoked.ID); err != nil {
				t.Fatal(err)
			}
			unknown := access.Prefix + "0123456789ab" + strings.Repeat("A", 43)
			for _, bad := range []struct{ name, auth, message string }{
				{"malformed key", "Bearer nope", "malformed API key"},
				{"another scheme", "Basic " + testAdminKey, "Bearer"},
				{"no key", "Bearer ", "Bearer"},
				{"unknown key", bearer(unknown), "invalid API key"},
				{"revoked key", bearer(revokedKey), "invalid API key"},
				{"key with a character changed", bearer(w.key[coach.RoleAdmin][:len(w.key[coach.RoleAdmin])-1] + "x"), "invalid API key"},
			} {
				path := e.path
				got := w.do(t, h, request{method: e.method, path: path, body: e.body, contentType: e.contentType, auth: bad.auth})
				if got.code != 401 || got.errorCode(t) != "unauthorized" || !strings.Contains(string(got.body), bad.message) ||
					!strings.HasPrefix(got.header.Get("WWW-Authenticate"), "Bearer") {
					t.Errorf("%s %s with a %s = %d %s %v", e.method, path, bad.name, got.code, got.body, got.header)
				}
			}
		}
	}
	// Refused requests changed nothing.
	r := w.do(t, w.open, request{method: "GET", path: "/api/v1/sessions/" + mine.id, token: mine.token})
	// The attempt graded at the start and the four graded into it by interviewer and admin keys.
	if n := len(r.object(t)["history"].([]any)); n != 5 {
		t.Errorf("session has %d attempts, want 5", n)
	}
	if logs := w.logs.String(); strings.Contains(logs, testAdminKey) || strings.Contains(logs, w.key[coach.RoleAdmin]) {
		t.Error("a key reached the logs")
	}
}

// questionIDs lists every question id of the bank.
func (w *world) questionIDs(t *testing.T) []string {
	t.Helper()
	var ids []string
	cursor := ""
	for {
		r := w.do(t, w.open, request{method: "GET", path: "/api/v1/questions?limit=100&cursor=" + cursor})
		var page struct {
			Questions  []coach.Question
			NextCursor string `json:"next_cursor"`
		}
		if err := json.Unmarshal(r.body, &page); err != nil || r.code != 200 {
			t.Fatalf("questions = %d %s", r.code, r.body)
		}
		for _, q := range page.Questions {
			ids = append(ids, q.ID)
		}
		if page.NextCursor == "" {
			return ids
		}
		cursor = page.NextCursor
	}
}

// TestNoLeaksBetweenSessions gives each session's token, and keys of each role without a token, to
// the other session's endpoints and attempts, and checks that nothing of the other session comes
// back.
func TestNoLeaksBetweenSessions(t *testing.T) {
	t.Parallel()
	w := newWorld(t, nil)
	a := w.newSession(t, `{"topic": "security", "name": "Alice-secret-name"}`)
	b := w.newSession(t, `{"topic": "security", "name": "Bob-secret-name"}`)
	attemptA := w.gradeIn(t, a, "security-csrf", "alice-secret-answer about tokens")
	attemptB := w.gradeIn(t, b, "security-csrf", "bob-secret-answer about cookies")
	free := w.do(t, w.open, request{method: "POST", path: "/api/v1/grade",
		body: `{"question_id": "security-csrf", "answer": "free-secret-answer"}`}).object(t)["attempt_id"].(string)

	paths := func(s session, attempt string) []string {
		return []string{
			"/api/v1/sessions/" + s.id, "/api/v1/sessions/" + s.id + "/next", "/api/v1/sessions/" + s.id + "/report",
			"/api/v1/sessions/" + s.id + "/report?format=md", "/api/v1/attempts/" + attempt,
		}
	}
	// What each session holds that nobody else may see: its name and its answer.
	secrets := map[string][]string{
		a.id: {"Alice-secret-name", "alice-secret-answer"},
		b.id: {"Bob-secret-name", "bob-secret-answer"},
	}
	for _, tt := range []struct {
		owner, intruder session
		attempt         string
	}{{a, b, attemptA}, {b, a, attemptB}} {
		for _, p := range paths(tt.owner, tt.attempt) {
			for _, role := range []string{"", coach.RoleCandidate} {
				for _, h := range []http.Handler{w.open, w.closed} {
					r := request{method: "GET", path: p, token: tt.intruder.token}
					if role != "" {
						r.auth = bearer(w.key[role])
					}
					got := w.do(t, h, r)
					if got.code != 403 {
						t.Errorf("%s with the other session's token (key %q) = %d %.200s, want 403", p, role, got.code, got.body)
					}
					for _, secret := range secrets[tt.owner.id] {
						if bytes.Contains(got.body, []byte(secret)) {
							t.Errorf("%s with the other session's token leaks %q: %s", p, secret, got.body)
						}
					}
					if strings.Contains(p, "/attempts/") && bytes.Contains(got.body, []byte(tt.owner.id)) {
						t.Errorf("%s tells which session the attempt belongs to: %s", p, got.body)
					}
				}
			}
			// Its own token opens it and shows only its own.
			got := w.do(t, w.closed, request{method: "GET", path: p, token: tt.owner.token})
			if got.code != 200 || bytes.Contains(got.body, []byte(secrets[tt.intruder.id][1])) {
				t.Errorf("%s with its own token = %d %.200s", p, got.code, got.body)
			}
		}
		// A session's token opens neither attempts outside sessions nor attempts that do not exist,
		// and says the same in both cases.
		for _, id := range []string{free, "a-000000000000000000000000"} {
			got := w.do(t, w.open, request{method: "GET", path: "/api/v1/attempts/" + id, token: tt.owner.token})
			if got.code != 403 || bytes.Contains(got.body, []byte("free-secret-answer")) ||
				got.object(t)["error"].(map[string]any)["message"] != fmt.Sprintf("this token does not open attempt %q", id) {
				t.Errorf("attempt %s with a session token = %d %s", id, got.code, got.body)
			}
		}
		// Nor can it add an attempt to the other session or delete it.
		body := `{"question_id": "security-csrf", "answer": "x", "session_id": "` + tt.owner.id + `"}`
		if got := w.do(t, w.open, request{method: "POST", path: "/api/v1/grade", body: body, token: tt.intruder.token}); got.code != 403 {
			t.Errorf("grading into another session = %d %s", got.code, got.body)
		}
		if got := w.do(t, w.open, request{method: "DELETE", path: "/api/v1/sessions/" + tt.owner.id, token: tt.intruder.token}); got.code != 403 {
			t.Errorf("deleting another session = %d %s", got.code, got.body)
		}
	}
	// Interviewers read any attempt; a missing one is a plain 404 for them.
	for id, want := range map[string]int{attemptA: 200, free: 200, "a-000000000000000000000000": 404} {
		got := w.do(t, w.closed, request{method: "GET", path: "/api/v1/attempts/" + id, auth: bearer(w.key[coach.RoleInterviewer])})
		if got.code != want || got.header.Get("Cache-Control") != "no-store" {
			t.Errorf("attempt %s as interviewer = %d %v %.100s, want %d", id, got.code, got.header, got.body, want)
		}
	}
	got := w.do(t, w.closed, request{method: "GET", path: "/api/v1/sessions/s-000000000000000000000000", auth: bearer(w.key[coach.RoleInterviewer])})
	if got.code != 404 {
		t.Errorf("missing session as interviewer = %d %s", got.code, got.body)
	}
	// Anonymous grading still gets its attempt inline, but cannot read it back.
	got = w.do(t, w.open, request{method: "GET", path: "/api/v1/attempts/" + free})
	if got.code != 401 || bytes.Contains(got.body, []byte("free-secret-answer")) {
		t.Errorf("anonymous attempt read = %d %s", got.code, got.body)
	}
}
