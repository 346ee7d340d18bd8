package offline_test

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/interviewcoach/coach/internal/coach"
)

const relatedQuestion = "What is the difference between select_related and prefetch_related?"

var related = []coach.Reference{reference("r-rel",
	"select_related uses a SQL JOIN and works for ForeignKey and OneToOneField relations.",
	"prefetch_related runs a separate query per relation and joins the results in Python.",
	"prefetch_related is needed for many-to-many and reverse foreign key relations.",
)}

const formQuestion = "How does a Form differ from a ModelForm in Django?"

// forms' key point about ModelForm ends in a short piece ("and saves to a model") that an answer
// giving ModelForm the other's role also says.
var forms = []coach.Reference{reference("r-form",
	"ModelForm generates fields, widgets and validation, and saves to a model.",
	"A plain Form declares every field by hand.",
)}

const viewsQuestion = "What are the trade-offs between function-based views and class-based views?"

// views' key point about class-based views speaks of "methods", which the synonym table joins with
// "function": that is no mention of function-based views.
var views = []coach.Reference{reference("r-view",
	"A function-based view is a function taking a request and returning a response.",
	"Class-based views map HTTP methods to methods and are wired in with as_view().",
)}

const circuitQuestion = "Why was bulb C off when switch Z was open?"

var circuit = []coach.Reference{reference("r-cir",
	"Bulb C was in no closed path.",
)}

const crystalQuestion = "Describe how you can tell the difference between the crystals from the calcite test and salt crystals when you observe them in an evaporation dish."

// crystals' key points open with one named thing qualifying another ("Salt crystals"): the
// statement is about both, not about crystals as against salt.
var crystals = []coach.Reference{reference("r-cry",
	"The crystals have different shapes.",
	"Salt crystals are square with little Xs.",
	"The calcite crystals are shaped like needles (long and skinny).",
)}

const atomicQuestion = "How do you use transaction.atomic correctly?"

var atomic = []coach.Reference{reference("r-atom",
	"transaction.atomic commits on normal exit and rolls back when an exception leaves the block.",
	"Nested atomic blocks use savepoints so inner failures can be rolled back separately.",
	"transaction.on_commit runs callbacks only after a successful commit.",
)}

const tupleQuestion = "What are the differences between a list and a tuple in Python?"

var tuples = []coach.Reference{reference("r-tup",
	"Lists are mutable, while tuples cannot be changed after creation.",
	"Tuples of hashable items are hashable and can be used as dictionary keys.",
)}

// why returns the reason the audit record gives for key point id.
func why(t *testing.T, j *coach.Judged, id string) string {
	t.Helper()
	var raw struct {
		KeyPoints []struct {
			ID  string `json:"id"`
			Why string `json:"why"`
		} `json:"key_points"`
	}
	if err := json.Unmarshal([]byte(j.Raw), &raw); err != nil {
		t.Fatalf("audit record: %v", err)
	}
	for _, k := range raw.KeyPoints {
		if k.ID == id {
			return k.Why
		}
	}
	return ""
}

// TestReversalKinds checks each kind of reversal on a clause of an answer, and that the evidence
// and the misconception's claim are the reversing clause, not the whole sentence.
func TestReversalKinds(t *testing.T) {
	t.Parallel()
	g := newGrader()
	tests := []struct {
		name, question, answer string
		refs                   []coach.Reference
		keyPoint, why, claim   string
	}{
		{"role swap", relatedQuestion,
			"prefetch_related uses a SQL JOIN and works for ForeignKey and OneToOneField relations, while select_related is the one for many-to-many.",
			related, "r-rel-k1", "role swap", "prefetch_related uses a SQL JOIN and works for ForeignKey and OneToOneField relations"},
		{"role swap past a short piece of the other's rubric", formQuestion,
			"ModelForm makes you declare every field by hand and saves to a model, which is why it needs more code.",
			forms, "r-form-k2", "role swap", "ModelForm makes you declare every field by hand"},
		{"role swap while the other clause keeps the qualifier", formQuestion,
			"ModelForm makes you declare every field yourself, while a plain Form builds its fields from the model.",
			forms, "r-form-k2", "role swap", "ModelForm makes you declare every field yourself"},
		{"role swap onto a word the key point's synonyms share", viewsQuestion,
			"Function-based views map HTTP methods to methods and are wired in with as_view(), and a class-based view is a plain function.",
			views, "r-view-k2", "role swap", "Function-based views map HTTP methods to methods"},
		{"negation", atomicQuestion,
			"With transaction.atomic nothing is rolled back when an exception leaves the block; the changes are committed on normal exit.",
			atomic, "r-atom-k1", "negation", "With transaction.atomic nothing is rolled back"},
		{"order", atomicQuestion,
			"transaction.atomic commits on normal exit. transaction.on_commit runs callbacks before the commit happens, so they run even if it fails.",
			atomic, "r-atom-k3", "antonym", "transaction.on_commit runs callbacks before the commit happens"},
		{"polarity", tupleQuestion,
			"Lists are immutable, so once made they stay as they are.",
			tuples, "r-tup-k1", "antonym", "Lists are immutable"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			as := assess(t, g, tt.question, tt.answer, tt.refs)
			var got *coach.Judgement
			for i := range as.KeyPoints {
				if as.KeyPoints[i].KeyPointID == tt.keyPoint {
					got = &as.KeyPoints[i]
				}
			}
			if got == nil || got.Status != coach.StatusContradicted {
				t.Fatalf("key point %s: want contradicted, got %+v", tt.keyPoint, got)
			}
			if w := why(t, as.Judged, tt.keyPoint); w != tt.why {
				t.Errorf("reason %q, want %q", w, tt.why)
			}
			if !strings.HasPrefix(got.Evidence, tt.claim) {
				t.Errorf("evidence %q, want the clause starting %q", got.Evidence, tt.claim)
			}
			if got.Evidence == tt.answer || !strings.Contains(tt.answer, got.Evidence) {
				t.Errorf("evidence %q: want a clause quoted verbatim from the answer, not all of it", got.Evidence)
			}
			found := false
			for _, m := range as.Judged.Misconceptions {
				if m.Claim == got.Evidence && m.Correction != "" && m.ReferenceID == tt.refs[0].ID {
					found = true
				}
			}
			if !found {
				t.Errorf("no misconception for the clause %q: %+v", got.Evidence, as.Judged.Misconceptions)
			}
			if as.Score > coach.ContradictedCap || as.Band == coach.BandGood || as.Band == coach.BandExcellent {
				t.Errorf("score %d (%s): a contradicted answer is capped at %d", as.Score, as.Band, coach.ContradictedCap)
			}
		})
	}
}

// TestAgreementIsNoReversal gives the same rubrics correct answers that use the words a reversal
// looks for: the other named thing in its own role, a negation that agrees, a condition, a
// negation inside a condition.
func TestAgreementIsNoReversal(t *testing.T) {
	t.Parallel()
	g := newGrader()
	tests := []struct {
		name, question, answer string
		refs                   []coach.Reference
	}{
		{"both named things in their roles", relatedQuestion,
			"select_related follows ForeignKey and OneToOneField relations with a SQL JOIN; prefetch_related runs a separate query per relation and joins the results in Python, which many-to-many relations need.", related},
		{"negation that agrees", atomicQuestion,
			"transaction.atomic does not commit when an exception leaves the block: it rolls back, and commits only on normal exit.", atomic},
		{"negated opposite", atomicQuestion,
			"transaction.on_commit never runs callbacks before the commit: they run only after it succeeds.", atomic},
		{"negation inside a condition", tupleQuestion,
			"Lists are mutable, and tuples cannot be changed once created; a tuple is hashable when none of its items is mutable, so it can be a dictionary key.", tuples},
		{"negated word for its opposite", circuitQuestion,
			"Because bulb C was in an open path.", circuit},
		{"a named thing qualifying another", crystalQuestion,
			"They are different because of their shape: calcite crystals look like needles and salt had squares with Xs inside them.", crystals},
		// A negation inside a condition is part of the condition: the same condition after the
		// claim, the same rule with condition and claim both negated, "unless" for "if not",
		// conditions joined by "or", and "once" opening a clause (a time, not the count "every"
		// opposes) reverse nothing.
		{"condition after the claim", constructorQuestion,
			"The compiler will provide one when the class does not explicitly include a constructor.", constructors},
		{"condition alone, both sides negated", constructorQuestion,
			"When no user-defined constructor exists.", constructors},
		{"unless", constructorQuestion,
			"Unless a constructor is defined for the class, the compiler provides one by default.", constructors},
		{"conditions joined by or", constructorQuestion,
			"No constructor in the class, or if the programmer does not provide a constructor: then the compiler provides one by default.", constructors},
		{"once as a time", "How does the compiler handle inline functions?",
			"Once the function is declared inline, the compiler copies its code into each place where it is called.",
			[]coach.Reference{reference("r-inl", "The compiler copies the function's code into every place where the function is called.")}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			as := assess(t, g, tt.question, tt.answer, tt.refs)
			for _, k := range as.KeyPoints {
				if k.Status == coach.StatusContradicted {
					t.Errorf("key point %s contradicted by %q (%s)", k.KeyPointID, k.Evidence, why(t, as.Judged, k.KeyPointID))
				}
			}
			// Some of these answers state one key point of three: what matters here is that one
			// is covered and nothing caps or penalises the answer as it would a reversal.
			covered := 0
			for _, k := range as.KeyPoints {
				if k.Status == coach.StatusCovered {
					covered++
				}
			}
			if covered == 0 || as.Score < 100*covered/len(as.KeyPoints) || len(as.Judged.Misconceptions) > 0 {
				t.Errorf("correct answer scored %d (%s), %d key points covered, misconceptions %+v", as.Score, as.Band, covered, as.Judged.Misconceptions)
			}
		})
	}
}

// TestEvidenceIsTheClause checks that a key point's evidence is the clause that makes it, and that
// one clause is not quoted for key points it does not state.
func TestEvidenceIsTheClause(t *testing.T) {
	t.Parallel()
	g := newGrader()
	answer := "select_related uses a SQL JOIN for ForeignKey relations, while prefetch_related runs a separate query per relation and joins the results in Python."
	as := assess(t, g, relatedQuestion, answer, related)
	ev := map[string]string{}
	for _, k := range as.KeyPoints {
		ev[k.KeyPointID] = k.Evidence
	}
	if !strings.HasPrefix(ev["r-rel-k1"], "select_related uses a SQL JOIN") || strings.Contains(ev["r-rel-k1"], "prefetch_related") {
		t.Errorf("k1 evidence %q: want the select_related clause alone", ev["r-rel-k1"])
	}
	if !strings.HasPrefix(ev["r-rel-k2"], "while prefetch_related runs") {
		t.Errorf("k2 evidence %q: want the prefetch_related clause", ev["r-rel-k2"])
	}
}

// TestUncertainWhenNoClauseStatesThePoint checks that a key point whose words are scattered over
// the clauses of a sentence is not claimed covered: it is partial, with an "uncertain" note, while
// the same content said in one clause is covered.
func TestUncertainWhenNoClauseStatesThePoint(t *testing.T) {
	t.Parallel()
	g := newGrader()
	status := func(answer string) coach.Judgement {
		t.Helper()
		for _, k := range assess(t, g, relatedQuestion, answer, related).KeyPoints {
			if k.KeyPointID == "r-rel-k1" {
				return k
			}
		}
		t.Fatalf("no judgement of r-rel-k1")
		return coach.Judgement{}
	}
	scattered := status("select_related is what I reach for; it works with ForeignKey; there is a JOIN; it is all SQL in the end.")
	if scattered.Status != coach.StatusPartial || !strings.HasPrefix(scattered.Note, "uncertain:") {
		t.Errorf("scattered words: got %s with note %q, want partial and uncertain", scattered.Status, scattered.Note)
	}
	stated := status("With select_related, ForeignKey and OneToOneField relations come back through a SQL JOIN.")
	if stated.Status != coach.StatusCovered || stated.Note != "" {
		t.Errorf("one clause stating it: got %s with note %q, want covered", stated.Status, stated.Note)
	}
}

// TestNoFalseReversal checks two readings that once made right answers contradicted: a negation
// inside a relative clause written without "that" ("patterns the converters cannot express") is
// not the clause's claim, and a negation denies only the key point's own words, not words the
// synonym table merely joins ("calling filter" is not "running SQL"). Their true reversals still
// count.
func TestNoFalseReversal(t *testing.T) {
	t.Parallel()
	g := newGrader()
	urls := []coach.Reference{reference("r-url",
		"re_path() matches a regular expression and passes named groups as keyword arguments.",
	)}
	lazy := []coach.Reference{reference("r-lazy",
		"Chaining filter, exclude or order_by builds a new QuerySet without running any SQL.",
	)}
	tests := []struct {
		name, question, answer string
		refs                   []coach.Reference
		want                   string
	}{
		{"relative clause", "What is the difference between path() and re_path()?",
			"re_path() takes a regular expression for patterns the converters cannot express, with named groups passed as keyword arguments.",
			urls, coach.StatusCovered},
		{"relative clause reversed", "What is the difference between path() and re_path()?",
			"re_path() does not match a regular expression and never passes named groups as keyword arguments.",
			urls, coach.StatusContradicted},
		{"synonym only", "When does a QuerySet run its query?",
			"Calling filter or exclude only describes the query.", lazy, coach.StatusCovered},
		{"own words negated", "When does a QuerySet run its query?",
			"Chaining filter or exclude builds a new QuerySet and runs the SQL at once.", lazy, coach.StatusContradicted},
	}
	for _, tc := range tests {
		as := assess(t, g, tc.question, tc.answer, tc.refs)
		got := as.KeyPoints[0].Status
		if tc.want == coach.StatusCovered && got == coach.StatusContradicted || tc.want == coach.StatusContradicted && got != coach.StatusContradicted {
			t.Errorf("%s: %q judged %s, want %s", tc.name, tc.answer, got, tc.want)
		}
	}
}

// TestQuantifierReversal checks that "exactly once" reverses "more than once" and "at least once",
// while the same quantifier agrees.
func TestQuantifierReversal(t *testing.T) {
	t.Parallel()
	g := newGrader()
	const question = "What delivery guarantee does a message queue give?"
	refs := []coach.Reference{reference("r-q", "A consumer can receive the same message more than once after a redelivery.")}
	status := func(answer string) string {
		t.Helper()
		return assess(t, g, question, answer, refs).KeyPoints[0].Status
	}
	if got := status("A consumer receives every message exactly once, even after a redelivery."); got != coach.StatusContradicted {
		t.Errorf("exactly once against more than once: %s, want contradicted", got)
	}
	if got := status("After a redelivery a consumer can receive the same message more than once."); got == coach.StatusContradicted {
		t.Errorf("more than once against more than once: %s", got)
	}
}

// TestEagerAgainstLazy checks that "up front" and "at once", the eager ways of saying it, reverse
// "lazily", while "one at a time" agrees with it.
func TestEagerAgainstLazy(t *testing.T) {
	t.Parallel()
	g := newGrader()
	const question = "When does a Django QuerySet hit the database?"
	refs := []coach.Reference{reference("r-lazy", "QuerySets are evaluated lazily, when their rows are first needed.")}
	status := func(answer string) string {
		t.Helper()
		return assess(t, g, question, answer, refs).KeyPoints[0].Status
	}
	for _, answer := range []string{
		"QuerySets are evaluated up front, as soon as you build them, before their rows are needed.",
		"A QuerySet is evaluated all at once, as soon as it is created.",
	} {
		if got := status(answer); got != coach.StatusContradicted {
			t.Errorf("%q: %s, want contradicted", answer, got)
		}
	}
	if got := status("QuerySets are evaluated lazily, only when their rows are first needed."); got == coach.StatusContradicted {
		t.Errorf("the key point in other words: %s", got)
	}
}
