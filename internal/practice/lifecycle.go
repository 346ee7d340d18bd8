package practice

import (
	"context"

	"github.com/interviewcoach/coach/internal/coach"
)

// Get returns session id without its token, for staff whose key lets them read every session; it is
// ENOTFOUND when there is no such session. Candidates open sessions with Authorize.
func (s *Service) Get(ctx context.Context, id string) (*coach.Session, error) {
	return s.Store.Session(ctx, id)
}

// Delete erases sess and every attempt graded in it.
func (s *Service) Delete(ctx context.Context, sess *coach.Session) error {
	return s.Store.DeleteSession(ctx, sess.ID)
}
