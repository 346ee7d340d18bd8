// Package practice runs practice sessions: it creates them with their secret tokens, checks the
// tokens, picks the next question a session asks (see Pick for the review schedule) and sums up a
// session's attempts per topic. It depends on the domain only.
package practice

import (
	"bytes"
	"context"
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"encoding/hex"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/interviewcoach/coach/internal/coach"
)

// Store is what sessions need of the database.
type Store interface {
	CreateSession(ctx context.Context, s *coach.Session) error
	Session(ctx context.Context, id string) (*coach.Session, error)
	// SessionAttempts returns a session's attempts, oldest first.
	SessionAttempts(ctx context.Context, sessionID string) ([]coach.SessionAttempt, error)
	// SessionQuestions returns the questions of topic and difficulty ("" for any).
	SessionQuestions(ctx context.Context, topic, difficulty string) ([]coach.Question, error)
	TopicExists(ctx context.Context, id string) (bool, error)
	// Topics lists the bank's topics, for their names.
	Topics(ctx context.Context) ([]coach.Topic, error)
	// DeleteSession deletes a session with its attempts.
	DeleteSession(ctx context.Context, id string) error
}

// Service creates, opens and reads practice sessions.
type Service struct {
	Store Store
}

// MaxNameRunes is the longest session name accepted.
const MaxNameRunes = 100

// tokenBytes is the size of a session token: 256 random bits, written as unpadded base64url.
const tokenBytes = 32

// Create validates req and stores a new session. It returns the session and its token, which is
// shown this once: only its SHA-256 hash is stored.
func (s *Service) Create(ctx context.Context, req coach.SessionRequest) (*coach.Session, string, error) {
	sess := &coach.Session{
		Name:       strings.TrimSpace(req.Name),
		Topic:      strings.TrimSpace(req.Topic),
		Difficulty: strings.TrimSpace(req.Difficulty),
	}
	switch {
	case !utf8.ValidString(sess.Name) || strings.IndexFunc(sess.Name, unicode.IsControl) >= 0:
		return nil, "", coach.Errorf(coach.EINVALID, "name must be one line of text")
	case utf8.RuneCountInString(sess.Name) > MaxNameRunes:
		return nil, "", coach.Errorf(coach.EINVALID, "name is longer than %d characters", MaxNameRunes)
	case sess.Difficulty != "" && !coach.ValidDifficulty(sess.Difficulty):
		return nil, "", coach.Errorf(coach.EINVALID, "difficulty must be easy, medium or hard")
	}
	if sess.Topic != "" {
		exists, err := s.Store.TopicExists(ctx, sess.Topic)
		if err != nil {
			return nil, "", err
		}
		if !exists {
			return nil, "", coach.Errorf(coach.EINVALID, "topic %s does not exist (GET /api/v1/topics lists them)", coach.Echo(sess.Topic))
		}
	}
	// A session that could never ask anything is a mistake better reported now than at its first
	// question.
	questions, err := s.Store.SessionQuestions(ctx, sess.Topic, sess.Difficulty)
	if err != nil {
		return nil, "", err
	}
	if len(questions) == 0 {
		return nil, "", coach.Errorf(coach.EINVALID, "no question matches %s", describeFilter(sess))
	}

	token := newToken()
	sess.ID = newSessionID()
	sess.TokenHash = hashToken(token)
	if err := s.Store.CreateSession(ctx, sess); err != nil {
		return nil, "", err
	}
	return sess, token, nil
}

// Authorize returns session id when token opens it. A missing token is EUNAUTHORIZED; a wrong token
// and a session that does not exist are both EFORBIDDEN with the same message, so that no answer
// tells whether a session exists.
func (s *Service) Authorize(ctx context.Context, id, token string) (*coach.Session, error) {
	if token == "" {
		return nil, coach.Errorf(coach.EUNAUTHORIZED, "this session needs its token (the X-Session-Token header)")
	}
	forbidden := coach.Errorf(coach.EFORBIDDEN, "this token does not open session %q", id)
	sess, err := s.Store.Session(ctx, id)
	if coach.ErrorCode(err) == coach.ENOTFOUND {
		return nil, forbidden
	} else if err != nil {
		return nil, err
	}
	if subtle.ConstantTimeCompare(hashToken(token), sess.TokenHash) != 1 {
		return nil, forbidden
	}
	return sess, nil
}

// Next returns the question sess asks next; see Pick.
func (s *Service) Next(ctx context.Context, sess *coach.Session) (*coach.NextQuestion, error) {
	questions, err := s.Store.SessionQuestions(ctx, sess.Topic, sess.Difficulty)
	if err != nil {
		return nil, err
	}
	attempts, err := s.Store.SessionAttempts(ctx, sess.ID)
	if err != nil {
		return nil, err
	}
	next := Pick(sess.ID, questions, attempts)
	if next == nil {
		return nil, coach.Errorf(coach.ENOTFOUND, "no question matches %s", describeFilter(sess))
	}
	return next, nil
}

// Summary returns sess with the brief history of its attempts, oldest first, and the per-topic
// figures of Summarize.
func (s *Service) Summary(ctx context.Context, sess *coach.Session) (*coach.SessionSummary, error) {
	attempts, err := s.Store.SessionAttempts(ctx, sess.ID)
	if err != nil {
		return nil, err
	}
	sum := &coach.SessionSummary{Session: *sess, History: []coach.HistoryItem{}, Topics: Summarize(attempts)}
	total := 0
	for _, sa := range attempts {
		a := sa.Attempt
		total += a.Score
		sum.History = append(sum.History, coach.HistoryItem{
			AttemptID: a.ID, QuestionID: a.QuestionID, Question: a.Question, Topic: sa.Topic,
			Score: a.Score, Band: a.Band, CreatedAt: a.CreatedAt,
		})
	}
	sum.Answers = len(attempts)
	if len(attempts) > 0 {
		sum.MeanScore = round1(float64(total) / float64(len(attempts)))
	}
	return sum, nil
}

// Report returns every attempt of sess in full, oldest first, with the per-topic figures.
func (s *Service) Report(ctx context.Context, sess *coach.Session) (*coach.SessionReport, error) {
	attempts, err := s.Store.SessionAttempts(ctx, sess.ID)
	if err != nil {
		return nil, err
	}
	topics, err := s.Store.Topics(ctx)
	if err != nil {
		return nil, err
	}
	r := &coach.SessionReport{Session: *sess, Attempts: []coach.ReportAttempt{}, Topics: Summarize(attempts),
		TopicNames: map[string]string{}}
	for _, t := range topics {
		if t.ID == sess.Topic || slices.ContainsFunc(attempts, func(sa coach.SessionAttempt) bool { return sa.Topic == t.ID }) {
			r.TopicNames[t.ID] = t.Name
		}
	}
	for _, sa := range attempts {
		a := sa.Attempt
		r.Attempts = append(r.Attempts, coach.ReportAttempt{
			AttemptID: a.ID, QuestionID: a.QuestionID, Question: a.Question, Topic: sa.Topic, Answer: a.Answer,
			Score: a.Score, Band: a.Band, Grounded: a.Grounded, Grader: a.Grader, KeyPoints: nonNil(a.KeyPoints),
			Misconceptions: nonNil(a.Misconceptions), Feedback: a.Feedback, FollowUps: nonNil(a.FollowUps),
			FollowUp: a.FollowUp, CreatedAt: a.CreatedAt,
		})
	}
	return r, nil
}

// MarkdownReport is Report written as a Markdown document; see WriteMarkdown.
func (s *Service) MarkdownReport(ctx context.Context, sess *coach.Session) ([]byte, error) {
	r, err := s.Report(ctx, sess)
	if err != nil {
		return nil, err
	}
	var buf bytes.Buffer
	WriteMarkdown(&buf, r)
	return buf.Bytes(), nil
}

func describeFilter(sess *coach.Session) string {
	d, t := "any difficulty", "any topic"
	if sess.Difficulty != "" {
		d = "difficulty " + sess.Difficulty
	}
	if sess.Topic != "" {
		t = "topic " + sess.Topic
	}
	return t + " and " + d
}

func newToken() string {
	b := make([]byte, tokenBytes)
	_, _ = rand.Read(b) // never fails (crypto/rand)
	return base64.RawURLEncoding.EncodeToString(b)
}

func hashToken(token string) []byte {
	sum := sha256.Sum256([]byte(token))
	return sum[:]
}

func newSessionID() string {
	b := make([]byte, 12)
	_, _ = rand.Read(b)
	return "s-" + hex.EncodeToString(b)
}

func nonNil[T any](s []T) []T {
	if s == nil {
		return []T{}
	}
	return s
}
