package practice_test

import (
	"fmt"
	"slices"
	"testing"

	"github.com/interviewcoach/coach/internal/coach"
	"github.com/interviewcoach/coach/internal/practice"
)

func questions(ids ...string) []coach.Question {
	var qs []coach.Question
	for _, id := range ids {
		qs = append(qs, coach.Question{ID: id, TopicID: "orm", Text: "Question " + id + "?", Difficulty: "hard"})
	}
	return qs
}

// The statuses of key point judgements, short.
const (
	missing = coach.StatusMissing
	covered = coach.StatusCovered
	partial = coach.StatusPartial
)

// attempt is an attempt on question id scoring score; statuses, when given, judge key points
// id-k1, id-k2, ... in order.
func attempt(id string, score int, statuses ...string) coach.SessionAttempt {
	a := coach.Attempt{QuestionID: id, Score: score}
	for i, s := range statuses {
		kp := fmt.Sprintf("%s-k%d", id, i+1)
		a.KeyPoints = append(a.KeyPoints, coach.Judgement{KeyPointID: kp, Text: "point " + kp, Status: s})
	}
	return coach.SessionAttempt{Attempt: a, Topic: "orm"}
}

// followUp is an answer to a follow-up question of question id, judged on its first key point only.
func followUp(id string, score int, status string) coach.SessionAttempt {
	sa := attempt(id, score, status)
	sa.Attempt.FollowUp = &coach.FollowUpRef{AttemptID: "a-" + id, Index: 0}
	return sa
}

func TestGap(t *testing.T) {
	t.Parallel()
	tests := []struct {
		score  int
		gap    int
		rotate bool
	}{
		{0, 2, true}, {49, 2, true}, {50, 5, true}, {84, 5, true}, {85, 0, false}, {100, 0, false},
	}
	for _, tt := range tests {
		if gap, ok := practice.Gap(tt.score); gap != tt.gap || ok != tt.rotate {
			t.Errorf("Gap(%d) = %d, %v; want %d, %v", tt.score, gap, ok, tt.gap, tt.rotate)
		}
	}
}

func TestPick(t *testing.T) {
	t.Parallel()
	four := questions("q1", "q2", "q3", "q4")
	tests := []struct {
		name       string
		candidates []coach.Question
		attempts   []coach.SessionAttempt
		want       string // question id
		reason     string
		review     []string // key point ids
	}{
		{"one candidate, unseen", questions("q1"), nil, "q1", coach.ReasonOnly, nil},
		{"one candidate, again right away, with what it missed", questions("q1"),
			[]coach.SessionAttempt{attempt("q1", 30, covered, missing)}, "q1", coach.ReasonOnly, []string{"q1-k2"}},
		{"a due review before unseen questions", four,
			[]coach.SessionAttempt{attempt("q1", 0, missing), attempt("x", 90), attempt("y", 90)}, "q1", coach.ReasonReview, []string{"q1-k1"}},
		{"unseen questions while nothing is due", four,
			[]coach.SessionAttempt{attempt("q1", 0), attempt("x", 90)}, "", coach.ReasonUnseen, nil},
		{"weak answer not due after one other attempt", four,
			[]coach.SessionAttempt{attempt("q2", 90), attempt("q3", 90), attempt("q1", 10), attempt("q4", 90)},
			"q2", coach.ReasonReview, nil},
		{"a good follow-up answer keeps its question in review, without the key point it covered", four,
			[]coach.SessionAttempt{attempt("q2", 90), attempt("q1", 10, missing, missing), attempt("q3", 90),
				followUp("q1", 100, covered), attempt("q4", 90)},
			"q1", coach.ReasonReview, []string{"q1-k2"}},
		{"weak answer due after two other attempts", four,
			[]coach.SessionAttempt{attempt("q2", 90), attempt("q1", 10, missing, covered), attempt("q3", 90), attempt("q4", 90)},
			"q1", coach.ReasonReview, []string{"q1-k1"}},
		{"fair answer not due after four other attempts", four,
			[]coach.SessionAttempt{attempt("q2", 90), attempt("q1", 60), attempt("q3", 90), attempt("q4", 90),
				attempt("q3", 90), attempt("q4", 90)},
			"q2", coach.ReasonReview, nil}, // nothing due: the question seen longest ago
		{"fair answer due after five other attempts, before an older one", four,
			[]coach.SessionAttempt{attempt("q2", 90), attempt("q1", 60), attempt("q3", 90), attempt("q4", 90),
				attempt("q3", 90), attempt("q4", 90), attempt("q3", 90)},
			"q1", coach.ReasonReview, nil},
		{"weakest due first", four,
			[]coach.SessionAttempt{attempt("q1", 40), attempt("q2", 10), attempt("q3", 90), attempt("q4", 90)},
			"q2", coach.ReasonReview, nil},
		{"never the last question twice, even when weakest and due", questions("q1", "q2"),
			[]coach.SessionAttempt{attempt("q1", 0), attempt("q2", 95), attempt("x", 50), attempt("q1", 0)},
			"q2", coach.ReasonReview, nil},
		{"attempts outside the candidates count in the schedule", questions("q1", "q2"),
			[]coach.SessionAttempt{attempt("q2", 95), attempt("q1", 20), attempt("x", 50), attempt("y", 50)},
			"q1", coach.ReasonReview, nil},
		{"retired questions still come back when nothing is due", questions("q1", "q2", "q3"),
			[]coach.SessionAttempt{attempt("q1", 100), attempt("q2", 100), attempt("q3", 100)},
			"q1", coach.ReasonReview, nil},
		{"review key points: missed most often first", questions("q1", "q2"),
			[]coach.SessionAttempt{
				attempt("q1", 20, covered, missing, covered, covered),
				attempt("q2", 90),
				attempt("q1", 30, partial, missing, covered, coach.StatusContradicted),
				attempt("q2", 90),
				attempt("q2", 90),
			},
			"q1", coach.ReasonReview, []string{"q1-k2", "q1-k1", "q1-k4"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got := practice.Pick("s-test", tt.candidates, tt.attempts)
			if got == nil {
				t.Fatal("Pick = nil")
			}
			if got.Reason != tt.reason || (tt.want != "" && got.Question.ID != tt.want) {
				t.Errorf("Pick = %s (%s), want %s (%s)", got.Question.ID, got.Reason, tt.want, tt.reason)
			}
			if tt.reason == coach.ReasonUnseen {
				for _, a := range tt.attempts {
					if a.Attempt.QuestionID == got.Question.ID {
						t.Errorf("Pick = %s, which was seen", got.Question.ID)
					}
				}
			}
			var review []string
			for _, kp := range got.ReviewKeyPoints {
				review = append(review, kp.ID)
			}
			if !slices.Equal(review, tt.review) || got.ReviewKeyPoints == nil {
				t.Errorf("review key points = %v, want %v", review, tt.review)
			}
			if got.Question.Tags == nil || got.Question.Topic != "orm" || got.Question.Text == "" {
				t.Errorf("question = %+v", got.Question)
			}
		})
	}
}

func TestPickNothing(t *testing.T) {
	t.Parallel()
	if got := practice.Pick("s-test", nil, []coach.SessionAttempt{attempt("q1", 10)}); got != nil {
		t.Errorf("Pick without candidates = %+v", got)
	}
}

// TestPickUnseenOrder checks that unseen questions come in an order fixed for a session, never
// repeated, and not the same for every session.
func TestPickUnseenOrder(t *testing.T) {
	t.Parallel()
	var ids []string
	for i := range 12 {
		ids = append(ids, fmt.Sprintf("q%02d", i))
	}
	candidates := questions(ids...)
	run := func(session string) []string {
		var attempts []coach.SessionAttempt
		var order []string
		for range candidates {
			next := practice.Pick(session, candidates, attempts)
			if next.Reason != coach.ReasonUnseen {
				t.Fatalf("%s: reason %q after %d attempts, want unseen", session, next.Reason, len(attempts))
			}
			order = append(order, next.Question.ID)
			attempts = append(attempts, attempt(next.Question.ID, 100))
		}
		return order
	}
	first := run("s-1")
	if !slices.Equal(first, run("s-1")) {
		t.Error("the same session gave two orders")
	}
	if sorted := slices.Sorted(slices.Values(first)); !slices.Equal(sorted, ids) {
		t.Errorf("order %v is not every question once", first)
	}
	firsts := map[string]bool{}
	for i := range 8 {
		firsts[run(fmt.Sprintf("s-%d", i))[0]] = true
	}
	if len(firsts) < 3 {
		t.Errorf("eight sessions began with only %v", firsts)
	}
}
