package main

import (
	"fmt"
	"net/http"
	"os"
	"os/exec"
	"strings"
	"testing"
	"time"

	"github.com/interviewcoach/coach/internal/postgres/pgtest"
)

// TestMain lets the test binary stand in for the coach command: with COACH_TEST_MAIN=1 it runs main
// on its arguments, so that tests can start real server processes without building the binary.
func TestMain(m *testing.M) {
	if os.Getenv("COACH_TEST_MAIN") == "1" {
		os.Args = append([]string{"coach"}, os.Args[1:]...)
		main()
		os.Exit(0)
	}
	os.Exit(m.Run())
}

// startProcess starts `coach serve` as a process of its own with vars as its whole environment and
// waits until it is ready; it returns the server's base URL and the process id.
func startProcess(t *testing.T, vars map[string]string) (string, int) {
	t.Helper()
	cmd := exec.Command(os.Args[0], "serve")
	cmd.Env = []string{"COACH_TEST_MAIN=1", "COACH_ENV_FILE=/nonexistent/.env"}
	for k, v := range vars {
		cmd.Env = append(cmd.Env, k+"="+v)
	}
	var stderr strings.Builder
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		_ = cmd.Process.Signal(os.Interrupt)
		done := make(chan error, 1)
		go func() { done <- cmd.Wait() }()
		select {
		case <-done:
		case <-time.After(20 * time.Second):
			_ = cmd.Process.Kill()
			<-done
		}
	})
	base := "http://" + vars["COACH_ADDR"]
	deadline := time.Now().Add(60 * time.Second)
	for {
		resp, err := http.Get(base + "/readyz")
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == 200 {
				return base, cmd.Process.Pid
			}
		}
		if time.Now().After(deadline) {
			t.Fatalf("coach serve at %s never got ready: %v\n%s", base, err, stderr.String())
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// TestRateLimitsSharedByInstances runs two server processes on one database: the documented rate
// of new sessions holds for the two together, not once per process.
func TestRateLimitsSharedByInstances(t *testing.T) {
	t.Parallel()
	_, url := pgtest.NewWithURL(t)
	bankReady(t, url)
	var bases []string
	for range 2 {
		base, _ := startProcess(t, map[string]string{
			"DATABASE_URL": url, "COACH_ADDR": freeAddr(t), "COACH_LOG_LEVEL": "warn",
			// 120 an hour, 30 at once: the 31st session within the hour is refused, wherever it goes.
			"COACH_SESSION_RATE_LIMIT": "120/h",
		})
		bases = append(bases, base)
	}
	created, refusedAt := 0, -1
	for i := range 40 {
		code, out, err := callJSON(t, http.DefaultClient, "POST", bases[i%2]+"/api/v1/sessions", `{"name": "s"}`)
		if err != nil {
			t.Fatal(err)
		}
		switch code {
		case 201, 200:
			created++
		case 429:
			if refusedAt < 0 {
				refusedAt = i
			}
			if msg := fmt.Sprint(out); !strings.Contains(msg, "new sessions") {
				t.Errorf("refusal does not name the limit: %s", msg)
			}
		default:
			t.Fatalf("session %d = %d %v", i, code, out)
		}
	}
	// 30 at once plus at most a token refilled while the test ran (one every 30 s).
	if created < 30 || created > 31 || refusedAt < 30 {
		t.Errorf("two instances created %d sessions, first refused at %d: want the one budget of 30 for both", created, refusedAt)
	}
}
