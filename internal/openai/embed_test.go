package openai_test

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/interviewcoach/coach/internal/coach"
)

// embedReply answers with vectors of dims numbers whose first is the number in "text-N", listed in
// reverse order so that only the index tells which is which.
func embedReply(dims int) step {
	return func(w http.ResponseWriter, _ *http.Request, _ int, body any) {
		req := body.(*embedRequest)
		data := make([]any, 0, len(req.Input))
		for i := len(req.Input) - 1; i >= 0; i-- {
			n, _ := strconv.Atoi(strings.TrimPrefix(req.Input[i], "text-"))
			vec := make([]float32, dims)
			vec[0] = float32(n)
			data = append(data, map[string]any{"object": "embedding", "index": i, "embedding": vec})
		}
		w.Header().Set("Content-Type", "application/json")
		_ = json.NewEncoder(w).Encode(map[string]any{"object": "list", "model": embedModel, "data": data,
			"usage": map[string]any{"prompt_tokens": len(req.Input), "total_tokens": len(req.Input)}})
	}
}

func texts(n int) []string {
	out := make([]string, n)
	for i := range out {
		out[i] = fmt.Sprintf("text-%d", i)
	}
	return out
}

func TestEmbedBatches(t *testing.T) {
	t.Parallel()
	f := newFake(t)
	f.embedSteps = []step{embedReply(512)}
	cfg := testConfig(t, f)
	cfg.EmbedDimensions = 512
	e := newClient(t, cfg).Embedder()

	if e.Model() != embedModel+"@512" || e.Dimensions() != 512 {
		t.Errorf("Model, Dimensions = %q, %d", e.Model(), e.Dimensions())
	}
	vecs, err := e.Embed(t.Context(), texts(150))
	if err != nil {
		t.Fatal(err)
	}
	if len(vecs) != 150 {
		t.Fatalf("%d vectors, want 150", len(vecs))
	}
	for i, v := range vecs {
		if len(v) != 512 || v[0] != float32(i) {
			t.Fatalf("vector %d is that of text %v (length %d)", i, v[0], len(v))
		}
	}
	reqs := f.embedRequests()
	if len(reqs) != 3 || len(reqs[0].Input) != 64 || len(reqs[1].Input) != 64 || len(reqs[2].Input) != 22 {
		t.Fatalf("%d requests, want batches of 64, 64, 22", len(reqs))
	}
	if reqs[0].Dimensions != 512 {
		t.Errorf("dimensions sent = %d, want 512", reqs[0].Dimensions)
	}
}

func TestEmbedNativeDimensions(t *testing.T) {
	t.Parallel()
	f := newFake(t)
	f.embedSteps = []step{embedReply(8)}
	e := newClient(t, testConfig(t, f)).Embedder()

	if e.Model() != embedModel || e.Dimensions() != 0 {
		t.Errorf("before: Model, Dimensions = %q, %d", e.Model(), e.Dimensions())
	}
	if _, err := e.Embed(t.Context(), texts(3)); err != nil {
		t.Fatal(err)
	}
	if e.Dimensions() != 8 || f.embedRequests()[0].Dimensions != 0 {
		t.Errorf("Dimensions = %d, sent %d; want 8 learned, none sent", e.Dimensions(), f.embedRequests()[0].Dimensions)
	}
}

func TestEmbedWrongDimension(t *testing.T) {
	t.Parallel()
	f := newFake(t)
	f.embedSteps = []step{embedReply(256)}
	cfg := testConfig(t, f)
	cfg.EmbedDimensions = 512
	_, err := newClient(t, cfg).Embedder().Embed(t.Context(), texts(2))
	wantCode(t, err, coach.EUNAVAILABLE)
	if !strings.Contains(err.Error(), "256-dimensional vector, want 512") {
		t.Errorf("error = %v", err)
	}
}

func TestEmbedWrongCount(t *testing.T) {
	t.Parallel()
	f := newFake(t)
	f.embedSteps = []step{func(w http.ResponseWriter, r *http.Request, n int, body any) {
		req := body.(*embedRequest)
		req.Input = req.Input[1:] // one vector short
		embedReply(4)(w, r, n, req)
	}}
	_, err := newClient(t, testConfig(t, f)).Embedder().Embed(t.Context(), texts(3))
	wantCode(t, err, coach.EUNAVAILABLE)
}

func TestEmbedRetries429(t *testing.T) {
	t.Parallel()
	f := newFake(t)
	f.embedSteps = []step{fail(http.StatusTooManyRequests, "slow down", "Retry-After-Ms", "20"), embedReply(4)}
	start := time.Now()
	vecs, err := newClient(t, testConfig(t, f)).Embedder().Embed(t.Context(), texts(2))
	if err != nil {
		t.Fatal(err)
	}
	if len(vecs) != 2 || len(f.embedRequests()) != 2 || time.Since(start) < 20*time.Millisecond {
		t.Errorf("%d vectors after %d requests in %s", len(vecs), len(f.embedRequests()), time.Since(start))
	}
}

func TestEmbedEmpty(t *testing.T) {
	t.Parallel()
	f := newFake(t)
	e := newClient(t, testConfig(t, f)).Embedder()
	if vecs, err := e.Embed(t.Context(), nil); err != nil || len(vecs) != 0 {
		t.Errorf("Embed(nil) = %v, %v", vecs, err)
	}
	_, err := e.Embed(t.Context(), []string{"a", " "})
	wantCode(t, err, coach.EINVALID)
	if len(f.embedRequests()) != 0 {
		t.Error("empty input reached the server")
	}
}
