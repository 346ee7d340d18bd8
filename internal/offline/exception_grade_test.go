package offline_test

import (
	"testing"

	"github.com/interviewcoach/coach/internal/coach"
)

// xssBank is the bundled bank's rubric for XSS, whose second key point states a rule and its
// exception ("protects HTML output unless bypassed with safe or mark_safe") and names the rule's
// subject by a compound ("autoescaping") that answers write as its head ("escape").
var xssBank = []coach.Reference{reference("r-xb",
	"XSS occurs when untrusted input is executed as script in another user's browser.",
	"Template autoescaping protects HTML output unless bypassed with safe or mark_safe.",
	"Values placed in script blocks, event attributes or javascript URLs need other protection.",
	"json_script safely hands data from templates to JavaScript.",
	"A Content-Security-Policy header limits damage by restricting allowed script sources.",
)}

// TestRuleDeniedThroughItsHead checks that denying the head of the rule's compound ("never
// escape") contradicts the rule, and that giving the exception's subject the rule's role ("the
// safe filter is what escapes it") does not count as stating the rule and so excuse the denial.
func TestRuleDeniedThroughItsHead(t *testing.T) {
	t.Parallel()
	g := newGrader()
	wrong := assess(t, g, xssQuestion, "Django templates never escape variables, so you must call escape() on every value yourself; "+
		"marking content with the safe filter is what escapes it, and autoescape off is the recommended setting for user content.", xssBank)
	got := wrong.KeyPoints[1]
	if got.Status != coach.StatusContradicted || got.Evidence != "Django templates never escape variables" {
		t.Fatalf("rule: %s with evidence %q, want contradicted by the clause denying escaping", got.Status, got.Evidence)
	}
	if w := why(t, wrong.Judged, "r-xb-k2"); w != "negation" {
		t.Errorf("reason %q, want negation", w)
	}
	right := assess(t, g, xssQuestion, "Templates escape variables by default, turning characters like < and & into entities, so injected markup shows as text. "+
		"You can still get XSS by marking untrusted content safe with the safe filter or mark_safe, by inserting data into JavaScript "+
		"or unquoted attributes, or by turning autoescape off.", xssBank)
	for _, j := range right.KeyPoints {
		if j.Status == coach.StatusContradicted {
			t.Errorf("right answer: %q contradicted by %q", j.Text, j.Evidence)
		}
	}
	if wrong.Score > 35 || right.Score < wrong.Score+25 {
		t.Errorf("right %d, wrong %d: want wrong <= 35 and right at least 25 above", right.Score, wrong.Score)
	}
}

// TestRuleAndExceptionAgreement gives the rubric correct answers that deny escaping where the
// exception does ("mark_safe skips escaping") or state the rule with its exception: no reversal.
func TestRuleAndExceptionAgreement(t *testing.T) {
	t.Parallel()
	g := newGrader()
	for _, answer := range []string{
		"Templates escape every variable automatically, which protects the HTML output; mark_safe and the safe filter skip escaping, so they are the way holes appear.",
		"Autoescaping protects HTML output unless you bypass it with the safe filter or mark_safe.",
		"Django does not leave variables unescaped: templates escape them by default, unless you mark them safe.",
	} {
		as := assess(t, g, xssQuestion, answer, xssBank)
		if j := as.KeyPoints[1]; j.Status == coach.StatusContradicted || j.Status == coach.StatusMissing {
			t.Errorf("%q: rule %s (evidence %q), want it stated", answer, j.Status, j.Evidence)
		}
	}
}
