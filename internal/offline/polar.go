package offline

import (
	"github.com/interviewcoach/coach/internal/coach"
	"github.com/interviewcoach/coach/internal/text"
)

// A polar answer is the yes or no a reply opens with. When the reference answers a yes-or-no
// question ("No. Only one circuit can be complete at a time.") and the candidate opens with the
// opposite ("Yes because the motor sends the energy back"), the answer reverses the reference
// whatever words the two share: the reasons given after it argue for the other side.

const (
	polarNone = iota
	polarYes
	polarNo
)

// polarWords are the words that answer a yes-or-no question.
var polarWords = map[string]int{"yes": polarYes, "yeah": polarYes, "yep": polarYes, "no": polarNo, "nope": polarNo}

// polarFollowers are the words that may follow a polar answer without punctuation in hasty
// writing ("No because ...", "Yes it does"). Anything else makes "no" a determiner ("no gap
// between the terminals", "no idea"), which answers nothing.
var polarFollowers = map[string]bool{
	"because": true, "since": true, "as": true, "but": true, "not": true,
	"it": true, "i": true, "you": true, "he": true, "she": true, "they": true, "we": true,
}

// polarity returns the polar answer s opens with, or polarNone. A reference, written with care,
// must punctuate it ("No."); an answer may also run on into a reason or a pronoun.
func polarity(s string, strict bool) int {
	first := true
	var p int
	for tok := range text.Scan(s) {
		if first {
			p = polarWords[tok.Text]
			if p == polarNone {
				return polarNone
			}
			first = false
			continue
		}
		if tok.Boundary != text.NoBoundary || !strict && polarFollowers[tok.Text] {
			return p
		}
		return polarNone
	}
	return p // the whole text is "yes" or "no"
}

// polarReversals marks the first key point of every reference that opens with a polar answer the
// answer opposes, unless another reference opens with the answer's own: references that disagree
// settle nothing.
func polarReversals(points []point, answer string, refs []coach.Reference) {
	a := polarity(answer, false)
	if a == polarNone {
		return
	}
	opposed := map[string]bool{}
	for _, r := range refs {
		switch polarity(r.Text, true) {
		case polarNone:
		case a:
			return
		default:
			opposed[r.ID] = true
		}
	}
	for i := range points {
		if opposed[points[i].ref] {
			points[i].polarFlip = true
			opposed[points[i].ref] = false
		}
	}
}
