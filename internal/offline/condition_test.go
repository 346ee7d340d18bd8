package offline_test

import (
	"testing"

	"github.com/interviewcoach/coach/internal/coach"
)

const constructorQuestion = "When does C++ create a default constructor?"

// constructors' key points put a negation in a condition ("If no constructor is provided") or in
// the claim that follows one ("the compiler does not create"), as answers to "When ...?" do.
var constructors = []coach.Reference{reference("r-ctor",
	"If no constructor is provided, the compiler provides one by default.",
	"If a constructor is defined for a class, the compiler does not create a default constructor.",
)}

// TestReversalInsideCondition checks that conditions are compared with conditions and claims with
// claims: a condition reversed under the same claim, or the claim reversed under the same
// condition, is still a reversal.
func TestReversalInsideCondition(t *testing.T) {
	t.Parallel()
	g := newGrader()
	for _, answer := range []string{
		"The compiler provides one by default when the class does include a constructor.",
		"If no constructor is provided, the compiler does not provide one.",
	} {
		as := assess(t, g, constructorQuestion, answer, constructors)
		if got := as.KeyPoints[0]; got.Status != coach.StatusContradicted || why(t, as.Judged, got.KeyPointID) != "negation" {
			t.Errorf("%q: key point %s %s (%s), want contradicted by negation", answer, got.KeyPointID, got.Status, why(t, as.Judged, got.KeyPointID))
		}
	}
}
