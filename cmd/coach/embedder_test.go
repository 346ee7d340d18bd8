package main

import (
	"encoding/json"
	"fmt"
	"hash/fnv"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/interviewcoach/coach/internal/postgres/pgtest"
)

// fakeEmbeddings is an OpenAI-compatible embeddings endpoint: each text becomes a 16-dimensional
// vector hashed from its words, so texts sharing words are close.
func fakeEmbeddings(t *testing.T, calls *atomic.Int32) *httptest.Server {
	t.Helper()
	return httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		calls.Add(1)
		var req struct {
			Model string   `json:"model"`
			Input []string `json:"input"`
		}
		if err := json.NewDecoder(r.Body).Decode(&req); err != nil || r.URL.Path != "/v1/embeddings" || req.Model != "embed-test" {
			t.Errorf("unexpected embeddings request %s: %+v %v", r.URL.Path, req, err)
			http.Error(w, "bad request", http.StatusBadRequest)
			return
		}
		var data []string
		for i, text := range req.Input {
			vec := make([]float32, 16)
			for _, word := range strings.Fields(strings.ToLower(text)) {
				h := fnv.New32a()
				h.Write([]byte(word))
				vec[h.Sum32()%16]++
			}
			vec[0] += 0.01 // never the zero vector
			b, _ := json.Marshal(vec)
			data = append(data, fmt.Sprintf(`{"object":"embedding","index":%d,"embedding":%s}`, i, b))
		}
		w.Header().Set("Content-Type", "application/json")
		fmt.Fprintf(w, `{"object":"list","model":"embed-test","data":[%s],"usage":{"prompt_tokens":1,"total_tokens":1}}`,
			strings.Join(data, ","))
	}))
}

// TestOpenAIEmbedder runs the importer, reindex and grading with COACH_EMBEDDER=openai and no
// dimension set: the model's size is learned from the server before anything is stored.
func TestOpenAIEmbedder(t *testing.T) {
	t.Parallel()
	var calls atomic.Int32
	srv := fakeEmbeddings(t, &calls)
	defer srv.Close()
	_, url := pgtest.NewWithURL(t)
	vars := map[string]string{
		"DATABASE_URL": url, "COACH_EMBEDDER": "openai", "COACH_EMBED_MODEL": "embed-test",
		"OPENAI_API_KEY": "k", "OPENAI_BASE_URL": srv.URL + "/v1", "COACH_GRADER": "offline",
	}
	bank := filepath.Join(t.TempDir(), "bank.yaml")
	if err := os.WriteFile(bank, []byte(`questions:
  - id: orm-lazy
    topic: orm
    question: "Why are QuerySets lazy?"
    answer: "A QuerySet runs no query until it is evaluated, by iteration, slicing or len()."
    key_points: ["A QuerySet runs no query until it is evaluated"]
`), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, _, err := program(t, vars, "", "migrate"); err != nil {
		t.Fatal(err)
	}
	if out, _, err := program(t, vars, "", "ingest", "--json", bank); err != nil || !strings.Contains(out, `"questions": 1`) {
		t.Fatalf("ingest with the openai embedder: %v\n%s", err, out)
	}
	if out, _, err := program(t, vars, "", "reindex"); err != nil || !strings.Contains(out, "embed-test (16 dimensions)") {
		t.Fatalf("reindex: %v %s", err, out)
	}
	out, _, err := program(t, vars, "", "grade", "--question-id", "orm-lazy", "--answer", "It runs no query until evaluated.", "--json")
	if err != nil || !strings.Contains(out, `"kind": "offline"`) {
		t.Fatalf("grade: %v\n%s", err, out)
	}
	if calls.Load() < 3 {
		t.Errorf("the embeddings server saw %d calls", calls.Load())
	}
}
