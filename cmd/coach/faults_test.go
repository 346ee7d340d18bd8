package main

import (
	"context"
	"encoding/json"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/interviewcoach/coach/internal/coach"
	"github.com/interviewcoach/coach/internal/postgres/pgtest"
)

// TestDatabaseOutage runs the whole program on a database it reaches through a proxy, then cuts the
// proxy as if the database had stopped: /readyz and every request that needs the database answer
// 503 unavailable with a clear message, nothing is half-written, and once the database is back the
// server recovers by itself.
func TestDatabaseOutage(t *testing.T) {
	t.Parallel()
	db, url := pgtest.NewWithURL(t)
	bankReady(t, url)
	proxy, proxied := pgtest.NewProxy(t, url)
	vars := map[string]string{"DATABASE_URL": proxied, "COACH_ADDR": freeAddr(t), "COACH_LOG_LEVEL": "error",
		"COACH_RATE_LIMIT": "off"}
	s := startServe(t, vars)
	client := &http.Client{Timeout: 15 * time.Second}
	body := gradeBody(questionID(t, s.base))

	var stored []map[string]any // the attempts the server said it stored
	grade := func() (int, map[string]any) {
		t.Helper()
		code, out, err := callJSON(t, client, "POST", s.base+"/api/v1/grade", body)
		if err != nil {
			t.Fatalf("grade: %v", err)
		}
		if code == 200 {
			stored = append(stored, out)
		}
		return code, out
	}
	if code, out := grade(); code != 200 {
		t.Fatalf("grade before the outage = %d %v", code, out)
	}

	proxy.Cut()
	start := time.Now()
	for _, r := range []struct{ method, path, body string }{
		{"GET", "/readyz", ""},
		{"POST", "/api/v1/grade", body},
		{"GET", "/api/v1/topics", ""},
		{"GET", "/api/v1/questions?limit=5", ""},
		{"POST", "/api/v1/search", `{"query": "one query per row"}`},
		{"POST", "/api/v1/sessions", `{}`},
	} {
		code, out, err := callJSON(t, client, r.method, s.base+r.path, r.body)
		if err != nil {
			t.Fatalf("%s %s during the outage: %v", r.method, r.path, err)
		}
		e, _ := out["error"].(map[string]any)
		if code != 503 || e["code"] != coach.EUNAVAILABLE || !strings.Contains(e["message"].(string), "database") {
			t.Errorf("%s %s during the outage = %d %v, want 503 unavailable naming the database", r.method, r.path, code, out)
		}
	}
	if took := time.Since(start); took > 10*time.Second {
		t.Errorf("failing took %s: requests should fail fast while the database is gone", took)
	}
	if code, _, err := callJSON(t, client, "GET", s.base+"/healthz", ""); err != nil || code != 200 {
		t.Errorf("healthz during the outage = %d %v: the process is alive", code, err)
	}

	proxy.Restore()
	deadline := time.Now().Add(15 * time.Second)
	for {
		code, _, err := callJSON(t, client, "GET", s.base+"/readyz", "")
		if err == nil && code == 200 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("not ready again after the database came back: %d %v\n%s", code, err, s.stderr)
		}
		time.Sleep(50 * time.Millisecond)
	}
	if code, out := grade(); code != 200 {
		t.Fatalf("grade after the outage = %d %v", code, out)
	}

	// Exactly the attempts the server reported stored are there, whole.
	if n := countAttempts(t, url); n != len(stored) {
		t.Errorf("%d attempts stored, the server answered 200 for %d", n, len(stored))
	}
	for _, want := range stored {
		a, err := db.Attempt(context.Background(), want["attempt_id"].(string))
		if err != nil {
			t.Errorf("attempt %v: %v", want["attempt_id"], err)
			continue
		}
		got, _ := json.Marshal(map[string]any{"score": a.Score, "key_points": len(a.KeyPoints), "answer": a.Answer})
		exp, _ := json.Marshal(map[string]any{"score": int(want["score"].(float64)), "key_points": len(want["key_points"].([]any)), "answer": want["answer"]})
		if string(got) != string(exp) {
			t.Errorf("attempt stored as %s, answered as %s", got, exp)
		}
	}
	s.stop()
	if err := s.wait(t, 10*time.Second); err != nil {
		t.Errorf("run = %v", err)
	}
}
