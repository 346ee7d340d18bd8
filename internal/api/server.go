// Package api serves the coach's JSON API (and the embedded web UI) over HTTP with echo.
package api

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"io/fs"
	"log/slog"
	"net/http"
	"net/url"
	"reflect"
	"strings"
	"unicode/utf8"

	"github.com/labstack/echo/v4"
	"github.com/labstack/echo/v4/middleware"

	"github.com/interviewcoach/coach/internal/coach"
	"github.com/interviewcoach/coach/internal/logctx"
)

// Bank is what the API reads of the question bank.
type Bank interface {
	Topics(ctx context.Context) ([]coach.Topic, error)
	Questions(ctx context.Context, f coach.QuestionFilter) ([]coach.Question, string, error)
	Question(ctx context.Context, id string) (*coach.Question, error)
}

// Health is what the readiness check asks of the database.
type Health interface {
	Ping(ctx context.Context) error
	CheckSchema(ctx context.Context) error
}

// Searcher finds passages near a query, optionally of one kind of source (bank, page, docs).
type Searcher interface {
	SearchKind(ctx context.Context, query string, k int, topic, kind string) ([]coach.SearchResult, error)
}

// Server is the HTTP server: echo with every route of routes.go.
type Server struct {
	Bank     Bank
	Health   Health
	Searcher Searcher
	Grading  Grading
	// Practice runs practice sessions; their routes exist only when it is set.
	Practice Practice
	Logger   *slog.Logger
	// UI is the web interface's files, served at "/" when set.
	UI fs.FS
	// MaxBodyBytes limits request bodies; larger ones get 413.
	MaxBodyBytes int64
	// Observer is told about every request; Metrics serves GET /metrics. Either may be nil.
	Observer Observer
	Metrics  http.Handler
	// Keys checks API keys; without it every request with one is refused. Admin changes the bank;
	// its routes exist only when it is set. ClosedPractice keeps the bank, search, new sessions and
	// grading from callers without a key (see auth.go). Limits are the request limits (limits.go).
	Keys  Keys
	Admin Admin
	// Editor edits the bank one item at a time; its routes exist only when it is set.
	Editor         Editor
	ClosedPractice bool
	Limits         Limits

	echo *echo.Echo
}

// Handler builds the router. It is called once; the result serves every request.
func (s *Server) Handler() http.Handler {
	if s.echo != nil {
		return s.echo
	}
	if s.Logger == nil {
		s.Logger = slog.New(slog.DiscardHandler)
	}
	// Every line logged while handling a request carries its id (see withRequestID).
	s.Logger = slog.New(logctx.Handler(s.Logger.Handler()))
	e := echo.New()
	e.HideBanner, e.HidePort = true, true
	e.HTTPErrorHandler = s.handleError
	e.IPExtractor = s.ipExtractor()
	e.Use(middleware.RequestIDWithConfig(middleware.RequestIDConfig{RequestIDHandler: withRequestID}))
	e.Use(middleware.RequestLoggerWithConfig(middleware.RequestLoggerConfig{
		LogStatus: true, LogURI: true, LogMethod: true, LogLatency: true, LogRequestID: true, LogError: true,
		HandleError: true,
		LogValuesFunc: func(c echo.Context, v middleware.RequestLoggerValues) error {
			level := slog.LevelInfo
			attrs := []slog.Attr{slog.String("method", v.Method), slog.String("uri", redactToken(v.URI)), slog.Int("status", v.Status),
				slog.Duration("latency", v.Latency)}
			if v.Status >= 500 && errors.Is(c.Request().Context().Err(), context.Canceled) {
				// The client went away (or the server stopped after its grace): not a server fault.
				attrs = append(attrs, slog.Bool("cancelled", true))
			} else if v.Status >= 500 {
				level = slog.LevelError
			}
			s.Logger.LogAttrs(c.Request().Context(), level, "request", attrs...)
			return nil
		},
	}))
	if s.Observer != nil {
		e.Use(s.observe)
	}
	e.Use(middleware.RecoverWithConfig(middleware.RecoverConfig{
		LogErrorFunc: func(c echo.Context, err error, stack []byte) error {
			s.Logger.ErrorContext(c.Request().Context(), "panic", "error", err, "stack", string(stack))
			return err
		},
	}))
	e.Use(s.protections()...)
	if s.MaxBodyBytes > 0 {
		e.Use(bodyLimit(s.MaxBodyBytes))
	}
	e.Use(cleanInput)
	s.routes(e)
	s.echo = e
	return e
}

// bodyLimit refuses bodies over max bytes with 413, whether or not they declare their length.
func bodyLimit(max int64) echo.MiddlewareFunc {
	return func(next echo.HandlerFunc) echo.HandlerFunc {
		return func(c echo.Context) error {
			if hasOwnBodyLimit(c) {
				return next(c)
			}
			req := c.Request()
			if req.ContentLength > max {
				return coach.Errorf(coach.ETOOLARGE, "request body is over the %d-byte limit", max)
			}
			req.Body = http.MaxBytesReader(c.Response(), req.Body, max)
			return next(c)
		}
	}
}

// cleanInput unescapes path parameters and refuses URLs that are not valid UTF-8 or hold a NUL
// character, naming which, before any handler or the database sees them.
//
// Echo matches routes against the escaped path when it differs from the decoded one (an id with a
// "/" arrives as %2F), and then leaves the parameters escaped; they are unescaped here, once, so that
// any id the UI shows (it escapes ids with encodeURIComponent) opens.
func cleanInput(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		req := c.Request()
		values := c.ParamValues()
		for i, v := range values {
			if req.URL.RawPath != "" {
				u, err := url.PathUnescape(v)
				if err != nil {
					return coach.Errorf(coach.EINVALID, "the URL's path is not validly escaped: %v", err)
				}
				values[i], v = u, u
			}
			if err := checkText("the URL's path", v); err != nil {
				return err
			}
		}
		c.SetParamValues(values...)
		query, err := url.ParseQuery(req.URL.RawQuery)
		if err != nil {
			return coach.Errorf(coach.EINVALID, "the URL's query is not validly escaped: %v", err)
		}
		for name, vs := range query {
			for _, v := range append(vs, name) {
				if err := checkText("the URL's query", v); err != nil {
					return err
				}
			}
		}
		return next(c)
	}
}

// checkText says what is wrong with text that no field may hold: bytes that are not UTF-8, or NUL.
func checkText(what, text string) error {
	if !utf8.ValidString(text) {
		i := 0
		for i < len(text) {
			r, size := utf8.DecodeRuneInString(text[i:])
			if r == utf8.RuneError && size <= 1 {
				break
			}
			i += size
		}
		return coach.Errorf(coach.EINVALID, "%s is not valid UTF-8 (byte %d is 0x%02x)", what, i, text[i])
	}
	if strings.ContainsRune(text, 0) {
		return coach.Errorf(coach.EINVALID, "%s must not contain NUL characters", what)
	}
	return nil
}

var statusOf = map[string]int{
	coach.ECONFLICT:     http.StatusConflict,
	coach.EINVALID:      http.StatusBadRequest,
	coach.ENOTFOUND:     http.StatusNotFound,
	coach.ETOOLARGE:     http.StatusRequestEntityTooLarge,
	coach.EUNAVAILABLE:  http.StatusServiceUnavailable,
	coach.EUPSTREAM:     http.StatusBadGateway,
	coach.EUNAUTHORIZED: http.StatusUnauthorized,
	coach.EFORBIDDEN:    http.StatusForbidden,
	coach.ERATELIMITED:  http.StatusTooManyRequests,
	coach.EINTERNAL:     http.StatusInternalServerError,
	coach.ENOREFERENCE:  http.StatusUnprocessableEntity,
}

// errorBody is the shape of every error response. A grade refused for want of a close reference
// (coach.NoReference) also names the nearest bank questions and the similarity grading needs.
type errorBody struct {
	Error errorDetail `json:"error"`
}

type errorDetail struct {
	Code          string                  `json:"code"`
	Message       string                  `json:"message"`
	Closest       []coach.ClosestQuestion `json:"closest,omitempty"`
	MinSimilarity float64                 `json:"min_similarity,omitempty"`
	// ClosestDocs and MinDocsSimilarity: the nearest documentation sections, when docs are imported.
	ClosestDocs       []coach.ClosestSection `json:"closest_docs,omitempty"`
	MinDocsSimilarity float64                `json:"min_docs_similarity,omitempty"`
}

// newErrorBody is the body of error err, whose code and message are given.
func newErrorBody(err error, code, message string) errorBody {
	var body errorBody
	body.Error.Code, body.Error.Message = code, message
	var nr *coach.NoReference
	if errors.As(err, &nr) {
		body.Error.Closest, body.Error.MinSimilarity = nr.Closest, nr.MinSimilarity
		body.Error.ClosestDocs, body.Error.MinDocsSimilarity = nr.ClosestDocs, nr.MinDocsSimilarity
	}
	return body
}

// handleError writes err as {"error":{"code","message"}}. Internal errors are logged and shown only
// as "internal error".
func (s *Server) handleError(err error, c echo.Context) {
	if c.Response().Committed {
		return
	}
	code, message := coach.ErrorCode(err), coach.ErrorMessage(err)
	status := statusOf[code]
	var he *echo.HTTPError
	var maxErr *http.MaxBytesError
	switch {
	case errors.As(err, &maxErr):
		code, status, message = coach.ETOOLARGE, http.StatusRequestEntityTooLarge, "request body is over the size limit"
	case errors.As(err, &he):
		status = he.Code
		code = codeOfStatus(status)
		message = strings.ToLower(http.StatusText(status))
		if m, ok := he.Message.(string); ok && status < 500 {
			message = m
		}
	}
	if status == 0 {
		status = http.StatusInternalServerError
	}
	if c.Request().Context().Err() == context.Canceled && errors.Is(err, context.Canceled) && status >= 500 {
		// The request's context is cancelled when the server stops after its shutdown grace (or the
		// client has gone, and reads nothing): no internal error, and the client hears why.
		code, status = coach.EUNAVAILABLE, http.StatusServiceUnavailable
		message = "the request was cancelled because the server is shutting down; try again shortly"
		s.Logger.InfoContext(c.Request().Context(), "request cancelled", "error", err,
			"uri", redactToken(c.Request().RequestURI))
		_ = c.JSON(status, errorBody{Error: errorDetail{Code: code, Message: message}})
		return
	}
	if status >= 500 && code == coach.EINTERNAL {
		s.Logger.ErrorContext(c.Request().Context(), "internal error", "error", err,
			"uri", redactToken(c.Request().RequestURI))
	} else if status >= 500 {
		// A dependency is down (the database, the model): worth a line, with the cause users do not see.
		s.Logger.WarnContext(c.Request().Context(), "request failed", "code", code, "error", err,
			"uri", redactToken(c.Request().RequestURI))
	}
	body := newErrorBody(err, code, message)
	if c.Request().Method == http.MethodHead {
		_ = c.NoContent(status)
		return
	}
	_ = c.JSON(status, body)
}

func codeOfStatus(status int) string {
	for code, s := range statusOf {
		if s == status {
			return code
		}
	}
	if status == http.StatusMethodNotAllowed {
		return "method_not_allowed"
	}
	return coach.EINTERNAL
}

// jsonType names what a JSON value must be to decode into t, in JSON's words, not Go's.
func jsonType(t reflect.Type) string {
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	switch t.Kind() {
	case reflect.String:
		return "a string"
	case reflect.Bool:
		return "true or false"
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		return "a whole number"
	case reflect.Float32, reflect.Float64:
		return "a number"
	case reflect.Slice, reflect.Array:
		return "an array"
	}
	return "an object"
}

// bind decodes a JSON body strictly into v: unknown fields and trailing data are errors that name
// the problem.
func bind(c echo.Context, v any) error {
	req := c.Request()
	if ct := req.Header.Get(echo.HeaderContentType); ct != "" && !strings.HasPrefix(ct, echo.MIMEApplicationJSON) {
		return coach.Errorf(coach.EINVALID, "Content-Type must be application/json, not %q", ct)
	}
	// encoding/json turns bytes that are not UTF-8 into U+FFFD without a word, so an answer with
	// them would be graded and stored altered; they are refused here, named as what they are. The
	// body is bounded by bodyLimit.
	raw, err := io.ReadAll(req.Body)
	if err != nil {
		return err
	}
	if !utf8.Valid(raw) {
		return checkText("the request body", string(raw))
	}
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		var maxErr *http.MaxBytesError
		var syntaxErr *json.SyntaxError
		var typeErr *json.UnmarshalTypeError
		switch {
		case errors.As(err, &maxErr):
			return err
		case errors.Is(err, io.EOF):
			return coach.Errorf(coach.EINVALID, "request body is empty: expected a JSON object")
		case errors.As(err, &syntaxErr):
			return coach.Errorf(coach.EINVALID, "invalid JSON at byte %d: %v", syntaxErr.Offset, syntaxErr)
		case errors.As(err, &typeErr):
			return coach.Errorf(coach.EINVALID, "field %q must be %s", typeErr.Field, jsonType(typeErr.Type))
		case strings.HasPrefix(err.Error(), "json: unknown field"):
			return coach.Errorf(coach.EINVALID, "unknown field %s", strings.TrimPrefix(err.Error(), "json: unknown field "))
		default:
			return coach.Errorf(coach.EINVALID, "invalid JSON: %v", err)
		}
	}
	if dec.More() {
		return coach.Errorf(coach.EINVALID, "invalid JSON: data after the object")
	}
	return nil
}
