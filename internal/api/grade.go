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
	Attempt(ctx context.Context, id string) (*coach.Attempt, error)
}

func (s *Server) grade(c echo.Context) error {
	var req coach.GradeRequest
	if err := bind(c, &req); err != nil {
		return err
	}
	attempt, err := s.Grading.Grade(c.Request().Context(), req)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, attempt)
}

// followups grades the answer and returns the follow-up questions aimed at its gaps, with the grade
// for interviewers who want it.
func (s *Server) followups(c echo.Context) error {
	var req coach.GradeRequest
	if err := bind(c, &req); err != nil {
		return err
	}
	attempt, err := s.Grading.Grade(c.Request().Context(), req)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, map[string]any{
		"attempt_id": attempt.ID,
		"followups":  attempt.FollowUps,
		"score":      attempt.Score,
		"band":       attempt.Band,
		"grounded":   attempt.Grounded,
		"key_points": attempt.KeyPoints,
		"references": attempt.References,
		"grader":     attempt.Grader,
	})
}

func (s *Server) getAttempt(c echo.Context) error {
	a, err := s.Grading.Attempt(c.Request().Context(), c.Param("id"))
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, a)
}
