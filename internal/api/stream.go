package api

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strconv"

	"github.com/labstack/echo/v4"

	"github.com/interviewcoach/coach/internal/coach"
)

// streamRequested reads ?stream=, a boolean.
func streamRequested(c echo.Context) (bool, error) {
	v := c.QueryParam("stream")
	if v == "" {
		return false, nil
	}
	stream, err := strconv.ParseBool(v)
	if err != nil {
		return false, coach.Errorf(coach.EINVALID, "stream must be true or false, not %q", v)
	}
	return stream, nil
}

// gradeStream grades req and answers with Server-Sent Events, each flushed as it is written:
//
//	event: references   {"question","question_id","grounded","references"} once they are
//	                    retrieved, before the grader runs
//	event: grade        the graded attempt, as POST /api/v1/grade answers it
//	event: error        {"error":{"code","message"}} when grading fails after the stream began
//
// The stream begins with the references event. A request that fails before it (invalid, unknown
// question, no references) gets the usual JSON error with its status instead.
func (s *Server) gradeStream(c echo.Context, req coach.GradeRequest) error {
	started := false
	var writeErr error
	attempt, err := s.Grading.GradeWithProgress(c.Request().Context(), req, func(r coach.Retrieval) {
		started = true
		h := c.Response().Header()
		h.Set(echo.HeaderContentType, "text/event-stream")
		h.Set(echo.HeaderCacheControl, "no-store")
		h.Set("X-Accel-Buffering", "no") // let proxies such as nginx pass each event on at once
		c.Response().WriteHeader(http.StatusOK)
		writeErr = writeEvent(c, "references", r)
	})
	switch {
	case !started && err != nil:
		return err
	case !started:
		return coach.Errorf(coach.EINTERNAL, "grading finished without reporting its references")
	case writeErr != nil:
		return writeErr // the client is gone
	case err != nil:
		code, message := coach.ErrorCode(err), coach.ErrorMessage(err)
		if code == coach.EINTERNAL {
			s.Logger.ErrorContext(c.Request().Context(), "internal error", "error", err,
				"uri", redactToken(c.Request().RequestURI))
		}
		return writeEvent(c, "error", newErrorBody(err, code, message))
	}
	return writeEvent(c, "grade", s.newAttemptView(c, attempt, nil))
}

// writeEvent writes one event and flushes it. JSON holds no raw newline, so data is one line.
func writeEvent(c echo.Context, event string, data any) error {
	b, err := json.Marshal(data)
	if err != nil {
		return fmt.Errorf("api: encode %s event: %w", event, err)
	}
	if _, err := fmt.Fprintf(c.Response(), "event: %s\ndata: %s\n\n", event, b); err != nil {
		return fmt.Errorf("api: write %s event: %w", event, err)
	}
	c.Response().Flush()
	return nil
}
