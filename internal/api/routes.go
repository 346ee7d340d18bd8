package api

import (
	"net/http"
	"strings"

	"github.com/labstack/echo/v4"

	"github.com/interviewcoach/coach/internal/coach"
)

// routes lists every route of the server.
func (s *Server) routes(e *echo.Echo) {
	e.GET("/healthz", s.healthz)
	e.GET("/readyz", s.readyz)
	if s.Metrics != nil {
		e.GET("/metrics", echo.WrapHandler(s.Metrics))
	}

	e.GET("/api/openapi.json", s.openAPI)

	// Each API route names who may call it (see auth.go) and how long it may take. Every stack
	// starts with authenticate, which refuses bad keys; "token" routes leave the check to the handler
	// (a session's token or an interviewer key). Grading is also rate limited, one budget for both
	// routes.
	v1 := e.Group("/api/v1")
	quick, slow := s.timeout(s.Limits.RequestTimeout), s.timeout(s.Limits.GradeTimeout)
	practice := []echo.MiddlewareFunc{s.authenticate, quick, s.practice} // anyone while practice is open, else a key
	token := []echo.MiddlewareFunc{s.authenticate, quick}
	grading := []echo.MiddlewareFunc{s.authenticate, slow, s.rateLimit()} // token, or as practice outside sessions
	searching := append(practice[:len(practice):len(practice)], s.limit("search", "searches", s.Limits.SearchRate, SearchBurst))
	starting := append(practice[:len(practice):len(practice)], s.limit("session", "new sessions", s.Limits.SessionRate, SessionBurst))
	admin := []echo.MiddlewareFunc{s.authenticate, quick, s.allow(coach.RoleAdmin)}
	adminSlow := []echo.MiddlewareFunc{s.authenticate, slow, s.allow(coach.RoleAdmin)}

	v1.GET("/topics", s.listTopics, practice...)
	v1.GET("/questions", s.listQuestions, searching...)
	v1.GET("/questions/:id", s.getQuestion, practice...)
	v1.POST("/search", s.search, searching...)
	if s.Grading != nil {
		v1.POST("/grade", s.grade, grading...)
		v1.POST("/followups", s.followups, grading...)
		v1.GET("/attempts/:id", s.getAttempt, token...)
	}
	if s.Practice != nil {
		v1.POST("/sessions", s.createSession, starting...)
		v1.GET("/sessions/:id", s.getSession, token...)
		v1.DELETE("/sessions/:id", s.deleteSession, token...)
		v1.GET("/sessions/:id/next", s.nextQuestion, token...)
		v1.POST("/sessions/:id/end", s.endSession, token...)
		v1.GET("/sessions/:id/report", s.sessionReport, token...)
	}
	if s.Admin != nil {
		v1.POST("/bank/import", s.importBank, adminSlow...)
		v1.GET("/bank/jobs/:id", s.importJob, admin...)
		v1.POST("/bank/reindex", s.reindex, adminSlow...)
		v1.GET("/bank/review", s.review, admin...)
		if s.Editor == nil {
			v1.DELETE("/questions/:id", s.deleteQuestion, admin...)
		}
	}
	if s.Editor != nil {
		// Admins edit the bank; interviewers may only propose key points, which arrive as drafts.
		interviewer := []echo.MiddlewareFunc{s.authenticate, quick, s.allow(coach.RoleInterviewer)}
		v1.POST("/questions", s.createQuestion, admin...)
		v1.PATCH("/questions/:id", s.updateQuestion, admin...)
		v1.DELETE("/questions/:id", s.deleteQuestionEdited, admin...)
		v1.POST("/questions/:id/merge", s.mergeQuestion, admin...)
		v1.POST("/questions/:id/references", s.addReference, admin...)
		v1.PATCH("/references/:id", s.patchReference, admin...)
		v1.DELETE("/references/:id", s.deleteReference, admin...)
		v1.POST("/references/:id/key_points", s.addKeyPoint, interviewer...)
		v1.PUT("/references/:id/key_points/order", s.reorderKeyPoints, admin...)
		v1.PATCH("/key_points/:id", s.updateKeyPoint, admin...)
		v1.DELETE("/key_points/:id", s.deleteKeyPoint, admin...)
		v1.GET("/bank/audit", s.auditTrail, admin...)
	}
	if s.Keys != nil {
		v1.GET("/keys", s.listKeys, admin...)
		v1.POST("/keys", s.createKey, admin...)
		v1.DELETE("/keys/:id", s.revokeKey, admin...)
	}
	if s.UI != nil {
		files := http.FileServer(http.FS(s.UI))
		e.GET("/*", func(c echo.Context) error {
			if strings.HasPrefix(c.Request().URL.Path, "/api/") {
				return echo.ErrNotFound // API paths answer in JSON, never with a page
			}
			files.ServeHTTP(c.Response(), c.Request())
			return nil
		})
	}
}
