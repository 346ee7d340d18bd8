package practice_test

import (
	"context"
	"crypto/sha256"
	"encoding/base64"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/interviewcoach/coach/internal/coach"
	"github.com/interviewcoach/coach/internal/practice"
)

// memStore keeps sessions in memory; the bank has topic orm with hard questions only.
type memStore struct {
	sessions map[string]*coach.Session
	attempts map[string][]coach.SessionAttempt
}

func (m *memStore) CreateSession(_ context.Context, s *coach.Session) error {
	m.sessions[s.ID] = s
	return nil
}

func (m *memStore) Session(_ context.Context, id string) (*coach.Session, error) {
	s, ok := m.sessions[id]
	if !ok {
		return nil, coach.Errorf(coach.ENOTFOUND, "session %q not found", id)
	}
	return s, nil
}

func (m *memStore) SessionAttempts(_ context.Context, id string) ([]coach.SessionAttempt, error) {
	return m.attempts[id], nil
}

func (m *memStore) SessionQuestions(_ context.Context, topics []string, difficulty string) ([]coach.Question, error) {
	if (len(topics) > 0 && !slices.Contains(topics, "orm")) || (difficulty != "" && difficulty != "hard") {
		return nil, nil
	}
	return questions("q1", "q2"), nil
}

func (m *memStore) TopicExists(_ context.Context, id string) (bool, error) { return id == "orm", nil }

func (m *memStore) Topics(context.Context) ([]coach.Topic, error) {
	return []coach.Topic{{ID: "orm", Name: "Models and the ORM", QuestionCount: 2}}, nil
}

func (m *memStore) EndSession(_ context.Context, id string) (time.Time, error) {
	s, ok := m.sessions[id]
	if !ok {
		return time.Time{}, coach.Errorf(coach.ENOTFOUND, "session %q not found", id)
	}
	if s.EndedAt == nil {
		now := time.Now()
		s.EndedAt = &now
	}
	return *s.EndedAt, nil
}

func (m *memStore) DeleteSession(_ context.Context, id string) error {
	if _, ok := m.sessions[id]; !ok {
		return coach.Errorf(coach.ENOTFOUND, "session %q not found", id)
	}
	delete(m.sessions, id)
	delete(m.attempts, id)
	return nil
}

func newService() (*practice.Service, *memStore) {
	m := &memStore{sessions: map[string]*coach.Session{}, attempts: map[string][]coach.SessionAttempt{}}
	return &practice.Service{Store: m}, m
}

func TestCreate(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	tests := []struct {
		name string
		req  coach.SessionRequest
		err  string // part of the error message; "" for success
	}{
		{"everything optional", coach.SessionRequest{}, ""},
		{"all fields", coach.SessionRequest{Topic: " orm ", Difficulty: "hard", Name: " Ada "}, ""},
		{"unknown topic named", coach.SessionRequest{Topic: "cooking"}, `topic "cooking" does not exist`},
		{"bad difficulty", coach.SessionRequest{Difficulty: "extreme"}, "difficulty must be easy, medium or hard"},
		{"no question matches", coach.SessionRequest{Topic: "orm", Difficulty: "easy"}, "no question matches topic orm and difficulty easy"},
		{"name too long", coach.SessionRequest{Name: strings.Repeat("n", practice.MaxNameRunes+1)}, "name is longer"},
		{"name on two lines", coach.SessionRequest{Name: "a\nb"}, "one line"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			svc, m := newService()
			sess, token, err := svc.Create(ctx, tt.req)
			if tt.err != "" {
				if coach.ErrorCode(err) != coach.EINVALID || !strings.Contains(coach.ErrorMessage(err), tt.err) {
					t.Errorf("err = %v, want invalid with %q", err, tt.err)
				}
				if len(m.sessions) != 0 {
					t.Error("an invalid session was stored")
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if sess.Name != strings.TrimSpace(tt.req.Name) || sess.Topic != strings.TrimSpace(tt.req.Topic) || !strings.HasPrefix(sess.ID, "s-") {
				t.Errorf("session = %+v", sess)
			}
			raw, err := base64.RawURLEncoding.DecodeString(token)
			if err != nil || len(raw) < 16 {
				t.Errorf("token %q is not base64url of at least 128 bits", token)
			}
			sum := sha256.Sum256([]byte(token))
			if stored := m.sessions[sess.ID]; string(stored.TokenHash) != string(sum[:]) {
				t.Error("the stored hash is not the token's SHA-256")
			}
		})
	}
}

func TestAuthorize(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	svc, _ := newService()
	a, tokenA, err := svc.Create(ctx, coach.SessionRequest{})
	if err != nil {
		t.Fatal(err)
	}
	b, tokenB, err := svc.Create(ctx, coach.SessionRequest{})
	if err != nil {
		t.Fatal(err)
	}
	if a.ID == b.ID || tokenA == tokenB {
		t.Fatal("two sessions share an id or a token")
	}
	if got, err := svc.Authorize(ctx, a.ID, tokenA); err != nil || got.ID != a.ID {
		t.Errorf("own token: %v, %v", got, err)
	}
	tests := []struct {
		name, id, token, code string
	}{
		{"no token", a.ID, "", coach.EUNAUTHORIZED},
		{"another session's token", a.ID, tokenB, coach.EFORBIDDEN},
		{"a wrong token", a.ID, tokenA + "x", coach.EFORBIDDEN},
		{"a session that does not exist", "s-none", tokenA, coach.EFORBIDDEN},
	}
	for _, tt := range tests {
		if _, err := svc.Authorize(ctx, tt.id, tt.token); coach.ErrorCode(err) != tt.code {
			t.Errorf("%s: err = %v, want %s", tt.name, err, tt.code)
		}
	}
}

func TestNextWithoutQuestions(t *testing.T) {
	t.Parallel()
	svc, _ := newService()
	// The bank lost the session's questions after it was created.
	_, err := svc.Next(context.Background(), &coach.Session{ID: "s-1", Topic: "orm", Difficulty: "easy"})
	if coach.ErrorCode(err) != coach.ENOTFOUND {
		t.Errorf("err = %v, want not found", err)
	}
}

func TestSessionPlan(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	svc, m := newService()
	for _, tt := range []struct {
		req  coach.SessionRequest
		want string // in the error
	}{
		{coach.SessionRequest{Topic: "orm", Topics: []string{"orm"}}, "not both"},
		{coach.SessionRequest{Topics: []string{"orm", "cooking"}}, "topic \"cooking\" does not exist"},
		{coach.SessionRequest{QuestionCount: -1}, "question_count"},
		{coach.SessionRequest{QuestionCount: coach.MaxSessionQuestions + 1}, "question_count"},
		{coach.SessionRequest{AnswerSeconds: coach.MaxAnswerSeconds + 1}, "answer_seconds"},
	} {
		if _, _, err := svc.Create(ctx, tt.req); coach.ErrorCode(err) != coach.EINVALID || !strings.Contains(coach.ErrorMessage(err), tt.want) {
			t.Errorf("Create(%+v) = %v, want invalid naming %q", tt.req, err, tt.want)
		}
	}

	sess, _, err := svc.Create(ctx, coach.SessionRequest{Topics: []string{"orm", " orm "}, QuestionCount: 2, AnswerSeconds: 60})
	if err != nil {
		t.Fatal(err)
	}
	if len(sess.Topics) != 1 || sess.Topic != "orm" || sess.QuestionCount != 2 || sess.AnswerSeconds != 60 {
		t.Errorf("session = %+v", sess)
	}
	answer := func(followUp bool) {
		sa := attempt("q1", 40)
		if followUp {
			sa.Attempt.FollowUp = &coach.FollowUpRef{AttemptID: "a-q1"}
		}
		m.attempts[sess.ID] = append(m.attempts[sess.ID], sa)
	}
	answer(false)
	answer(true) // follow-up answers do not count in the plan
	if _, err := svc.Next(ctx, sess); err != nil {
		t.Fatalf("next after 1 of 2 = %v", err)
	}
	if sum, err := svc.Summary(ctx, sess); err != nil || sum.Asked != 1 || sum.Answers != 2 || sum.Done {
		t.Errorf("summary after 1 of 2 = %+v, %v", sum, err)
	}
	answer(false)
	if _, err := svc.Next(ctx, sess); coach.ErrorCode(err) != coach.ECONFLICT {
		t.Errorf("next after the plan = %v, want conflict", err)
	}
	if sum, err := svc.Summary(ctx, sess); err != nil || sum.Asked != 2 || !sum.Done {
		t.Errorf("summary after the plan = %+v, %v", sum, err)
	}

	open, _, err := svc.Create(ctx, coach.SessionRequest{})
	if err != nil {
		t.Fatal(err)
	}
	sum, err := svc.End(ctx, open)
	if err != nil || !sum.Done || sum.EndedAt == nil || len(sum.Topics) != 0 {
		t.Fatalf("End = %+v, %v", sum, err)
	}
	if _, err := svc.Next(ctx, open); coach.ErrorCode(err) != coach.ECONFLICT {
		t.Errorf("next after the end = %v, want conflict", err)
	}
}
