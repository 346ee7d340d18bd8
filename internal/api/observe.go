package api

import (
	"crypto/rand"
	"encoding/hex"
	"net/http"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/interviewcoach/coach/internal/logctx"
)

// Observer is told about every request served, for metrics. Its method is called on the request
// path, so it must be quick and safe for concurrent use.
type Observer interface {
	// ObserveRequest reports a request answered with status after d. route is the route pattern
	// ("/api/v1/questions/:id"), or "unmatched" when no route matched, so that the set of values
	// stays small whatever clients ask for.
	ObserveRequest(method, route string, status int, d time.Duration)
}

// unmatchedRoute is the route of requests that matched none.
const unmatchedRoute = "unmatched"

// observe reports each request to s.Observer. It hands errors to the error handler itself, so that
// the status it reports is the one the client gets.
func (s *Server) observe(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		start := time.Now()
		err := next(c)
		if err != nil {
			c.Error(err)
		}
		route := c.Path()
		if route == "" {
			route = unmatchedRoute
		}
		s.Observer.ObserveRequest(methodLabel(c.Request().Method), route, c.Response().Status, time.Since(start))
		return err
	}
}

// methodLabel returns method, or "other" for methods no route serves, which a client may invent at
// will.
func methodLabel(method string) string {
	switch method {
	case http.MethodGet, http.MethodHead, http.MethodPost, http.MethodPut, http.MethodPatch,
		http.MethodDelete, http.MethodOptions:
		return method
	}
	return "other"
}

// withRequestID puts the request id, which the RequestID middleware has just set on the response,
// into the request's context, so that every line logged with that context carries it. A client's own
// X-Request-Id is kept when it is a plausible id, so that a proxy's id follows the request through;
// anything else is replaced, so that clients cannot write into the logs at length.
func withRequestID(c echo.Context, id string) {
	if !plausibleID(id) {
		b := make([]byte, 16)
		_, _ = rand.Read(b) // crypto/rand.Read never fails
		id = hex.EncodeToString(b)
		c.Response().Header().Set(echo.HeaderXRequestID, id)
	}
	req := c.Request()
	c.SetRequest(req.WithContext(logctx.WithRequestID(req.Context(), id)))
}

// plausibleID reports whether id is 1 to 64 letters, digits, '-', '_', '.' or ':'.
func plausibleID(id string) bool {
	if id == "" || len(id) > 64 {
		return false
	}
	for _, r := range id {
		if !('a' <= r && r <= 'z' || 'A' <= r && r <= 'Z' || '0' <= r && r <= '9' || strings.ContainsRune("-_.:", r)) {
			return false
		}
	}
	return true
}
