package api_test

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"github.com/interviewcoach/coach/internal/api"
	"github.com/interviewcoach/coach/internal/coach"
	"github.com/interviewcoach/coach/internal/grading"
)

func TestRateLimit(t *testing.T) {
	t.Parallel()
	w := newWorld(t, func(s *api.Server) {
		s.Limits.RateLimit = 1.0 / 60 // one a minute
		s.Limits.RateBurst = 2
		s.Limits.TrustedProxies = []string{"198.51.100.0/24"}
	})
	grade := `{"question_id": "security-csrf", "answer": "A token."}`
	call := func(path, auth, remote, forwarded string) response {
		t.Helper()
		r := request{method: "POST", path: path, body: grade, auth: auth, header: http.Header{}}
		if forwarded != "" {
			r.header.Set("X-Forwarded-For", forwarded)
		}
		return w.doFrom(t, w.open, r, remote)
	}
	const client = "192.0.2.1:1234"
	// Two at once, then the third is refused: grading and follow-ups share one budget.
	for i, path := range []string{"/api/v1/grade", "/api/v1/followups", "/api/v1/followups"} {
		r := call(path, "", client, "")
		if i < 2 && r.code != 200 {
			t.Fatalf("request %d = %d %s", i+1, r.code, r.body)
		}
		if i == 2 && (r.code != 429 || r.errorCode(t) != coach.ERATELIMITED || r.header.Get("Retry-After") != "60" ||
			!strings.Contains(string(r.body), "1 per minute")) {
			t.Errorf("over the limit = %d %v %s", r.code, r.header, r.body)
		}
	}
	// A forged X-Forwarded-For from a client that is not a trusted proxy changes nothing.
	if r := call("/api/v1/grade", "", client, "203.0.113.9"); r.code != 429 {
		t.Errorf("forged X-Forwarded-For = %d %s", r.code, r.body)
	}
	// Other clients, and each key, have budgets of their own; so do clients behind a trusted proxy.
	if r := call("/api/v1/grade", "", "192.0.2.2:1234", ""); r.code != 200 {
		t.Errorf("another address = %d %s", r.code, r.body)
	}
	if r := call("/api/v1/grade", bearer(w.key[coach.RoleInterviewer]), client, ""); r.code != 200 {
		t.Errorf("a key from the limited address = %d %s", r.code, r.body)
	}
	for i := range 3 {
		r := call("/api/v1/grade", "", "198.51.100.7:4000", "203.0.113.10")
		if want := map[bool]int{true: 200, false: 429}[i < 2]; r.code != want {
			t.Errorf("behind the proxy, request %d = %d, want %d", i+1, r.code, want)
		}
	}
	if r := call("/api/v1/grade", "", "198.51.100.7:4000", "203.0.113.11"); r.code != 200 {
		t.Errorf("another client behind the proxy = %d %s", r.code, r.body)
	}
	// Reading is not limited.
	for range 5 {
		if r := w.doFrom(t, w.open, request{method: "GET", path: "/api/v1/topics"}, client); r.code != 200 {
			t.Fatalf("topics = %d", r.code)
		}
	}
}

// doFrom is do from the client address remote.
func (w *world) doFrom(t *testing.T, h http.Handler, r request, remote string) response {
	t.Helper()
	if r.header == nil {
		r.header = http.Header{}
	}
	r.header.Set("X-Test-Remote-Addr", remote)
	return w.do(t, remoteAddr{h}, r)
}

// remoteAddr serves h with the client address of the X-Test-Remote-Addr header.
type remoteAddr struct{ h http.Handler }

func (ra remoteAddr) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if addr := r.Header.Get("X-Test-Remote-Addr"); addr != "" {
		r.RemoteAddr = addr
		r.Header.Del("X-Test-Remote-Addr")
	}
	ra.h.ServeHTTP(w, r)
}

// slowBank is a bank whose topics take as long as the request lets them.
type slowBank struct{ api.Bank }

func (slowBank) Topics(ctx context.Context) ([]coach.Topic, error) {
	<-ctx.Done()
	return nil, ctx.Err()
}

// Questions waits out the request's deadline and fails the way the store does when a deadline
// stops a database call: as the database being unavailable, with the deadline in the chain.
func (slowBank) Questions(ctx context.Context, _ coach.QuestionFilter) ([]coach.Question, string, error) {
	<-ctx.Done()
	return nil, "", fmt.Errorf("%w: %w", coach.Errorf(coach.EUNAVAILABLE, "the database is unavailable; try again shortly"), ctx.Err())
}

func TestTimeouts(t *testing.T) {
	t.Parallel()
	gate := &gatedGrader{release: make(chan struct{})} // never released: grading takes forever
	w := newWorld(t, func(s *api.Server) {
		s.Limits.RequestTimeout = 100 * time.Millisecond
		s.Limits.GradeTimeout = 300 * time.Millisecond
		s.Bank = slowBank{s.Bank}
		g := *s.Grading.(*grading.Service)
		g.Grader = gate
		s.Grading = &g
	})
	start := time.Now()
	r := w.do(t, w.open, request{method: "GET", path: "/api/v1/topics"})
	if r.code != 503 || r.errorCode(t) != "unavailable" || !strings.Contains(string(r.body), "longer than 100ms") {
		t.Errorf("slow topics = %d %s", r.code, r.body)
	}
	if d := time.Since(start); d > 5*time.Second {
		t.Errorf("the request took %s", d)
	}
	// A deadline that runs out in a database call is the request taking too long, not the
	// database being down.
	r = w.do(t, w.open, request{method: "GET", path: "/api/v1/questions"})
	if r.code != 503 || !strings.Contains(string(r.body), "longer than 100ms") || strings.Contains(string(r.body), "database") {
		t.Errorf("questions stopped by the deadline in the database = %d %s", r.code, r.body)
	}
	start = time.Now()
	r = w.do(t, w.open, request{method: "POST", path: "/api/v1/grade", body: `{"question_id": "security-csrf", "answer": "A token."}`})
	if r.code != 503 || !strings.Contains(string(r.body), "longer than 300ms") {
		t.Errorf("slow grading = %d %s", r.code, r.body)
	}
	if d := time.Since(start); d < 300*time.Millisecond {
		t.Errorf("grading was stopped after %s, before its own longer limit", d)
	}
}

func TestSecurityHeaders(t *testing.T) {
	t.Parallel()
	w := newWorld(t, func(s *api.Server) {
		s.UI = fstest.MapFS{"index.html": {Data: []byte("<!doctype html><title>coach</title>")}}
	})
	for _, r := range []request{
		{method: "GET", path: "/"},
		{method: "GET", path: "/api/v1/topics"},
		{method: "GET", path: "/api/v1/nope"},
		{method: "GET", path: "/api/v1/topics", auth: "Bearer nope"},
		{method: "GET", path: "/healthz"},
	} {
		got := w.do(t, w.open, r)
		for name, want := range map[string]string{
			"X-Content-Type-Options":  "nosniff",
			"X-Frame-Options":         "DENY",
			"Referrer-Policy":         "no-referrer",
			"Content-Security-Policy": api.ContentSecurityPolicy,
		} {
			if got.header.Get(name) != want {
				t.Errorf("%s %s (%d): %s = %q, want %q", r.method, r.path, got.code, name, got.header.Get(name), want)
			}
		}
		if got.header.Get("Access-Control-Allow-Origin") != "" {
			t.Errorf("%s: CORS is on by default", r.path)
		}
	}
	for _, directive := range []string{"default-src 'self'", "script-src 'self'", "frame-ancestors 'none'", "base-uri 'none'"} {
		if !strings.Contains(api.ContentSecurityPolicy, directive) {
			t.Errorf("the policy lacks %s", directive)
		}
	}
}

func TestCORS(t *testing.T) {
	t.Parallel()
	const allowed = "https://app.example.org"
	preflight := func(h http.Handler, w *world, origin string) response {
		return w.do(t, h, request{method: "OPTIONS", path: "/api/v1/grade", header: http.Header{
			"Origin": {origin}, "Access-Control-Request-Method": {"POST"},
			"Access-Control-Request-Headers": {"authorization,content-type,x-session-token"},
		}})
	}
	off := newWorld(t, nil)
	if r := preflight(off.open, off, allowed); r.header.Get("Access-Control-Allow-Origin") != "" {
		t.Errorf("CORS off: preflight = %d %v", r.code, r.header)
	}

	on := newWorld(t, func(s *api.Server) { s.Limits.CORSOrigins = []string{allowed} })
	r := preflight(on.open, on, allowed)
	if r.code != 204 || r.header.Get("Access-Control-Allow-Origin") != allowed ||
		!strings.Contains(strings.ToLower(r.header.Get("Access-Control-Allow-Headers")), "x-session-token") ||
		!strings.Contains(r.header.Get("Access-Control-Allow-Methods"), "DELETE") {
		t.Errorf("allowed preflight = %d %v", r.code, r.header)
	}
	if r := preflight(on.open, on, "https://evil.example"); r.header.Get("Access-Control-Allow-Origin") != "" {
		t.Errorf("preflight from another origin = %d %v", r.code, r.header)
	}
	r = on.do(t, on.open, request{method: "GET", path: "/api/v1/topics", header: http.Header{"Origin": {allowed}}})
	if r.code != 200 || r.header.Get("Access-Control-Allow-Origin") != allowed || r.header.Get("Access-Control-Allow-Credentials") != "" {
		t.Errorf("allowed request = %d %v", r.code, r.header)
	}
}
