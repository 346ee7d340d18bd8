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
	"time"
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
	// SessionQuestions returns the questions of topics (none: every topic) and difficulty ("" for any).
	SessionQuestions(ctx context.Context, topics []string, difficulty string) ([]coach.Question, error)
	// EndSession records that a session ended, once, and returns when.
	EndSession(ctx context.Context, id string) (time.Time, error)
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
		Name:          strings.TrimSpace(req.Name),
		Difficulty:    strings.TrimSpace(req.Difficulty),
		QuestionCount: req.QuestionCount,
		AnswerSeconds: req.AnswerSeconds,
		Topics:        []string{},
	}
	switch {
	case !utf8.ValidString(sess.Name) || strings.IndexFunc(sess.Name, unicode.IsControl) >= 0:
		return nil, "", coach.Errorf(coach.EINVALID, "name must be one line of text")
	case utf8.RuneCountInString(sess.Name) > MaxNameRunes:
		return nil, "", coach.Errorf(coach.EINVALID, "name is longer than %d characters", MaxNameRunes)
	case sess.Difficulty != "" && !coach.ValidDifficulty(sess.Difficulty):
		return nil, "", coach.Errorf(coach.EINVALID, "difficulty must be easy, medium or hard")
	case strings.TrimSpace(req.Topic) != "" && len(req.Topics) > 0:
		return nil, "", coach.Errorf(coach.EINVALID, "give topic or topic_ids, not both")
	case len(req.Topics) > coach.MaxSessionTopics:
		return nil, "", coach.Errorf(coach.EINVALID, "topic_ids lists %d topics; at most %d", len(req.Topics), coach.MaxSessionTopics)
	case req.QuestionCount < 0 || req.QuestionCount > coach.MaxSessionQuestions:
		return nil, "", coach.Errorf(coach.EINVALID, "question_count must be 0 (no end) to %d", coach.MaxSessionQuestions)
	case req.AnswerSeconds < 0 || req.AnswerSeconds > coach.MaxAnswerSeconds:
		return nil, "", coach.Errorf(coach.EINVALID, "answer_seconds must be 0 (no countdown) to %d", coach.MaxAnswerSeconds)
	}
	for _, t := range append([]string{req.Topic}, req.Topics...) {
		if t = strings.TrimSpace(t); t != "" && !slices.Contains(sess.Topics, t) {
			sess.Topics = append(sess.Topics, t)
		}
	}
	slices.Sort(sess.Topics)
	if len(sess.Topics) == 1 {
		sess.Topic = sess.Topics[0]
	}
	for _, t := range sess.Topics {
		exists, err := s.Store.TopicExists(ctx, t)
		if err != nil {
			return nil, "", err
		}
		if !exists {
			return nil, "", coach.Errorf(coach.EINVALID, "topic %s does not exist (GET /api/v1/topics lists them)", coach.Echo(t))
		}
	}
	// A session that could never ask anything is a mistake better reported now than at its first
	// question.
	questions, err := s.Store.SessionQuestions(ctx, sess.Topics, sess.Difficulty)
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

// Next returns the question sess asks next; see Pick. A session whose plan is done, or that the
// candidate ended, asks nothing more: ECONFLICT.
func (s *Service) Next(ctx context.Context, sess *coach.Session) (*coach.NextQuestion, error) {
	attempts, err := s.Store.SessionAttempts(ctx, sess.ID)
	if err != nil {
		return nil, err
	}
	if sess.EndedAt != nil {
		return nil, coach.Errorf(coach.ECONFLICT, "this session has ended: its summary and report are ready")
	}
	if asked := Asked(attempts); sess.QuestionCount > 0 && asked >= sess.QuestionCount {
		return nil, coach.Errorf(coach.ECONFLICT, "this session's plan of %d questions is done: its summary and report are ready", sess.QuestionCount)
	}
	questions, err := s.Store.SessionQuestions(ctx, sess.Topics, sess.Difficulty)
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
	sum.Asked = Asked(attempts)
	sum.Done = sess.EndedAt != nil || (sess.QuestionCount > 0 && sum.Asked >= sess.QuestionCount)
	if len(attempts) > 0 {
		sum.MeanScore = round1(float64(total) / float64(len(attempts)))
	}
	return sum, nil
}

// End ends sess at the candidate's wish: it asks nothing more, and its summary is final. Ending a
// session twice keeps the first end.
func (s *Service) End(ctx context.Context, sess *coach.Session) (*coach.SessionSummary, error) {
	ended, err := s.Store.EndSession(ctx, sess.ID)
	if err != nil {
		return nil, err
	}
	sess.EndedAt = &ended
	return s.Summary(ctx, sess)
}

// Asked counts the answers to a session's own questions, which its plan counts: answers to
// follow-ups are left out.
func Asked(attempts []coach.SessionAttempt) int {
	n := 0
	for _, sa := range attempts {
		if sa.Attempt.FollowUp == nil {
			n++
		}
	}
	return n
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
		if slices.Contains(sess.Topics, t.ID) || slices.ContainsFunc(attempts, func(sa coach.SessionAttempt) bool { return sa.Topic == t.ID }) {
			r.TopicNames[t.ID] = t.Name
		}
	}
	for _, sa := range attempts {
		a := sa.Attempt
		r.Attempts = append(r.Attempts, coach.ReportAttempt{
			AttemptID: a.ID, QuestionID: a.QuestionID, Question: a.Question, Topic: sa.Topic, Answer: a.Answer,
			Score: a.Score, Band: a.Band, Grounded: a.Grounded, GroundedIn: a.GroundedIn, References: nonNil(a.References),
			Grader: a.Grader, KeyPoints: nonNil(a.KeyPoints),
			Misconceptions: nonNil(a.Misconceptions), Feedback: a.Feedback, FollowUps: nonNil(a.FollowUps),
			FollowUp: a.FollowUp, Timing: a.Timing, CreatedAt: a.CreatedAt,
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
	switch len(sess.Topics) {
	case 0:
	case 1:
		t = "topic " + sess.Topics[0]
	default:
		t = "topics " + strings.Join(sess.Topics, ", ")
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
