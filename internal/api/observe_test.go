package api_test

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/interviewcoach/coach/internal/access"
	"github.com/interviewcoach/coach/internal/api"
	"github.com/interviewcoach/coach/internal/grading"
	"github.com/interviewcoach/coach/internal/ingest"
	"github.com/interviewcoach/coach/internal/localembed"
	"github.com/interviewcoach/coach/internal/logctx"
	"github.com/interviewcoach/coach/internal/metrics"
	"github.com/interviewcoach/coach/internal/offline"
	"github.com/interviewcoach/coach/internal/openai"
	"github.com/interviewcoach/coach/internal/postgres/pgtest"
	"github.com/interviewcoach/coach/internal/retrieve"
)

// lockedBuffer is a log destination that requests may write to concurrently.
type lockedBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *lockedBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

// records returns the JSON log records written so far.
func (b *lockedBuffer) records(t *testing.T) []map[string]any {
	t.Helper()
	b.mu.Lock()
	defer b.mu.Unlock()
	var out []map[string]any
	sc := bufio.NewScanner(bytes.NewReader(b.buf.Bytes()))
	sc.Buffer(nil, 1<<20)
	for sc.Scan() {
		var rec map[string]any
		if err := json.Unmarshal(sc.Bytes(), &rec); err != nil {
			t.Fatalf("log line is not JSON: %q", sc.Text())
		}
		out = append(out, rec)
	}
	return out
}

func (b *lockedBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// observedServer is an API over bankYAML, graded offline unless model is set (a model server that is
// down when it is the closed URL, with the offline fallback), logging JSON at level into logs, with
// metrics.
type observedServer struct {
	handler http.Handler
	logs    *lockedBuffer
	metrics *metrics.Metrics
}

func newObservedServer(t testing.TB, level slog.Level, modelURL string) *observedServer {
	t.Helper()
	db := pgtest.New(t)
	embedder := localembed.New(localembed.DefaultDimensions)
	if _, err := (&ingest.Importer{Store: db, Embedder: embedder}).Import(context.Background(), "bank.yaml", []byte(bankYAML), nil); err != nil {
		t.Fatal(err)
	}
	logs := &lockedBuffer{}
	// The logger the program builds: JSON, with the request id of the context on every line.
	logger := slog.New(logctx.Handler(slog.NewJSONHandler(logs, &slog.HandlerOptions{Level: level})))
	m := metrics.New()
	off := offline.New(embedder)
	svc := &grading.Service{Store: db, Embedder: embedder, Grader: off, Offline: off, MaxAnswerChars: 2000,
		Logger: logger, Observer: m}
	if modelURL != "" {
		client, err := openai.New(openai.Config{
			BaseURL: modelURL, APIKey: "k", ChatModel: "test-model", MaxRetries: 1, BackoffBase: time.Millisecond,
			Timeout: 5 * time.Second, Logger: logger, Observer: m,
		}, nil)
		if err != nil {
			t.Fatal(err)
		}
		svc.Grader, svc.Fallback = client, true
	}
	s := &api.Server{
		Bank: db, Health: db, Searcher: &retrieve.Retriever{Store: db, Embedder: embedder, Observer: m},
		Grading: svc, Keys: &access.Service{Store: db, AdminKey: testAdminKey},
		Logger: logger, MaxBodyBytes: 64 << 10, Observer: m, Metrics: m.Handler(),
	}
	return &observedServer{handler: s.Handler(), logs: logs, metrics: m}
}

// send serves one request and returns the response.
func (o *observedServer) send(method, path, body string, header ...string) *http.Response {
	req := httptest.NewRequest(method, path, strings.NewReader(body))
	if body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	rec := httptest.NewRecorder()
	o.handler.ServeHTTP(rec, req)
	return rec.Result()
}

// downModelURL is the address of a model server that refuses connections.
func downModelURL(t testing.TB) string {
	t.Helper()
	srv := httptest.NewServer(http.NotFoundHandler())
	srv.Close()
	return srv.URL + "/v1"
}

// TestRequestIDOnEveryLogLine grades with the model down, so that the grading service and the model
// client log too, and checks that every line the request caused carries the id of its response.
func TestRequestIDOnEveryLogLine(t *testing.T) {
	t.Parallel()
	o := newObservedServer(t, slog.LevelDebug, downModelURL(t))

	resp := o.send("POST", "/api/v1/grade", `{"question_id": "security-csrf", "answer": "A token in the form is checked against a cookie."}`)
	id := resp.Header.Get("X-Request-Id")
	if resp.StatusCode != 200 || id == "" {
		t.Fatalf("grade = %d, X-Request-Id %q", resp.StatusCode, id)
	}
	records := o.logs.records(t)
	messages := map[string]bool{}
	for _, rec := range records {
		messages[rec["msg"].(string)] = true
		if rec["request_id"] != id {
			t.Errorf("log line without the request's id %s: %v", id, rec)
		}
	}
	for _, want := range []string{"request", "openai: retrying model call", "the language model did not grade; grading offline as a fallback"} {
		if !messages[want] {
			t.Errorf("no %q line among %v", want, messages)
		}
	}

	// A caller's own plausible id is kept, so a proxy's id follows the request; anything else is
	// replaced.
	resp = o.send("GET", "/api/v1/topics", "", "X-Request-Id", "lb-7f3a.42")
	if got := resp.Header.Get("X-Request-Id"); got != "lb-7f3a.42" {
		t.Errorf("caller's id replaced by %q", got)
	}
	hostile := strings.Repeat("x", 65) + "\n\"level\":\"ERROR\""
	resp = o.send("GET", "/api/v1/topics", "", "X-Request-Id", hostile)
	if got := resp.Header.Get("X-Request-Id"); got == hostile || len(got) != 32 {
		t.Errorf("hostile id answered with %q", got)
	}
	if strings.Contains(o.logs.String(), strings.Repeat("x", 65)) {
		t.Error("a hostile request id reached the logs")
	}
}

// TestAnswersStayOutOfLogs grades, fails to grade and streams answers with a recognisable text and
// checks that no log line at info level holds it: answers are the candidates' own words.
func TestAnswersStayOutOfLogs(t *testing.T) {
	t.Parallel()
	const secret = "quokka-umbrella-4417"
	for _, modelURL := range []string{"", downModelURL(t)} {
		o := newObservedServer(t, slog.LevelInfo, modelURL)
		answer := "The CsrfViewMiddleware checks a token " + secret + " against the csrftoken cookie."
		bodies := []struct{ path, body string }{
			{"/api/v1/grade", `{"question_id": "security-csrf", "answer": "` + answer + `"}`},
			{"/api/v1/grade?stream=true", `{"question_id": "security-csrf", "answer": "` + answer + `"}`},
			{"/api/v1/followups", `{"question": "How does Django stop CSRF?", "answer": "` + answer + `"}`},
			{"/api/v1/grade", `{"question_id": "nope", "answer": "` + answer + `"}`},                               // 404
			{"/api/v1/grade", `{"question_id": "security-csrf", "answer": "` + strings.Repeat(secret, 200) + `"}`}, // too long
			{"/api/v1/grade", `{"question_id": "security-csrf", "answer": "` + secret + `", "extra": 1}`},          // unknown field
			{"/api/v1/search", `{"query": "` + answer + `"}`},
		}
		for _, b := range bodies {
			resp := o.send("POST", b.path, b.body)
			_, _ = io.Copy(io.Discard, resp.Body)
		}
		if n := len(o.logs.records(t)); n < len(bodies) {
			t.Fatalf("only %d log lines for %d requests", n, len(bodies))
		}
		if logs := o.logs.String(); strings.Contains(logs, secret) {
			t.Errorf("an answer reached the logs:\n%s", logs)
		}
	}
}

// TestRequestMetrics scrapes /metrics after a few requests: HTTP series are labelled with the route
// pattern, never the raw path, and grading and retrieval report under their own names.
func TestRequestMetrics(t *testing.T) {
	t.Parallel()
	o := newObservedServer(t, slog.LevelWarn, "")
	for _, r := range []struct{ method, path, body string }{
		{"GET", "/api/v1/questions/orm-n-plus-one", ""},
		{"GET", "/api/v1/questions/no-such-question", ""},
		{"GET", "/api/v1/no/such/route/12345", ""},
		{"FROB", "/api/v1/topics", ""},
		{"POST", "/api/v1/search", `{"query": "one query per row"}`},
		{"POST", "/api/v1/grade", `{"question_id": "security-csrf", "answer": "A token is checked against a cookie."}`},
	} {
		o.send(r.method, r.path, r.body)
	}
	resp := o.send("GET", "/metrics", "")
	body, _ := io.ReadAll(resp.Body)
	out := string(body)
	for _, want := range []string{
		`coach_http_request_duration_seconds_count{method="GET",route="/api/v1/questions/:id",status="200"} 1`,
		`coach_http_request_duration_seconds_count{method="GET",route="/api/v1/questions/:id",status="404"} 1`,
		`coach_http_request_duration_seconds_count{method="GET",route="unmatched",status="404"} 1`,
		`method="other",route="/api/v1/topics",status="405"`,
		`coach_http_request_duration_seconds_count{method="POST",route="/api/v1/grade",status="200"} 1`,
		`coach_grading_duration_seconds_count{grader="offline",outcome="ok"} 1`,
		`coach_retrieval_duration_seconds_count{op="grade"} 1`,
		`coach_retrieval_duration_seconds_count{op="search"} 1`,
	} {
		if !strings.Contains(out, want) {
			t.Errorf("metrics lack %s", want)
		}
	}
	for _, raw := range []string{"orm-n-plus-one", "no-such-question", "12345"} {
		if strings.Contains(out, raw) {
			t.Errorf("a raw path (%s) became a label", raw)
		}
	}
}

// TestFallbackMetrics grades with the model down and the offline fallback: the failed model call,
// its retry and the fallback all show in /metrics.
func TestFallbackMetrics(t *testing.T) {
	t.Parallel()
	o := newObservedServer(t, slog.LevelError, downModelURL(t))
	if resp := o.send("POST", "/api/v1/grade", `{"question_id": "security-csrf", "answer": "A token is checked against a cookie."}`); resp.StatusCode != 200 {
		t.Fatalf("grade = %d", resp.StatusCode)
	}
	body, _ := io.ReadAll(o.send("GET", "/metrics", "").Body)
	for _, want := range []string{
		`coach_grading_duration_seconds_count{grader="llm",outcome="unavailable"} 1`,
		`coach_grading_duration_seconds_count{grader="offline",outcome="ok"} 1`,
		`coach_grading_fallbacks_total 1`,
		`coach_model_requests_total{op="grade",outcome="network"} 2`,
		`coach_model_retries_total{op="grade",reason="network"} 1`,
		`coach_model_errors_total{op="grade",reason="network"} 1`,
	} {
		if !strings.Contains(string(body), want) {
			t.Errorf("metrics lack %s", want)
		}
	}
}

// A request whose client went away is answered 503 and logged as cancelled at info level, not as
// a server error.
func TestCancelledRequestIsNoServerError(t *testing.T) {
	t.Parallel()
	o := newObservedServer(t, slog.LevelInfo, "")
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	req := httptest.NewRequest("POST", "/api/v1/grade", strings.NewReader(`{"question_id": "orm-n-plus-one", "answer": "It joins the related table in one query."}`)).WithContext(ctx)
	req.Header.Set("Content-Type", "application/json")
	rec := httptest.NewRecorder()
	o.handler.ServeHTTP(rec, req)
	if rec.Code != http.StatusServiceUnavailable {
		t.Fatalf("cancelled grading = %d %s, want 503", rec.Code, rec.Body)
	}
	var found bool
	for _, r := range o.logs.records(t) {
		if r["msg"] != "request" {
			continue
		}
		found = true
		if r["level"] != "INFO" || r["cancelled"] != true || r["status"] != float64(503) {
			t.Errorf("request line %v: want level INFO, cancelled true, status 503", r)
		}
	}
	if !found {
		t.Fatalf("no request line in %s", o.logs)
	}
}
