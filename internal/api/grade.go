package api

import (
	"context"
	"net/http"
	"strings"

	"github.com/labstack/echo/v4"

	"github.com/interviewcoach/coach/internal/coach"
)

// Grading grades answers and reads graded attempts back.
type Grading interface {
	Grade(ctx context.Context, req coach.GradeRequest) (*coach.Attempt, error)
	// GradeWithProgress is Grade that reports the retrieved references before the grader runs.
	GradeWithProgress(ctx context.Context, req coach.GradeRequest, retrieved func(coach.Retrieval)) (*coach.Attempt, error)
	Attempt(ctx context.Context, id string) (*coach.Attempt, error)
}

// grade grades an answer; an answer given in a session needs the session's token. With
// ?stream=true the response is a stream of events (see gradeStream).
func (s *Server) grade(c echo.Context) error {
	var req coach.GradeRequest
	if err := bind(c, &req); err != nil {
		return err
	}
	if err := s.admitGrading(c, req); err != nil {
		return err
	}
	if t := req.Timing; t != nil && (t.LimitSeconds < 0 || t.ElapsedSeconds < 0 || t.LimitSeconds > coach.MaxAnswerSeconds || t.ElapsedSeconds > 24*3600) {
		return coach.Errorf(coach.EINVALID, "timing: limit_seconds must be 0 to %d and elapsed_seconds 0 to 86400", coach.MaxAnswerSeconds)
	}
	if stream, err := streamRequested(c); err != nil {
		return err
	} else if stream {
		return s.gradeStream(c, req)
	}
	attempt, err := s.Grading.Grade(c.Request().Context(), req)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, s.newAttemptView(c, attempt, nil))
}

// followups grades the answer and returns the follow-up questions aimed at its gaps, with the grade
// for interviewers who want it. Their expected answers go to interviewers only (see reveal.go).
func (s *Server) followups(c echo.Context) error {
	var req coach.GradeRequest
	if err := bind(c, &req); err != nil {
		return err
	}
	if err := s.admitGrading(c, req); err != nil {
		return err
	}
	attempt, err := s.Grading.Grade(c.Request().Context(), req)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, map[string]any{
		"attempt_id": attempt.ID,
		"followups":  followUpViews(c, attempt.ID, attempt.FollowUps, nil),
		"score":      attempt.Score,
		"band":       attempt.Band,
		"grounded":   attempt.Grounded,
		"key_points": attempt.KeyPoints,
		"references": attempt.References,
		"grader":     attempt.Grader,
	})
}

// admitGrading lets req in, or says why not:
//
//   - Into a session: with its token or an interviewer key (checkSession); outside one, as
//     checkFreeGrading says.
//   - With practice closed, a session's token alone (no API key) grades only what the session asks:
//     bank questions of its topic and difficulty, and follow-ups of its own attempts. Typed
//     questions and questions outside the session, existing or not, get one and the same 403, so the
//     token reads no more of the bank than the session shows.
//   - An answer to a follow-up names an attempt of the same session (or, outside sessions, an
//     attempt of no session), or the caller holds an interviewer key. Any other attempt, and one that
//     does not exist, get the same 404 before anything else is looked at (not even the follow-up's
//     index), so that grading is no oracle of which attempts exist or what they hold. An attempt of
//     no session is reachable only by its id, which only whoever graded it (and interviewers) learns.
//     An interviewer may answer follow-ups of attempts of no session too; an attempt of another
//     session gets the grading service's 404, the same as a missing one.
func (s *Server) admitGrading(c echo.Context, req coach.GradeRequest) error {
	sess, err := s.checkSession(c, req.SessionID)
	if err != nil {
		return err
	}
	ctx := c.Request().Context()
	if req.FollowUp != nil && !hasRole(c, coach.RoleInterviewer) {
		notFound := coach.Errorf(coach.ENOTFOUND, "attempt %s not found", coach.Echo(req.FollowUp.AttemptID))
		parent, err := s.Grading.Attempt(ctx, req.FollowUp.AttemptID)
		switch {
		case coach.ErrorCode(err) == coach.ENOTFOUND:
			return notFound
		case err != nil:
			return err
		case parent.SessionID != req.SessionID:
			return notFound
		}
	}
	if sess == nil || !s.ClosedPractice || principal(c) != nil || req.FollowUp != nil {
		return nil
	}
	outside := coach.Errorf(coach.EFORBIDDEN,
		"with practice closed, a session's token grades only the questions the session asks (GET /api/v1/sessions/%s/next) and their follow-ups; other questions need an API key", sess.ID)
	if req.QuestionID == "" {
		return outside
	}
	q, err := s.Bank.Question(ctx, strings.TrimSpace(req.QuestionID))
	switch {
	case coach.ErrorCode(err) == coach.ENOTFOUND:
		return outside
	case err != nil:
		return err
	case sess.Topic != "" && q.TopicID != sess.Topic, sess.Difficulty != "" && q.Difficulty != sess.Difficulty:
		return outside
	}
	return nil
}

// getAttempt answers a stored attempt to the token of its session or to an interviewer key. To the
// token, the answers to follow-ups show once the session has answered them.
func (s *Server) getAttempt(c echo.Context) error {
	a, err := s.openAttempt(c, c.Param("id"))
	if err != nil {
		return err
	}
	var answered answeredSet
	if !hasRole(c, coach.RoleInterviewer) && a.SessionID != "" {
		if answered, err = s.sessionAnswered(c.Request().Context(), a.SessionID); err != nil {
			return err
		}
	}
	return c.JSON(http.StatusOK, s.newAttemptView(c, a, answered))
}
