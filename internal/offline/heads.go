package offline

import (
	"strings"

	"github.com/interviewcoach/coach/internal/text"
)

// Technical English coins closed compounds from a productive prefix and a word it qualifies:
// "autoescaping" is escaping done automatically, "multithreaded" threaded in many ways,
// "subquery" a kind of query. The compound is a kind of its head, so a statement about the head
// speaks of the compound: "templates never escape variables" denies "template autoescaping
// protects HTML output", and "templates escape variables by default" states it. The stemmer
// cannot see this (it leaves "autoescap" and "escap" unrelated), and a synonym would be wrong:
// the compound says more than its head, so a match through the head counts as a near form
// (headLikeness), not as the same word.

// compoundPrefixes are the prefixes that coin technical compounds whose head keeps its meaning.
// Prefixes that mostly begin unrelated everyday words are left out: "pre" (prevent, present,
// predict), "re" (remove, research), "inter" (interface), "over" (override); so are the negating
// ones ("un", "non", "de"), which reverse their head rather than qualify it (see unPrefixed).
var compoundPrefixes = []string{"auto", "multi", "sub", "super", "post", "meta", "micro"}

// minHead is the fewest letters the rest of a word needs to be read as a head: "subset" and
// "submit" do not split into "set" and "mit".
const minHead = 4

// headLikeness is what a match between a compound and its head counts for, like a derived form
// the stemmer did not join (see likeness).
const headLikeness = 0.8

// compoundHead returns the stem of the head of a closed compound word w, lower case ("escap" for
// "autoescaping"), or "" when w is no such compound.
func compoundHead(w string) string {
	for _, p := range compoundPrefixes {
		rest, ok := strings.CutPrefix(w, p)
		if !ok {
			continue
		}
		if len(rest) < minHead || !isWordLike(rest) || text.IsStopword(rest) {
			return ""
		}
		return text.Stem(rest)
	}
	return ""
}

// headMatch returns how well units k and a match through the head of a compound either one is:
// headLikeness times the likeness of the head to the other word's concept, 0 when neither is a
// compound.
func headMatch(k, a *unit) float64 {
	best := 0.0
	if k.head != "" {
		best = headLikeness * likeness(text.Canonical(k.head), a.concept)
	}
	if a.head != "" {
		best = max(best, headLikeness*likeness(k.concept, text.Canonical(a.head)))
	}
	return best
}

// sameHead reports whether one of u and o is a compound whose head is the other's own word
// ("autoescaping" and "escape"): for a negation, as much the same word as a shared stem.
func sameHead(u, o *unit) bool {
	return u.head != "" && u.head == wordConcept(o.word) || o.head != "" && o.head == wordConcept(u.word)
}
