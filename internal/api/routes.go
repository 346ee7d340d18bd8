package api

import (
	"net/http"

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
	e.Any("/api/*", func(c echo.Context) error { return echo.ErrNotFound })

	if s.UI != nil {
		e.GET("/*", echo.WrapHandler(http.FileServer(http.FS(s.UI))))
	}
}
