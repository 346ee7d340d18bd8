package practice

import (
	"bytes"
	"cmp"
	"crypto/sha256"
	"slices"

	"github.com/interviewcoach/coach/internal/coach"
)

// The review schedule is a Leitner system counted in attempts, not days: the last score of a
// question puts it in a box, and each box says how many other attempts of the session must follow
// before the question is due again.
//
//	last score < 50       due again after 2 other attempts  (ReviewWeakGap)
//	last score 50-84      due again after 5 other attempts  (ReviewFairGap)
//	last score >= 85      leaves the rotation: never due again
const (
	// WeakScore is the score under which a question comes back soonest.
	WeakScore = 50
	// RetireScore is the score from which a question leaves the rotation.
	RetireScore = 85
	// ReviewWeakGap and ReviewFairGap are the other attempts that must follow an answer scored
	// under WeakScore, or from WeakScore to under RetireScore, before its question is due again.
	ReviewWeakGap = 2
	ReviewFairGap = 5
)

// Gap returns how many other attempts must follow an answer that scored score before its question
// is due for review, and false when the score takes the question out of the rotation.
func Gap(score int) (int, bool) {
	switch {
	case score < WeakScore:
		return ReviewWeakGap, true
	case score < RetireScore:
		return ReviewFairGap, true
	}
	return 0, false
}

// seen is what a session's attempts say of one question.
type seen struct {
	last     int // index of the latest attempt in the session
	score    int // score of the latest attempt
	attempts []coach.Judgement
	misses   map[string]int    // key point id → attempts that did not cover it
	latest   map[string]string // key point id → its status in the latest attempt that judged it
}

// Pick chooses the question a session asks next among candidates (the questions of its topic and
// difficulty), from its attempts so far, oldest first. Every attempt of the session counts in the
// schedule, including attempts on questions outside the candidates. In order:
//
//  1. With a single candidate, that one, with reason "only".
//  2. The question answered last is never asked again right away.
//  3. The questions the schedule says are due (see Gap) come first, reason "review": the weakest
//     (lowest last score) first, then the one seen longest ago. As in flash-card systems, a due
//     review goes before any new card, so a weak answer returns after ReviewWeakGap other
//     attempts however many questions the session's filter matches.
//  4. Then unseen candidates, reason "unseen", in an order fixed per session but different between
//     sessions: by SHA-256 of the session id and the question id.
//  5. When nothing is due or unseen, the question seen longest ago, then the weakest, reason
//     "review".
//
// A question asked for review comes with the key points its latest attempt did not cover (judged
// partial, missing or contradicted) and no later answer, such as a follow-up's, covered either;
// those missed most often in the session first. Pick records
// nothing: it asks the same question until an answer is graded. It returns nil when there are no
// candidates.
func Pick(sessionID string, candidates []coach.Question, attempts []coach.SessionAttempt) *coach.NextQuestion {
	if len(candidates) == 0 {
		return nil
	}
	history := map[string]*seen{}
	for i, sa := range attempts {
		a := sa.Attempt
		if a.QuestionID == "" {
			continue
		}
		h := history[a.QuestionID]
		if h == nil {
			h = &seen{misses: map[string]int{}, latest: map[string]string{}}
			history[a.QuestionID] = h
		}
		if a.FollowUp == nil {
			h.last, h.score, h.attempts = i, a.Score, a.KeyPoints
		} else if h.attempts == nil {
			// An answer to a follow-up was judged on the one key point it probes: it counts that key
			// point's misses, but it does not place its question in the review schedule.
			h.last = i
		}
		for _, j := range a.KeyPoints {
			if j.Status != coach.StatusCovered {
				h.misses[j.KeyPointID]++
			}
			h.latest[j.KeyPointID] = j.Status
		}
	}
	if len(candidates) == 1 {
		return next(candidates[0], coach.ReasonOnly, history[candidates[0].ID])
	}

	lastQuestion := ""
	if len(attempts) > 0 {
		lastQuestion = attempts[len(attempts)-1].Attempt.QuestionID
	}
	order := func(q coach.Question) []byte {
		sum := sha256.Sum256([]byte(sessionID + "\x00" + q.ID))
		return sum[:]
	}
	var unseen, due, rest []coach.Question
	for _, q := range candidates {
		h := history[q.ID]
		switch {
		case q.ID == lastQuestion:
		case h == nil:
			unseen = append(unseen, q)
		case isDue(h, len(attempts)):
			due = append(due, q)
		default:
			rest = append(rest, q)
		}
	}
	weakest := func(a, b coach.Question) int {
		ha, hb := history[a.ID], history[b.ID]
		return cmp.Or(cmp.Compare(ha.score, hb.score), cmp.Compare(ha.last, hb.last))
	}
	if len(due) > 0 {
		q := slices.MinFunc(due, weakest)
		return next(q, coach.ReasonReview, history[q.ID])
	}
	if len(unseen) > 0 {
		q := slices.MinFunc(unseen, func(a, b coach.Question) int { return bytes.Compare(order(a), order(b)) })
		return next(q, coach.ReasonUnseen, nil)
	}
	oldest := func(a, b coach.Question) int {
		ha, hb := history[a.ID], history[b.ID]
		return cmp.Or(cmp.Compare(ha.last, hb.last), cmp.Compare(ha.score, hb.score))
	}
	q := slices.MinFunc(rest, oldest)
	return next(q, coach.ReasonReview, history[q.ID])
}

// isDue reports whether the question of h is due for review after n attempts in all.
func isDue(h *seen, n int) bool {
	gap, ok := Gap(h.score)
	return ok && n-1-h.last >= gap
}

func next(q coach.Question, reason string, h *seen) *coach.NextQuestion {
	n := &coach.NextQuestion{
		Question: coach.SessionQuestion{
			ID: q.ID, Topic: q.TopicID, Text: q.Text, Difficulty: q.Difficulty, Tags: nonNil(q.Tags),
		},
		Reason:          reason,
		ReviewKeyPoints: []coach.KeyPointRef{},
	}
	if h == nil {
		return n
	}
	var missed []coach.Judgement
	for _, j := range h.attempts {
		// A key point a later answer covered (a follow-up's) is no longer one to review.
		if h.latest[j.KeyPointID] != coach.StatusCovered {
			missed = append(missed, j)
		}
	}
	slices.SortStableFunc(missed, func(a, b coach.Judgement) int {
		return cmp.Compare(h.misses[b.KeyPointID], h.misses[a.KeyPointID])
	})
	for _, j := range missed {
		n.ReviewKeyPoints = append(n.ReviewKeyPoints, coach.KeyPointRef{ID: j.KeyPointID, Text: j.Text})
	}
	return n
}
