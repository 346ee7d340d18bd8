package practice_test

import (
	"fmt"
	"slices"
	"testing"

	"github.com/interviewcoach/coach/internal/coach"
	"github.com/interviewcoach/coach/internal/practice"
)

func TestTrend(t *testing.T) {
	t.Parallel()
	tests := []struct {
		scores map[string][]int
		want   float64
	}{
		{nil, 0},
		{map[string][]int{"q1": {40}}, 0},
		{map[string][]int{"q1": {40}, "q2": {90}}, 0}, // different questions are never compared
		{map[string][]int{"q1": {40, 70}}, 30},
		{map[string][]int{"q1": {70, 40}}, -30},
		{map[string][]int{"q1": {10, 99, 40}}, 30},                        // latest minus first
		{map[string][]int{"q1": {10, 60}, "q2": {20, 70}, "q3": {5}}, 50}, // mean of 50 and 50
		{map[string][]int{"q1": {0, 1}, "q2": {0, 0}, "q3": {0, 0}}, 0.3}, // 1/3, to one decimal
		{map[string][]int{"q1": {1, 0}, "q2": {0, 0}, "q3": {0, 0}}, -0.3},
	}
	for _, tt := range tests {
		if got := practice.Trend(tt.scores); got != tt.want {
			t.Errorf("Trend(%v) = %v, want %v", tt.scores, got, tt.want)
		}
	}
}

func TestSummarize(t *testing.T) {
	t.Parallel()
	other := func(a coach.SessionAttempt, topic string) coach.SessionAttempt { a.Topic = topic; return a }
	attempts := []coach.SessionAttempt{
		attempt("q1", 20, missing, missing, covered),
		other(attempt("s1", 80, covered, partial), "security"),
		attempt("q2", 50, covered, covered),
		attempt("q1", 71, covered, partial, covered),
		other(attempt("typed", 90), ""), // not a bank question: no topic
	}
	got := practice.Summarize(attempts)
	if len(got) != 2 || got[0].Topic != "orm" || got[1].Topic != "security" {
		t.Fatalf("topics = %+v", got)
	}
	orm := got[0]
	// Mean (20+50+71)/3 = 47; trend 71 − 20, q1's only: q2 was answered once.
	if orm.Attempts != 3 || orm.MeanScore != 47 || orm.Trend != 51 {
		t.Errorf("orm = %+v", orm)
	}
	// q1-k1, missed once then covered, is no longer to review.
	want := []coach.KeyPointMisses{{ID: "q1-k2", Text: "point q1-k2", Misses: 2}}
	if len(orm.WeakestKeyPoints) != len(want) {
		t.Fatalf("weakest = %+v, want %+v", orm.WeakestKeyPoints, want)
	}
	for i := range want {
		if orm.WeakestKeyPoints[i] != want[i] {
			t.Errorf("weakest[%d] = %+v, want %+v", i, orm.WeakestKeyPoints[i], want[i])
		}
	}
	if sec := got[1]; sec.Attempts != 1 || sec.MeanScore != 80 || sec.Trend != 0 || len(sec.WeakestKeyPoints) != 1 {
		t.Errorf("security = %+v", sec)
	}

	var many []coach.SessionAttempt
	for range 3 {
		many = append(many, attempt("q9", 0, missing, missing, missing, missing, missing, missing, missing))
	}
	if w := practice.Summarize(many)[0].WeakestKeyPoints; len(w) != practice.MaxWeakKeyPoints || w[0].Misses != 3 {
		t.Errorf("weakest of many = %+v", w)
	}
	if s := practice.Summarize(nil); s == nil || len(s) != 0 {
		t.Errorf("Summarize(nil) = %#v, want empty", s)
	}
}

func TestStrongest(t *testing.T) {
	t.Parallel()
	attempts := []coach.SessionAttempt{
		attempt("q1", 60, covered, covered, missing), // k1 covered, k2 covered, k3 missing
		attempt("q2", 40, partial, covered),
		attempt("q1", 90, covered, partial, covered), // k2 now partial: no longer strong
		followUp("q2", 80, covered),                  // q2-k1 covered by a follow-up answer
		attempt("q1", 95, covered, missing, covered),
	}
	got := practice.Strongest(attempts)
	want := []coach.KeyPointCovers{
		{ID: "q1-k1", Text: "point q1-k1", Covers: 3},
		{ID: "q1-k3", Text: "point q1-k3", Covers: 2},
		{ID: "q2-k2", Text: "point q2-k2", Covers: 1}, // covered before q2-k1: first among equals
		{ID: "q2-k1", Text: "point q2-k1", Covers: 1},
	}
	if len(got) != len(want) {
		t.Fatalf("Strongest = %+v, want %+v", got, want)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("Strongest[%d] = %+v, want %+v", i, got[i], want[i])
		}
	}
	var many []coach.SessionAttempt
	for range 2 {
		many = append(many, attempt("q9", 100, covered, covered, covered, covered, covered, covered, covered))
	}
	if s := practice.Strongest(many); len(s) != practice.MaxWeakKeyPoints || s[0].Covers != 2 {
		t.Errorf("Strongest of many = %+v", s)
	}
	if s := practice.Strongest(nil); s == nil || len(s) != 0 {
		t.Errorf("Strongest(nil) = %#v, want empty", s)
	}
}

func TestReviewNext(t *testing.T) {
	t.Parallel()
	typed := attempt("", 10)
	attempts := []coach.SessionAttempt{
		attempt("q1", 30),
		attempt("q2", 60),
		attempt("q3", 70),
		followUp("q2", 5, coach.StatusMissing), // follow-up answers are not questions to review
		typed,                                  // nor typed questions
		attempt("q1", 90),                      // q1's latest answer is excellent: nothing to review
		attempt("q4", 60),
		attempt("q5", 84),
		attempt("q6", 85),
		attempt("q7", 0),
		attempt("q8", 20),
	}
	var got []string
	for _, h := range practice.ReviewNext(attempts) {
		got = append(got, fmt.Sprintf("%s:%d", h.QuestionID, h.Score))
	}
	// Lowest first, q2 before q4 (answered first), at most five; q1 and q6 are excellent now.
	want := []string{"q7:0", "q8:20", "q2:60", "q4:60", "q3:70"}
	if !slices.Equal(got, want) {
		t.Errorf("ReviewNext = %v, want %v", got, want)
	}
	if r := practice.ReviewNext(nil); r == nil || len(r) != 0 {
		t.Errorf("ReviewNext(nil) = %#v, want empty", r)
	}
}
