// Package grading runs the grading pipeline: it resolves the question, retrieves its references,
// guards against non-answers, asks a grader to judge each key point, scores the judgements and stores
// the attempt.
package grading

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"log/slog"
	"slices"
	"sort"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/interviewcoach/coach/internal/coach"
)

// Store is what grading needs of the database.
type Store interface {
	Question(ctx context.Context, id string) (*coach.Question, error)
	References(ctx context.Context, ids []string) ([]coach.Reference, error)
	Search(ctx context.Context, model string, vec []float32, k int, topic string) ([]coach.SearchResult, error)
	// NearestQuestions returns the k questions nearest to vec, each with its references (as
	// Question has them).
	NearestQuestions(ctx context.Context, model string, vec []float32, k int) ([]coach.QuestionMatch, error)
	CreateAttempt(ctx context.Context, a *coach.Attempt) error
	Attempt(ctx context.Context, id string) (*coach.Attempt, error)
}

// ownSearcher is a Store whose vector search keeps documentation from crowding out the bank's own
// passages (postgres.DB).
type ownSearcher interface {
	SearchOwn(ctx context.Context, model string, vec []float32, k, docs int) ([]coach.SearchResult, error)
}

// hybridStore is a Store that fuses vector and full-text search (postgres.DB).
type hybridStore interface {
	HybridSearch(ctx context.Context, model, query string, vec []float32, k int, kind, topic string) ([]coach.SearchResult, error)
}

// Retrieval settings.
const (
	// SearchK is how many passages are retrieved for a question and answer.
	SearchK = 8
	// GroundedSimilarity is the least similarity between a typed question and a stored one for the
	// grade to count as grounded in the bank. Below it the language model grades against the
	// nearest passages, saying the grade is not grounded, and the offline grader gives no grade.
	GroundedSimilarity = 0.5
	// RelatedSimilarity is the least similarity of a retrieved passage shown beside the rubric, and
	// of a bank question to the asked one for graders to draw follow-ups from it: a question further
	// away is about something else, and a follow-up drawn from it would be too.
	RelatedSimilarity = 0.35
	// closestShown is how many of the nearest bank questions a refused grade names.
	closestShown = 3
	// DefaultFollowUps is how many follow-up questions are written when the request does not say.
	DefaultFollowUps = 3
	// maxRelated is how many related bank questions graders may draw follow-ups from.
	maxRelated = 3
	// excerptRunes is the length of reference excerpts in responses.
	excerptRunes = 400
)

// Service grades answers.
type Service struct {
	Store    Store
	Embedder coach.Embedder
	// Grader judges answers: the language model, or the offline grader.
	Grader coach.Grader
	// Offline is the deterministic grader, used for non-answers and, when Fallback is set, when
	// Grader is unavailable.
	Offline  coach.Grader
	Fallback bool
	// MaxAnswerChars limits the answer's length.
	MaxAnswerChars int
	Logger         *slog.Logger
	// Observer is told how long retrieval and grading take; nil tells nobody.
	Observer Observer
	// Cache, when set, returns the grade of an identical earlier grading instead of grading again.
	Cache *Cache
}

// Kind names the grader answers go to.
func (s *Service) Kind() string {
	if s.Grader == s.Offline {
		return coach.GraderOffline
	}
	return coach.GraderLLM
}

// Attempt returns a stored attempt.
func (s *Service) Attempt(ctx context.Context, id string) (*coach.Attempt, error) {
	return s.Store.Attempt(ctx, id)
}

// Grade grades req.Answer and stores the attempt.
func (s *Service) Grade(ctx context.Context, req coach.GradeRequest) (*coach.Attempt, error) {
	return s.GradeWithProgress(ctx, req, nil)
}

// GradeWithProgress is Grade that, when retrieved is not nil, calls it once the question is resolved
// and its references retrieved, before the grader runs, so that callers can show them while the
// grader works. Invalid requests and unknown questions fail before the call; an error after it comes
// from the grader or the store.
func (s *Service) GradeWithProgress(ctx context.Context, req coach.GradeRequest, retrieved func(coach.Retrieval)) (*coach.Attempt, error) {
	start := time.Now()
	if err := s.validate(&req); err != nil {
		return nil, err
	}
	retrievalStart := time.Now()
	rubric, err := s.resolve(ctx, req)
	if err != nil {
		return nil, err
	}
	s.observer().ObserveRetrieval("grade", time.Since(retrievalStart))
	if retrieved != nil {
		retrieved(coach.Retrieval{
			QuestionID: rubric.questionID, Question: rubric.question, Grounded: rubric.grounded, GroundedIn: rubric.groundedIn,
			References: slices.Clone(nonNil(rubric.shown)),
		})
	}

	in := coach.GradeInput{
		Question:   rubric.question,
		Answer:     req.Answer,
		References: rubric.refs,
		Related:    rubric.related,
		FollowUps:  req.FollowUps,
	}
	key := s.Cache.key(in)
	as, reused := s.Cache.get(key)
	fallbackReason := ""
	if !reused {
		as, err = s.assess(ctx, s.Grader, in, false)
	}
	if err != nil && s.Grader != s.Offline && s.Fallback && ctx.Err() == nil && FallbackReason(err) != "" && !rubric.grounded {
		// The fallback would be the offline grader, which grades no question without a close
		// reference: the model's error stands, saying why no fallback came.
		return nil, fmt.Errorf("%w: %w", coach.Errorf(coach.ErrorCode(err),
			"%s; the offline grader cannot stand in, since nothing in the bank is close enough to this question",
			coach.ErrorMessage(err)), err)
	}
	if err != nil && s.Grader != s.Offline && s.Fallback && ctx.Err() == nil {
		if fallbackReason = FallbackReason(err); fallbackReason != "" {
			s.logger().WarnContext(ctx, "the language model did not grade; grading offline as a fallback",
				"reason", fallbackReason, "error", err)
			rubric.warnings = append(rubric.warnings, fallbackReason+": this grade comes from the offline grader")
			if as, err = s.assess(ctx, s.Offline, in, true); err == nil {
				as.Fallback = true
			}
		}
	}
	if err != nil {
		return nil, err
	}
	if !reused {
		s.Cache.put(key, as)
	}
	judged := as.Judged

	a := &coach.Attempt{
		ID:             newID("a-"),
		SessionID:      req.SessionID,
		QuestionID:     rubric.questionID,
		Question:       rubric.question,
		Answer:         req.Answer,
		Score:          as.Score,
		Band:           as.Band,
		Grounded:       rubric.grounded,
		GroundedIn:     rubric.groundedIn,
		Warnings:       append(rubric.warnings, as.Warnings...),
		KeyPoints:      as.KeyPoints,
		Misconceptions: nonNil(judged.Misconceptions),
		Feedback:       judged.Feedback,
		FollowUps:      nonNil(judged.FollowUps),
		References:     rubric.shown,
		RubricVersion:  rubric.version,
		RubricStatus:   rubric.status,
		FollowUp:       req.FollowUp,
		Timing:         req.Timing,
		Grader: coach.GraderInfo{
			Kind: judged.Kind, Model: judged.Model, PromptVersion: judged.PromptVersion, Fallback: as.Fallback,
			FallbackReason: fallbackReason,
		},
		ModelCall: judged.Call,
		Usage:     judged.Usage,
		Raw:       judged.Raw,
	}
	if reused {
		// The earlier grade, as a new attempt that says so; no model was called for it.
		a.Reused, a.ModelCall, a.Usage = true, nil, coach.Usage{}
		a.KeyPoints = slices.Clone(a.KeyPoints)
		a.Warnings = append(a.Warnings, ReusedWarning)
	}
	a.Feedback.Strengths = nonNil(a.Feedback.Strengths)
	a.Feedback.Improvements = nonNil(a.Feedback.Improvements)
	if len(a.FollowUps) > req.FollowUps {
		a.FollowUps = a.FollowUps[:req.FollowUps]
	}
	a.LatencyMS = time.Since(start).Milliseconds()
	if err := s.Store.CreateAttempt(ctx, a); err != nil {
		return nil, err
	}
	return a, nil
}

// assess runs Assess with grader g and reports how long it took to the Observer, under the kind of
// grader that judged (non-answers go to the offline grader whatever g is).
func (s *Service) assess(ctx context.Context, g coach.Grader, in coach.GradeInput, fallback bool) (*Assessment, error) {
	start := time.Now()
	as, err := Assess(ctx, g, s.Offline, in)
	kind := coach.GraderOffline
	switch {
	case err == nil:
		kind = as.Judged.Kind
	case g != s.Offline:
		kind = coach.GraderLLM
	}
	s.observer().ObserveGrading(kind, fallback, err, time.Since(start))
	return as, err
}

// FallbackReason says, in a sentence for the candidate and the operator, why a grader that failed with
// err did not grade, or returns "" when err is no reason to grade offline instead: only a model that
// is down or too slow (EUNAVAILABLE) or that refused the request as configured (EUPSTREAM) is. The
// two are told apart, so that a configuration to fix is never passed off as an outage.
func FallbackReason(err error) string {
	switch coach.ErrorCode(err) {
	case coach.EUNAVAILABLE:
		return "the language model was unavailable (" + coach.ErrorMessage(err) + ")"
	case coach.EUPSTREAM:
		return "the language model could not be used as configured (" + coach.ErrorMessage(err) + ")"
	}
	return ""
}

// OffCap is the highest score of an answer the guards found to be no answer at all.
const OffCap = 5

// Assessment is a graded answer before it is stored: the grader's judgements, completed to one per
// key point, and the score computed from them.
type Assessment struct {
	Judged    *coach.Judged
	KeyPoints []coach.Judgement
	Score     int
	Band      string
	Warnings  []string
	// Off is the guards' reason when the answer is no answer at all.
	Off      string
	Fallback bool
}

// Assess grades in.Answer against in.References with g: the guards first (non-answers go to offline
// instead, and sentences instructing the grader are removed), then the grader's judgements, then the
// score of coach.Score. It touches no database, so evaluations call it directly.
func Assess(ctx context.Context, g, offline coach.Grader, in coach.GradeInput) (*Assessment, error) {
	question, warnings := GuardQuestion(in.Question)
	cleaned, answerWarnings, off := Guard(question, in.Answer, in.References)
	in.Question, in.Answer = question, cleaned
	warnings = append(warnings, answerWarnings...)
	if off != "" {
		// A non-answer needs no model's opinion; the offline grader judges it, and says so.
		g = offline
	}
	judged, err := g.Grade(ctx, in)
	if err != nil {
		return nil, err
	}
	if judged.Off != "" && off == "" {
		off = judged.Off
	}
	warnings = append(warnings, judged.Warnings...)
	as := &Assessment{Judged: judged, KeyPoints: complete(judged.Judgements, in.References), Warnings: warnings, Off: off}
	if judged.Kind == coach.GraderLLM {
		// The offline grader's evidence is the matched terms themselves; a model's is its own claim.
		var shared []string
		as.KeyPoints, shared = SharedEvidence(in.Question, as.KeyPoints)
		as.Warnings = append(as.Warnings, shared...)
	}
	as.Score = coach.Score(as.KeyPoints, len(judged.Misconceptions))
	if off != "" {
		as.Score = min(as.Score, OffCap)
	} else if keywordList(cleaned) && as.Score > KeywordListCap {
		as.Score = KeywordListCap
		as.Warnings = append(as.Warnings, fmt.Sprintf("the answer reads as a list of terms rather than explanations: scored at most %d", KeywordListCap))
	}
	as.Band = coach.Band(as.Score)
	return as, nil
}

func (s *Service) validate(req *coach.GradeRequest) error {
	req.QuestionID = strings.TrimSpace(req.QuestionID)
	req.Question = strings.TrimSpace(req.Question)
	switch {
	case req.FollowUp != nil && req.QuestionID != "":
		return coach.Errorf(coach.EINVALID, "give followup or question_id, not both")
	case req.FollowUp == nil && req.QuestionID == "" && req.Question == "":
		return coach.Errorf(coach.EINVALID, "give question_id (a bank question) or question (any question text)")
	case req.QuestionID != "" && req.Question != "":
		return coach.Errorf(coach.EINVALID, "give question_id or question, not both")
	case utf8.RuneCountInString(req.Question) > 2000:
		return coach.Errorf(coach.EINVALID, "question is longer than 2000 characters")
	case !utf8.ValidString(req.Answer) || !utf8.ValidString(req.Question):
		return coach.Errorf(coach.EINVALID, "question and answer must be valid UTF-8")
	case strings.ContainsRune(req.Answer, 0) || strings.ContainsRune(req.Question, 0):
		return coach.Errorf(coach.EINVALID, "question and answer must not contain NUL characters")
	}
	if limit := s.MaxAnswerChars; limit > 0 {
		if n := utf8.RuneCountInString(req.Answer); n > limit {
			return coach.Errorf(coach.EINVALID, "answer is %d characters long; the limit is %d", n, limit)
		}
	}
	if req.FollowUps == 0 {
		req.FollowUps = DefaultFollowUps
	}
	if req.FollowUps < 1 || req.FollowUps > 5 {
		return coach.Errorf(coach.EINVALID, "count (follow-up questions) must be between 1 and 5")
	}
	return nil
}

// rubric is what an answer is graded against.
type rubric struct {
	questionID string
	question   string
	refs       []coach.Reference // with the key points to judge
	related    []coach.Question
	shown      []coach.RetrievedReference
	grounded   bool
	warnings   []string
	// version and status are the rubric's version (0 when not one question's) and whether its key
	// points are approved or drafts.
	version int
	status  string
	// closest are the bank questions nearest to the asked one, best first; closestDocs the
	// documentation passages found for it.
	closest     []coach.QuestionMatch
	closestDocs []coach.SearchResult
	// reading are documentation sections shown as further reading.
	reading []coach.RetrievedReference
	// groundedIn says what a grounded rubric rests on (coach.GroundedInBank, GroundedInDocs).
	groundedIn string
}

// noReference is the error of a rubric with no close reference, naming the nearest questions.
func (r *rubric) noReference() error {
	e := &coach.NoReference{Question: r.question, MinSimilarity: GroundedSimilarity, Closest: []coach.ClosestQuestion{}}
	for _, m := range r.closest {
		if len(e.Closest) == closestShown {
			break
		}
		e.Closest = append(e.Closest, coach.ClosestQuestion{QuestionID: m.Question.ID, Question: m.Question.Text, Similarity: round3(m.Similarity)})
	}
	if len(r.closestDocs) > 0 {
		e.ClosestDocs, e.MinDocsSimilarity = closestDocs(r.closestDocs), DocsGroundedSimilarity
	}
	return e
}

// resolve finds the question and its references: a bank question's own references, or for typed
// text those of the closest stored question; plus the passages nearest to question and answer.
func (s *Service) resolve(ctx context.Context, req coach.GradeRequest) (*rubric, error) {
	r := &rubric{grounded: true, groundedIn: coach.GroundedInBank}
	model := s.Embedder.Model()
	if req.FollowUp != nil {
		if err := s.followUpRubric(ctx, req, r); err != nil {
			return nil, err
		}
	} else if req.QuestionID != "" {
		q, err := s.Store.Question(ctx, req.QuestionID)
		if err != nil {
			return nil, err
		}
		r.questionID, r.question, r.refs, r.version = q.ID, q.Text, q.References, q.RubricVersion
	} else {
		r.question = req.Question
	}

	vecs, err := s.Embedder.Embed(ctx, []string{r.question, coach.EmbeddingInput(r.question, req.Answer)})
	if err != nil {
		return nil, err
	}
	questionVec, bothVec := vecs[0], vecs[1]

	matches, err := s.Store.NearestQuestions(ctx, model, questionVec, 5)
	if err != nil {
		return nil, err
	}
	r.closest = matches
	var docs *docsGround
	if len(r.refs) == 0 && req.FollowUp == nil {
		if len(matches) > 0 && matches[0].Similarity >= GroundedSimilarity {
			q := matches[0].Question
			r.questionID, r.refs, r.version = q.ID, q.References, q.RubricVersion
		} else {
			// No bank question is close: the documentation may answer the question. Its words
			// alone decide, not the answer's, so an answer cannot pull in a rubric of its choosing.
			if docs, err = s.docsRubric(ctx, r.question, questionVec); err != nil {
				return nil, err
			}
			if len(docs.refs) > 0 {
				r.refs, r.status, r.groundedIn = docs.refs, coach.RubricDocs, coach.GroundedInDocs
				r.warnings = append(r.warnings, coach.DocsRubricWarning)
			} else if s.Grader == s.Offline && len(matches)+len(docs.hits) > 0 {
				// The offline grader compares the answer with the rubric's words: against the
				// references of another question its score would mean nothing, so it gives none.
				// (An empty bank is told to import one, below.)
				r.closestDocs = docs.hits
				return nil, r.noReference()
			}
		}
	}
	// Related questions come with their references, so a follow-up drawn from one carries its
	// expected answer and source like any other.
	for _, m := range matches {
		if m.Question.ID != r.questionID && m.Similarity >= RelatedSimilarity && len(r.related) < maxRelated {
			r.related = append(r.related, m.Question)
		}
	}

	var hits []coach.SearchResult
	if h, ok := s.Store.(hybridStore); ok && len(r.refs) == 0 {
		// A question with no bank question of its own is graded against what retrieval finds: its
		// words find the passages that name what it asks about (a setting, a function), which the
		// answer's vector alone can miss. A bank question brings its rubric, and retrieval only
		// ranks the references shown beside it: the vector index alone does that, at a third of
		// the cost of fusing in full-text ranks (`make load`: 343 against 126 offline gradings/s).
		hits, err = h.HybridSearch(ctx, model, r.question, bothVec, SearchK, "", "")
	} else if o, ok := s.Store.(ownSearcher); ok {
		// Documentation is shown as further reading, and a large corpus of it must not take the
		// places of the bank's own passages.
		hits, err = o.SearchOwn(ctx, model, bothVec, SearchK, maxFurtherReading)
	} else {
		hits, err = s.Store.Search(ctx, model, bothVec, SearchK, "")
	}
	if err != nil {
		return nil, err
	}
	similarity := map[string]float64{}
	for _, h := range hits {
		if h.Similarity > similarity[h.ReferenceID] {
			similarity[h.ReferenceID] = h.Similarity
		}
	}

	if len(r.refs) == 0 {
		// Typed text far from every stored question and every documentation passage: grade against
		// the nearest bank passages anyway (documentation has no key points of its own), and say so
		// plainly.
		r.grounded, r.groundedIn = false, ""
		ids := bankReferences(hits, 2)
		if o, ok := s.Store.(ownSearcher); ok && len(ids) == 0 && len(hits) > 0 {
			// Documentation filled the nearest passages: look among the bank's alone.
			own, err := o.SearchOwn(ctx, model, bothVec, SearchK, 0)
			if err != nil {
				return nil, err
			}
			ids = bankReferences(own, 2)
		}
		if len(ids) == 0 {
			return nil, coach.Errorf(coach.EUNAVAILABLE, "the bank holds no references to grade against: import a bank first (coach ingest --builtin)")
		}
		if r.refs, err = s.Store.References(ctx, ids); err != nil {
			return nil, err
		}
		r.warnings = append(r.warnings, "no reference in the bank is close to this question: the grade is not grounded and may be unreliable")
	}

	inRubric := map[string]bool{}
	for _, ref := range r.refs {
		inRubric[ref.ID] = true
		if r.groundedIn == coach.GroundedInDocs {
			// The documentation's own sections, cited by heading path and public address.
			r.shown = append(r.shown, docsShown(docs.hits, ref.ID))
			continue
		}
		r.shown = append(r.shown, retrieved(ref, r.question, similarity[ref.ID]))
	}
	// Passages of other questions that are close to the answer are shown as further reading; their
	// key points are not judged, since they answer another question.
	extra, reading := map[string]bool{}, map[string]bool{}
	for _, h := range hits {
		if inRubric[h.ReferenceID] || extra[h.ReferenceID] || reading[h.ReferenceID] || h.Similarity < RelatedSimilarity {
			continue
		}
		if h.Kind == coach.SourceDocs {
			// Documentation sections close to the answer: further reading, after the bank's.
			if len(reading) < maxFurtherReading {
				reading[h.ReferenceID] = true
				r.reading = append(r.reading, docReference(h))
			}
			continue
		}
		if len(extra) < 3 {
			extra[h.ReferenceID] = true
			r.shown = append(r.shown, coach.RetrievedReference{
				ID: h.ReferenceID, QuestionID: h.QuestionID, Question: h.Question, Source: h.Source, SourceURL: h.SourceURL,
				Excerpt: excerpt(h.Text), Similarity: round3(h.Similarity), Kind: h.Kind,
			})
		}
	}
	sort.SliceStable(r.shown, func(i, j int) bool {
		return inRubric[r.shown[i].ID] && !inRubric[r.shown[j].ID]
	})
	r.shown = append(r.shown, r.reading...)
	if req.FollowUp == nil && r.groundedIn != coach.GroundedInDocs {
		// Every reference of the question is shown and cited; only the rubric's key points are
		// judged: the approved ones, or the drafts of a question not reviewed yet.
		refs, status := coach.Rubric(r.refs)
		if len(refs) > 0 {
			r.refs, r.status = refs, status
			if status == coach.RubricDraft {
				r.warnings = append(r.warnings, coach.DraftRubricWarning)
			}
		}
	}
	return r, nil
}

// followUpRubric makes the rubric of an answer to a follow-up question: the key point the follow-up
// probes, from the reference it came from. The follow-up must belong to the same session as the
// answer (or to no session), so nobody reads another candidate's follow-ups through this door; an
// attempt of another session gets the same not-found as a missing one, whoever asks, so the answer
// names nothing about that session.
func (s *Service) followUpRubric(ctx context.Context, req coach.GradeRequest, r *rubric) error {
	a, err := s.Store.Attempt(ctx, req.FollowUp.AttemptID)
	if err != nil {
		return err
	}
	if a.SessionID != "" && a.SessionID != req.SessionID {
		return coach.Errorf(coach.ENOTFOUND, "attempt %s not found", coach.Echo(req.FollowUp.AttemptID))
	}
	i := req.FollowUp.Index
	if i < 0 || i >= len(a.FollowUps) {
		return coach.Errorf(coach.EINVALID, "attempt %s has %d follow-up questions; index %d is out of range", a.ID, len(a.FollowUps), i)
	}
	f := a.FollowUps[i]
	refs, err := s.Store.References(ctx, []string{f.ReferenceID})
	if err != nil {
		return err
	}
	if len(refs) == 0 {
		return coach.Errorf(coach.ENOTFOUND, "the reference of that follow-up question is no longer in the bank")
	}
	ref := refs[0]
	for _, kp := range ref.KeyPoints {
		if kp.ID == f.Targets {
			ref.KeyPoints = []coach.KeyPoint{kp}
			break
		}
	}
	r.questionID, r.question, r.refs = a.QuestionID, f.Question, []coach.Reference{ref}
	r.version, r.status = a.RubricVersion, a.RubricStatus
	return nil
}

func retrieved(ref coach.Reference, question string, similarity float64) coach.RetrievedReference {
	return coach.RetrievedReference{
		ID: ref.ID, QuestionID: ref.QuestionID, Question: question, Source: ref.Source, SourceURL: ref.SourceURL,
		Excerpt: excerpt(ref.Text), Similarity: round3(similarity),
	}
}

// complete returns one judgement per key point of refs, in rubric order, with text and reference
// filled in from the bank; key points the grader left out are missing.
func complete(judged []coach.Judgement, refs []coach.Reference) []coach.Judgement {
	byID := make(map[string]coach.Judgement, len(judged))
	for _, j := range judged {
		byID[j.KeyPointID] = j
	}
	out := []coach.Judgement{}
	for _, ref := range refs {
		for _, kp := range ref.KeyPoints {
			j, ok := byID[kp.ID]
			if !ok || !coach.ValidStatus(j.Status) {
				j = coach.Judgement{Status: coach.StatusMissing}
			}
			// The rubric, not the grader, says what a key point weighs.
			j.KeyPointID, j.Text, j.ReferenceID, j.Weight = kp.ID, kp.Text, ref.ID, kp.Weight
			out = append(out, j)
		}
	}
	return out
}

func excerpt(s string) string {
	s = strings.TrimSpace(s)
	if utf8.RuneCountInString(s) <= excerptRunes {
		return s
	}
	r := []rune(s)[:excerptRunes]
	if i := strings.LastIndexAny(string(r), " \n"); i > excerptRunes/2 {
		return string(r)[:i] + "…"
	}
	return string(r) + "…"
}

func round3(f float64) float64 {
	return float64(int(f*1000+0.5)) / 1000
}

func nonNil[T any](s []T) []T {
	if s == nil {
		return []T{}
	}
	return s
}

func newID(prefix string) string {
	b := make([]byte, 12)
	if _, err := rand.Read(b); err != nil {
		panic(fmt.Sprintf("crypto/rand: %v", err))
	}
	return prefix + hex.EncodeToString(b)
}

func (s *Service) logger() *slog.Logger {
	if s.Logger == nil {
		return slog.New(slog.DiscardHandler)
	}
	return s.Logger
}
