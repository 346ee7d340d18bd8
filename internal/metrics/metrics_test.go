package metrics_test

import (
	"errors"
	"io"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/interviewcoach/coach/internal/coach"
	"github.com/interviewcoach/coach/internal/metrics"
)

func scrape(t *testing.T, m *metrics.Metrics) string {
	t.Helper()
	rec := httptest.NewRecorder()
	m.Handler().ServeHTTP(rec, httptest.NewRequest("GET", "/metrics", nil))
	if rec.Code != 200 || !strings.HasPrefix(rec.Header().Get("Content-Type"), "text/plain") {
		t.Fatalf("scrape = %d %s", rec.Code, rec.Header().Get("Content-Type"))
	}
	b, _ := io.ReadAll(rec.Body)
	return string(b)
}

func TestSeries(t *testing.T) {
	t.Parallel()
	m := metrics.New()
	m.ObserveRequest("GET", "/api/v1/questions/:id", 404, 3*time.Millisecond)
	m.ObserveGrading(coach.GraderOffline, true, nil, 20*time.Millisecond)
	m.ObserveGrading(coach.GraderLLM, false, coach.Errorf(coach.EUNAVAILABLE, "down"), time.Second)
	m.ObserveGrading(coach.GraderLLM, false, errors.New("boom"), time.Second)
	m.ObserveRetrieval("search", time.Millisecond)
	m.ModelRequest("grade", 2*time.Second, "rate_limited")
	m.ModelRetry("grade", "rate_limited")
	m.ModelError("grade", "timeout")
	m.ModelTokens("grade", 300, 40)
	m.ObserveImport(false, map[string]int{"questions": 3, "duplicates": 0})
	m.ObserveImport(true, nil)
	m.RegisterPool(func() metrics.PoolStats {
		return metrics.PoolStats{Acquired: 2, Idle: 3, Max: 8, Acquires: 11, AcquireWait: 1500 * time.Millisecond}
	})

	out := scrape(t, m)
	for _, want := range []string{
		`coach_http_request_duration_seconds_count{method="GET",route="/api/v1/questions/:id",status="404"} 1`,
		`coach_grading_duration_seconds_count{grader="offline",outcome="ok"} 1`,
		`coach_grading_duration_seconds_count{grader="llm",outcome="unavailable"} 1`,
		`coach_grading_duration_seconds_count{grader="llm",outcome="internal"} 1`,
		`coach_grading_fallbacks_total 1`,
		`coach_retrieval_duration_seconds_count{op="search"} 1`,
		`coach_model_requests_total{op="grade",outcome="rate_limited"} 1`,
		`coach_model_request_duration_seconds_count{op="grade"} 1`,
		`coach_model_retries_total{op="grade",reason="rate_limited"} 1`,
		`coach_model_errors_total{op="grade",reason="timeout"} 1`,
		`coach_model_tokens_total{kind="prompt",op="grade"} 300`,
		`coach_model_tokens_total{kind="completion",op="grade"} 40`,
		`coach_import_documents_total{outcome="ok"} 1`,
		`coach_import_documents_total{outcome="failed"} 1`,
		`coach_import_items_total{kind="questions"} 3`,
		`coach_db_pool_connections{state="acquired"} 2`,
		`coach_db_pool_connections{state="idle"} 3`,
		`coach_db_pool_max_connections 8`,
		`coach_db_pool_acquires_total 11`,
		`coach_db_pool_acquire_wait_seconds_total 1.5`,
		`go_goroutines `,
	} {
		if !strings.Contains(out, want) {
			t.Errorf("scrape lacks %s", want)
		}
	}
	if strings.Contains(out, `kind="duplicates"`) {
		t.Error("a zero count made a series")
	}
}
