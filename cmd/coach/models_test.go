package main

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/interviewcoach/coach/internal/openai/openaitest"
	"github.com/interviewcoach/coach/internal/postgres/pgtest"
)

// The tests of this file grade through the HTTP API of the whole program against in-process servers
// that behave as the model providers do (openaitest.Provider), and count the model requests each
// grading takes: one, unless something had to be learned.

// modelWorld is a migrated database with the bundled bank and a provider to grade with.
type modelWorld struct {
	dbURL    string
	provider *openaitest.Provider
	server   *httptest.Server
}

func newModelWorld(t *testing.T, settings openaitest.Settings) *modelWorld {
	t.Helper()
	_, url := pgtest.NewWithURL(t)
	bankReady(t, url)
	settings.APIKey = "k"
	p := &openaitest.Provider{Settings: settings}
	srv := httptest.NewServer(p)
	t.Cleanup(func() {
		srv.Close()
		for _, problem := range p.Problems() {
			t.Errorf("model server: %s", problem)
		}
	})
	return &modelWorld{dbURL: url, provider: p, server: srv}
}

// serve starts the program grading with the world's provider and model, with vars on top of the
// usual settings; base URL and the id of a bank question come back.
func (w *modelWorld) serve(t *testing.T, model string, vars map[string]string) (*served, string) {
	t.Helper()
	all := llmVars(w.dbURL, freeAddr(t), w.server.URL)
	all["COACH_CHAT_MODEL"] = model
	if w.provider.Azure {
		all["COACH_OPENAI_API_TYPE"] = "azure"
		all["OPENAI_BASE_URL"] = w.server.URL
	}
	for k, v := range vars {
		all[k] = v
	}
	s := startServe(t, all)
	return s, questionID(t, s.base)
}

// attempt is the part of a grade response these tests read.
type attempt struct {
	ID       string   `json:"attempt_id"`
	Warnings []string `json:"warnings"`
	Grader   struct {
		Kind           string `json:"kind"`
		Model          string `json:"model"`
		Fallback       bool   `json:"fallback"`
		FallbackReason string `json:"fallback_reason"`
	} `json:"grader"`
	ModelCall *struct {
		ResponseFormat    string   `json:"response_format"`
		Temperature       *float64 `json:"temperature"`
		Seed              *int     `json:"seed"`
		MaxTokens         int      `json:"max_tokens"`
		TokenParam        string   `json:"token_param"`
		ReasoningEffort   string   `json:"reasoning_effort"`
		SystemFingerprint string   `json:"system_fingerprint"`
		Requests          int      `json:"requests"`
	} `json:"model_call"`
	Error *struct {
		Code    string `json:"code"`
		Message string `json:"message"`
	} `json:"error"`
}

// grade posts an answer to question qid and returns the status and the decoded body.
func grade(t *testing.T, s *served, qid string) (int, attempt) {
	t.Helper()
	req, err := http.NewRequest("POST", s.base+"/api/v1/grade", strings.NewReader(gradeBody(qid)))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/json")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var a attempt
	if err := json.NewDecoder(resp.Body).Decode(&a); err != nil {
		t.Fatal(err)
	}
	return resp.StatusCode, a
}

// mustGrade grades and fails the test unless the grade comes back.
func mustGrade(t *testing.T, s *served, qid string) attempt {
	t.Helper()
	code, a := grade(t, s, qid)
	if code != http.StatusOK || a.ModelCall == nil && a.Grader.Kind == "llm" {
		t.Fatalf("grade = %d %+v\n%s", code, a, s.stderr)
	}
	return a
}

// requestsSince returns the model requests after the first n.
func (w *modelWorld) requestsSince(n int) []openaitest.Request {
	return w.provider.Requests()[n:]
}

// logLines counts the log lines of s whose message contains msg and whose text contains every one
// of also.
func logLines(s *served, msg string, also ...string) int {
	n := 0
	for _, line := range strings.Split(s.stderr.String(), "\n") {
		var rec map[string]any
		if json.Unmarshal([]byte(line), &rec) != nil {
			continue
		}
		if m, _ := rec["msg"].(string); !strings.Contains(m, msg) {
			continue
		}
		ok := true
		for _, a := range also {
			ok = ok && strings.Contains(line, a)
		}
		if ok {
			n++
		}
	}
	return n
}

// TestReasoningModel grades with a model named as OpenAI's reasoning models are: the request carries
// no temperature, top_p, seed or max_tokens, but max_completion_tokens with room to reason and the
// configured effort; one request per grading, and the attempt records what was sent.
func TestReasoningModel(t *testing.T) {
	t.Parallel()
	w := newModelWorld(t, openaitest.Settings{Model: "o4-mini-2025-04-16", Reasoning: true, ReasoningTokens: 3000, Fingerprint: "fp_o4"})
	s, qid := w.serve(t, "o4-mini", map[string]string{"COACH_REASONING_EFFORT": "low", "COACH_ADMIN_KEY": testAdminKey})

	for i := range 2 {
		a := mustGrade(t, s, qid)
		reqs := w.requestsSince(i)
		if len(reqs) != 1 {
			t.Fatalf("grading %d took %d model requests, want 1", i+1, len(reqs))
		}
		r := reqs[0]
		if r.Temperature != nil || r.TopP != nil || r.Seed != nil || r.MaxTokens != nil || r.MaxCompletionTokens == nil ||
			*r.MaxCompletionTokens != 4096+25000 || r.ReasoningEffort == nil || *r.ReasoningEffort != "low" || r.Format() != "json_schema" {
			t.Errorf("request = %+v", r)
		}
		c := a.ModelCall
		if a.Grader.Model != "o4-mini-2025-04-16" || c.Temperature != nil || c.Seed != nil || c.TokenParam != "max_completion_tokens" ||
			c.MaxTokens != 29096 || c.ReasoningEffort != "low" || c.ResponseFormat != "json_schema" || c.SystemFingerprint != "fp_o4" ||
			c.Requests != 1 || len(a.Warnings) != 0 {
			t.Errorf("attempt = %+v, model call %+v", a, c)
		}
		// The stored attempt, as an interviewer or admin reads it, says the same.
		code, _, body := callAPI(t, "GET", s.base+"/api/v1/attempts/"+a.ID, testAdminKey, "")
		var stored attempt
		err := json.Unmarshal([]byte(body), &stored)
		if mc := stored.ModelCall; err != nil || code != 200 || mc == nil || *mc != *a.ModelCall {
			t.Errorf("stored attempt = %d %s", code, body)
		}
	}
}

// TestRenamedReasoningDeployment grades with an Azure deployment of a reasoning model under a name of
// its own, which the name does not give away. The first grading learns from the two refusals (three
// requests), logs each once, and every later grading takes one request; COACH_CHAT_PARAMS=reasoning
// needs no learning at all.
func TestRenamedReasoningDeployment(t *testing.T) {
	t.Parallel()
	w := newModelWorld(t, openaitest.Settings{Model: "o3-mini", Reasoning: true, Azure: true, Deployment: "grader-prod", Fingerprint: "fp_az"})
	s, qid := w.serve(t, "grader-prod", nil)

	a := mustGrade(t, s, qid)
	reqs := w.requestsSince(0)
	if len(reqs) != 3 || reqs[0].MaxTokens == nil || reqs[1].MaxCompletionTokens == nil || reqs[1].Temperature == nil ||
		reqs[2].Temperature != nil || reqs[2].MaxTokens != nil || reqs[2].MaxCompletionTokens == nil {
		t.Fatalf("first grading: %d requests %+v; want max_tokens refused, then temperature, then accepted", len(reqs), reqs)
	}
	if c := a.ModelCall; c.Temperature != nil || c.TokenParam != "max_completion_tokens" || c.Requests != 3 || c.SystemFingerprint != "fp_az" {
		t.Errorf("model call = %+v", c)
	}
	for range 2 {
		mustGrade(t, s, qid)
	}
	if n := len(w.requestsSince(3)); n != 2 {
		t.Errorf("two later gradings took %d requests, want 2", n)
	}
	for _, param := range []string{"max_tokens", "temperature"} {
		if n := logLines(s, "refuses a parameter", `"param":"`+param+`"`); n != 1 {
			t.Errorf("%d log lines about %s, want 1\n%s", n, param, s.stderr)
		}
	}

	// Told that it is a reasoning model, the coach asks right the first time.
	s2, _ := w.serve(t, "grader-prod", map[string]string{"COACH_CHAT_PARAMS": "reasoning"})
	before := len(w.provider.Requests())
	a = mustGrade(t, s2, qid)
	if n := len(w.requestsSince(before)); n != 1 || a.ModelCall.Requests != 1 {
		t.Errorf("with COACH_CHAT_PARAMS=reasoning: %d requests, want 1", n)
	}
}

// TestStandardParamsForReasoningName: go-openai refuses temperature and max_tokens for names it knows
// as reasoning models before sending anything. Told to send standard parameters to such a name, the
// coach learns from those refusals as from a server's, and the server sees one acceptable request.
func TestStandardParamsForReasoningName(t *testing.T) {
	t.Parallel()
	w := newModelWorld(t, openaitest.Settings{Model: "gpt-5-mini", Reasoning: true})
	s, qid := w.serve(t, "gpt-5-mini", map[string]string{"COACH_CHAT_PARAMS": "standard"})
	a := mustGrade(t, s, qid)
	reqs := w.requestsSince(0)
	if len(reqs) != 1 || reqs[0].Temperature != nil || reqs[0].MaxTokens != nil || reqs[0].MaxCompletionTokens == nil || reqs[0].Seed == nil {
		t.Fatalf("%d requests %+v; want one with a seed and max_completion_tokens only", len(reqs), reqs)
	}
	if a.ModelCall.Temperature != nil || a.ModelCall.Seed == nil || a.ModelCall.Requests != 1 {
		t.Errorf("model call = %+v", a.ModelCall)
	}
}

// TestRefusalIsNamed: a refusal the coach cannot work around (o1-mini takes no system message)
// reaches the client as a 502 that quotes the provider, after one request; with the offline fallback
// the grade says the model could not be used as configured, never that it was unavailable.
func TestRefusalIsNamed(t *testing.T) {
	t.Parallel()
	w := newModelWorld(t, openaitest.Settings{Model: "o1-mini", Reasoning: true, RefuseSystem: true})
	s, qid := w.serve(t, "o1-mini", nil)

	code, a := grade(t, s, qid)
	want := "the model refused parameter messages[0].role: Unsupported value: 'messages[0].role' does not support 'system' with this model."
	if code != http.StatusBadGateway || a.Error == nil || a.Error.Code != "upstream_error" || a.Error.Message != want {
		t.Errorf("grade = %d %+v, want 502 upstream_error %q", code, a.Error, want)
	}
	if n := len(w.requestsSince(0)); n != 1 {
		t.Errorf("%d requests, want 1: a refusal that leaving a parameter out cannot cure is not sent again", n)
	}

	s2, _ := w.serve(t, "o1-mini", map[string]string{"COACH_FALLBACK": "offline"})
	a = mustGrade(t, s2, qid)
	reason := "the language model could not be used as configured (" + want + ")"
	if a.Grader.Kind != "offline" || !a.Grader.Fallback || a.Grader.FallbackReason != reason || a.ModelCall != nil {
		t.Errorf("grader = %+v, model call %+v; want an offline fallback saying %q", a.Grader, a.ModelCall, reason)
	}
	found := false
	for _, warning := range a.Warnings {
		found = found || strings.HasPrefix(warning, reason)
		if strings.Contains(warning, "unavailable") {
			t.Errorf("warning %q calls a refusal an outage", warning)
		}
	}
	if !found {
		t.Errorf("warnings = %q, want one starting %q", a.Warnings, reason)
	}
}

// TestCutOffReply: a reply stopped at its token limit is asked for once more with twice the limit;
// cut off again, the grading fails saying so and naming the setting to raise.
func TestCutOffReply(t *testing.T) {
	t.Parallel()
	wordy := func(words int) func(string) string {
		return func(user string) string {
			var out map[string]any
			if err := json.Unmarshal([]byte(openaitest.GradingReply(user, openaitest.FirstCovered, "K1")), &out); err != nil {
				panic(err)
			}
			out["feedback"].(map[string]any)["summary"] = strings.Repeat("Covers the first point well. ", words/5)
			b, _ := json.Marshal(out)
			return string(b)
		}
	}
	w := newModelWorld(t, openaitest.Settings{Model: "llama3.1:8b", Reply: wordy(200)})
	s, qid := w.serve(t, "llama3.1:8b", map[string]string{"COACH_LLM_MAX_TOKENS": "256"})

	a := mustGrade(t, s, qid)
	reqs := w.requestsSince(0)
	if len(reqs) != 2 || *reqs[0].MaxTokens != 256 || *reqs[1].MaxTokens != 512 {
		t.Fatalf("%d requests %+v; want 256 tokens cut off, then 512", len(reqs), reqs)
	}
	if c := a.ModelCall; c.MaxTokens != 512 || c.TokenParam != "max_tokens" || c.Requests != 2 {
		t.Errorf("model call = %+v", c)
	}

	w.provider.Set(func(s *openaitest.Settings) { s.Reply = wordy(600) })
	code, a := grade(t, s, qid)
	if code != http.StatusBadGateway || a.Error == nil || a.Error.Code != "upstream_error" ||
		!strings.Contains(a.Error.Message, "cut off at its token limit (max_tokens 512") || !strings.Contains(a.Error.Message, "raise COACH_LLM_MAX_TOKENS") {
		t.Errorf("grade = %d %+v", code, a.Error)
	}
	if n := len(w.requestsSince(2)); n != 2 {
		t.Errorf("%d requests, want 2: one retry, never more", n)
	}
}

// TestFormatFallbackRetried: a server without structured outputs gets JSON mode after one refusal, and
// JSON mode straight away after that; once the retry interval has passed, json_schema is tried again
// and kept when accepted. Each attempt records the format used.
func TestFormatFallbackRetried(t *testing.T) {
	t.Parallel()
	w := newModelWorld(t, openaitest.Settings{Model: "qwen2.5:7b", RefuseSchema: true})
	s, qid := w.serve(t, "qwen2.5:7b", map[string]string{"COACH_LLM_FORMAT_RETRY": "1s"})

	a := mustGrade(t, s, qid)
	reqs := w.requestsSince(0)
	if len(reqs) != 2 || reqs[0].Format() != "json_schema" || reqs[1].Format() != "json_object" || a.ModelCall.ResponseFormat != "json_object" {
		t.Fatalf("first grading: %d requests, recorded %q", len(reqs), a.ModelCall.ResponseFormat)
	}
	a = mustGrade(t, s, qid)
	if reqs := w.requestsSince(2); len(reqs) != 1 || reqs[0].Format() != "json_object" || a.ModelCall.ResponseFormat != "json_object" {
		t.Errorf("second grading: %d requests, recorded %q; want one in JSON mode", len(reqs), a.ModelCall.ResponseFormat)
	}

	w.provider.Set(func(s *openaitest.Settings) { s.RefuseSchema = false }) // the server was upgraded
	time.Sleep(1100 * time.Millisecond)
	for i := range 2 {
		a = mustGrade(t, s, qid)
		if reqs := w.requestsSince(3 + i); len(reqs) != 1 || reqs[0].Format() != "json_schema" || a.ModelCall.ResponseFormat != "json_schema" {
			t.Errorf("grading %d after the interval: %d requests, recorded %q; want one with json_schema", i+3, len(reqs), a.ModelCall.ResponseFormat)
		}
	}
}

// TestOllamaCutPrompt: a server with a context window smaller than the grading prompt (Ollama's
// default) reads only its end and says so only through usage.prompt_tokens; the grade carries a
// warning naming the fix, and the log a line. With a window that fits, no warning.
func TestOllamaCutPrompt(t *testing.T) {
	t.Parallel()
	w := newModelWorld(t, openaitest.Settings{Model: "llama3.1:8b", ContextWindow: 1024})
	s, qid := w.serve(t, "llama3.1:8b", nil)

	a := mustGrade(t, s, qid)
	cut := false
	for _, warning := range a.Warnings {
		cut = cut || strings.Contains(warning, "read only 514 tokens") && strings.Contains(warning, "OLLAMA_CONTEXT_LENGTH")
	}
	if !cut || logLines(s, "read only part of the prompt", "OLLAMA_CONTEXT_LENGTH") != 1 {
		t.Errorf("warnings = %q, want one about the cut prompt naming OLLAMA_CONTEXT_LENGTH, and a log line\n%s", a.Warnings, s.stderr)
	}

	w.provider.Set(func(s *openaitest.Settings) { s.ContextWindow = 8192 })
	a = mustGrade(t, s, qid)
	for _, warning := range a.Warnings {
		if strings.Contains(warning, "OLLAMA_CONTEXT_LENGTH") {
			t.Errorf("warning %q with a window that fits", warning)
		}
	}
	if n := len(w.requestsSince(0)); n != 2 {
		t.Errorf("%d requests, want 1 per grading", n)
	}
}

// TestTimedOutCallSentOnce: a call that runs out of time (a local server loading its model) is sent
// once more, and the grade records both requests.
func TestTimedOutCallSentOnce(t *testing.T) {
	t.Parallel()
	w := newModelWorld(t, openaitest.Settings{Model: "llama3.1:8b", Hang: 1})
	s, qid := w.serve(t, "llama3.1:8b", map[string]string{"COACH_LLM_TIMEOUT": "1s"})
	a := mustGrade(t, s, qid)
	if n := len(w.requestsSince(0)); n != 2 || a.ModelCall.Requests != 2 || a.Grader.Kind != "llm" {
		t.Errorf("%d requests, model call %+v; want 2", n, a.ModelCall)
	}
}
