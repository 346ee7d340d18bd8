package openai_test

import (
	"fmt"
	"net/http"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/interviewcoach/coach/internal/coach"
)

// recorder is an openai.Observer that keeps what it is told.
type recorder struct {
	mu       sync.Mutex
	requests []string // op/outcome
	retries  []string // op/reason
	errors   []string // op/reason
	prompt   int
	complete int
}

func (r *recorder) ModelRequest(op string, d time.Duration, outcome string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if d <= 0 {
		outcome += " (no duration)"
	}
	r.requests = append(r.requests, op+"/"+outcome)
}

func (r *recorder) ModelRetry(op, reason string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.retries = append(r.retries, op+"/"+reason)
}

func (r *recorder) ModelError(op, reason string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.errors = append(r.errors, op+"/"+reason)
}

func (r *recorder) ModelTokens(op string, prompt, completion int) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.prompt += prompt
	r.complete += completion
}

func (r *recorder) String() string {
	r.mu.Lock()
	defer r.mu.Unlock()
	return fmt.Sprintf("requests %v retries %v errors %v tokens %d+%d", r.requests, r.retries, r.errors, r.prompt, r.complete)
}

func TestObserver(t *testing.T) {
	t.Parallel()

	t.Run("retried then graded", func(t *testing.T) {
		t.Parallel()
		f := newFake(t)
		f.chatSteps = []step{fail(http.StatusTooManyRequests, "slow down"), fail(http.StatusBadGateway, "boom"), replyJSON(validOut())}
		rec := &recorder{}
		cfg := testConfig(t, f)
		cfg.Observer = rec
		if _, err := newClient(t, cfg).Grade(t.Context(), gradeInput()); err != nil {
			t.Fatal(err)
		}
		if !slices.Equal(rec.requests, []string{"grade/rate_limited", "grade/server_error", "grade/ok"}) ||
			!slices.Equal(rec.retries, []string{"grade/rate_limited", "grade/server_error"}) || len(rec.errors) != 0 ||
			rec.prompt != promptTokens(f.chatRequests()[2]) || rec.complete != 50 {
			t.Errorf("observed %v", rec)
		}
	})

	t.Run("failed for good", func(t *testing.T) {
		t.Parallel()
		f := newFake(t)
		f.chatSteps = []step{fail(http.StatusUnauthorized, "bad key")}
		rec := &recorder{}
		cfg := testConfig(t, f)
		cfg.Observer = rec
		_, err := newClient(t, cfg).Grade(t.Context(), gradeInput())
		wantCode(t, err, coach.EUPSTREAM)
		if !slices.Equal(rec.requests, []string{"grade/rejected"}) || len(rec.retries) != 0 ||
			!slices.Equal(rec.errors, []string{"grade/rejected"}) {
			t.Errorf("observed %v", rec)
		}
	})

	t.Run("unusable output", func(t *testing.T) {
		t.Parallel()
		f := newFake(t)
		f.chatSteps = []step{reply(`{"judgements": [`)}
		rec := &recorder{}
		cfg := testConfig(t, f)
		cfg.Observer = rec
		_, err := newClient(t, cfg).Grade(t.Context(), gradeInput())
		wantCode(t, err, coach.EUNAVAILABLE)
		if !slices.Equal(rec.requests, []string{"grade/ok", "grade/ok"}) || !slices.Equal(rec.errors, []string{"grade/invalid_output"}) {
			t.Errorf("observed %v", rec)
		}
	})

	t.Run("embeddings", func(t *testing.T) {
		t.Parallel()
		f := newFake(t)
		f.embedSteps = []step{embedReply(8)}
		rec := &recorder{}
		cfg := testConfig(t, f)
		cfg.Observer = rec
		if _, err := newClient(t, cfg).Embedder().Embed(t.Context(), texts(3)); err != nil {
			t.Fatal(err)
		}
		if !slices.Equal(rec.requests, []string{"embed/ok"}) {
			t.Errorf("observed %v", rec)
		}
	})

	t.Run("embeddings refused", func(t *testing.T) {
		t.Parallel()
		f := newFake(t)
		f.embedSteps = []step{fail(http.StatusUnauthorized, "bad key")}
		rec := &recorder{}
		cfg := testConfig(t, f)
		cfg.Observer = rec
		_, err := newClient(t, cfg).Embedder().Embed(t.Context(), texts(3))
		wantCode(t, err, coach.EUPSTREAM)
		if !slices.Equal(rec.requests, []string{"embed/rejected"}) || !slices.Equal(rec.errors, []string{"embed/rejected"}) {
			t.Errorf("observed %v", rec)
		}
	})
}
