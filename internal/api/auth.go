package api

import (
	"context"
	"net/http"
	"strings"

	"github.com/labstack/echo/v4"

	"github.com/interviewcoach/coach/internal/coach"
)

// Keys checks and manages API keys.
type Keys interface {
	// Authenticate returns who key belongs to; EUNAUTHORIZED for a malformed, unknown or revoked key.
	Authenticate(ctx context.Context, key string) (*coach.Principal, error)
	Create(ctx context.Context, role, name string) (*coach.APIKey, string, error)
	List(ctx context.Context) ([]coach.APIKey, error)
	Revoke(ctx context.Context, id string) (*coach.APIKey, error)
}

// Who may do what:
//
//   - Anyone: /healthz, /readyz, /metrics, /api/openapi.json and the web UI.
//   - Practice (reading the bank, searching, starting sessions): anyone while practice is open
//     (ClosedPractice unset, the default); otherwise a key of any role.
//   - Grading and follow-ups outside a session: anyone while practice is open; otherwise an
//     interviewer or admin key. Into a session: as the session's own endpoints.
//   - A session's endpoints: its token (X-Session-Token), or an interviewer or admin key.
//   - An attempt: the token of the session it belongs to, or an interviewer or admin key.
//   - Changing the bank and managing keys: an admin key.
//
// A request with a malformed, unknown or revoked key is refused with 401 wherever it goes in the
// API, rather than served as if it had none, so that a broken key is noticed at once; a valid key
// whose role is too low gets 403.

// principalKey is where authenticate leaves the request's principal in the echo context.
const principalKey = "coach.principal"

// bearerChallenge is the WWW-Authenticate header of 401 answers about keys.
const bearerChallenge = `Bearer realm="coach"`

// authenticate reads the API key of the Authorization header, when there is one, and records who it
// belongs to for the handlers.
func (s *Server) authenticate(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		header := c.Request().Header.Get(echo.HeaderAuthorization)
		if header == "" {
			return next(c)
		}
		scheme, key, _ := strings.Cut(header, " ")
		key = strings.TrimSpace(key)
		if !strings.EqualFold(scheme, "Bearer") || key == "" {
			c.Response().Header().Set(echo.HeaderWWWAuthenticate, bearerChallenge)
			return coach.Errorf(coach.EUNAUTHORIZED, "the Authorization header must be \"Bearer\" and an API key")
		}
		if s.Keys == nil {
			c.Response().Header().Set(echo.HeaderWWWAuthenticate, bearerChallenge)
			return coach.Errorf(coach.EUNAUTHORIZED, "this server has no API keys")
		}
		p, err := s.Keys.Authenticate(c.Request().Context(), key)
		if err != nil {
			if coach.ErrorCode(err) == coach.EUNAUTHORIZED {
				c.Response().Header().Set(echo.HeaderWWWAuthenticate, bearerChallenge+`, error="invalid_token"`)
			}
			return err
		}
		c.Set(principalKey, p)
		return next(c)
	}
}

// principal returns who the request's API key belongs to, or nil without a key.
func principal(c echo.Context) *coach.Principal {
	p, _ := c.Get(principalKey).(*coach.Principal)
	return p
}

// hasRole reports whether the request carries a key of role or above.
func hasRole(c echo.Context, role string) bool {
	p := principal(c)
	return p != nil && coach.HasRole(p.Role, role)
}

// require returns nil when the request carries a key of role or above: 401 without a key, 403 with
// a key of a lower role.
func require(c echo.Context, role string, what string) error {
	p := principal(c)
	switch {
	case p == nil:
		c.Response().Header().Set(echo.HeaderWWWAuthenticate, bearerChallenge)
		return coach.Errorf(coach.EUNAUTHORIZED, "%s needs an API key (Authorization: Bearer coach_...) with the %s role or above", what, role)
	case !coach.HasRole(p.Role, role):
		return coach.Errorf(coach.EFORBIDDEN, "%s needs the %s role or above; this key has the %s role", what, role, p.Role)
	}
	return nil
}

// allow is route middleware that lets only keys of role or above through.
func (s *Server) allow(role string) echo.MiddlewareFunc {
	return func(next echo.HandlerFunc) echo.HandlerFunc {
		return func(c echo.Context) error {
			if err := require(c, role, describe(c)); err != nil {
				return err
			}
			return next(c)
		}
	}
}

// practice is route middleware for what anyone may do while practice is open and only holders of a
// key of any role otherwise.
func (s *Server) practice(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		if s.ClosedPractice {
			if err := require(c, coach.RoleCandidate, describe(c)); err != nil {
				return err
			}
		}
		return next(c)
	}
}

// checkFreeGrading lets grading outside a session through: anyone while practice is open, holders
// of an interviewer key otherwise.
func (s *Server) checkFreeGrading(c echo.Context) error {
	if !s.ClosedPractice {
		return nil
	}
	return require(c, coach.RoleInterviewer, "grading outside a practice session")
}

// describe names the request's route for error messages.
func describe(c echo.Context) string {
	return c.Request().Method + " " + c.Path()
}

// sessionToken returns the session token of the request: the X-Session-Token header or, for GET
// requests, the token query parameter.
func sessionToken(c echo.Context) string {
	token := c.Request().Header.Get(TokenHeader)
	if token == "" && c.Request().Method == http.MethodGet {
		token = c.QueryParam("token")
	}
	return token
}

// openSession returns session id when the request may act on it: with its token, or with an
// interviewer or admin key. Responses of a session are private to whoever holds the token, so no
// cache may keep them.
func (s *Server) openSession(c echo.Context, id string) (*coach.Session, error) {
	return s.openSessionWith(c, id, sessionToken(c))
}

// openSessionWith is openSession with the session's token given rather than read from the request.
func (s *Server) openSessionWith(c echo.Context, id, token string) (*coach.Session, error) {
	noStore(c)
	ctx := c.Request().Context()
	if hasRole(c, coach.RoleInterviewer) {
		return s.Practice.Get(ctx, id)
	}
	if token == "" && principal(c) != nil {
		return nil, coach.Errorf(coach.EFORBIDDEN, "a %s key does not open sessions: give the session's token (the %s header)",
			principal(c).Role, TokenHeader)
	}
	return s.Practice.Authorize(ctx, id, token)
}

// openAttempt returns attempt id when the request may read it: with the token of the session it
// belongs to, or with an interviewer or admin key. A token that does not open it gets the same
// answer whether the attempt does not exist, belongs to no session or to another session.
func (s *Server) openAttempt(c echo.Context, id string) (*coach.Attempt, error) {
	noStore(c)
	ctx := c.Request().Context()
	if hasRole(c, coach.RoleInterviewer) {
		return s.Grading.Attempt(ctx, id)
	}
	token := sessionToken(c)
	if token == "" {
		if p := principal(c); p != nil {
			return nil, coach.Errorf(coach.EFORBIDDEN, "a %s key does not open attempts: give the token of the attempt's session (the %s header)",
				p.Role, TokenHeader)
		}
		c.Response().Header().Set(echo.HeaderWWWAuthenticate, bearerChallenge)
		return nil, coach.Errorf(coach.EUNAUTHORIZED,
			"reading an attempt needs the token of its practice session (the %s header) or an interviewer key", TokenHeader)
	}
	forbidden := coach.Errorf(coach.EFORBIDDEN, "this token does not open attempt %q", id)
	a, err := s.Grading.Attempt(ctx, id)
	if coach.ErrorCode(err) == coach.ENOTFOUND {
		return nil, forbidden
	} else if err != nil {
		return nil, err
	}
	if a.SessionID == "" || s.Practice == nil {
		return nil, forbidden
	}
	if _, err := s.Practice.Authorize(ctx, a.SessionID, token); err != nil {
		if code := coach.ErrorCode(err); code == coach.EFORBIDDEN || code == coach.EUNAUTHORIZED {
			return nil, forbidden
		}
		return nil, err
	}
	return a, nil
}
