package api

import (
	"net/http"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/labstack/echo/v4"

	"github.com/interviewcoach/coach/internal/coach"
)

func (s *Server) healthz(c echo.Context) error {
	return c.JSON(http.StatusOK, map[string]string{"status": "ok"})
}

// readyz answers 200 only when the database answers and its schema is the one this build expects.
func (s *Server) readyz(c echo.Context) error {
	ctx := c.Request().Context()
	if err := s.Health.Ping(ctx); err != nil {
		// The driver's message names hosts, users and databases: the log gets it, the caller not.
		s.Logger.WarnContext(ctx, "readiness: database unreachable", "error", err)
		return coach.Errorf(coach.EUNAVAILABLE, "the database is unavailable")
	}
	if err := s.Health.CheckSchema(ctx); err != nil {
		return err
	}
	return c.JSON(http.StatusOK, map[string]string{"status": "ready"})
}

func (s *Server) listTopics(c echo.Context) error {
	topics, err := s.Bank.Topics(c.Request().Context())
	if err != nil {
		return err
	}
	if topics == nil {
		topics = []coach.Topic{}
	}
	return c.JSON(http.StatusOK, map[string]any{"topics": topics})
}

// Page sizes of GET /api/v1/questions.
const (
	defaultLimit = 20
	maxLimit     = 100
	// maxFilterChars bounds the text filter of the question list: longer is no search anyone types,
	// and each character costs the database work on every row.
	maxFilterChars = 200
	// similarHits is how many passages a question search by meaning reads (the most a search
	// returns): documentation passages, which have no question, take their share.
	similarHits = 50
)

func (s *Server) listQuestions(c echo.Context) error {
	f := coach.QuestionFilter{
		Topic:      c.QueryParam("topic"),
		Difficulty: c.QueryParam("difficulty"),
		Query:      strings.TrimSpace(c.QueryParam("q")),
		After:      c.QueryParam("cursor"),
		Limit:      defaultLimit,
	}
	if f.Difficulty != "" && !coach.ValidDifficulty(f.Difficulty) {
		return coach.Errorf(coach.EINVALID, "difficulty must be easy, medium or hard")
	}
	if n := utf8.RuneCountInString(f.Query); n > maxFilterChars {
		return coach.Errorf(coach.EINVALID, "q is %d characters long; the limit is %d", n, maxFilterChars)
	}
	if v := c.QueryParam("limit"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > maxLimit {
			return coach.Errorf(coach.EINVALID, "limit must be a whole number from 1 to %d", maxLimit)
		}
		f.Limit = n
	}
	questions, next, err := s.Bank.Questions(c.Request().Context(), f)
	if err != nil {
		return err
	}
	matched := "words"
	if len(questions) == 0 && f.Query != "" && f.After == "" && s.Searcher != nil {
		// No question holds the words: look for questions whose passages mean the same, by vector
		// and full-text search of the bank's passages ("why is my page slow when listing books
		// with authors" finds the N+1 question).
		if questions, err = s.similarQuestions(c, f); err != nil {
			return err
		}
		matched = "meaning"
	}
	if questions == nil {
		questions = []coach.Question{}
	}
	for i := range questions {
		if questions[i].Tags == nil {
			questions[i].Tags = []string{}
		}
	}
	return c.JSON(http.StatusOK, map[string]any{"questions": questions, "next_cursor": next, "matched": matched})
}

// similarQuestions returns up to f.Limit questions of the bank whose passages best match f.Query
// by hybrid search, in that order, within f.Topic and f.Difficulty.
func (s *Server) similarQuestions(c echo.Context, f coach.QuestionFilter) ([]coach.Question, error) {
	ctx := c.Request().Context()
	hits, err := s.Searcher.SearchKind(ctx, f.Query, similarHits, f.Topic, "")
	if err != nil {
		return nil, err
	}
	var out []coach.Question
	seen := map[string]bool{}
	for _, h := range hits {
		if h.QuestionID == "" || seen[h.QuestionID] || len(out) >= f.Limit {
			continue
		}
		seen[h.QuestionID] = true
		q, err := s.Bank.Question(ctx, h.QuestionID)
		if err != nil {
			return nil, err
		}
		if f.Difficulty != "" && q.Difficulty != f.Difficulty {
			continue
		}
		q.References = nil
		out = append(out, *q)
	}
	return out, nil
}

func (s *Server) getQuestion(c echo.Context) error {
	q, err := s.Bank.Question(c.Request().Context(), c.Param("id"))
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, withReferences(q))
}

type searchRequest struct {
	Query string `json:"query"`
	K     *int   `json:"k"`
	Topic string `json:"topic"`
	// Kind limits the results to one kind of source: bank, page or docs.
	Kind string `json:"kind"`
}

func (s *Server) search(c echo.Context) error {
	var req searchRequest
	if err := bind(c, &req); err != nil {
		return err
	}
	k := 5
	if req.K != nil {
		k = *req.K
	}
	results, err := s.Searcher.SearchKind(c.Request().Context(), req.Query, k, req.Topic, req.Kind)
	if err != nil {
		return err
	}
	if results == nil {
		results = []coach.SearchResult{}
	}
	return c.JSON(http.StatusOK, map[string]any{"results": results})
}
