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

// MaxLookupSessions is the most sessions one POST /api/v1/sessions/lookup may name.
const MaxLookupSessions = 50

// maxLookupID is the longest session id a lookup reads (ids are 26 characters); a longer one is
// refused in its place, and not echoed.
const maxLookupID = 64

// sessionLookup is the body of POST /api/v1/sessions/lookup: the sessions a browser holds.
type sessionLookup struct {
	Sessions []struct {
		ID    string `json:"id"`
		Token string `json:"token"`
	} `json:"sessions"`
}

// lookedUp is one session of a lookup's answer: the session in brief, or why it cannot be read.
type lookedUp struct {
	ID      string              `json:"id"`
	Session *coach.SessionBrief `json:"session,omitempty"`
	Error   *errorDetail        `json:"error,omitempty"`
}

// lookupSessions answers, in one request, the brief of every session named with its token, in the
// order given. Each is opened as GET /api/v1/sessions/{id} opens it (a token, or an interviewer key);
// a session that cannot be opened gets that route's error in its place, and the others are still
// answered. Only a failure of the server itself (the database down) fails the whole request.
func (s *Server) lookupSessions(c echo.Context) error {
	var req sessionLookup
	if err := bind(c, &req); err != nil {
		return err
	}
	if len(req.Sessions) > MaxLookupSessions {
		return coach.Errorf(coach.EINVALID, "sessions lists %d sessions; at most %d at once", len(req.Sessions), MaxLookupSessions)
	}
	out := make([]lookedUp, len(req.Sessions))
	for i, item := range req.Sessions {
		out[i].ID = item.ID
		brief, err := s.lookupSession(c, item.ID, item.Token)
		switch coach.ErrorCode(err) {
		case "":
			out[i].Session = brief
		case coach.EINVALID, coach.ENOTFOUND, coach.EFORBIDDEN, coach.EUNAUTHORIZED:
			if len(item.ID) > maxLookupID {
				out[i].ID = "" // named by its place in the list, not echoed
			}
			out[i].Error = &errorDetail{Code: coach.ErrorCode(err), Message: coach.ErrorMessage(err)}
		default:
			return err
		}
	}
	return c.JSON(http.StatusOK, map[string]any{"sessions": out})
}

// lookupSession opens session id with token as openSession would with the token in its header, and
// returns it in brief.
func (s *Server) lookupSession(c echo.Context, id, token string) (*coach.SessionBrief, error) {
	if strings.TrimSpace(id) == "" || len(id) > maxLookupID {
		return nil, coach.Errorf(coach.EINVALID, "id must be a session's id (at most %d characters)", maxLookupID)
	}
	sess, err := s.openSessionWith(c, id, token)
	if err != nil {
		return nil, err
	}
	sum, err := s.Practice.Summary(c.Request().Context(), sess)
	if err != nil {
		return nil, err
	}
	return &sum.SessionBrief, nil
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
