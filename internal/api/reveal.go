package api

import (
	"context"

	"github.com/labstack/echo/v4"

	"github.com/interviewcoach/coach/internal/coach"
)

// The expected answer of a follow-up question, and the text of the key point it probes, are the answer
// to it. An interviewer (a key of the interviewer role or above) sees them always, to run the
// interview; anyone else, a candidate practising with or without a session token or a candidate key,
// sees them only for the follow-ups already answered, so that practice stays practice. Everything a
// response holds about follow-ups goes through followUpViews.

// followUpView is a follow-up question as the API shows it.
type followUpView struct {
	Question       string `json:"question"`
	Targets        string `json:"targets"`
	TargetText     string `json:"target_text,omitempty"`
	ExpectedAnswer string `json:"expected_answer,omitempty"`
	ReferenceID    string `json:"reference_id"`
	// AnswerHidden is set when TargetText and ExpectedAnswer are withheld until the follow-up is
	// answered.
	AnswerHidden bool `json:"answer_hidden"`
}

// attemptView is an attempt as the API shows it: its follow-ups through followUpViews and, for an
// answer to a follow-up, that follow-up in full, since answering it is what reveals it.
type attemptView struct {
	*coach.Attempt
	FollowUps        []followUpView `json:"followups"`
	AnsweredFollowUp *followUpView  `json:"answered_followup,omitempty"`
}

// reportView is a session report as the API shows it.
type reportView struct {
	*coach.SessionReport
	Attempts []reportAttemptView `json:"attempts"`
}

type reportAttemptView struct {
	coach.ReportAttempt
	FollowUps []followUpView `json:"followups"`
}

// answeredSet holds the follow-ups answered, as attempt id and index.
type answeredSet map[coach.FollowUpRef]bool

// followUpViews shows fs, the follow-ups of attempt attemptID, to the caller of c.
func followUpViews(c echo.Context, attemptID string, fs []coach.FollowUp, answered answeredSet) []followUpView {
	interviewer := hasRole(c, coach.RoleInterviewer)
	out := make([]followUpView, 0, len(fs))
	for i, f := range fs {
		v := followUpView{Question: f.Question, Targets: f.Targets, ReferenceID: f.ReferenceID}
		if interviewer || answered[coach.FollowUpRef{AttemptID: attemptID, Index: i}] {
			v.TargetText, v.ExpectedAnswer = f.TargetText, f.ExpectedAnswer
		} else {
			v.AnswerHidden = true
		}
		out = append(out, v)
	}
	return out
}

// newAttemptView shows a to the caller of c; answered lists the follow-ups already answered.
func (s *Server) newAttemptView(c echo.Context, a *coach.Attempt, answered answeredSet) *attemptView {
	if a.Warnings == nil {
		a.Warnings = []string{} // an empty list is [], never null, in every response
	}
	v := &attemptView{Attempt: a, FollowUps: followUpViews(c, a.ID, a.FollowUps, answered)}
	if ref := a.FollowUp; ref != nil {
		// The grading service let this answer in, so its caller may see the follow-up it answered.
		parent, err := s.Grading.Attempt(c.Request().Context(), ref.AttemptID)
		if err == nil && ref.Index >= 0 && ref.Index < len(parent.FollowUps) {
			f := followUpViews(c, parent.ID, parent.FollowUps[ref.Index:ref.Index+1], answeredSet{{AttemptID: parent.ID}: true})
			v.AnsweredFollowUp = &f[0]
		} else if err != nil {
			s.Logger.WarnContext(c.Request().Context(), "api: read the attempt of an answered follow-up", "attempt_id", ref.AttemptID, "error", err)
		}
	}
	return v
}

// sessionAnswered returns the follow-ups answered in session id.
func (s *Server) sessionAnswered(ctx context.Context, id string) (answeredSet, error) {
	sess, err := s.Practice.Get(ctx, id)
	if err != nil {
		return nil, err
	}
	r, err := s.Practice.Report(ctx, sess)
	if err != nil {
		return nil, err
	}
	return reportAnswered(r), nil
}

func reportAnswered(r *coach.SessionReport) answeredSet {
	answered := answeredSet{}
	for _, a := range r.Attempts {
		if a.FollowUp != nil {
			answered[*a.FollowUp] = true
		}
	}
	return answered
}

// newReportView shows r to the caller of c.
func newReportView(c echo.Context, r *coach.SessionReport) *reportView {
	answered := reportAnswered(r)
	v := &reportView{SessionReport: r, Attempts: make([]reportAttemptView, 0, len(r.Attempts))}
	for _, a := range r.Attempts {
		v.Attempts = append(v.Attempts, reportAttemptView{ReportAttempt: a, FollowUps: followUpViews(c, a.AttemptID, a.FollowUps, answered)})
	}
	return v
}
