package main

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/interviewcoach/coach/internal/postgres/pgtest"
)

// testAdminKey is the bootstrap admin key (COACH_ADMIN_KEY) of the whole-program tests.
const testAdminKey = "whole-program-admin-key-0123"

// serveProgram runs `coach serve` with vars until the test ends and returns its base URL once it is ready.
func serveProgram(t *testing.T, vars map[string]string) string {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	var stderr bytes.Buffer
	go func() {
		done <- run(ctx, []string{"serve"}, func(k string) string { return vars[k] }, nil, io.Discard, &stderr)
	}()
	t.Cleanup(func() {
		cancel()
		select {
		case err := <-done:
			if err != nil {
				t.Errorf("serve: %v", err)
			}
		case <-time.After(35 * time.Second):
			t.Error("serve did not shut down")
		}
	})
	base := "http://" + vars["COACH_ADDR"]
	deadline := time.Now().Add(20 * time.Second)
	for {
		resp, err := http.Get(base + "/readyz")
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == 200 {
				return base
			}
		}
		select {
		case err := <-done:
			t.Fatalf("serve stopped: %v", err)
		default:
		}
		if time.Now().After(deadline) {
			t.Fatalf("server not ready: %v", err)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// callAPI makes a request with an API key ("" for none) and returns the status and body.
func callAPI(t *testing.T, method, url, key, body string) (int, http.Header, string) {
	t.Helper()
	req, err := http.NewRequest(method, url, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	if body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	if key != "" {
		req.Header.Set("Authorization", "Bearer "+key)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	data, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, resp.Header, string(data)
}

// TestKeysAndClosedPractice creates keys on the command line and uses them against a server whose
// practice is closed.
func TestKeysAndClosedPractice(t *testing.T) {
	t.Parallel()
	_, url := pgtest.NewWithURL(t)
	vars := map[string]string{"DATABASE_URL": url, "COACH_ADDR": freeAddr(t), "COACH_LOG_LEVEL": "warn",
		"COACH_OPEN_PRACTICE": "false", "COACH_ADMIN_KEY": testAdminKey}
	if _, _, err := program(t, vars, "", "ingest", "--builtin"); err != nil {
		t.Fatal(err)
	}
	key, note, err := program(t, vars, "", "keys", "create", "--role", "interviewer", "--name", "Grace")
	key = strings.TrimSpace(key)
	if err != nil || !regexp.MustCompile(`^coach_[0-9a-f]{12}[A-Za-z0-9_-]{43}$`).MatchString(key) || !strings.Contains(note, "only this once") {
		t.Fatalf("keys create: %q %q %v", key, note, err)
	}
	id := key[len("coach_") : len("coach_")+12]
	if _, _, err := program(t, vars, "", "keys", "create", "--role", "root", "--name", "x"); err == nil || !strings.Contains(message(err), "root") {
		t.Errorf("keys create with a bad role: %v", err)
	}
	if _, _, err := program(t, vars, "", "keys", "frobnicate"); err != errUsage {
		t.Errorf("keys frobnicate: %v", err)
	}

	base := serveProgram(t, vars)
	if code, h, body := callAPI(t, "GET", base+"/api/v1/topics", "", ""); code != 401 || !strings.Contains(body, "API key") ||
		h.Get("Content-Security-Policy") == "" || h.Get("X-Frame-Options") != "DENY" {
		t.Errorf("anonymous topics on a closed server = %d %v %s", code, h, body)
	}
	if code, _, body := callAPI(t, "GET", base+"/api/v1/topics", key, ""); code != 200 {
		t.Errorf("topics with a key = %d %s", code, body)
	}
	code, _, body := callAPI(t, "POST", base+"/api/v1/grade", key, `{"question_id": "security-csrf", "answer": "A token checked against a cookie."}`)
	var graded struct {
		AttemptID string `json:"attempt_id"`
	}
	if err := json.Unmarshal([]byte(body), &graded); code != 200 || err != nil {
		t.Fatalf("grade with a key = %d %s", code, body)
	}
	if code, _, body := callAPI(t, "GET", base+"/api/v1/attempts/"+graded.AttemptID, key, ""); code != 200 {
		t.Errorf("attempt with an interviewer key = %d %s", code, body)
	}
	if code, _, body := callAPI(t, "GET", base+"/api/v1/attempts/"+graded.AttemptID, "", ""); code != 401 {
		t.Errorf("attempt without a key = %d %s", code, body)
	}
	if code, _, body := callAPI(t, "POST", base+"/api/v1/bank/reindex", key, ""); code != 403 {
		t.Errorf("reindex as interviewer = %d %s", code, body)
	}
	if code, _, body := callAPI(t, "POST", base+"/api/v1/bank/reindex", testAdminKey, ""); code != 200 || !strings.Contains(body, `"passages"`) {
		t.Errorf("reindex as admin = %d %s", code, body)
	}
	if code, h, body := callAPI(t, "GET", base+"/api/openapi.json", "", ""); code != 200 || !strings.HasPrefix(h.Get("Content-Type"), "application/json") ||
		!strings.Contains(body, `"openapi": "3.1`) {
		t.Errorf("openapi.json = %d %.100s", code, body)
	}

	out, _, err := program(t, vars, "", "keys", "list")
	if err != nil || !strings.Contains(out, id) || !strings.Contains(out, "interviewer") || !strings.Contains(out, "Grace") || strings.Contains(out, key) {
		t.Errorf("keys list: %v\n%s", err, out)
	}
	if out, _, err := program(t, vars, "", "keys", "revoke", id); err != nil || !strings.Contains(out, "revoked") {
		t.Errorf("keys revoke: %v %s", err, out)
	}
	// Revoked on the command line, refused by the running server at once.
	if code, _, body := callAPI(t, "GET", base+"/api/v1/topics", key, ""); code != 401 || !strings.Contains(body, "invalid API key") {
		t.Errorf("a revoked key = %d %s", code, body)
	}
	out, _, err = program(t, vars, "", "keys", "list", "--json")
	if err != nil {
		t.Fatal(err)
	}
	var list []struct {
		ID        string
		RevokedAt *time.Time `json:"revoked_at"`
	}
	if err := json.Unmarshal([]byte(out), &list); err != nil || len(list) != 1 || list[0].ID != id || list[0].RevokedAt == nil {
		t.Errorf("keys list --json: %v %s", err, out)
	}
}

// TestExportImportAndPurge moves a bank between two databases on the command line and purges old
// attempts.
func TestExportImportAndPurge(t *testing.T) {
	t.Parallel()
	_, srcURL := pgtest.NewWithURL(t)
	_, dstURL := pgtest.NewWithURL(t)
	src := map[string]string{"DATABASE_URL": srcURL, "COACH_LOG_LEVEL": "warn"}
	dst := map[string]string{"DATABASE_URL": dstURL, "COACH_LOG_LEVEL": "warn"}
	if _, _, err := program(t, src, "", "ingest", "--builtin"); err != nil {
		t.Fatal(err)
	}
	file := filepath.Join(t.TempDir(), "bank.json")
	if _, note, err := program(t, src, "", "export", "--out", file); err != nil || !strings.Contains(note, file) {
		t.Fatalf("export: %v %s", err, note)
	}
	exported, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	out, _, err := program(t, dst, "", "import", file)
	if err != nil || !strings.Contains(out, "0 references were already stored") {
		t.Fatalf("import: %v %s", err, out)
	}
	again, _, err := program(t, dst, "", "export")
	if err != nil || again != string(exported) {
		t.Errorf("the copy exports differently (%v)", err)
	}
	out, _, err = program(t, dst, string(exported), "import", "--json", "-")
	if err != nil {
		t.Fatal(err)
	}
	var sum struct{ Questions, Existing int }
	if err := json.Unmarshal([]byte(out), &sum); err != nil || sum.Questions != 0 || sum.Existing == 0 {
		t.Errorf("second import from stdin: %v %s", err, out)
	}
	if _, _, err := program(t, dst, "{", "import", "-"); err == nil || !strings.Contains(message(err), "JSON") {
		t.Errorf("import of a broken file: %v", err)
	}

	// Purge: attempts graded 100 days ago go, with the session they leave empty; today's stay.
	if _, _, err := program(t, src, "", "grade", "--question-id", "security-csrf", "--answer", "A token."); err != nil {
		t.Fatal(err)
	}
	mustExec(t, srcURL, `INSERT INTO sessions (id, token_hash, created_at) VALUES ('s-old', sha256('x'), now() - interval '100 days')`)
	mustExec(t, srcURL, `INSERT INTO attempts (id, session_id, question, answer, grader_kind, score, band, grounded, result, latency_ms, created_at)
		VALUES ('a-old', 's-old', 'Q?', 'A.', 'offline', 0, 'incorrect', true, '{}', 0, now() - interval '100 days')`)
	for _, bad := range []string{"", "ninety", "-5d", "0h"} {
		args := []string{"purge"}
		if bad != "" {
			args = append(args, "--older-than", bad)
		}
		if _, _, err := program(t, src, "", args...); err == nil {
			t.Errorf("purge %v: no error", args)
		}
	}
	out, _, err = program(t, src, "", "purge", "--older-than", "90d")
	if err != nil || !strings.HasPrefix(out, "purged 1 attempts and 1 sessions left empty") {
		t.Errorf("purge: %v %s", err, out)
	}
	out, _, err = program(t, src, "", "purge", "--older-than", "1h")
	if err != nil || !strings.HasPrefix(out, "purged 0 attempts and 0 sessions") {
		t.Errorf("second purge: %v %s", err, out)
	}
}

func TestParseAge(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		in   string
		want time.Duration
	}{{"90d", 90 * 24 * time.Hour}, {"1d", 24 * time.Hour}, {"36h", 36 * time.Hour}, {"1h30m", 90 * time.Minute},
		{"0d", 0}, {"d", 0}, {"-1h", 0}, {"soon", 0}, {"1.5d", 0}} {
		got, err := parseAge(tt.in)
		if got != tt.want || (err == nil) != (tt.want > 0) {
			t.Errorf("parseAge(%q) = %v, %v", tt.in, got, err)
		}
	}
}
