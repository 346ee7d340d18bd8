package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/interviewcoach/coach/internal/openai/openaitest"
)

// bankReady migrates the database at url and imports the bundled bank into it.
func bankReady(t *testing.T, url string) {
	t.Helper()
	vars := map[string]string{"DATABASE_URL": url}
	if _, _, err := program(t, vars, "", "migrate"); err != nil {
		t.Fatalf("migrate: %v", err)
	}
	if _, _, err := program(t, vars, "", "ingest", "--builtin"); err != nil {
		t.Fatalf("ingest --builtin: %v", err)
	}
}

// served is `coach serve` running in-process.
type served struct {
	base   string
	stop   context.CancelFunc // what SIGTERM does
	done   chan error         // run's result
	stderr *lockedWriter
}

// startServe starts `coach serve` with vars (COACH_ADDR included) and waits until /readyz answers 200.
func startServe(t testing.TB, vars map[string]string) *served {
	t.Helper()
	vars["COACH_ENV_FILE"] = "/nonexistent/.env"
	ctx, cancel := context.WithCancel(context.Background())
	s := &served{base: "http://" + vars["COACH_ADDR"], stop: cancel, done: make(chan error, 1), stderr: &lockedWriter{}}
	go func() {
		s.done <- run(ctx, []string{"serve"}, func(k string) string { return vars[k] }, nil, io.Discard, s.stderr)
	}()
	t.Cleanup(func() {
		cancel()
		select {
		case <-s.done:
		case <-time.After(40 * time.Second):
			t.Error("serve did not stop")
		}
	})
	deadline := time.Now().Add(20 * time.Second)
	for {
		select {
		case err := <-s.done:
			t.Fatalf("serve stopped before it was ready: %v\n%s", err, s.stderr)
		default:
		}
		resp, err := http.Get(s.base + "/readyz")
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == 200 {
				return s
			}
		}
		if time.Now().After(deadline) {
			t.Fatalf("server not ready: %v\n%s", err, s.stderr)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// wait returns run's result once it has returned, failing the test after limit.
func (s *served) wait(t testing.TB, limit time.Duration) error {
	t.Helper()
	select {
	case err := <-s.done:
		s.done <- err // for the cleanup
		return err
	case <-time.After(limit):
		t.Fatalf("serve did not return within %s", limit)
		return nil
	}
}

// callJSON sends a request and decodes the JSON answer into a map; the status is returned with it.
func callJSON(t testing.TB, client *http.Client, method, url, body string) (int, map[string]any, error) {
	t.Helper()
	req, err := http.NewRequest(method, url, strings.NewReader(body))
	if err != nil {
		return 0, nil, err
	}
	if body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	resp, err := client.Do(req)
	if err != nil {
		return 0, nil, err
	}
	defer resp.Body.Close()
	raw, err := io.ReadAll(resp.Body)
	if err != nil {
		return resp.StatusCode, nil, err
	}
	var out map[string]any
	if err := json.Unmarshal(raw, &out); err != nil {
		return resp.StatusCode, nil, fmt.Errorf("not JSON: %q", raw)
	}
	return resp.StatusCode, out, nil
}

// queryRow runs sql on the database at url and scans its one row into dest.
func queryRow(t testing.TB, url, sql string, dest ...any) {
	t.Helper()
	ctx := context.Background()
	conn, err := pgx.Connect(ctx, url)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(ctx)
	if err := conn.QueryRow(ctx, sql).Scan(dest...); err != nil {
		t.Fatalf("%s: %v", sql, err)
	}
}

// lockedWriter collects the program's log output for failure messages.
type lockedWriter struct {
	mu  sync.Mutex
	buf strings.Builder
}

func (w *lockedWriter) Write(p []byte) (int, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.buf.Write(p)
}

func (w *lockedWriter) String() string {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.buf.String()
}

// slowModel is an OpenAI-compatible chat server that grades like a model: the first key point
// covered, with a quote of the answer as evidence, after delay; while hold is set, requests wait for
// release instead (or for their client to give up).
type slowModel struct {
	delay    time.Duration
	hold     atomic.Bool
	release  chan struct{}
	received chan struct{} // a value per request, when there is room
	requests atomic.Int64
}

func newSlowModel(delay time.Duration) *slowModel {
	return &slowModel{delay: delay, release: make(chan struct{}), received: make(chan struct{}, 64)}
}

func (m *slowModel) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	m.requests.Add(1)
	select {
	case m.received <- struct{}{}:
	default:
	}
	var req struct {
		Messages []struct{ Role, Content string } `json:"messages"`
	}
	if err := json.NewDecoder(r.Body).Decode(&req); err != nil || len(req.Messages) < 2 || r.URL.Path != "/v1/chat/completions" {
		http.Error(w, "bad request", http.StatusBadRequest)
		return
	}
	if m.hold.Load() {
		select {
		case <-m.release:
		case <-r.Context().Done():
			return
		}
	} else if m.delay > 0 {
		select {
		case <-time.After(m.delay):
		case <-r.Context().Done():
			return
		}
	}
	openaitest.WriteCompletion(w, openaitest.GradingReply(req.Messages[1].Content, openaitest.FirstCovered, "K1"))
}

// questionIDs lists the ids of the bank questions GET /api/v1/questions?query returns, and fails the
// test when there are none.
func questionIDs(t testing.TB, base, query string) []string {
	t.Helper()
	code, body, err := callJSON(t, http.DefaultClient, "GET", base+"/api/v1/questions?"+query, "")
	if err != nil || code != 200 {
		t.Fatalf("questions?%s = %d %v %v", query, code, body, err)
	}
	var ids []string
	for _, q := range body["questions"].([]any) {
		ids = append(ids, q.(map[string]any)["id"].(string))
	}
	if len(ids) == 0 {
		t.Fatalf("questions?%s: none", query)
	}
	return ids
}
