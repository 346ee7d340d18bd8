package openai

import (
	"errors"
	"fmt"
	"math"
	"net/http"
	"regexp"
	"strings"
	"sync"
	"time"

	goopenai "github.com/sashabaranov/go-openai"

	"github.com/interviewcoach/coach/internal/coach"
)

// Parameter styles of Config.ChatParams.
const (
	// ChatParamsAuto tells reasoning models from their published names (IsReasoningModel).
	ChatParamsAuto = "auto"
	// ChatParamsReasoning sends what reasoning models accept: no temperature, top_p or seed, and
	// max_completion_tokens. For deployments and proxies that rename a reasoning model.
	ChatParamsReasoning = "reasoning"
	// ChatParamsStandard sends temperature 0, a seed and max_tokens.
	ChatParamsStandard = "standard"
)

// Request parameters the client sends and can do without, named as in the API and its errors.
const (
	paramTemperature         = "temperature"
	paramSeed                = "seed"
	paramMaxTokens           = "max_tokens"
	paramMaxCompletionTokens = "max_completion_tokens"
	paramReasoningEffort     = "reasoning_effort"
)

// reasoningPrefixes are the names of OpenAI's reasoning model families: o1, o3, o4-mini, gpt-5 and its
// point releases. go-openai's own validator refuses sampling parameters and max_tokens for the same
// prefixes before anything is sent.
var reasoningPrefixes = []string{"o1", "o3", "o4", "gpt-5"}

// IsReasoningModel reports whether model names a reasoning model family by its published prefix,
// ignoring a provider prefix such as "openai/" that proxies put before it.
func IsReasoningModel(model string) bool {
	m := strings.ToLower(strings.TrimSpace(model))
	if i := strings.LastIndexByte(m, '/'); i >= 0 {
		m = m[i+1:]
	}
	for _, p := range reasoningPrefixes {
		if strings.HasPrefix(m, p) {
			return true
		}
	}
	return false
}

// modelState is what the client has learned about one model from its server's refusals. It lives as
// long as the process: a restart asks again, which costs one refused request per parameter.
type modelState struct {
	mu sync.Mutex
	// refused holds the parameters the model refused.
	refused map[string]bool
	// format is the richest response format the model accepted when it was last refused one, and
	// formatRetry when the richer ones are tried again: servers gain structured outputs on upgrade,
	// and a refusal may have been a passing fault.
	format      int
	formatRetry time.Time
}

// model returns the state of model, made on first use.
func (c *Client) model(name string) *modelState {
	c.modelsMu.Lock()
	defer c.modelsMu.Unlock()
	st, ok := c.models[name]
	if !ok {
		st = &modelState{refused: map[string]bool{}}
		c.models[name] = st
	}
	return st
}

// plan is the parameters of one chat request.
type plan struct {
	format      int
	temperature bool
	seed        bool
	tokenParam  string // paramMaxTokens, paramMaxCompletionTokens or "" for none
	maxTokens   int
	effort      string
}

// plan decides the parameters of the next request to st's model, asking for at most maxTokens of
// completion (for reasoning models, that on top of their reasoning budget).
func (c *Client) plan(st *modelState, now time.Time, maxTokens int) plan {
	st.mu.Lock()
	defer st.mu.Unlock()
	reasoning := c.cfg.ChatParams == ChatParamsReasoning ||
		(c.cfg.ChatParams == ChatParamsAuto && IsReasoningModel(c.cfg.ChatModel))
	p := plan{format: st.format, maxTokens: maxTokens}
	if p.format != formatSchema && !now.Before(st.formatRetry) {
		p.format = formatSchema
	}
	if reasoning {
		// Reasoning tokens count against max_completion_tokens; without room for them the visible
		// reply is cut off, or never starts.
		p.maxTokens += c.cfg.ReasoningBudget
		p.tokenParam = paramMaxCompletionTokens
		if c.cfg.ReasoningEffort != "" && !st.refused[paramReasoningEffort] {
			p.effort = c.cfg.ReasoningEffort
		}
	} else {
		p.temperature = !st.refused[paramTemperature]
		p.seed = !st.refused[paramSeed]
		p.tokenParam = paramMaxTokens
	}
	// A refused way of sending the limit gives way to the other, then to none: the server's own.
	if st.refused[p.tokenParam] {
		p.tokenParam = map[string]string{paramMaxTokens: paramMaxCompletionTokens, paramMaxCompletionTokens: paramMaxTokens}[p.tokenParam]
		if st.refused[p.tokenParam] {
			p.tokenParam = ""
		}
	}
	return p
}

// sends reports whether the request of p carries param.
func (p plan) sends(param string) bool {
	switch param {
	case paramTemperature:
		return p.temperature
	case paramSeed:
		return p.seed
	case paramMaxTokens, paramMaxCompletionTokens:
		return p.tokenParam == param
	case paramReasoningEffort:
		return p.effort != ""
	}
	return false
}

// greedy is the temperature sent to standard models: go-openai omits a zero temperature and servers
// then default to about 1; the smallest positive float32 is go-openai's documented way to ask for
// greedy decoding.
const greedy = math.SmallestNonzeroFloat32

// request returns the chat request of p.
func (c *Client) request(p plan, sch schema, msgs []goopenai.ChatCompletionMessage) goopenai.ChatCompletionRequest {
	req := goopenai.ChatCompletionRequest{Model: c.cfg.ChatModel, Messages: msgs, ReasoningEffort: p.effort}
	if p.temperature {
		req.Temperature = greedy
	}
	if p.seed {
		seed := c.cfg.Seed
		req.Seed = &seed
	}
	switch p.tokenParam {
	case paramMaxTokens:
		req.MaxTokens = p.maxTokens
	case paramMaxCompletionTokens:
		req.MaxCompletionTokens = p.maxTokens
	}
	switch p.format {
	case formatSchema:
		req.ResponseFormat = &goopenai.ChatCompletionResponseFormat{
			Type:       goopenai.ChatCompletionResponseFormatTypeJSONSchema,
			JSONSchema: &goopenai.ChatCompletionResponseFormatJSONSchema{Name: sch.name, Schema: sch.json, Strict: true},
		}
	case formatJSON:
		req.ResponseFormat = &goopenai.ChatCompletionResponseFormat{Type: goopenai.ChatCompletionResponseFormatTypeJSONObject}
	}
	return req
}

// audit returns the record of a request made with p.
func (c *Client) audit(p plan, fingerprint string, requests int) *coach.ModelCall {
	call := &coach.ModelCall{
		ResponseFormat:    formatNames[p.format],
		ReasoningEffort:   p.effort,
		SystemFingerprint: fingerprint,
		Requests:          requests,
	}
	if p.temperature {
		t := float64(float32(greedy))
		call.Temperature = &t
	}
	if p.seed {
		seed := c.cfg.Seed
		call.Seed = &seed
	}
	if p.tokenParam != "" {
		call.MaxTokens, call.TokenParam = p.maxTokens, p.tokenParam
	}
	return call
}

// refuse records that st's model refused param, which the request of p carried. It reports whether
// the request may be sent again without it (false when p did not carry param: sending again would
// change nothing) and whether this is the first time the refusal is learned, to log it once.
func (st *modelState) refuse(p plan, param string) (retry, learned bool) {
	if !p.sends(param) {
		return false, false
	}
	st.mu.Lock()
	defer st.mu.Unlock()
	learned = !st.refused[param]
	st.refused[param] = true
	return true, learned
}

// degradeFormat records that st's model refused response format f, and that the richer formats are
// tried again at retry. It reports whether the refusal is news, to log it once.
func (st *modelState) degradeFormat(f int, retry time.Time) (learned bool) {
	st.mu.Lock()
	defer st.mu.Unlock()
	learned = st.format <= f
	st.format = max(st.format, f+1)
	st.formatRetry = retry
	return learned
}

// acceptFormat records that st's model answered a request in format f, which may be richer than the
// one it was known to accept.
func (st *modelState) acceptFormat(f int) (upgraded bool) {
	st.mu.Lock()
	defer st.mu.Unlock()
	if f < st.format {
		st.format = f
		return true
	}
	return false
}

// unsupported finds the parameter a provider's message names when its error body has no "param":
// "Unsupported parameter: 'max_tokens' is not ...", "Unsupported value: 'temperature' does not ...",
// or Azure's answer to a parameter its API version does not know, "Unrecognized request argument
// supplied: reasoning_effort".
var unsupported = regexp.MustCompile(`(?i)(?:unsupported (?:parameter|value)s?:?|unrecognized request arguments? supplied:)\s*'?"?([a-z_]+)`)

// refusal is a provider's refusal of a request parameter.
type refusal struct {
	param   string
	message string
}

// refusedParam reports the parameter err says the model refuses: a 400 with error.param and code
// unsupported_parameter or unsupported_value, as OpenAI and Azure OpenAI answer, or one of go-openai's
// own checks, which refuse sampling parameters and max_tokens for reasoning model names before
// sending anything.
func refusedParam(err error) (refusal, bool) {
	switch {
	case errors.Is(err, goopenai.ErrReasoningModelLimitationsOther), errors.Is(err, goopenai.ErrReasoningSamplingUnsupported):
		return refusal{paramTemperature, "go-openai refuses it for this model name: " + err.Error()}, true
	case errors.Is(err, goopenai.ErrReasoningModelMaxTokensDeprecated):
		return refusal{paramMaxTokens, "go-openai refuses it for this model name: " + err.Error()}, true
	case errors.Is(err, goopenai.ErrReasoningEffortUnsupported):
		return refusal{paramReasoningEffort, "go-openai refuses it for this model name: " + err.Error()}, true
	}
	var apiErr *goopenai.APIError
	if !errors.As(err, &apiErr) || (apiErr.HTTPStatusCode != http.StatusBadRequest && apiErr.HTTPStatusCode != http.StatusUnprocessableEntity) {
		return refusal{}, false
	}
	code, _ := apiErr.Code.(string)
	param := ""
	if apiErr.Param != nil {
		param = *apiErr.Param
	}
	if param == "" {
		if m := unsupported.FindStringSubmatch(apiErr.Message); m != nil {
			param = m[1]
		}
	} else if code != "unsupported_parameter" && code != "unsupported_value" && code != "invalid_value" &&
		unsupported.FindStringSubmatch(apiErr.Message) == nil {
		return refusal{}, false
	}
	if param == "" {
		return refusal{}, false
	}
	return refusal{param: strings.ToLower(param), message: apiErr.Message}, true
}

// localRefusal reports whether err is go-openai refusing a request before sending it.
func localRefusal(err error) bool {
	return errors.Is(err, goopenai.ErrReasoningModelLimitationsOther) || errors.Is(err, goopenai.ErrReasoningSamplingUnsupported) ||
		errors.Is(err, goopenai.ErrReasoningModelMaxTokensDeprecated) || errors.Is(err, goopenai.ErrReasoningEffortUnsupported)
}

// refusalReason returns the failure reason of err when it is a refusal, which call leaves to its
// caller to report: a status the server refused the request with (not one worth retrying as it
// is), or go-openai refusing it before sending. A caller that cures it by resending without what
// was refused reports a retry; one that gives up, an error.
func refusalReason(err error) (string, bool) {
	if localRefusal(err) {
		return outcomeRejected, true
	}
	status := statusCode(err)
	if status == 0 || retryable(status, err) {
		return "", false
	}
	return outcomeOf(status, err), true
}

// refusedError is the error of a request the model refused, for the API client and the operator: a
// configuration to change, not an outage.
func refusedError(cause error, format string, args ...any) error {
	return fmt.Errorf("%w: %w", coach.Errorf(coach.EUPSTREAM, format, args...), cause)
}

// providerMessage returns the message of a provider's error, shortened for a one-line error.
func providerMessage(err error) string {
	var apiErr *goopenai.APIError
	var reqErr *goopenai.RequestError
	msg := ""
	switch {
	case errors.As(err, &apiErr):
		msg = apiErr.Message
	case errors.As(err, &reqErr):
		msg = strings.TrimSpace(string(reqErr.Body))
		if msg == "" && reqErr.Err != nil {
			msg = reqErr.Err.Error()
		}
	default:
		msg = err.Error()
	}
	msg = strings.Join(strings.Fields(msg), " ")
	if r := []rune(msg); len(r) > 300 {
		msg = string(r[:300]) + "…"
	}
	if msg == "" {
		msg = "no message"
	}
	return msg
}
