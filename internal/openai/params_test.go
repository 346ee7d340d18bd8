package openai_test

import (
	"net/http"
	"slices"
	"strings"
	"testing"

	"github.com/interviewcoach/coach/internal/coach"
	"github.com/interviewcoach/coach/internal/openai"
)

const temperatureRefused = "Unsupported value: 'temperature' does not support 1.401298464324817e-45 with this model. Only the default (1) value is supported."

// TestRefusedParameterLearnedOnce: a refused parameter is left out of the request sent again and of
// every later request, at the cost of one refused request for the life of the client.
func TestRefusedParameterLearnedOnce(t *testing.T) {
	t.Parallel()
	f := newFake(t)
	f.anySampling = true
	f.chatSteps = []step{refuseParam("temperature", "unsupported_value", temperatureRefused), replyJSON(validOut())}
	rec := &recorder{}
	cfg := testConfig(t, f)
	cfg.Observer = rec
	c := newClient(t, cfg)
	for range 3 {
		j, err := c.Grade(t.Context(), gradeInput())
		if err != nil {
			t.Fatal(err)
		}
		if j.Call.Temperature != nil || j.Call.Seed == nil {
			t.Errorf("call = %+v: want no temperature and the seed", j.Call)
		}
	}
	reqs := f.chatRequests()
	if len(reqs) != 4 || reqs[0].Temperature == nil {
		t.Fatalf("%d requests, want 4: one refused, then one per grading", len(reqs))
	}
	for i, r := range reqs[1:] {
		if r.Temperature != nil || r.Seed == nil || r.MaxTokens == nil {
			t.Errorf("request %d: temperature %v, seed %v, max_tokens %v", i+1, r.Temperature, r.Seed, r.MaxTokens)
		}
	}
	// The refusal cured by resending is a retry, not a failed call.
	if len(rec.errors) != 0 || !slices.Equal(rec.retries, []string{"grade/rejected"}) {
		t.Errorf("observed %v: want one retry and no error", rec)
	}
}

// TestRefusalNeverLoops: a server that refuses a parameter the request no longer carries (a proxy
// that refuses whatever it is sent) gets one request without it, then the grading fails, naming the
// parameter, as a 502-coded error.
func TestRefusalNeverLoops(t *testing.T) {
	t.Parallel()
	f := newFake(t)
	f.anySampling = true
	f.chatSteps = []step{refuseParam("temperature", "unsupported_value", temperatureRefused)}
	rec := &recorder{}
	cfg := testConfig(t, f)
	cfg.Observer = rec
	c := newClient(t, cfg)
	_, err := c.Grade(t.Context(), gradeInput())
	wantCode(t, err, coach.EUPSTREAM)
	if msg := coach.ErrorMessage(err); msg != "the model refused parameter temperature: "+temperatureRefused {
		t.Errorf("message = %q", msg)
	}
	if n := len(f.chatRequests()); n != 2 {
		t.Errorf("%d requests, want 2", n)
	}
	if !slices.Equal(rec.retries, []string{"grade/rejected"}) || !slices.Equal(rec.errors, []string{"grade/rejected"}) {
		t.Errorf("observed %v: want one retry, then one failed call", rec)
	}
}

// TestReasoningEffortOnlyForReasoningModels: the effort goes to reasoning models, and is dropped when
// refused; standard models never get it.
func TestReasoningEffortOnlyForReasoningModels(t *testing.T) {
	t.Parallel()
	f := newFake(t)
	f.anySampling = true
	f.chatSteps = []step{
		refuseParam("reasoning_effort", "unsupported_value", "Unsupported value: 'reasoning_effort' does not support 'minimal' with this model. Supported values are: 'low', 'medium', and 'high'."),
		replyJSON(validOut()),
	}
	cfg := testConfig(t, f)
	cfg.ChatParams, cfg.ReasoningEffort = openai.ChatParamsReasoning, "minimal"
	if _, err := newClient(t, cfg).Grade(t.Context(), gradeInput()); err != nil {
		t.Fatal(err)
	}
	reqs := f.chatRequests()
	if len(reqs) != 2 || reqs[0].ReasoningEffort == nil || *reqs[0].ReasoningEffort != "minimal" || reqs[1].ReasoningEffort != nil ||
		reqs[1].Temperature != nil || reqs[1].Seed != nil || reqs[1].MaxTokens != nil ||
		reqs[1].MaxCompletionTokens == nil || *reqs[1].MaxCompletionTokens != openai.DefaultMaxTokens+openai.DefaultReasoningBudget {
		t.Errorf("requests = %+v", reqs)
	}

	g := newFake(t)
	g.chatSteps = []step{replyJSON(validOut())}
	cfg = testConfig(t, g)
	cfg.ReasoningEffort = "low" // chatModel is no reasoning model
	if _, err := newClient(t, cfg).Grade(t.Context(), gradeInput()); err != nil {
		t.Fatal(err)
	}
	if r := g.chatRequests()[0]; r.ReasoningEffort != nil || r.MaxCompletionTokens != nil || r.MaxTokens == nil {
		t.Errorf("standard request = %+v", r)
	}
}

// TestTokenLimitRefusedBothWays: a server that refuses both ways of limiting the reply gets none, and
// then its own limit applies.
func TestTokenLimitRefusedBothWays(t *testing.T) {
	t.Parallel()
	f := newFake(t)
	f.chatSteps = []step{
		refuseParam("max_tokens", "unsupported_parameter", "Unsupported parameter: 'max_tokens' is not supported with this model. Use 'max_completion_tokens' instead."),
		refuseParam("max_completion_tokens", "unsupported_parameter", "Unsupported parameter: 'max_completion_tokens' is not supported with this model."),
		replyJSON(validOut()),
	}
	j, err := newClient(t, testConfig(t, f)).Grade(t.Context(), gradeInput())
	if err != nil {
		t.Fatal(err)
	}
	reqs := f.chatRequests()
	if len(reqs) != 3 || reqs[1].MaxCompletionTokens == nil || reqs[2].MaxTokens != nil || reqs[2].MaxCompletionTokens != nil ||
		j.Call.TokenParam != "" || j.Call.Requests != 3 {
		t.Errorf("%d requests, call %+v", len(reqs), j.Call)
	}
}

// TestIsReasoningModel recognises the published families, behind a proxy's provider prefix too.
func TestIsReasoningModel(t *testing.T) {
	t.Parallel()
	for model, want := range map[string]bool{
		"o1": true, "o1-mini": true, "o3-mini-2025-01-31": true, "o4-mini": true, "gpt-5": true, "gpt-5.1": true,
		"gpt-5-mini": true, "openai/o3": true, "GPT-5-nano": true,
		"gpt-4o": false, "gpt-4o-mini": false, "gpt-4.1": false, "llama3.1:8b": false, "qwen2.5:7b": false, "grader-prod": false,
		"omni-moderation": false,
	} {
		if got := openai.IsReasoningModel(model); got != want {
			t.Errorf("IsReasoningModel(%q) = %v, want %v", model, got, want)
		}
	}
}

// TestCutOffLength: a reply cut off twice fails naming the setting; the retry asks for twice the
// limit.
func TestCutOffLength(t *testing.T) {
	t.Parallel()
	f := newFake(t)
	f.chatSteps = []step{func(w http.ResponseWriter, r *http.Request, n int, body any) {
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write([]byte(`{"id":"c","object":"chat.completion","model":"m","choices":[{"index":0,"finish_reason":"length",
			"message":{"role":"assistant","content":"{\"judgements\": [{\"id\": \"K1\", \"sta"}}],
			"usage":{"prompt_tokens":900,"completion_tokens":300,"total_tokens":1200}}`))
	}}
	cfg := testConfig(t, f)
	cfg.MaxTokens = 300
	_, err := newClient(t, cfg).Grade(t.Context(), gradeInput())
	wantCode(t, err, coach.EUPSTREAM)
	if msg := coach.ErrorMessage(err); !strings.Contains(msg, "max_tokens 600") || !strings.Contains(msg, "COACH_LLM_MAX_TOKENS") {
		t.Errorf("message = %q", msg)
	}
	if reqs := f.chatRequests(); len(reqs) != 2 || *reqs[0].MaxTokens != 300 || *reqs[1].MaxTokens != 600 {
		t.Errorf("%d requests", len(reqs))
	}
}
