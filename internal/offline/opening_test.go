package offline_test

import (
	"testing"

	"github.com/interviewcoach/coach/internal/coach"
)

// TestPolarAnswer checks that an answer opening with the opposite of the yes or no its reference
// opens with is a reversal, agree and disagree included, and that a "no" that is only a
// determiner, an agreeing answer, or references that disagree among themselves are not.
func TestPolarAnswer(t *testing.T) {
	t.Parallel()
	g := newGrader()
	const question = "Can two threads run Python bytecode at the same moment in CPython?"
	no := reference("r-no", "No. The GIL lets only one thread run bytecode at a time.")
	yes := reference("r-yes", "Yes, when one of them runs C code that released the GIL.")
	tests := []struct {
		name, answer string
		refs         []coach.Reference
		contradicted bool
	}{
		{"opposite, punctuated", "Yes, threads run bytecode at the same time on every core.", []coach.Reference{no}, true},
		{"opposite, run on into a reason", "Yes because each thread has its own core.", []coach.Reference{no}, true},
		{"agreeing", "No, the GIL lets only one thread run bytecode at a time.", []coach.Reference{no}, false},
		{"no as a determiner", "No thread can run bytecode while another holds the GIL.", []coach.Reference{no}, false},
		{"references disagree", "Yes because each thread has its own core.", []coach.Reference{no, yes}, false},
		{"agreeing, then a clause the negated key point would deny", "No because the interpreter holds a lock while a thread runs bytecode.", []coach.Reference{reference("r-no", "No, the threads do not run bytecode at the same moment.")}, false},
		{"I agree against no", "I agree, threads share the cores.", []coach.Reference{no}, true},
		{"I do not agree with no", "I do not agree, only one thread runs bytecode at a time.", []coach.Reference{no}, false},
		{"I disagree with no", "I disagree: the GIL lets only one thread run bytecode at a time.", []coach.Reference{no}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			as := assess(t, g, question, tt.answer, tt.refs)
			got := false
			for _, k := range as.KeyPoints {
				if k.Status == coach.StatusContradicted {
					got = true
					if k.KeyPointID != "r-no-k1" || why(t, as.Judged, k.KeyPointID) != "opening answer" {
						t.Errorf("contradicted %s (%s), want r-no-k1 for its opening answer", k.KeyPointID, why(t, as.Judged, k.KeyPointID))
					}
				}
			}
			if got != tt.contradicted {
				t.Errorf("contradicted %v, want %v: %+v", got, tt.contradicted, as.KeyPoints)
			}
			if tt.contradicted && (as.Score > coach.ContradictedCap || len(as.Judged.Misconceptions) == 0) {
				t.Errorf("score %d, misconceptions %+v: want a capped score and the misconception", as.Score, as.Judged.Misconceptions)
			}
		})
	}
}

// TestChosenOption checks that an answer opening with another of the options the question names
// than the one its reference opens with is a reversal, and that the same option, or a capitalised
// word that is no option, is not.
func TestChosenOption(t *testing.T) {
	t.Parallel()
	g := newGrader()
	const question = "Ana stores sessions in the database and Ben stores them in signed cookies. Whose sessions can be revoked on the server, Ana's or Ben's?"
	ref := reference("r-ana", "Ana's. Deleting the session row on the server ends the session at once.")
	tests := []struct {
		answer       string
		contradicted bool
	}{
		{"Ben's - because deleting the cookie on the server ends the session.", true},
		{"Ben, since the server can delete the session.", true},
		{"Ana's, because deleting the session row ends the session at once.", false},
		{"Deleting the session row on the server ends the session at once.", false},
		{"Signed cookies keep the session data in the browser.", false},
	}
	for _, tt := range tests {
		as := assess(t, g, question, tt.answer, []coach.Reference{ref})
		got := false
		for _, k := range as.KeyPoints {
			got = got || k.Status == coach.StatusContradicted
		}
		if got != tt.contradicted {
			t.Errorf("%q: contradicted %v, want %v (%+v)", tt.answer, got, tt.contradicted, as.KeyPoints)
		}
	}
}
