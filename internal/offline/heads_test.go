package offline

import (
	"reflect"
	"testing"

	"github.com/interviewcoach/coach/internal/text"
)

func TestCompoundHead(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct{ word, head string }{
		{"autoescaping", "escap"},
		{"autoescape", "escap"},
		{"autocommit", "commit"},
		{"multithreaded", "thread"},
		{"subquery", text.Stem("query")},
		{"superuser", "user"},
		{"metaclass", "class"},
		{"escape", ""},
		{"subset", ""},   // too short a rest to be a word of its own
		{"submit", ""},   // likewise
		{"prevent", ""},  // "pre" begins too many everyday words
		{"multiple", ""}, // "ple" is no head
		{"remove", ""},
	} {
		if got := compoundHead(tt.word); got != tt.head {
			t.Errorf("compoundHead(%q) = %q, want %q", tt.word, got, tt.head)
		}
	}
}

// TestHeadMatches checks that a compound and its head align, as a near form and both ways, and
// that a negation of the head falls on the compound.
func TestHeadMatches(t *testing.T) {
	t.Parallel()
	kp := analyze("Template autoescaping protects HTML output", nil, 1)
	ans := analyze("templates never escape variables", nil, 1)
	k, a := &kp[1], &ans[1]
	if got := unitLikeness(k, a); got != headLikeness {
		t.Errorf("autoescaping against escape: likeness %v, want %v", got, headLikeness)
	}
	if got := unitLikeness(a, k); got != headLikeness {
		t.Errorf("escape against autoescaping: likeness %v, want %v", got, headLikeness)
	}
	if !sameWord(k, a) || !a.negated {
		t.Errorf("a negated escape must deny autoescaping: same word %v, negated %v", sameWord(k, a), a.negated)
	}
	if got := unitLikeness(&kp[2], a); got != 0 {
		t.Errorf("protects against escape: likeness %v, want 0", got)
	}
}

func TestByException(t *testing.T) {
	t.Parallel()
	texts := func(cs []text.Clause) []string {
		var out []string
		for _, c := range cs {
			out = append(out, c.Text)
		}
		return out
	}
	for _, tt := range []struct {
		in   string
		want []string
	}{
		{"Template autoescaping protects HTML output unless bypassed with safe or mark_safe.",
			[]string{"Template autoescaping protects HTML output", "unless bypassed with safe or mark_safe."}},
		{"defer() fetches every field except the ones named, postponing them until accessed.",
			[]string{"defer() fetches every field", "except the ones named, postponing them until accessed."}},
		{"Middleware is sync unless async.", []string{"Middleware is sync unless async."}},
		{"Unless told otherwise, it commits each query.", []string{"Unless told otherwise, it commits each query."}},
	} {
		got := texts(byException(text.StatementClauses(tt.in)))
		if !reflect.DeepEqual(got, tt.want) {
			t.Errorf("byException(%q) = %q, want %q", tt.in, got, tt.want)
		}
		for _, c := range byException(text.StatementClauses(tt.in)) {
			if tt.in[c.Start:c.End] != c.Text {
				t.Errorf("clause %q does not sit at %d-%d of %q", c.Text, c.Start, c.End, tt.in)
			}
		}
	}
}

// TestCreditedUnits checks that an answer's word is credited to the clause of the key point it
// repeats, not to a sibling clause the synonym table links it with.
func TestCreditedUnits(t *testing.T) {
	t.Parallel()
	kps := clausesOf("Template autoescaping protects HTML output unless bypassed with safe or mark_safe.", -1, -1, nil, 1, nil, nil, nil)
	if len(kps) != 2 {
		t.Fatalf("%d clauses, want the rule and its exception", len(kps))
	}
	s := "marking content with the safe filter is what escapes it"
	us := analyze(s, nil, 1)
	as := clausesOf(s, 0, 0, nil, 1, nil, us, conceptSet(us))
	rule, exception := &kps[0], &kps[1]
	units, present := creditedUnits(rule, &as[0], kps)
	if r := align(rule.units, units, present).recall; r > 0.2 {
		t.Errorf("the rule: recall %.2f from the exception's words, want only the head of autoescaping (0.16)", r)
	}
	units, present = creditedUnits(exception, &as[0], kps)
	if r := align(exception.units, units, present).recall; r < 0.6 {
		t.Errorf("the exception: recall %.2f, want its own words credited (0.63)", r)
	}
}

// TestNegatedOppositeNeedsTheOpposite checks that denying a word reads as agreeing with its
// opposite only when the key point does not say the denied word itself: "escape" and "render"
// are opposites, but a key point that says rendered variables are escaped is denied by "never
// escape", not stated.
func TestNegatedOppositeNeedsTheOpposite(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		kp, answer string
		want       bool
	}{
		{"transaction.on_commit runs callbacks only after a successful commit.", "on_commit never runs callbacks before the commit.", true},
		{"Django escapes HTML special characters in every rendered variable by default.", "Django templates never escape variables", false},
	} {
		if got := negatedOpposite(tokenConcepts(tt.kp), tokenConcepts(tt.answer)); got != tt.want {
			t.Errorf("negatedOpposite(%q, %q) = %v, want %v", tt.kp, tt.answer, got, tt.want)
		}
	}
}

// TestEntityNamedByHead checks that a clause naming a compound named thing by its head speaks of
// that thing, while a word the synonym table merely joins with a named thing names nothing.
func TestEntityNamedByHead(t *testing.T) {
	t.Parallel()
	entities := map[string]string{"autoescap": "autoescaping", "secur": "safe"}
	for _, tt := range []struct{ word, want string }{
		{"escaping", "autoescap"},
		{"autoescaping", "autoescap"},
		{"safe", "secur"},
		{"protects", ""},
		{"variables", ""},
	} {
		us := analyze(tt.word, nil, 1)
		if len(us) != 1 {
			t.Fatalf("%q: %d units", tt.word, len(us))
		}
		if got := entityOf(entities, &us[0]); got != tt.want {
			t.Errorf("entityOf(%q) = %q, want %q", tt.word, got, tt.want)
		}
	}
}
