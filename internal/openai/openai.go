// Package openai reaches a language model over the OpenAI API, or any server that speaks it (Azure OpenAI,
// Ollama, vLLM), through github.com/sashabaranov/go-openai. It implements the coach's Embedder,
// KeyPointExtractor and Grader.
//
// Every model call shares one client-wide cap on concurrent requests, a per-call timeout (a call that
// exceeds it is sent once more) and retries of transient failures (429, 408, 5xx, network errors) with
// exponential backoff and jitter, honouring Retry-After. A call that cannot be completed fails with a
// *coach.Error in its chain, so the caller can fall back to offline grading: EUNAVAILABLE when the
// server is down or too slow, EUPSTREAM when it refused the request (a parameter the model does not
// take, a bad key, an unknown model) or cut every reply short, which only a change of configuration
// cures. The underlying cause stays reachable with errors.Is and errors.As (a timed-out call is
// errors.Is context.DeadlineExceeded). When the caller's own context ends first, its error is returned
// instead.
//
// Chat requests carry only what the model accepts: reasoning models (IsReasoningModel, or
// Config.ChatParams) get no temperature or seed and max_completion_tokens instead of max_tokens; a
// parameter a model still refuses is left out of its later requests. What a model refused is kept per
// model for the life of the process.
package openai

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"math/rand/v2"
	"net"
	"net/http"
	"net/url"
	"strconv"
	"sync"
	"sync/atomic"
	"time"

	goopenai "github.com/sashabaranov/go-openai"

	"github.com/interviewcoach/coach/internal/coach"
	"github.com/interviewcoach/coach/prompts"
)

// API types of Config.APIType.
const (
	APITypeOpenAI = "openai" // OpenAI and any compatible server: Ollama, vLLM, LiteLLM...
	APITypeAzure  = "azure"
)

// Defaults for the zero values of Config.
const (
	DefaultBaseURL = "https://api.openai.com/v1"
	// DefaultTimeout fits a 7-8B model served on a CPU (4-bit, llama.cpp or Ollama) writing a full
	// grade: a prompt of up to 2,000 tokens read at 20 tokens/s (100s) and a reply of about 1,100
	// tokens (5 key points, 5 follow-ups) written at 5 tokens/s (220s), plus loading the model, is
	// under six minutes on a slow desktop CPU. Hosted models take seconds; a stuck call is sent once
	// more.
	DefaultTimeout = 6 * time.Minute
	// DefaultMaxTokens bounds a reply: a grade of 10 key points, 2 misconceptions and 5 follow-ups
	// with generous wording is about 1,000 words, 1,600 tokens with its JSON, and the limit leaves
	// room for wordier models; a reply cut off is asked for again with twice the limit.
	DefaultMaxTokens = 4096
	// DefaultReasoningBudget is what reasoning models may spend on reasoning on top of MaxTokens, as
	// OpenAI advises reserving 25,000 tokens for reasoning and output.
	DefaultReasoningBudget = 25000
	// DefaultFormatRetry is how long a model that refused a response format is asked in a plainer one
	// before the richer one is tried again.
	DefaultFormatRetry   = 10 * time.Minute
	DefaultMaxConcurrent = 4
	DefaultBackoffBase   = 500 * time.Millisecond
	DefaultBackoffMax    = 10 * time.Second
	DefaultMaxRetryAfter = 30 * time.Second
)

// Config configures a Client. Zero durations and MaxConcurrent take the defaults above.
type Config struct {
	// BaseURL is the API root: DefaultBaseURL when empty, "http://localhost:11434/v1" for Ollama, the
	// resource endpoint ("https://NAME.openai.azure.com") for Azure.
	BaseURL string
	APIKey  string
	// APIType is APITypeOpenAI (also when empty) or APITypeAzure.
	APIType string
	// APIVersion is the Azure API version; empty keeps go-openai's default.
	APIVersion string
	// ChatModel grades and extracts key points; on Azure it is the deployment name. Empty disables both.
	ChatModel string
	// EmbedModel embeds texts; on Azure it is the deployment name. Empty disables embedding.
	EmbedModel string
	// EmbedDimensions, when set, is sent as the "dimensions" parameter and checked on every vector.
	// When zero the model's native size is used, learned from the first reply.
	EmbedDimensions int
	// Timeout bounds one model request; each retry gets a fresh one.
	Timeout time.Duration
	// MaxRetries is how many times a transiently failed request is retried; 0 disables retries.
	MaxRetries int
	// MaxConcurrent caps the model requests in flight across the client; callers beyond it wait for a
	// slot, or for their context to end. Local servers (Ollama on one GPU) want it small.
	MaxConcurrent int
	// Seed is sent with every chat completion, with temperature 0, so that grading is as repeatable as
	// the server allows; reasoning models take neither.
	Seed int
	// ChatParams is ChatParamsAuto (also when empty), ChatParamsReasoning or ChatParamsStandard: how
	// to tell whether ChatModel is a reasoning model, whose parameters differ.
	ChatParams string
	// ReasoningEffort is sent to reasoning models as reasoning_effort (minimal, low, medium, high...);
	// empty leaves the provider's default.
	ReasoningEffort string
	// MaxTokens bounds the reply of a chat completion; 0 means DefaultMaxTokens. ReasoningBudget is
	// added for reasoning models; 0 means DefaultReasoningBudget.
	MaxTokens       int
	ReasoningBudget int
	// FormatRetry is how long a model that refused a response format is asked in a plainer one before
	// the richer one is tried again; 0 means DefaultFormatRetry.
	FormatRetry time.Duration
	// BackoffBase and BackoffMax shape the delay before retry n: BackoffBase·2ⁿ capped at BackoffMax,
	// half of it random.
	BackoffBase time.Duration
	BackoffMax  time.Duration
	// MaxRetryAfter caps a server's Retry-After, so a misbehaving server cannot park a request for hours.
	MaxRetryAfter time.Duration
	// Logger receives retries, fallbacks and repairs; nil discards them.
	Logger *slog.Logger
	// Observer is told about every request, retry, failure and token count, for metrics; nil tells
	// nobody.
	Observer Observer
	// HTTPClient sends the requests; nil means a fresh http.Client. It is not modified.
	HTTPClient *http.Client
}

// validate checks c and fills in the defaults.
func (c *Config) validate() error {
	switch c.APIType {
	case "":
		c.APIType = APITypeOpenAI
	case APITypeOpenAI, APITypeAzure:
	default:
		return fmt.Errorf("APIType %q is neither %q nor %q", c.APIType, APITypeOpenAI, APITypeAzure)
	}
	if c.BaseURL == "" {
		if c.APIType == APITypeAzure {
			return errors.New("BaseURL is required for Azure")
		}
		c.BaseURL = DefaultBaseURL
	}
	if u, err := url.Parse(c.BaseURL); err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return fmt.Errorf("BaseURL %q is not an http(s) URL", c.BaseURL)
	}
	if c.APIKey == "" && (c.APIType == APITypeAzure || c.BaseURL == DefaultBaseURL) {
		return fmt.Errorf("APIKey is required for %s", c.BaseURL)
	}
	if c.ChatModel == "" && c.EmbedModel == "" {
		return errors.New("ChatModel or EmbedModel is required")
	}
	switch c.ChatParams {
	case "":
		c.ChatParams = ChatParamsAuto
	case ChatParamsAuto, ChatParamsReasoning, ChatParamsStandard:
	default:
		return fmt.Errorf("ChatParams %q is not one of %s, %s, %s", c.ChatParams, ChatParamsAuto, ChatParamsReasoning, ChatParamsStandard)
	}
	switch {
	case c.MaxTokens < 0, c.ReasoningBudget < 0:
		return errors.New("MaxTokens and ReasoningBudget must not be negative")
	case c.FormatRetry < 0:
		return fmt.Errorf("FormatRetry %s is negative", c.FormatRetry)
	case c.EmbedDimensions < 0:
		return fmt.Errorf("EmbedDimensions %d is negative", c.EmbedDimensions)
	case c.Timeout < 0, c.BackoffBase < 0, c.BackoffMax < 0, c.MaxRetryAfter < 0:
		return errors.New("durations must not be negative")
	case c.MaxRetries < 0:
		return fmt.Errorf("MaxRetries %d is negative", c.MaxRetries)
	case c.MaxConcurrent < 0:
		return fmt.Errorf("MaxConcurrent %d is negative", c.MaxConcurrent)
	}
	c.Timeout = cmp.Or(c.Timeout, DefaultTimeout)
	c.MaxTokens = cmp.Or(c.MaxTokens, DefaultMaxTokens)
	c.ReasoningBudget = cmp.Or(c.ReasoningBudget, DefaultReasoningBudget)
	c.FormatRetry = cmp.Or(c.FormatRetry, DefaultFormatRetry)
	c.BackoffBase = cmp.Or(c.BackoffBase, DefaultBackoffBase)
	c.BackoffMax = max(cmp.Or(c.BackoffMax, DefaultBackoffMax), c.BackoffBase)
	c.MaxRetryAfter = cmp.Or(c.MaxRetryAfter, DefaultMaxRetryAfter)
	c.MaxConcurrent = cmp.Or(c.MaxConcurrent, DefaultMaxConcurrent)
	if c.Observer == nil {
		c.Observer = nopObserver{}
	}
	return nil
}

// Client calls one OpenAI-compatible server. It grades answers and extracts key points itself, and
// embeds through Embedder. It is safe for concurrent use.
type Client struct {
	api     *goopenai.Client
	http    *http.Client
	cfg     Config
	prompts *prompts.Set
	log     *slog.Logger
	slots   chan struct{}
	// models holds what each model refused, so that later requests leave it out.
	modelsMu sync.Mutex
	models   map[string]*modelState
	embedder *Embedder
}

var (
	_ coach.Grader            = (*Client)(nil)
	_ coach.KeyPointExtractor = (*Client)(nil)
)

// New returns a Client for cfg. p holds the prompts; nil means the embedded defaults.
func New(cfg Config, p *prompts.Set) (*Client, error) {
	if err := cfg.validate(); err != nil {
		return nil, fmt.Errorf("openai: config: %w", err)
	}
	if p == nil && cfg.ChatModel != "" {
		var err error
		if p, err = prompts.Load(""); err != nil {
			return nil, fmt.Errorf("openai: %w", err)
		}
	}

	var api goopenai.ClientConfig
	if cfg.APIType == APITypeAzure {
		api = goopenai.DefaultAzureConfig(cfg.APIKey, cfg.BaseURL)
		if cfg.APIVersion != "" {
			api.APIVersion = cfg.APIVersion
		}
		// The configured names are deployment names already; go-openai's default mapper would strip
		// dots from them.
		api.AzureModelMapperFunc = func(model string) string { return model }
	} else {
		api = goopenai.DefaultConfig(cfg.APIKey)
		api.BaseURL = cfg.BaseURL
	}
	hc := &http.Client{}
	if cfg.HTTPClient != nil {
		copied := *cfg.HTTPClient
		hc = &copied
	}
	next := hc.Transport
	if next == nil {
		// A transport of its own that keeps as many idle connections to the server as there may be
		// calls in flight: the shared default keeps two per host, so a busier client would open a new
		// connection, TLS handshake included, for most calls.
		t := http.DefaultTransport.(*http.Transport).Clone()
		t.MaxIdleConnsPerHost = cfg.MaxConcurrent
		next = t
	}
	hc.Transport = headerRecorder{next: next}
	api.HTTPClient = hc

	log := cfg.Logger
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	c := &Client{
		api:     goopenai.NewClientWithConfig(api),
		http:    hc,
		cfg:     cfg,
		prompts: p,
		log:     log,
		slots:   make(chan struct{}, cfg.MaxConcurrent),
		models:  map[string]*modelState{},
	}
	c.embedder = &Embedder{c: c}
	c.embedder.dims.Store(int64(cfg.EmbedDimensions))
	return c, nil
}

// CloseIdleConnections closes the client's idle connections to the server, which it otherwise keeps
// for later calls; a program calls it on its way out.
func (c *Client) CloseIdleConnections() { c.http.CloseIdleConnections() }

// unavailable returns an error whose chain holds both a coded coach error, for the caller to act on,
// and cause, for logs and errors.Is.
func unavailable(cause error, format string, args ...any) error {
	return fmt.Errorf("%w: %w", coach.Errorf(coach.EUNAVAILABLE, format, args...), cause)
}

// headerRecorder keeps the headers of each response in the slot its request's context carries: go-openai
// turns error responses into errors without their headers, and Retry-After lives there.
type headerRecorder struct {
	next http.RoundTripper
}

type headerSlotKey struct{}

// CloseIdleConnections closes the idle connections of the transport underneath.
func (t headerRecorder) CloseIdleConnections() {
	if c, ok := t.next.(interface{ CloseIdleConnections() }); ok {
		c.CloseIdleConnections()
	}
}

// RoundTrip implements http.RoundTripper.
func (t headerRecorder) RoundTrip(req *http.Request) (*http.Response, error) {
	resp, err := t.next.RoundTrip(req)
	if slot, ok := req.Context().Value(headerSlotKey{}).(*atomic.Pointer[http.Header]); ok && err == nil {
		slot.Store(&resp.Header)
	}
	return resp, err
}

// call runs fn, which sends one request with the context it is given, under the concurrency cap and the
// per-call timeout, and retries it while it fails transiently. op names the call in logs and metrics.
func (c *Client) call(ctx context.Context, op string, fn func(ctx context.Context) error) error {
	timeouts := 0
	for attempt := 0; ; attempt++ {
		header, err := c.attempt(ctx, op, fn)
		if err == nil {
			return nil
		}
		if ctx.Err() != nil {
			// The caller gave up; whatever the server did is beside the point.
			c.cfg.Observer.ModelError(op, outcomeCanceled)
			return context.Cause(ctx)
		}
		if errors.Is(err, errCallTimeout) {
			// Sent once more: a slow local server may have been busy loading the model, or with
			// another caller's request. Twice that slow means it is too slow for this timeout.
			if timeouts++; timeouts == 1 {
				c.cfg.Observer.ModelRetry(op, outcomeTimeout)
				c.log.WarnContext(ctx, "openai: model call timed out; sending it once more", "op", op, "timeout", c.cfg.Timeout)
				continue
			}
			c.cfg.Observer.ModelError(op, outcomeTimeout)
			return unavailable(err, "language model timed out twice after %s (raise COACH_LLM_TIMEOUT for a slow server)", c.cfg.Timeout)
		}
		status := statusCode(err)
		reason := outcomeOf(status, err)
		if !retryable(status, err) {
			if _, refused := refusalReason(err); !refused {
				// A refusal is the caller's to report: it may cure it by sending the request again
				// without what was refused (see refusalReason).
				c.cfg.Observer.ModelError(op, reason)
			}
			if status != 0 {
				return refusedError(err, "the language model server refused the request (status %d): %s", status, providerMessage(err))
			}
			return unavailable(err, "language model call failed")
		}
		what := "network error"
		if status != 0 {
			what = "status " + strconv.Itoa(status)
		}
		if attempt >= c.cfg.MaxRetries {
			c.cfg.Observer.ModelError(op, reason)
			return unavailable(err, "language model unavailable after %d attempts (%s)", attempt+1, what)
		}

		delay, fromServer := retryAfter(header, time.Now())
		if fromServer {
			delay = min(delay, c.cfg.MaxRetryAfter)
		} else {
			delay = c.backoff(attempt)
		}
		if deadline, ok := ctx.Deadline(); ok && time.Until(deadline) < delay {
			c.cfg.Observer.ModelError(op, reason)
			return unavailable(err, "language model unavailable (%s) and no time left to retry", what)
		}
		c.cfg.Observer.ModelRetry(op, reason)
		c.log.WarnContext(ctx, "openai: retrying model call", "op", op, "attempt", attempt+1, "failure", what,
			"delay", delay, "err", err)
		timer := time.NewTimer(delay)
		select {
		case <-timer.C:
		case <-ctx.Done():
			timer.Stop()
			c.cfg.Observer.ModelError(op, outcomeCanceled)
			return context.Cause(ctx)
		}
	}
}

// errCallTimeout is the cause of a request that exceeded Config.Timeout, told apart from the caller's
// own deadline. It wraps context.DeadlineExceeded, which is what callers test for.
var errCallTimeout = fmt.Errorf("model call timed out: %w", context.DeadlineExceeded)

// attempt runs fn once in a concurrency slot and returns the headers of the response, if any.
func (c *Client) attempt(ctx context.Context, op string, fn func(ctx context.Context) error) (http.Header, error) {
	select {
	case c.slots <- struct{}{}:
	case <-ctx.Done():
		return nil, context.Cause(ctx)
	}
	defer func() { <-c.slots }()

	actx, cancel := context.WithTimeoutCause(ctx, c.cfg.Timeout, errCallTimeout)
	defer cancel()
	slot := new(atomic.Pointer[http.Header])
	start := time.Now()
	err := fn(context.WithValue(actx, headerSlotKey{}, slot))
	if err != nil && ctx.Err() == nil && errors.Is(context.Cause(actx), errCallTimeout) && !errors.Is(err, errCallTimeout) {
		err = fmt.Errorf("%w: %w", errCallTimeout, err)
	}
	outcome := outcomeOK
	switch {
	case err == nil:
	case ctx.Err() != nil:
		outcome = outcomeCanceled
	case errors.Is(err, errCallTimeout):
		outcome = outcomeTimeout
	default:
		outcome = outcomeOf(statusCode(err), err)
	}
	c.cfg.Observer.ModelRequest(op, time.Since(start), outcome)
	if h := slot.Load(); h != nil {
		return *h, err
	}
	return nil, err
}

// backoff returns the delay before retry attempt+1: exponential, capped, with half of it random so that
// clients failing together do not retry together.
func (c *Client) backoff(attempt int) time.Duration {
	d := c.cfg.BackoffMax
	if attempt < 30 {
		d = min(c.cfg.BackoffBase<<attempt, c.cfg.BackoffMax)
	}
	return d/2 + rand.N(d/2+1)
}

// statusCode returns the HTTP status of a failed request, or 0 when no response came back.
func statusCode(err error) int {
	var apiErr *goopenai.APIError
	var reqErr *goopenai.RequestError
	switch {
	case errors.As(err, &apiErr):
		return apiErr.HTTPStatusCode
	case errors.As(err, &reqErr):
		return reqErr.HTTPStatusCode
	}
	return 0
}

// retryable reports whether a request that failed with status (0: no response) and err may succeed if
// sent again.
func retryable(status int, err error) bool {
	if apiErr := (*goopenai.APIError)(nil); errors.As(err, &apiErr) && apiErr.Code == "insufficient_quota" {
		return false // OpenAI's 429 for an exhausted account: no wait cures it
	}
	if status != 0 {
		return status == http.StatusRequestTimeout || status == http.StatusTooManyRequests ||
			status >= http.StatusInternalServerError
	}
	// The connection failed or broke: refused, reset, DNS, a body cut short.
	var urlErr *url.Error
	var netErr net.Error
	return errors.As(err, &urlErr) || errors.As(err, &netErr) || errors.Is(err, io.ErrUnexpectedEOF)
}

// retryAfter reads how long the server asked to wait: OpenAI's retry-after-ms, else Retry-After in
// seconds or as an HTTP date. ok is false when the server said nothing usable.
func retryAfter(h http.Header, now time.Time) (d time.Duration, ok bool) {
	if h == nil {
		return 0, false
	}
	if ms, err := strconv.ParseFloat(h.Get("Retry-After-Ms"), 64); err == nil && ms >= 0 {
		return time.Duration(ms * float64(time.Millisecond)), true
	}
	v := h.Get("Retry-After")
	if v == "" {
		return 0, false
	}
	if s, err := strconv.ParseFloat(v, 64); err == nil && s >= 0 {
		return time.Duration(s * float64(time.Second)), true
	}
	if t, err := http.ParseTime(v); err == nil {
		return max(t.Sub(now), 0), true
	}
	return 0, false
}
