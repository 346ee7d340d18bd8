package openai

import (
	"net/http"
	"time"
)

// Observer is told what the client does, for metrics. Its methods are called on the request path, so
// they must be quick and safe for concurrent use. op is "grade", "keypoints" or "embed".
type Observer interface {
	// ModelRequest reports one request sent to the server (each retry is one), how long it took and
	// its outcome: "ok" or the failure (see ModelRetry).
	ModelRequest(op string, d time.Duration, outcome string)
	// ModelRetry reports a request about to be sent again after failing with reason: "rate_limited"
	// (429), "server_error" (5xx), "network", "timeout", "rejected" (another status) or
	// "bad_response" (a reply that could not be read).
	ModelRetry(op, reason string)
	// ModelError reports a call that failed for good, after any retries: one of the reasons of
	// ModelRetry, or "canceled" (the caller gave up), "invalid_output" (unusable even after a repair),
	// "refused", "no_reply" or "cut_off" (the reply stopped at its token limit twice).
	ModelError(op, reason string)
	// ModelTokens reports the tokens a reply said it used.
	ModelTokens(op string, prompt, completion int)
}

// Outcomes and failure reasons reported to the Observer.
const (
	outcomeOK            = "ok"
	outcomeCanceled      = "canceled"
	outcomeTimeout       = "timeout"
	outcomeRateLimited   = "rate_limited"
	outcomeServerError   = "server_error"
	outcomeRejected      = "rejected"
	outcomeNetwork       = "network"
	outcomeInvalidOutput = "invalid_output"
	outcomeRefused       = "refused"
	outcomeNoReply       = "no_reply"
	outcomeBadResponse   = "bad_response"
	outcomeCutOff        = "cut_off"
)

// outcomeOf names the failure of a request that ended with status (0: no response) and err.
func outcomeOf(status int, err error) string {
	switch {
	case status == http.StatusTooManyRequests:
		return outcomeRateLimited
	case status >= http.StatusInternalServerError:
		return outcomeServerError
	case status == http.StatusRequestTimeout:
		return outcomeTimeout
	case status != 0:
		return outcomeRejected
	case retryable(0, err):
		return outcomeNetwork
	}
	return outcomeBadResponse
}

// nopObserver is the Observer of a client configured without one.
type nopObserver struct{}

func (nopObserver) ModelRequest(string, time.Duration, string) {}
func (nopObserver) ModelRetry(string, string)                  {}
func (nopObserver) ModelError(string, string)                  {}
func (nopObserver) ModelTokens(string, int, int)               {}
