package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/interviewcoach/coach/internal/postgres/pgtest"
)

// program runs coach in-process with the given environment and returns its output and error.
func program(t *testing.T, vars map[string]string, stdin string, args ...string) (stdout, stderr string, err error) {
	t.Helper()
	vars["COACH_ENV_FILE"] = filepath.Join(t.TempDir(), "none")
	var out, errOut bytes.Buffer
	err = run(context.Background(), args, func(k string) string { return vars[k] }, strings.NewReader(stdin), &out, &errOut)
	return out.String(), errOut.String(), err
}

func freeAddr(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().String()
}

func TestHelpAndUsage(t *testing.T) {
	t.Parallel()
	out, _, err := program(t, map[string]string{}, "", "help")
	if err != nil || !strings.Contains(out, "ingest") || !strings.Contains(out, "COACH_EMBEDDER") {
		t.Errorf("help: %v\n%s", err, out)
	}
	_, errOut, err := program(t, map[string]string{}, "", "ingest", "-h")
	if err != nil || !strings.Contains(errOut, "--builtin") && !strings.Contains(errOut, "-builtin") {
		t.Errorf("ingest -h: %v\n%s", err, errOut)
	}
	if _, _, err := program(t, map[string]string{}, "", "frobnicate"); err != errUsage {
		t.Errorf("unknown command: err %v", err)
	}
	out, _, err = program(t, map[string]string{}, "", "version")
	if err != nil || !strings.HasPrefix(out, "coach ") {
		t.Errorf("version: %q %v", out, err)
	}
}

func TestInvalidSettingFailsWithOneLine(t *testing.T) {
	t.Parallel()
	_, _, err := program(t, map[string]string{"COACH_EMBEDDER": "magic"}, "", "migrate")
	if err == nil || !strings.Contains(message(err), "COACH_EMBEDDER") || strings.Contains(message(err), "\n") {
		t.Errorf("err = %v", err)
	}
	_, _, err = program(t, map[string]string{}, "", "migrate")
	if err == nil || !strings.Contains(message(err), "DATABASE_URL") {
		t.Errorf("missing DATABASE_URL: err = %v", err)
	}
}

// TestWholeProgram migrates, imports the bundled bank, rejects bad files without losing anything,
// serves on a free port and grades over HTTP, then shuts down cleanly.
func TestWholeProgram(t *testing.T) {
	t.Parallel()
	_, url := pgtest.NewWithURL(t)
	addr := freeAddr(t)
	vars := map[string]string{"DATABASE_URL": url, "COACH_ADDR": addr, "COACH_LOG_LEVEL": "warn", "COACH_ADMIN_KEY": testAdminKey}

	if out, _, err := program(t, vars, "", "migrate"); err != nil || !strings.Contains(out, "current") {
		t.Fatalf("migrate: %v %s", err, out)
	}
	out, _, err := program(t, vars, "", "ingest", "--builtin", "--json")
	if err != nil {
		t.Fatalf("ingest --builtin: %v", err)
	}
	var sum struct{ Questions, References, Duplicates int }
	if err := json.Unmarshal([]byte(out), &sum); err != nil || sum.Questions < 80 || sum.References != sum.Questions {
		t.Fatalf("builtin summary: %+v %v", sum, err)
	}
	if out, _, err := program(t, vars, "", "ingest", "--builtin", "--if-empty"); err != nil || !strings.Contains(out, "nothing imported") {
		t.Errorf("--if-empty on a full bank: %v %s", err, out)
	}
	if out, _, err := program(t, vars, "", "reindex", "--if-needed"); err != nil || !strings.Contains(out, "nothing to do") {
		t.Errorf("reindex --if-needed after an import: %v %s", err, out)
	}
	if out, _, err := program(t, vars, "", "reindex"); err != nil || !strings.Contains(out, "embedded") {
		t.Errorf("reindex: %v %s", err, out)
	}

	dir := t.TempDir()
	binary := filepath.Join(dir, "image.png")
	if err := os.WriteFile(binary, []byte("\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00"), 0o644); err != nil {
		t.Fatal(err)
	}
	empty := filepath.Join(dir, "empty.md")
	if err := os.WriteFile(empty, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	_, errOut, err := program(t, vars, "", "ingest", binary, empty)
	if err == nil || !strings.Contains(errOut, "binary") || !strings.Contains(errOut, "empty") {
		t.Errorf("bad files: err %v, stderr %q", err, errOut)
	}
	out, _, err = program(t, vars, "", "ingest", "--builtin", "--json")
	if err != nil {
		t.Fatal(err)
	}
	var again struct{ Questions, References, Duplicates int }
	_ = json.Unmarshal([]byte(out), &again)
	if again.Questions != 0 || again.References != 0 || again.Duplicates != sum.References {
		t.Errorf("re-import changed the bank or lost it: %+v (first import %+v)", again, sum)
	}

	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() {
		var stdout, stderr bytes.Buffer
		done <- run(ctx, []string{"serve"}, func(k string) string { return vars[k] }, nil, &stdout, &stderr)
	}()
	base := "http://" + addr
	deadline := time.Now().Add(20 * time.Second)
	for {
		resp, err := http.Get(base + "/readyz")
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == 200 {
				break
			}
		}
		if time.Now().After(deadline) {
			t.Fatalf("server not ready: %v", err)
		}
		time.Sleep(50 * time.Millisecond)
	}

	body := `{"question": "What is the difference between select_related and prefetch_related?",
		"answer": "select_related follows foreign keys with a SQL join in one query, while prefetch_related runs a separate query and joins the results in Python; both fix the N+1 problem."}`
	resp, err := http.Post(base+"/api/v1/grade", "application/json", strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	var graded struct {
		AttemptID string `json:"attempt_id"`
		Score     int    `json:"score"`
		Grounded  bool   `json:"grounded"`
		Grader    struct{ Kind string }
	}
	if err := json.NewDecoder(resp.Body).Decode(&graded); err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 200 || graded.Grader.Kind != "offline" || !graded.Grounded || graded.Score < 40 {
		t.Errorf("grade: %d %+v", resp.StatusCode, graded)
	}
	// Reading an attempt outside a session takes an interviewer or admin key.
	req, _ := http.NewRequest("GET", fmt.Sprintf("%s/api/v1/attempts/%s", base, graded.AttemptID), nil)
	req.Header.Set("Authorization", "Bearer "+testAdminKey)
	resp, err = http.DefaultClient.Do(req)
	if err != nil || resp.StatusCode != 200 {
		t.Errorf("attempt: %v %v", resp, err)
	}
	resp.Body.Close()
	resp, err = http.Get(base + "/")
	if err != nil || resp.StatusCode != 200 || !strings.Contains(resp.Header.Get("Content-Type"), "text/html") {
		t.Errorf("web UI: %v %v", resp, err)
	}
	resp.Body.Close()

	cancel()
	select {
	case err := <-done:
		if err != nil {
			t.Errorf("serve returned %v after shutdown", err)
		}
	case <-time.After(35 * time.Second):
		t.Fatal("serve did not shut down")
	}
}

func TestServeRefusesStaleSchema(t *testing.T) {
	t.Parallel()
	db, url := pgtest.NewWithURL(t)
	_ = db
	conn := mustExec(t, url, "UPDATE schema_version SET version = 1")
	_ = conn
	_, _, err := program(t, map[string]string{"DATABASE_URL": url, "COACH_ADDR": freeAddr(t)}, "", "serve")
	if err == nil || !strings.Contains(message(err), "coach migrate") {
		t.Errorf("serve on a stale schema: %v", err)
	}
}
