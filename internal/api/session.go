package api

import (
	"context"
	"net/http"
	"net/url"
	"strings"

	"github.com/labstack/echo/v4"

	"github.com/interviewcoach/coach/internal/coach"
)

// Practice runs practice sessions.
type Practice interface {
	Create(ctx context.Context, req coach.SessionRequest) (*coach.Session, string, error)
	// Authorize returns the session when token opens it: EUNAUTHORIZED without a token, EFORBIDDEN
	// for a wrong token or a session that does not exist.
	Authorize(ctx context.Context, id, token string) (*coach.Session, error)
	Next(ctx context.Context, sess *coach.Session) (*coach.NextQuestion, error)
	Summary(ctx context.Context, sess *coach.Session) (*coach.SessionSummary, error)
	Report(ctx context.Context, sess *coach.Session) (*coach.SessionReport, error)
	MarkdownReport(ctx context.Context, sess *coach.Session) ([]byte, error)
	// Get returns a session without its token, for interviewers and admins; ENOTFOUND when missing.
	Get(ctx context.Context, id string) (*coach.Session, error)
	// Delete erases a session with its attempts.
	Delete(ctx context.Context, sess *coach.Session) error
	// End ends a session at the candidate's wish and returns its final summary.
	End(ctx context.Context, sess *coach.Session) (*coach.SessionSummary, error)
}

// TokenHeader carries a session's token. GET requests may give it as ?token= instead, so that a
// report can be downloaded from a plain link.
const TokenHeader = "X-Session-Token"

// sessionCreated is the answer to POST /api/v1/sessions: the session and, this once, its token.
type sessionCreated struct {
	*coach.Session
	Token string `json:"token"`
}

func (s *Server) createSession(c echo.Context) error {
	var req coach.SessionRequest
	// Every field is optional, so an empty body asks for a session of every topic and difficulty.
	if c.Request().ContentLength != 0 {
		if err := bind(c, &req); err != nil {
			return err
		}
	}
	sess, token, err := s.Practice.Create(c.Request().Context(), req)
	if err != nil {
		return err
	}
	noStore(c)
	return c.JSON(http.StatusCreated, sessionCreated{Session: sess, Token: token})
}

func (s *Server) getSession(c echo.Context) error {
	sess, err := s.openSession(c, c.Param("id"))
	if err != nil {
		return err
	}
	sum, err := s.Practice.Summary(c.Request().Context(), sess)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, sum)
}

func (s *Server) nextQuestion(c echo.Context) error {
	sess, err := s.openSession(c, c.Param("id"))
	if err != nil {
		return err
	}
	next, err := s.Practice.Next(c.Request().Context(), sess)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, next)
}

// sessionReport answers with the whole session as JSON (the default) or as a Markdown download.
func (s *Server) sessionReport(c echo.Context) error {
	sess, err := s.openSession(c, c.Param("id"))
	if err != nil {
		return err
	}
	ctx := c.Request().Context()
	switch format := c.QueryParam("format"); format {
	case "", "json":
		r, err := s.Practice.Report(ctx, sess)
		if err != nil {
			return err
		}
		return c.JSON(http.StatusOK, newReportView(c, r))
	case "md":
		md, err := s.Practice.MarkdownReport(ctx, sess)
		if err != nil {
			return err
		}
		c.Response().Header().Set(echo.HeaderContentDisposition, `attachment; filename="session-`+sess.ID+`.md"`)
		c.Response().Header().Set("X-Content-Type-Options", "nosniff")
		return c.Blob(http.StatusOK, "text/markdown; charset=utf-8", md)
	default:
		return coach.Errorf(coach.EINVALID, "format must be md or json, not %q", format)
	}
}

// endSession ends a session: it asks no more questions, and its summary is final.
func (s *Server) endSession(c echo.Context) error {
	sess, err := s.openSession(c, c.Param("id"))
	if err != nil {
		return err
	}
	sum, err := s.Practice.End(c.Request().Context(), sess)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, sum)
}

// deleteSession erases a session and every attempt graded in it.
func (s *Server) deleteSession(c echo.Context) error {
	sess, err := s.openSession(c, c.Param("id"))
	if err != nil {
		return err
	}
	if err := s.Practice.Delete(c.Request().Context(), sess); err != nil {
		return err
	}
	s.audit(c, "session deleted", "session_id", sess.ID)
	return c.NoContent(http.StatusNoContent)
}

// checkSession lets an answer into session id only with the session's token or an interviewer key,
// and returns the session; without a session (id "", and a nil session), grading is open as
// checkFreeGrading says.
func (s *Server) checkSession(c echo.Context, id string) (*coach.Session, error) {
	if id == "" {
		return nil, s.checkFreeGrading(c)
	}
	if s.Practice == nil {
		return nil, coach.Errorf(coach.EINVALID, "session_id given, but this server has no practice sessions")
	}
	return s.openSession(c, id)
}

func noStore(c echo.Context) {
	c.Response().Header().Set(echo.HeaderCacheControl, "no-store")
}

// redactToken hides a session token given in the query string of uri, so that logs never hold one.
func redactToken(uri string) string {
	path, query, ok := strings.Cut(uri, "?")
	if !ok {
		return uri
	}
	values, err := url.ParseQuery(query)
	if err != nil {
		return path + "?REDACTED"
	}
	if _, ok := values["token"]; !ok {
		return uri
	}
	values.Set("token", "REDACTED")
	return path + "?" + values.Encode()
}
