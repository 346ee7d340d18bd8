package offline

import (
	"math"
	"strings"

	"github.com/interviewcoach/coach/internal/coach"
)

// alignment is how one key point compares with one stretch of the answer.
type alignment struct {
	// recall is the weighted share of the key point's terms the stretch contains; precision the
	// weighted share of the stretch's terms that belong to the rubric or the question.
	recall, precision float64
	// flipped is the weighted share of the matched key point terms whose negation differs in the
	// answer ("is lazy" against "is not lazy").
	flipped float64
}

// likeness returns how far two concepts are the same word: 1 when equal, less for a misspelling
// ("defintion") or a stem the stemmer did not join ("constructor", "construct"), 0 otherwise.
// Candidates misspell freely when typing under time pressure, and a typo is no gap in knowledge.
func likeness(a, b string) float64 {
	if a == b {
		return 1
	}
	la, lb := len(a), len(b)
	if la < 4 || lb < 4 || !isWordLike(a) || !isWordLike(b) {
		return 0
	}
	if short, long := a, b; la != lb {
		if la > lb {
			short, long = b, a
		}
		if strings.HasPrefix(long, short) && derivational[long[len(short):]] {
			// The stemmer keeps some derived words apart: "reus" and "reusabl", "construct" and
			// "constructor".
			return 0.8
		}
	}
	if la < 5 || lb < 5 {
		return 0
	}
	if d := abs(la - lb); d > 3 {
		return 0
	}
	p := commonPrefix(a, b)
	if p >= 6 && p >= min(la, lb)-1 {
		return 0.8
	}
	limit := 1
	if min(la, lb) >= 9 {
		limit = 2
	}
	if a[0] == b[0] && editDistance(a, b, limit) <= limit {
		return 0.8
	}
	return 0
}

// derivational are the suffixes Porter2 stems leave on derived words, as they read after
// stemming.
var derivational = map[string]bool{
	"abl": true, "ibl": true, "abil": true, "iti": true, "at": true, "ation": true, "ic": true,
	"al": true, "iv": true, "er": true, "or": true, "ment": true, "ion": true, "ist": true, "ism": true,
	"ous": true, "ant": true, "ent": true, "ar": true, "e": true, "i": true, "ing": true, "ed": true,
}

func isWordLike(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < 'a' || s[i] > 'z' {
			return false
		}
	}
	return true
}

func abs(x int) int {
	if x < 0 {
		return -x
	}
	return x
}

func commonPrefix(a, b string) int {
	n := 0
	for n < len(a) && n < len(b) && a[n] == b[n] {
		n++
	}
	return n
}

// editDistance returns the optimal-string-alignment distance of a and b (edits, with adjacent
// swaps counting one), or limit+1 as soon as it must exceed limit.
func editDistance(a, b string, limit int) int {
	if abs(len(a)-len(b)) > limit {
		return limit + 1
	}
	var buf [3][32]int
	if len(b)+1 > len(buf[0]) {
		return limit + 1
	}
	prev2, prev, cur := buf[0][:len(b)+1], buf[1][:len(b)+1], buf[2][:len(b)+1]
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		rowMin := cur[0]
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			v := min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
			if i > 1 && j > 1 && a[i-1] == b[j-2] && a[i-2] == b[j-1] {
				v = min(v, prev2[j-2]+1)
			}
			cur[j] = v
			rowMin = min(rowMin, v)
		}
		if rowMin > limit {
			return limit + 1
		}
		prev2, prev, cur = prev, cur, prev2
	}
	return prev[len(b)]
}

// unitLikeness returns how well answer unit a stands for key point unit k: the likeness of their
// concepts, or for a compound identifier the share of its words present, or through the head of
// a compound word (see heads.go).
func unitLikeness(k, a *unit) float64 {
	best := likeness(k.concept, a.concept)
	if best == 1 {
		return 1
	}
	for _, p := range a.parts {
		best = math.Max(best, 0.9*likeness(k.concept, p))
	}
	return math.Max(best, headMatch(k, a))
}

// bestMatch returns how well the units of a stretch cover key point unit k, and whether the best
// matching occurrence has the opposite negation. When the concept occurs both negated and not, the
// agreeing occurrence wins: a contradiction must be plain.
func bestMatch(k *unit, stretch []unit, present map[string]bool) (float64, bool) {
	best, flipped := 0.0, false
	for i := range stretch {
		m := unitLikeness(k, &stretch[i])
		f := stretch[i].negated != k.negated
		if m > best || (m == best && m > 0 && flipped && !f) {
			best, flipped = m, f
		}
	}
	if len(k.parts) > 1 && best < 1 {
		// An identifier written out as words ("select related" for select_related).
		found := 0
		for _, p := range k.parts {
			if present[p] {
				found++
			}
		}
		if share := 0.9 * float64(found) / float64(len(k.parts)); share > best {
			best, flipped = share, false
		}
	}
	return best, flipped
}

// align compares key point units kp with a stretch of the answer and returns the recall and the
// negation flips; precision is the stretch's own (see precision) and filled in by the caller.
func align(kp, stretch []unit, present map[string]bool) alignment {
	var a alignment
	var total, matched, flippedWeight float64
	for i := range kp {
		k := &kp[i]
		total += k.weight
		m, f := bestMatch(k, stretch, present)
		matched += k.weight * m
		if f && m > 0 {
			flippedWeight += k.weight * m
		}
	}
	if total > 0 {
		a.recall = matched / total
	}
	if matched > 0 {
		a.flipped = flippedWeight / matched
	}
	return a
}

// precision returns the weighted share of a stretch's terms that belong to relevant: the concepts
// of the whole rubric and of the question. A sentence that buries a point in unrelated talk earns
// less than one that makes it plainly.
func precision(stretch []unit, relevant map[string]bool) float64 {
	var own, onTopic float64
	for i := range stretch {
		s := &stretch[i]
		own += s.weight
		if relevant[s.concept] {
			onTopic += s.weight
			continue
		}
		best := 0.0
		for _, p := range s.parts {
			if relevant[p] {
				best = 0.9
				break
			}
		}
		if best == 0 {
			for c := range relevant {
				if l := likeness(c, s.concept); l > best {
					best = l
				}
			}
		}
		onTopic += s.weight * best
	}
	if own == 0 {
		return 0
	}
	return onTopic / own
}

// fScore is the weighted harmonic mean of precision and recall, recall beta times as important.
func fScore(precision, recall, beta float64) float64 {
	if precision <= 0 || recall <= 0 {
		return 0
	}
	b2 := beta * beta
	return (1 + b2) * precision * recall / (b2*precision + recall)
}

// cosine returns the cosine similarity of two vectors, 0 when either is zero.
func cosine(a, b []float32) float64 { return coach.Cosine(a, b) }
