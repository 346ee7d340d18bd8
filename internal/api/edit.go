package api

import (
	"context"
	"net/http"

	"github.com/labstack/echo/v4"

	"github.com/interviewcoach/coach/internal/coach"
)

// Editor edits the bank one question, reference or key point at a time. Every change is recorded
// with the actor of its context (coach.WithActor).
type Editor interface {
	CreateQuestion(ctx context.Context, q coach.Question) (*coach.Question, error)
	UpdateQuestion(ctx context.Context, id string, e coach.QuestionEdit) (*coach.Question, error)
	DeleteQuestion(ctx context.Context, id string) error
	MergeQuestions(ctx context.Context, from, into string) (*coach.Question, error)
	AddReference(ctx context.Context, questionID string, in coach.NewReference) (*coach.Question, error)
	UpdateReference(ctx context.Context, id string, e coach.ReferenceEdit) (*coach.Reference, error)
	MoveReference(ctx context.Context, id, questionID string) error
	DeleteReference(ctx context.Context, id string) error
	AddKeyPoint(ctx context.Context, refID string, in coach.NewKeyPoint, admin bool) (*coach.KeyPoint, error)
	UpdateKeyPoint(ctx context.Context, id string, e coach.KeyPointEdit) error
	DeleteKeyPoint(ctx context.Context, id string) error
	ReorderKeyPoints(ctx context.Context, refID string, ids []string) error
	AuditTrail(ctx context.Context, entity, id string) ([]coach.AuditEntry, error)
}

// actorCtx is the request's context naming its caller for the audit trail.
func actorCtx(c echo.Context) context.Context {
	ctx := c.Request().Context()
	if p := principal(c); p != nil {
		return coach.WithActor(ctx, p.Name+" ("+p.Role+", key "+p.KeyID+")")
	}
	return ctx
}

// questionOut is a question as the API shows it: with its references, even none.
type questionOut struct {
	*coach.Question
	References []coach.Reference `json:"references"`
}

func withReferences(q *coach.Question) questionOut {
	refs := q.References
	if refs == nil {
		refs = []coach.Reference{}
	}
	return questionOut{Question: q, References: refs}
}

type newQuestion struct {
	ID         string   `json:"id"`
	Topic      string   `json:"topic"`
	Text       string   `json:"text"`
	Difficulty string   `json:"difficulty"`
	Tags       []string `json:"tags"`
}

func (s *Server) createQuestion(c echo.Context) error {
	var in newQuestion
	if err := bind(c, &in); err != nil {
		return err
	}
	q, err := s.Editor.CreateQuestion(actorCtx(c), coach.Question{ID: in.ID, TopicID: in.Topic, Text: in.Text, Difficulty: in.Difficulty, Tags: in.Tags})
	if err != nil {
		return err
	}
	return c.JSON(http.StatusCreated, withReferences(q))
}

func (s *Server) updateQuestion(c echo.Context) error {
	var e coach.QuestionEdit
	if err := bind(c, &e); err != nil {
		return err
	}
	q, err := s.Editor.UpdateQuestion(actorCtx(c), c.Param("id"), e)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, withReferences(q))
}

func (s *Server) mergeQuestion(c echo.Context) error {
	var in struct {
		Into string `json:"into"`
	}
	if err := bind(c, &in); err != nil {
		return err
	}
	q, err := s.Editor.MergeQuestions(actorCtx(c), c.Param("id"), in.Into)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, withReferences(q))
}

func (s *Server) addReference(c echo.Context) error {
	var in coach.NewReference
	if err := bind(c, &in); err != nil {
		return err
	}
	q, err := s.Editor.AddReference(actorCtx(c), c.Param("id"), in)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusCreated, withReferences(q))
}

// patchReference moves a reference to another question (question_id: 204) or edits it in place
// (text, source, source_url: 200 with the reference); one request does one of the two.
func (s *Server) patchReference(c echo.Context) error {
	var in struct {
		QuestionID *string `json:"question_id"`
		coach.ReferenceEdit
	}
	if err := bind(c, &in); err != nil {
		return err
	}
	e := in.ReferenceEdit
	if in.QuestionID == nil {
		ref, err := s.Editor.UpdateReference(actorCtx(c), c.Param("id"), e)
		if err != nil {
			return err
		}
		return c.JSON(http.StatusOK, ref)
	}
	if e.Text != nil || e.Source != nil || e.SourceURL != nil {
		return coach.Errorf(coach.EINVALID, "give question_id to move the reference, or text, source and source_url to edit it, not both")
	}
	if err := s.Editor.MoveReference(actorCtx(c), c.Param("id"), *in.QuestionID); err != nil {
		return err
	}
	return c.NoContent(http.StatusNoContent)
}

func (s *Server) deleteReference(c echo.Context) error {
	if err := s.Editor.DeleteReference(actorCtx(c), c.Param("id")); err != nil {
		return err
	}
	return c.NoContent(http.StatusNoContent)
}

func (s *Server) addKeyPoint(c echo.Context) error {
	var in coach.NewKeyPoint
	if err := bind(c, &in); err != nil {
		return err
	}
	p := principal(c)
	admin := p != nil && coach.HasRole(p.Role, coach.RoleAdmin)
	kp, err := s.Editor.AddKeyPoint(actorCtx(c), c.Param("id"), in, admin)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusCreated, kp)
}

func (s *Server) updateKeyPoint(c echo.Context) error {
	var e coach.KeyPointEdit
	if err := bind(c, &e); err != nil {
		return err
	}
	if err := s.Editor.UpdateKeyPoint(actorCtx(c), c.Param("id"), e); err != nil {
		return err
	}
	return c.NoContent(http.StatusNoContent)
}

func (s *Server) deleteKeyPoint(c echo.Context) error {
	if err := s.Editor.DeleteKeyPoint(actorCtx(c), c.Param("id")); err != nil {
		return err
	}
	return c.NoContent(http.StatusNoContent)
}

func (s *Server) reorderKeyPoints(c echo.Context) error {
	var in struct {
		IDs []string `json:"ids"`
	}
	if err := bind(c, &in); err != nil {
		return err
	}
	if err := s.Editor.ReorderKeyPoints(actorCtx(c), c.Param("id"), in.IDs); err != nil {
		return err
	}
	return c.NoContent(http.StatusNoContent)
}

func (s *Server) auditTrail(c echo.Context) error {
	entries, err := s.Editor.AuditTrail(c.Request().Context(), c.QueryParam("entity"), c.QueryParam("id"))
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, map[string]any{"entries": entries})
}

// deleteQuestionEdited deletes a question through the editor, so the deletion is recorded.
func (s *Server) deleteQuestionEdited(c echo.Context) error {
	id := c.Param("id")
	if err := s.Editor.DeleteQuestion(actorCtx(c), id); err != nil {
		return err
	}
	s.audit(c, "question deleted", "question_id", id)
	return c.NoContent(http.StatusNoContent)
}
