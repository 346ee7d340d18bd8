package api

import (
	"net/http"
	"strings"

	"github.com/labstack/echo/v4"
)

// routes lists every route of the server.
func (s *Server) routes(e *echo.Echo) {
	e.GET("/healthz", s.healthz)
	e.GET("/readyz", s.readyz)

	v1 := e.Group("/api/v1")
	v1.GET("/topics", s.listTopics)
	v1.GET("/questions", s.listQuestions)
	v1.GET("/questions/:id", s.getQuestion)
	v1.POST("/search", s.search)
	if s.Grading != nil {
		v1.POST("/grade", s.grade)
		v1.POST("/followups", s.followups)
		v1.GET("/attempts/:id", s.getAttempt)
	}
	if s.Practice != nil {
		v1.POST("/sessions", s.createSession)
		v1.GET("/sessions/:id", s.getSession)
		v1.GET("/sessions/:id/next", s.nextQuestion)
		v1.GET("/sessions/:id/report", s.sessionReport)
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
