package openaitest

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"slices"
	"strconv"
	"sync"
	"testing"
	"time"
)

// Start serves a Provider with settings s until t ends and returns it with its API root (the
// BaseURL of a client).
func Start(t testing.TB, s Settings) (*Provider, string) {
	t.Helper()
	p := &Provider{Settings: s}
	srv := httptest.NewServer(p)
	t.Cleanup(srv.Close)
	return p, srv.URL + "/v1"
}

// Provider is an in-process chat completions server that behaves as the providers do, as their
// documentation and the error bodies users report show them: OpenAI's reasoning models refuse
// sampling parameters and max_tokens with a 400 naming the parameter, strict structured outputs refuse
// a schema that is not strict, Azure OpenAI serves deployments under their own names, and Ollama
// silently cuts a prompt longer than its context window to half the window and reports the tokens it
// kept. Replies that need more tokens than the request allows stop with finish_reason "length".
//
// Set its Settings before the first request; Set changes them later, under its lock.
type Provider struct {
	Settings

	mu       sync.Mutex
	requests []Request
	problems []string
}

// Settings are how a Provider behaves.
type Settings struct {
	// Model is the model the server says it used, such as "o4-mini-2025-04-16".
	Model string
	// Reasoning makes the server answer as OpenAI's reasoning models (o1, o3, o4-mini, gpt-5) do: a
	// 400 for max_tokens, a temperature or top_p other than 1, and reasoning tokens spent before the
	// reply within max_completion_tokens. A standard model refuses reasoning_effort instead.
	Reasoning bool
	// ReasoningTokens is what a reasoning model spends thinking before it writes.
	ReasoningTokens int
	// RefuseSystem refuses system messages, as o1-mini and o1-preview did.
	RefuseSystem bool
	// RefuseSchema refuses response_format json_schema, as servers without structured outputs (older
	// vLLM, Azure API versions before 2024-08-01) do.
	RefuseSchema bool
	// ContextWindow, when set, is an Ollama-like context window in tokens: a longer prompt is cut to
	// its last half-window, without an error, and usage.prompt_tokens counts what was kept.
	ContextWindow int
	// Azure serves Azure OpenAI's paths: /openai/deployments/{Deployment}/chat/completions with an
	// api-version query and the key in the api-key header.
	Azure      bool
	Deployment string
	// APIKey, when set, must come with every request.
	APIKey string
	// Fingerprint is the system_fingerprint of every reply.
	Fingerprint string
	// Hang makes the first Hang requests wait until the client gives up.
	Hang int
	// Reply writes the model's answer to a grading prompt's user message; nil means GradingReply
	// with FirstCovered and a follow-up aimed at K1.
	Reply func(user string) string
}

// Message is one chat message of a Request.
type Message struct {
	Role    string `json:"role"`
	Content string `json:"content"`
}

// Request is a chat completion request as the server received it. Absent parameters are nil.
type Request struct {
	Path                string    `json:"-"`
	Model               string    `json:"model"`
	Messages            []Message `json:"messages"`
	Temperature         *float64  `json:"temperature"`
	TopP                *float64  `json:"top_p"`
	Seed                *int      `json:"seed"`
	MaxTokens           *int      `json:"max_tokens"`
	MaxCompletionTokens *int      `json:"max_completion_tokens"`
	ReasoningEffort     *string   `json:"reasoning_effort"`
	ResponseFormat      *struct {
		Type       string `json:"type"`
		JSONSchema *struct {
			Name   string          `json:"name"`
			Strict bool            `json:"strict"`
			Schema json.RawMessage `json:"schema"`
		} `json:"json_schema"`
	} `json:"response_format"`
}

// Format returns the response_format type of r, or "none".
func (r Request) Format() string {
	if r.ResponseFormat == nil {
		return "none"
	}
	return r.ResponseFormat.Type
}

// Set changes p's settings while it serves.
func (p *Provider) Set(change func(s *Settings)) {
	p.mu.Lock()
	defer p.mu.Unlock()
	change(&p.Settings)
}

// Requests returns the chat requests received so far, refused ones included.
func (p *Provider) Requests() []Request {
	p.mu.Lock()
	defer p.mu.Unlock()
	return slices.Clone(p.requests)
}

// Problems returns what the server found wrong with requests in ways no provider would answer, such
// as a missing key: a test fails on any.
func (p *Provider) Problems() []string {
	p.mu.Lock()
	defer p.mu.Unlock()
	return slices.Clone(p.problems)
}

// CountTokens counts the tokens of s about as OpenAI's tokenizers do for English: four characters a
// token.
func CountTokens(s string) int {
	return (len(s) + 3) / 4
}

// ServeHTTP implements http.Handler.
func (p *Provider) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	p.mu.Lock()
	cfg := p.Settings // a snapshot; the lock is not held while answering
	p.mu.Unlock()

	path := "/v1/chat/completions"
	if cfg.Azure {
		path = "/openai/deployments/" + cfg.Deployment + "/chat/completions"
	}
	if r.Method != http.MethodPost || r.URL.Path != path {
		p.problem("unexpected request %s %s", r.Method, r.URL.Path)
		// Both answer an unknown deployment or path with a 404 in their error format.
		writeError(w, http.StatusNotFound, "The API deployment for this resource does not exist.", "invalid_request_error", nil, "DeploymentNotFound")
		return
	}
	switch {
	case cfg.Azure && (r.Header.Get("api-key") != cfg.APIKey || r.URL.Query().Get("api-version") == ""):
		p.problem("Azure request without its key or api-version")
		writeError(w, http.StatusUnauthorized, "Access denied due to invalid subscription key or wrong API endpoint.", "", nil, "401")
		return
	case !cfg.Azure && cfg.APIKey != "" && r.Header.Get("Authorization") != "Bearer "+cfg.APIKey:
		p.problem("request without the key")
		writeError(w, http.StatusUnauthorized, "Incorrect API key provided.", "invalid_request_error", nil, "invalid_api_key")
		return
	}
	var req Request
	if err := json.NewDecoder(r.Body).Decode(&req); err != nil {
		p.problem("request body: %v", err)
		writeError(w, http.StatusBadRequest, "We could not parse the JSON body of your request.", "invalid_request_error", nil, nil)
		return
	}
	req.Path = r.URL.Path
	p.mu.Lock()
	n := len(p.requests)
	p.requests = append(p.requests, req)
	p.mu.Unlock()
	if n < cfg.Hang {
		<-r.Context().Done()
		return
	}
	if len(req.Messages) < 2 {
		p.problem("%d messages", len(req.Messages))
	}

	if refusal := cfg.refuse(&req); refusal != nil {
		writeError(w, http.StatusBadRequest, refusal.message, "invalid_request_error", refusal.param, refusal.code)
		return
	}

	// The prompt as the model reads it.
	prompt := 3
	for _, m := range req.Messages {
		prompt += 4 + CountTokens(m.Content)
	}
	if cfg.ContextWindow > 0 && prompt > cfg.ContextWindow {
		// Ollama keeps the last half-window of a prompt that does not fit, and says nothing.
		prompt = cfg.ContextWindow/2 + 2
	}
	user := ""
	if len(req.Messages) > 1 {
		user = req.Messages[1].Content
	}
	content := ""
	if cfg.Reply != nil {
		content = cfg.Reply(user)
	} else {
		content = GradingReply(user, FirstCovered, "K1")
	}

	// The reply stops where the token limit says.
	thinking := 0
	if cfg.Reasoning {
		thinking = cfg.ReasoningTokens
	}
	finish, completion := "stop", thinking+CountTokens(content)
	limit := 0
	switch {
	case req.MaxCompletionTokens != nil:
		limit = *req.MaxCompletionTokens
	case req.MaxTokens != nil:
		limit = *req.MaxTokens
	}
	if limit > 0 && completion > limit {
		finish, completion = "length", limit
		content = content[:min(len(content), max(0, limit-thinking)*4)]
	}

	w.Header().Set("Content-Type", "application/json")
	usage := map[string]any{"prompt_tokens": prompt, "completion_tokens": completion, "total_tokens": prompt + completion}
	if cfg.Reasoning {
		usage["completion_tokens_details"] = map[string]any{"reasoning_tokens": thinking}
	}
	_ = json.NewEncoder(w).Encode(map[string]any{
		"id":                 "chatcmpl-" + strconv.Itoa(n),
		"object":             "chat.completion",
		"created":            time.Now().Unix(),
		"model":              cfg.Model,
		"system_fingerprint": cfg.Fingerprint,
		"choices": []any{map[string]any{
			"index": 0, "finish_reason": finish,
			"message": map[string]any{"role": "assistant", "content": content, "refusal": nil},
		}},
		"usage": usage,
	})
}

type refusal struct {
	message string
	param   any
	code    any
}

// refuse returns the 400 the provider answers req with, or nil. The messages are the providers' own.
func (p *Settings) refuse(req *Request) *refusal {
	if p.Reasoning {
		if req.MaxTokens != nil {
			return &refusal{"Unsupported parameter: 'max_tokens' is not supported with this model. Use 'max_completion_tokens' instead.",
				"max_tokens", "unsupported_parameter"}
		}
		if req.Temperature != nil && *req.Temperature != 1 {
			return &refusal{fmt.Sprintf("Unsupported value: 'temperature' does not support %s with this model. Only the default (1) value is supported.",
				strconv.FormatFloat(*req.Temperature, 'g', -1, 64)), "temperature", "unsupported_value"}
		}
		if req.TopP != nil && *req.TopP != 1 {
			return &refusal{fmt.Sprintf("Unsupported value: 'top_p' does not support %s with this model. Only the default (1) value is supported.",
				strconv.FormatFloat(*req.TopP, 'g', -1, 64)), "top_p", "unsupported_value"}
		}
	} else if req.ReasoningEffort != nil {
		return &refusal{"Unsupported parameter: 'reasoning_effort' is not supported with this model.", "reasoning_effort", "unsupported_parameter"}
	}
	if p.RefuseSystem {
		for i, m := range req.Messages {
			if m.Role == "system" {
				return &refusal{"Unsupported value: 'messages[" + strconv.Itoa(i) + "].role' does not support 'system' with this model.",
					"messages[" + strconv.Itoa(i) + "].role", "unsupported_value"}
			}
		}
	}
	if rf := req.ResponseFormat; rf != nil && rf.Type == "json_schema" {
		if p.RefuseSchema {
			return &refusal{"Invalid parameter: 'response_format' of type 'json_schema' is not supported with this model.", "response_format", nil}
		}
		if rf.JSONSchema == nil || rf.JSONSchema.Name == "" {
			return &refusal{"Missing required parameter: 'response_format.json_schema'.", "response_format.json_schema", "missing_required_parameter"}
		}
		if rf.JSONSchema.Strict {
			if msg := StrictSchemaProblem(rf.JSONSchema.Name, rf.JSONSchema.Schema); msg != "" {
				return &refusal{msg, "response_format", nil}
			}
		}
	}
	return nil
}

func (p *Provider) problem(format string, args ...any) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.problems = append(p.problems, fmt.Sprintf(format, args...))
}

// writeError writes an error body in OpenAI's format.
func writeError(w http.ResponseWriter, status int, message, typ string, param, code any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(map[string]any{"error": map[string]any{
		"message": message, "type": typ, "param": param, "code": code,
	}})
}
