package api

import (
	"context"
	"net/http"

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
	if err := s.checkSession(c, req.SessionID); err != nil {
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
	if err := s.checkSession(c, req.SessionID); err != nil {
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
