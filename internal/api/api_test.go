package api_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5"

	"github.com/interviewcoach/coach/internal/api"
	"github.com/interviewcoach/coach/internal/ingest"
	"github.com/interviewcoach/coach/internal/localembed"
	"github.com/interviewcoach/coach/internal/postgres/pgtest"
	"github.com/interviewcoach/coach/internal/retrieve"
)

const bankYAML = `
topics: [{id: orm, name: "ORM and QuerySets"}, {id: security, name: "Security"}]
questions:
  - id: orm-n-plus-one
    topic: orm
    difficulty: medium
    tags: [orm, performance]
    question: "What is the difference between select_related and prefetch_related?"
    answer: |
      Both avoid the N+1 problem, where a loop over objects runs one extra query per row to load a related
      object. select_related follows foreign keys and one-to-one fields with a SQL JOIN in the same query.
      prefetch_related runs a second query for many-to-many and reverse foreign keys and joins in Python.
    key_points:
      - "Both avoid the N+1 query problem"
      - "select_related uses a SQL JOIN for foreign keys and one-to-one relations"
      - "prefetch_related runs a separate query per relation and joins in Python"
  - id: security-csrf
    topic: security
    difficulty: easy
    question: "How does Django protect against CSRF?"
    answer: |
      The CsrfViewMiddleware checks that unsafe requests (POST, PUT, DELETE) carry a secret token that
      matches the csrftoken cookie; templates add it with the csrf_token tag.
    key_points:
      - "CsrfViewMiddleware checks a token on unsafe requests"
      - "The token must match the csrftoken cookie"
      - "Templates include it with the csrf_token tag"
`

type fixture struct {
	srv    http.Handler
	dbURL  string
	server *api.Server
}

func setup(t *testing.T) *fixture {
	t.Helper()
	db, url := pgtest.NewWithURL(t)
	embedder := localembed.New(localembed.DefaultDimensions)
	im := &ingest.Importer{Store: db, Embedder: embedder}
	if _, err := im.Import(context.Background(), "bank.yaml", []byte(bankYAML), nil); err != nil {
		t.Fatal(err)
	}
	s := &api.Server{
		Bank: db, Health: db, Searcher: &retrieve.Retriever{Store: db, Embedder: embedder}, MaxBodyBytes: 4096,
	}
	return &fixture{srv: s.Handler(), dbURL: url, server: s}
}

func (f *fixture) do(t *testing.T, method, path, body string) (int, map[string]any) {
	t.Helper()
	req := httptest.NewRequest(method, path, strings.NewReader(body))
	if body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	rec := httptest.NewRecorder()
	f.srv.ServeHTTP(rec, req)
	var out map[string]any
	if err := json.Unmarshal(rec.Body.Bytes(), &out); err != nil {
		t.Fatalf("%s %s: response is not JSON: %q", method, path, rec.Body.String())
	}
	return rec.Code, out
}

// errorCode returns the code of an error response, failing the test when the body has not the
// documented shape.
func errorCode(t *testing.T, body map[string]any) string {
	t.Helper()
	e, ok := body["error"].(map[string]any)
	if !ok || e["message"] == "" {
		t.Fatalf("not an error body: %v", body)
	}
	return e["code"].(string)
}

func TestHealthAndReadiness(t *testing.T) {
	t.Parallel()
	f := setup(t)
	if code, _ := f.do(t, "GET", "/healthz", ""); code != 200 {
		t.Errorf("healthz = %d", code)
	}
	if code, body := f.do(t, "GET", "/readyz", ""); code != 200 {
		t.Errorf("readyz = %d %v", code, body)
	}
	conn, err := pgx.Connect(context.Background(), f.dbURL)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(context.Background())
	if _, err := conn.Exec(context.Background(), "UPDATE schema_version SET version = 1"); err != nil {
		t.Fatal(err)
	}
	code, body := f.do(t, "GET", "/readyz", "")
	if code != 503 || errorCode(t, body) != "unavailable" || !strings.Contains(body["error"].(map[string]any)["message"].(string), "coach migrate") {
		t.Errorf("readyz behind schema = %d %v", code, body)
	}
}

func TestBankEndpoints(t *testing.T) {
	t.Parallel()
	f := setup(t)

	code, body := f.do(t, "GET", "/api/v1/topics", "")
	if code != 200 || len(body["topics"].([]any)) != 2 {
		t.Errorf("topics = %d %v", code, body)
	}

	code, body = f.do(t, "GET", "/api/v1/questions?limit=1", "")
	if code != 200 || len(body["questions"].([]any)) != 1 || body["next_cursor"] != "orm-n-plus-one" {
		t.Fatalf("first page = %d %v", code, body)
	}
	code, body = f.do(t, "GET", "/api/v1/questions?limit=1&cursor=orm-n-plus-one", "")
	if code != 200 || body["questions"].([]any)[0].(map[string]any)["id"] != "security-csrf" || body["next_cursor"] != "" {
		t.Fatalf("second page = %d %v", code, body)
	}
	code, body = f.do(t, "GET", "/api/v1/questions?topic=security&difficulty=easy&q=CSRF", "")
	if code != 200 || len(body["questions"].([]any)) != 1 {
		t.Errorf("filtered = %d %v", code, body)
	}

	code, body = f.do(t, "GET", "/api/v1/questions/orm-n-plus-one", "")
	if code != 200 {
		t.Fatalf("question = %d %v", code, body)
	}
	refs := body["references"].([]any)
	ref := refs[0].(map[string]any)
	if len(refs) != 1 || ref["source"] != "bank.yaml" || len(ref["key_points"].([]any)) != 3 || !strings.Contains(ref["text"].(string), "JOIN") {
		t.Errorf("question references = %v", refs)
	}
}

func TestSearchFindsParaphrase(t *testing.T) {
	t.Parallel()
	f := setup(t)
	code, body := f.do(t, "POST", "/api/v1/search",
		`{"query": "why does my page fire one query per row when I print each book's author?", "k": 2}`)
	if code != 200 {
		t.Fatalf("search = %d %v", code, body)
	}
	results := body["results"].([]any)
	top := results[0].(map[string]any)
	if len(results) != 2 || top["question_id"] != "orm-n-plus-one" || top["similarity"].(float64) <= 0 || top["source"] != "bank.yaml" {
		t.Errorf("results = %v", results)
	}
	for _, key := range []string{"passage_id", "question_id", "question", "text", "source", "similarity"} {
		if _, ok := top[key]; !ok {
			t.Errorf("result lacks %q", key)
		}
	}
	code, body = f.do(t, "POST", "/api/v1/search", `{"query": "token cookie forms", "topic": "security"}`)
	if code != 200 || len(body["results"].([]any)) != 1 {
		t.Errorf("topic search = %d %v", code, body)
	}
	// The bank browser's question search falls back on meaning when no question has the words.
	code, body = f.do(t, "GET", "/api/v1/questions?q=why+is+my+page+slow+when+listing+books+with+authors", "")
	if code != 200 || body["matched"] != "meaning" || len(body["questions"].([]any)) == 0 ||
		body["questions"].([]any)[0].(map[string]any)["id"] != "orm-n-plus-one" {
		t.Errorf("question search by meaning = %d %v", code, body)
	}
	code, body = f.do(t, "GET", "/api/v1/questions?q=select_related", "")
	if code != 200 || body["matched"] != "words" {
		t.Errorf("question search by words = %d %v", code, body)
	}
	if top["kind"] != "bank" {
		t.Errorf("kind of a bank passage = %v", top["kind"])
	}
	// The bank holds no documentation: a search limited to it finds nothing.
	code, body = f.do(t, "POST", "/api/v1/search", `{"query": "token cookie forms", "kind": "docs"}`)
	if code != 200 || len(body["results"].([]any)) != 0 {
		t.Errorf("docs search = %d %v", code, body)
	}
}

func TestErrors(t *testing.T) {
	t.Parallel()
	f := setup(t)
	tests := []struct {
		name, method, path, body string
		status                   int
		code                     string
	}{
		{"unknown question", "GET", "/api/v1/questions/nope", "", 404, "not_found"},
		{"unknown route", "GET", "/api/v1/nope", "", 404, "not_found"},
		{"bad limit", "GET", "/api/v1/questions?limit=0", "", 400, "invalid"},
		{"bad difficulty", "GET", "/api/v1/questions?difficulty=extreme", "", 400, "invalid"},
		{"invalid JSON", "POST", "/api/v1/search", `{"query": `, 400, "invalid"},
		{"empty body", "POST", "/api/v1/search", ``, 400, "invalid"},
		{"wrong type", "POST", "/api/v1/search", `{"query": 5}`, 400, "invalid"},
		{"unknown field", "POST", "/api/v1/search", `{"query": "x", "kk": 5}`, 400, "invalid"},
		{"empty query", "POST", "/api/v1/search", `{"query": "  "}`, 400, "invalid"},
		{"k too large", "POST", "/api/v1/search", `{"query": "x", "k": 1000}`, 400, "invalid"},
		{"unknown kind", "POST", "/api/v1/search", `{"query": "x", "kind": "wiki"}`, 400, "invalid"},
		{"query too long", "POST", "/api/v1/search", `{"query": "` + strings.Repeat("a ", 1050) + `"}`, 400, "invalid"},
		{"list filter too long", "GET", "/api/v1/questions?q=" + strings.Repeat("a", 201), "", 400, "invalid"},
		{"body too large", "POST", "/api/v1/search", `{"query": "` + strings.Repeat("a", 5000) + `"}`, 413, "too_large"},
		{"wrong method", "DELETE", "/api/v1/topics", "", 405, "method_not_allowed"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, body := f.do(t, tt.method, tt.path, tt.body)
			if code != tt.status || errorCode(t, body) != tt.code {
				t.Errorf("%s %s = %d %v, want %d %s", tt.method, tt.path, code, body, tt.status, tt.code)
			}
		})
	}

	// Messages speak JSON, not Go, and repeat no more than a line of what was sent.
	for _, tt := range []struct{ method, path, body, want string }{
		{"POST", "/api/v1/search", `{"query": 5}`, `field "query" must be a string`},
		{"POST", "/api/v1/search", `{"query": "x", "k": "5"}`, `field "k" must be a whole number`},
		{"GET", "/api/v1/questions/" + strings.Repeat("x", 3000), "", `(3000 characters)`},
	} {
		_, body := f.do(t, tt.method, tt.path, tt.body)
		msg := fmt.Sprint(body["error"].(map[string]any)["message"])
		if !strings.Contains(msg, tt.want) || len(msg) > 200 {
			t.Errorf("%s %.60s: message %.300q, want one of at most 200 bytes containing %q", tt.method, tt.path, msg, tt.want)
		}
	}
}
