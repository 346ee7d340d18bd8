package main

import (
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/interviewcoach/coach/internal/coach"
	"github.com/interviewcoach/coach/internal/postgres/pgtest"
)

// llmVars are the settings of a server grading with model, a local OpenAI-compatible server.
func llmVars(dbURL, addr, modelURL string) map[string]string {
	return map[string]string{
		"DATABASE_URL": dbURL, "COACH_ADDR": addr, "COACH_LOG_LEVEL": "warn", "COACH_LOG_FORMAT": "json",
		"COACH_GRADER": "llm", "OPENAI_API_KEY": "k", "OPENAI_BASE_URL": modelURL + "/v1", "COACH_CHAT_MODEL": "test-model",
		"COACH_LLM_MAX_RETRIES": "0", "COACH_RATE_LIMIT": "off",
		// The tests of model behaviour grade the same answer again and count a request each time.
		"COACH_GRADE_CACHE": "off",
	}
}

// gradeBody asks to grade a short answer to bank question id.
func gradeBody(id string) string {
	return `{"question_id": "` + id + `", "answer": "select_related follows foreign keys with a SQL join in one query."}`
}

// questionID returns the id of a bundled bank question, for grading requests.
func questionID(t testing.TB, base string) string {
	t.Helper()
	return questionIDs(t, base, "limit=1&q=select_related")[0]
}

// TestGracefulShutdown stops the server (as SIGTERM does) while a slow model grades: the server
// stops accepting connections at once, the grading in flight is answered in full and stored, and run
// returns nil. Before that, /metrics shows the series of a graded request.
func TestGracefulShutdown(t *testing.T) {
	t.Parallel()
	db, url := pgtest.NewWithURL(t)
	bankReady(t, url)
	model := newSlowModel(0)
	ms := httptest.NewServer(model)
	defer ms.Close()
	addr := freeAddr(t)
	vars := llmVars(url, addr, ms.URL)
	vars["COACH_SHUTDOWN_GRACE"] = "20s"
	s := startServe(t, vars)
	body := gradeBody(questionID(t, s.base))

	// A grading, then the metrics it left.
	if code, out, err := callJSON(t, http.DefaultClient, "POST", s.base+"/api/v1/grade", body); err != nil || code != 200 {
		t.Fatalf("grade = %d %v %v\n%s", code, out, err, s.stderr)
	}
	resp, err := http.Get(s.base + "/metrics")
	if err != nil {
		t.Fatal(err)
	}
	raw, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	metrics := string(raw)
	for _, want := range []string{
		`coach_http_request_duration_seconds_count{method="POST",route="/api/v1/grade",status="200"} 1`,
		`coach_http_request_duration_seconds_count{method="GET",route="/api/v1/questions",status="200"} 1`,
		`coach_grading_duration_seconds_count{grader="llm",outcome="ok"} 1`,
		`coach_retrieval_duration_seconds_count{op="grade"} 1`,
		`coach_model_requests_total{op="grade",outcome="ok"} 1`,
		`coach_model_request_duration_seconds_count{op="grade"} 1`,
		`coach_model_tokens_total{kind="prompt",op="grade"} 1600`,
		`coach_model_tokens_total{kind="completion",op="grade"} 54`,
		`coach_db_pool_connections{state="acquired"} `,
		`coach_db_pool_connections{state="idle"} `,
		`coach_db_pool_max_connections `,
		`coach_db_pool_acquires_total `,
		`go_goroutines `,
		`process_open_fds `,
	} {
		if !strings.Contains(metrics, want) {
			t.Errorf("/metrics lacks %s", want)
		}
	}

	// A grading the model holds on to, and SIGTERM while it waits.
	model.hold.Store(true)
	for len(model.received) > 0 {
		<-model.received
	}
	type result struct {
		code int
		body map[string]any
		err  error
	}
	results := make(chan result, 1)
	go func() {
		code, out, err := callJSON(t, &http.Client{}, "POST", s.base+"/api/v1/grade", body)
		results <- result{code, out, err}
	}()
	select {
	case <-model.received:
	case <-time.After(10 * time.Second):
		t.Fatal("the grading never reached the model")
	}
	s.stop()

	// New connections are refused while the grading finishes.
	deadline := time.Now().Add(5 * time.Second)
	for {
		conn, err := net.DialTimeout("tcp", addr, time.Second)
		if err != nil {
			break
		}
		conn.Close()
		if time.Now().After(deadline) {
			t.Fatal("the server still accepts connections after shutdown began")
		}
		time.Sleep(10 * time.Millisecond)
	}
	select {
	case r := <-results:
		t.Fatalf("the grading ended before the model answered: %+v", r)
	case err := <-s.done:
		t.Fatalf("run returned %v with a grading in flight", err)
	default:
	}
	close(model.release)

	r := <-results
	if r.err != nil || r.code != 200 {
		t.Fatalf("grading in flight = %d %v %v", r.code, r.body, r.err)
	}
	id, _ := r.body["attempt_id"].(string)
	if id == "" || r.body["grader"].(map[string]any)["kind"] != "llm" || len(r.body["key_points"].([]any)) == 0 ||
		r.body["feedback"].(map[string]any)["summary"] == "" {
		t.Errorf("grading in flight answered incompletely: %v", r.body)
	}
	if err := s.wait(t, 10*time.Second); err != nil {
		t.Errorf("run = %v after a graceful shutdown", err)
	}
	stored, err := db.Attempt(context.Background(), id)
	if err != nil || stored.Score != int(r.body["score"].(float64)) || stored.Grader.Kind != coach.GraderLLM || stored.Raw == "" {
		t.Errorf("attempt %s stored as %+v, %v", id, stored, err)
	}
}

// TestShutdownGraceRunsOut stops the server while the model never answers: once COACH_SHUTDOWN_GRACE
// has run out the grading is cancelled, nothing of it is stored, and run says what happened.
func TestShutdownGraceRunsOut(t *testing.T) {
	t.Parallel()
	_, url := pgtest.NewWithURL(t)
	bankReady(t, url)
	model := newSlowModel(0)
	model.hold.Store(true) // and never released
	ms := httptest.NewServer(model)
	defer ms.Close()
	vars := llmVars(url, freeAddr(t), ms.URL)
	vars["COACH_SHUTDOWN_GRACE"] = "300ms"
	s := startServe(t, vars)
	body := gradeBody(questionID(t, s.base))

	results := make(chan error, 1)
	go func() {
		code, out, err := callJSON(t, &http.Client{}, "POST", s.base+"/api/v1/grade", body)
		// Not a dropped connection: a 503 that says why.
		if err != nil || code != 503 || !strings.Contains(fmt.Sprint(out), "shutting down") {
			t.Errorf("a grading cancelled by the shutdown = %d %v (%v), want 503 saying the server is shutting down", code, out, err)
		}
		results <- err
	}()
	select {
	case <-model.received:
	case <-time.After(10 * time.Second):
		t.Fatal("the grading never reached the model")
	}
	start := time.Now()
	s.stop()
	err := s.wait(t, 10*time.Second)
	if err == nil || !strings.Contains(err.Error(), "COACH_SHUTDOWN_GRACE") {
		t.Errorf("run = %v, want the grace named", err)
	}
	if took := time.Since(start); took > 5*time.Second {
		t.Errorf("shutdown took %s with a 300ms grace", took)
	}
	<-results
	if n := countAttempts(t, url); n != 0 {
		t.Errorf("%d attempts stored by a cancelled grading", n)
	}
}

// countAttempts counts the attempts stored in the schema of url.
func countAttempts(t testing.TB, url string) int {
	t.Helper()
	var n int
	queryRow(t, url, `SELECT count(*) FROM attempts`, &n)
	return n
}
