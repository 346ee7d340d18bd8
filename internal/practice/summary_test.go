package practice_test

import (
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
	const (
		missing = coach.StatusMissing
		covered = coach.StatusCovered
		partial = coach.StatusPartial
	)
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
