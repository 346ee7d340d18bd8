package offline

import (
	"github.com/interviewcoach/coach/internal/text"
)

// antonymPairs are words whose swap turns a true statement about software into a false one. They
// are compared as concepts, so "faster" and "quicker" both stand against "slower". Places and
// extents (inside and outside, local and global, long and short) are left out on purpose: "can be
// used inside" does not deny "can be used outside".
var antonymPairs = [][2]string{
	{"faster", "slower"}, {"fast", "slow"}, {"before", "after"}, {"sync", "async"},
	{"synchronous", "asynchronous"}, {"mutable", "immutable"}, {"more", "fewer"}, {"more", "less"},
	{"client", "server"}, {"true", "false"}, {"increase", "decrease"}, {"higher", "lower"},
	{"public", "private"}, {"static", "dynamic"}, {"lazy", "eager"}, {"encrypt", "decrypt"},
	{"valid", "invalid"}, {"stateless", "stateful"}, {"minimum", "maximum"}, {"add", "remove"},
	{"enable", "disable"}, {"allow", "deny"}, {"include", "exclude"}, {"explicit", "implicit"},
	{"explicitly", "implicitly"}, {"optional", "required"}, {"possible", "impossible"},
	{"same", "different"}, {"always", "never"}, {"connected", "separated"}, {"open", "closed"},
	{"positive", "negative"}, {"cheap", "expensive"}, {"compile", "runtime"},
	{"success", "failure"}, {"safe", "unsafe"}, {"secure", "insecure"}, {"blocking", "nonblocking"},
}

// antonyms maps a concept to the concepts opposed to it.
var antonyms = func() map[string][]string {
	m := map[string][]string{}
	for _, p := range antonymPairs {
		a, b := wordConcept(p[0]), wordConcept(p[1])
		if a == b {
			continue
		}
		m[a] = append(m[a], b)
		m[b] = append(m[b], a)
	}
	return m
}()

// wordConcept returns the concept a single lowercase word is compared by. Unlike text.Analyze it
// keeps function words ("before", "more"), which matter to a contradiction.
func wordConcept(w string) string {
	if text.IsStopword(w) {
		return w
	}
	return text.Canonical(text.Stem(w))
}

// Polarity of a concept's occurrences in a text.
const (
	plain   = 1 // said outright
	negated = 2 // said under a negation
)

// tokenConcepts returns the concepts of every word of s, function words included, each with the
// polarity of its occurrences.
func tokenConcepts(s string) map[string]uint8 {
	m := map[string]uint8{}
	near := viewTokens(s).negated
	i := 0
	for tok := range text.Scan(s) {
		c := wordConcept(tok.Text)
		if i < len(near) && near[i] {
			m[c] |= negated
		} else {
			m[c] |= plain
		}
		i++
	}
	return m
}

// swaps counts the antonym pairs where the key point says one side and the answer only the other,
// outright ("runs before the save" against "runs after the save"). A negated opposite is
// agreement, not a swap: "not after" is "before".
func swaps(kp, answer map[string]uint8) int {
	n := 0
	for a, pol := range kp {
		if pol&plain == 0 || answer[a] != 0 {
			continue
		}
		for _, b := range antonyms[a] {
			if answer[b]&plain != 0 && kp[b] == 0 {
				n++
				break
			}
		}
	}
	return n
}

// negationFlips reports whether the answer plainly negates what the key point asserts, or
// asserts what it negates. Only the key point's matched terms count, weighed: one negated side
// word does not make a contradiction.
func negationFlips(kp, stretch []unit, present map[string]bool) (answerNegates, answerAsserts float64) {
	var matched, neg, pos float64
	for i := range kp {
		k := &kp[i]
		m, flipped := bestMatch(k, stretch, present)
		if m == 0 {
			continue
		}
		matched += k.weight * m
		if flipped {
			if k.negated {
				pos += k.weight * m
			} else {
				neg += k.weight * m
			}
		}
	}
	if matched == 0 {
		return 0, 0
	}
	return neg / matched, pos / matched
}
