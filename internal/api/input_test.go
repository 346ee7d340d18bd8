package api_test

import (
	"context"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/interviewcoach/coach/internal/api"
	"github.com/interviewcoach/coach/internal/ingest"
	"github.com/interviewcoach/coach/internal/localembed"
	"github.com/interviewcoach/coach/internal/postgres/pgtest"
	"github.com/interviewcoach/coach/internal/retrieve"
)

// Bytes that are not UTF-8 are refused as such wherever they come in (body, path, query), not
// passed off as NUL characters or silently turned into U+FFFD; a real NUL is still named as one.
func TestInvalidUTF8(t *testing.T) {
	t.Parallel()
	f := setup(t)
	for _, tc := range []struct {
		method, path, body string
		want               string
	}{
		{"POST", "/api/v1/search", "{\"query\": \"select\xff\xfe related\"}", "the request body is not valid UTF-8 (byte 17 is 0xff)"},
		{"GET", "/api/v1/questions/orm%ff", "", "the URL's path is not valid UTF-8"},
		{"GET", "/api/v1/questions?q=select%c3", "", "the URL's query is not valid UTF-8"},
		{"GET", "/api/v1/questions/orm%00x", "", "the URL's path must not contain NUL characters"},
		{"GET", "/api/v1/questions?q=a%zz", "", "the URL's query is not validly escaped"},
	} {
		code, body := f.do(t, tc.method, tc.path, tc.body)
		msg, _ := body["error"].(map[string]any)["message"].(string)
		if code != 400 || errorCode(t, body) != "invalid" || !strings.HasPrefix(msg, tc.want) {
			t.Errorf("%s %s = %d %v, want 400 %q", tc.method, tc.path, code, body, tc.want)
		}
	}
}

// Any id the UI shows opens: it escapes ids with encodeURIComponent, so a "/" arrives as %2F.
func TestIDsWithSlashes(t *testing.T) {
	t.Parallel()
	db := pgtest.New(t)
	embedder := localembed.New(localembed.DefaultDimensions)
	const yaml = `
topics: [{id: views, name: "Views"}]
questions:
  - id: "views/csrf-exempt"
    topic: views
    difficulty: easy
    question: "What does csrf_exempt do?"
    answer: "It marks a view as exempt from the CSRF middleware's checks."
  - id: "views/100%-sure?#x"
    topic: views
    difficulty: easy
    question: "Which view decorator caches a page?"
    answer: "cache_page caches the whole response of a view for a number of seconds."
`
	if _, err := (&ingest.Importer{Store: db, Embedder: embedder}).Import(context.Background(), "bank.yaml", []byte(yaml), nil); err != nil {
		t.Fatal(err)
	}
	h := (&api.Server{Bank: db, Health: db, Searcher: &retrieve.Retriever{Store: db, Embedder: embedder}}).Handler()
	f := &fixture{srv: h}
	for id, escaped := range map[string]string{
		// As encodeURIComponent writes them.
		"views/csrf-exempt":  "views%2Fcsrf-exempt",
		"views/100%-sure?#x": "views%2F100%25-sure%3F%23x",
	} {
		code, body := f.do(t, "GET", "/api/v1/questions/"+escaped, "")
		if code != 200 || body["id"] != id {
			t.Errorf("GET /api/v1/questions/%s = %d %v, want question %q", escaped, code, body, id)
		}
	}
	// Escapes are undone once: %2525 is the id "%25", not "%".
	if code, body := f.do(t, "GET", "/api/v1/questions/views%2F100%2525-sure", ""); code != 404 ||
		!strings.Contains(body["error"].(map[string]any)["message"].(string), "views/100%25-sure") {
		t.Errorf("doubly escaped id = %d %v", code, body)
	}
	// The listing shows the ids as they are.
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest("GET", "/api/v1/questions?topic=views", nil))
	if !strings.Contains(rec.Body.String(), `"views/csrf-exempt"`) {
		t.Errorf("listing = %s", rec.Body)
	}
}
