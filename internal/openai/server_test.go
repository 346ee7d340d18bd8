package openai_test

import (
	"encoding/json"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/interviewcoach/coach/internal/openai"
	"github.com/interviewcoach/coach/internal/openai/openaitest"
)

// fakeLLM is an in-process OpenAI-compatible server. It checks every request it receives and answers
// with the test's steps: the n-th request of a kind gets steps[n], the last step repeating.
type fakeLLM struct {
	t   *testing.T
	srv *httptest.Server

	chatSteps  []step
	embedSteps []step
	// format is the response_format type chat requests must carry; "json_schema" unless changed.
	format atomic.Value
	// azure switches the expected paths and authentication to Azure's.
	azure bool
	// anySampling lets requests leave out temperature and seed, as they do for reasoning models and
	// after a refusal.
	anySampling bool

	mu     sync.Mutex
	chats  []*chatRequest
	embeds []*embedRequest

	inFlight, maxInFlight atomic.Int32
}

// chatRequest is a chat completion request as the fake received it.
type chatRequest = openaitest.Request

type embedRequest struct {
	Model      string   `json:"model"`
	Input      []string `json:"input"`
	Dimensions int      `json:"dimensions"`
}

// step answers one request; n counts the requests of its kind from 0.
type step func(w http.ResponseWriter, r *http.Request, n int, body any)

const (
	chatModel  = "test-chat"
	embedModel = "test-embed"
	apiKey     = "test-key"
	seed       = 42
)

func newFake(t *testing.T) *fakeLLM {
	t.Helper()
	f := &fakeLLM{t: t}
	f.format.Store("json_schema")
	f.srv = httptest.NewServer(http.HandlerFunc(f.serve))
	t.Cleanup(f.srv.Close)
	return f
}

func (f *fakeLLM) serve(w http.ResponseWriter, r *http.Request) {
	t := f.t
	n := f.inFlight.Add(1)
	defer f.inFlight.Add(-1)
	for m := f.maxInFlight.Load(); n > m && !f.maxInFlight.CompareAndSwap(m, n); m = f.maxInFlight.Load() {
	}

	chatPath, embedPath := "/v1/chat/completions", "/v1/embeddings"
	if f.azure {
		chatPath = "/openai/deployments/" + chatModel + "/chat/completions"
		embedPath = "/openai/deployments/" + embedModel + "/embeddings"
		if got := r.Header.Get("api-key"); got != apiKey {
			t.Errorf("api-key header = %q", got)
		}
		if r.URL.Query().Get("api-version") == "" {
			t.Error("Azure request without api-version")
		}
	} else if got := r.Header.Get("Authorization"); got != "Bearer "+apiKey {
		t.Errorf("Authorization = %q", got)
	}
	if r.Method != http.MethodPost {
		t.Errorf("method = %s", r.Method)
	}

	switch r.URL.Path {
	case chatPath:
		var req chatRequest
		if err := json.NewDecoder(r.Body).Decode(&req); err != nil {
			t.Errorf("decode chat request: %v", err)
		}
		f.checkChat(&req)
		f.mu.Lock()
		n := len(f.chats)
		f.chats = append(f.chats, &req)
		f.mu.Unlock()
		f.chatSteps[min(n, len(f.chatSteps)-1)](w, r, n, &req)
	case embedPath:
		var req embedRequest
		if err := json.NewDecoder(r.Body).Decode(&req); err != nil {
			t.Errorf("decode embed request: %v", err)
		}
		if req.Model != embedModel {
			t.Errorf("embed model = %q", req.Model)
		}
		f.mu.Lock()
		n := len(f.embeds)
		f.embeds = append(f.embeds, &req)
		f.mu.Unlock()
		f.embedSteps[min(n, len(f.embedSteps)-1)](w, r, n, &req)
	default:
		t.Errorf("unexpected request %s %s", r.Method, r.URL.Path)
		http.NotFound(w, r)
	}
}

var boundaryTag = regexp.MustCompile(`<(answer-[0-9a-f]{16})>`)

// checkChat checks what every chat request must carry and, for grading, that the answer is fenced.
func (f *fakeLLM) checkChat(req *chatRequest) {
	t := f.t
	if req.Model != chatModel {
		t.Errorf("model = %q", req.Model)
	}
	if !f.anySampling && (req.Temperature == nil || *req.Temperature > 1e-6) {
		t.Errorf("temperature = %v, want 0", req.Temperature)
	}
	if !f.anySampling && (req.Seed == nil || *req.Seed != seed) {
		t.Errorf("seed = %v, want %d", req.Seed, seed)
	}
	switch want := f.format.Load().(string); {
	case want == "none":
		if req.ResponseFormat != nil {
			t.Errorf("response_format = %+v, want none", req.ResponseFormat)
		}
	case req.ResponseFormat == nil || req.ResponseFormat.Type != want:
		t.Errorf("response_format = %+v, want type %s", req.ResponseFormat, want)
	case want == "json_schema":
		js := req.ResponseFormat.JSONSchema
		var sch struct {
			AdditionalProperties *bool `json:"additionalProperties"`
		}
		if js == nil || !js.Strict || js.Name == "" || json.Unmarshal(js.Schema, &sch) != nil ||
			sch.AdditionalProperties == nil || *sch.AdditionalProperties {
			t.Errorf("json_schema = %+v, want a named strict schema", js)
		}
	}
	if len(req.Messages) < 2 || req.Messages[0].Role != "system" || req.Messages[1].Role != "user" {
		t.Errorf("messages do not start with system, user: %+v", req.Messages)
		return
	}
	if !strings.Contains(req.Messages[0].Content, "<answer-") {
		return // not a grading request
	}

	user := req.Messages[1].Content
	m := boundaryTag.FindStringSubmatch(user)
	if m == nil {
		t.Errorf("no boundary tag in the user message:\n%s", user)
		return
	}
	open, closing := "<"+m[1]+">", "</"+m[1]+">"
	if !strings.Contains(req.Messages[0].Content, open) {
		t.Error("system message does not name the boundary of this call")
	}
	start, end := strings.Index(user, open), strings.Index(user, closing)
	if strings.Count(user, open) != 1 || strings.Count(user, closing) != 1 || end < start {
		t.Errorf("answer not fenced exactly once by %s", open)
		return
	}
	fenced := user[start+len(open) : end]
	if !strings.Contains(fenced, injection) {
		t.Errorf("the answer is not inside the fence: %q", fenced)
	}
	for i, msg := range req.Messages {
		if msg.Role == "assistant" {
			continue // the model's own output, sent back for repair
		}
		want := 0
		if i == 1 {
			want = 1
		}
		if got := strings.Count(msg.Content, injection); got != want {
			t.Errorf("messages[%d] holds the answer's injection %d times, want %d", i, got, want)
		}
	}
}

func (f *fakeLLM) chatRequests() []*chatRequest {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]*chatRequest(nil), f.chats...)
}

func (f *fakeLLM) embedRequests() []*embedRequest {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]*embedRequest(nil), f.embeds...)
}

// reply answers with content as the assistant's message, counting the prompt's tokens as a server
// would (promptTokens) and 50 completion tokens.
func reply(content string) step {
	return func(w http.ResponseWriter, _ *http.Request, n int, body any) {
		prompt := 0
		if req, ok := body.(*chatRequest); ok {
			prompt = promptTokens(req)
		}
		w.Header().Set("Content-Type", "application/json")
		_ = json.NewEncoder(w).Encode(map[string]any{
			"id":                 fmt.Sprintf("chatcmpl-%d", n),
			"object":             "chat.completion",
			"model":              chatModel + "-2025",
			"system_fingerprint": "fp_test",
			"choices":            []any{map[string]any{"index": 0, "finish_reason": "stop", "message": map[string]any{"role": "assistant", "content": content}}},
			"usage":              map[string]any{"prompt_tokens": prompt, "completion_tokens": 50, "total_tokens": prompt + 50},
		})
	}
}

// promptTokens counts the tokens of req's prompt about as OpenAI's tokenizers do for English: four
// characters a token, and a few for each message's framing.
func promptTokens(req *chatRequest) int {
	n := 3
	for _, m := range req.Messages {
		n += 4 + (len(m.Content)+3)/4
	}
	return n
}

// replyJSON answers with v, marshalled, as the assistant's message.
func replyJSON(v any) step {
	return reply(mustJSON(v))
}

func mustJSON(v any) string {
	b, err := json.Marshal(v)
	if err != nil {
		panic(err)
	}
	return string(b)
}

// fail answers with an OpenAI error body and status, setting header pairs first.
func fail(status int, message string, header ...string) step {
	return func(w http.ResponseWriter, _ *http.Request, _ int, _ any) {
		for i := 0; i+1 < len(header); i += 2 {
			w.Header().Set(header[i], header[i+1])
		}
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(status)
		_ = json.NewEncoder(w).Encode(map[string]any{"error": map[string]any{
			"message": message, "type": "invalid_request_error", "param": nil, "code": nil,
		}})
	}
}

// refuseParam answers as OpenAI refuses a parameter a model does not take.
func refuseParam(param, code, message string) step {
	return func(w http.ResponseWriter, _ *http.Request, _ int, _ any) {
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusBadRequest)
		_ = json.NewEncoder(w).Encode(map[string]any{"error": map[string]any{
			"message": message, "type": "invalid_request_error", "param": param, "code": code,
		}})
	}
}

// hang answers nothing until the client gives up.
func hang() step {
	return func(_ http.ResponseWriter, r *http.Request, _ int, _ any) {
		<-r.Context().Done()
	}
}

// slow runs next after d, to keep requests in flight together.
func slow(d time.Duration, next step) step {
	return func(w http.ResponseWriter, r *http.Request, n int, body any) {
		time.Sleep(d)
		next(w, r, n, body)
	}
}

// testConfig returns a config for f with fast retries, logging to the test.
func testConfig(t *testing.T, f *fakeLLM) openai.Config {
	return openai.Config{
		BaseURL:       f.srv.URL + "/v1",
		APIKey:        apiKey,
		ChatModel:     chatModel,
		EmbedModel:    embedModel,
		Timeout:       5 * time.Second,
		MaxRetries:    2,
		MaxConcurrent: 4,
		Seed:          seed,
		BackoffBase:   time.Millisecond,
		BackoffMax:    5 * time.Millisecond,
		Logger:        slog.New(slog.NewTextHandler(testWriter{t}, &slog.HandlerOptions{Level: slog.LevelDebug})),
	}
}

func newClient(t *testing.T, cfg openai.Config) *openai.Client {
	t.Helper()
	c, err := openai.New(cfg, nil)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// testWriter sends log lines to the test's log, shown when it fails or with -v.
type testWriter struct{ t *testing.T }

func (w testWriter) Write(p []byte) (int, error) {
	w.t.Log(strings.TrimSpace(string(p)))
	return len(p), nil
}
