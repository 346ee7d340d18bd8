package offline

import (
	"strings"

	"github.com/interviewcoach/coach/internal/coach"
	"github.com/interviewcoach/coach/internal/text"
)

// A reply often opens with its short answer: a yes or a no, an agree or a disagree, or the
// option it picks among those the question names ("Which cup has the higher concentration, X or
// Y?"). When the reference opens with one ("No. Only one circuit can be complete at a time.",
// "Sammy's. Different materials make very different sounds.") and the candidate opens with
// another ("Yes because the motor sends the energy back", "Nathaniel - because ..."), the answer
// reverses the reference whatever words the two share: the reasons after it argue for the other
// side.

// Polar answers.
const (
	polarNone = iota
	polarYes
	polarNo
)

// polarWords are the words that answer a yes-or-no question, agree and disagree included.
var polarWords = map[string]int{
	"yes": polarYes, "yeah": polarYes, "yep": polarYes, "agree": polarYes,
	"no": polarNo, "nope": polarNo, "disagree": polarNo,
}

// polarFollowers are the words that may follow a polar answer without punctuation in hasty
// writing ("No because ...", "Yes it does"). Anything else makes "no" a determiner ("no gap
// between the terminals", "no idea"), which answers nothing.
var polarFollowers = map[string]bool{
	"because": true, "since": true, "as": true, "but": true, "not": true, "with": true,
	"it": true, "i": true, "you": true, "he": true, "she": true, "they": true, "we": true,
}

// opening is the short answer a text opens with: polar, or the option picked (lower case), or
// neither.
type opening struct {
	polar  int
	choice string
}

// openingOf returns the short answer s opens with. A reference, written with care, must end it
// with punctuation ("No.", "Sammy's."); an answer may also run on into a reason or a pronoun.
// "I agree", "I do not agree" and "I disagree" are polar answers too. A choice must be one of the
// options the question names (see options).
func openingOf(s string, strict bool, options map[string]bool) opening {
	var toks []text.Token
	for tok := range text.Scan(s) {
		toks = append(toks, tok)
		if len(toks) == 5 {
			break
		}
	}
	if len(toks) == 0 {
		return opening{}
	}
	closed := func(i int) bool { // the short answer ends after toks[i]
		if i+1 >= len(toks) {
			return true
		}
		next := toks[i+1]
		return next.Boundary != text.NoBoundary || !strict && polarFollowers[next.Text]
	}
	// "I agree", "I do agree", "I do not agree", "I don't agree", "I disagree".
	if toks[0].Text == "i" {
		negated := false
		for i := 1; i < len(toks) && i < 4; i++ {
			switch t := toks[i].Text; {
			case t == "do":
			case t == "not" || t == "don't" || t == "dont":
				negated = !negated
			case t == "agree" || t == "disagree":
				p := polarWords[t]
				if negated {
					p = polarYes + polarNo - p
				}
				return opening{polar: p}
			default:
				return opening{}
			}
		}
		return opening{}
	}
	if p := polarWords[toks[0].Text]; p != polarNone {
		if closed(0) || toks[0].Text == "agree" || toks[0].Text == "disagree" {
			return opening{polar: p}
		}
		return opening{}
	}
	if c := possessor(toks[0].Text); options[c] && closed(0) {
		return opening{choice: c}
	}
	return opening{}
}

// possessor strips a possessive ending: "Sammy's" picks Sammy's idea.
func possessor(w string) string {
	return strings.TrimSuffix(strings.TrimSuffix(w, "'s"), "’s")
}

// options returns the options a question names, in lower case: single capital letters
// ("container A", "cup X") and capitalised names ("Nathaniel and Sammy"), leaving out the words
// that open a sentence, which are capitalised anyway.
func options(question string) map[string]bool {
	m := map[string]bool{}
	first := true
	for tok := range text.Scan(question) {
		start := first || tok.Boundary == text.SentenceBoundary
		first = false
		r := tok.Raw
		if start || r == "" || r[0] < 'A' || r[0] > 'Z' || r == "I" {
			continue
		}
		if len(r) == 1 || !text.IsStopword(tok.Text) {
			m[possessor(tok.Text)] = true
		}
	}
	return m
}

// conflicts reports whether answer opening a picks another side than reference opening r.
func (a opening) conflicts(r opening) bool {
	switch {
	case a.polar != polarNone && r.polar != polarNone:
		return a.polar != r.polar
	case a.choice != "" && r.choice != "":
		return a.choice != r.choice
	}
	return false
}

// agrees reports whether answer opening a picks the same side as reference opening r.
func (a opening) agrees(r opening) bool {
	return a.polar != polarNone && a.polar == r.polar || a.choice != "" && a.choice == r.choice
}

// openingReversals marks the first key point of every reference whose opening short answer the
// answer's opening conflicts with, unless another reference opens with the answer's own:
// references that disagree settle nothing. The first key point of a reference whose opening the
// answer shares is marked as agreed: having said "No", the answer does not deny "No, the cookies
// are not pure sugar" by saying what pure sugar is.
func openingReversals(points []point, answer, question string, refs []coach.Reference) {
	opts := options(question)
	a := openingOf(answer, false, opts)
	if a == (opening{}) {
		return
	}
	opposed, agreed := map[string]bool{}, map[string]bool{}
	for _, r := range refs {
		o := openingOf(r.Text, true, opts)
		switch {
		case a.agrees(o):
			agreed[r.ID] = true
		case a.conflicts(o):
			opposed[r.ID] = true
		}
	}
	if len(agreed) > 0 {
		opposed = nil
	}
	seen := map[string]bool{}
	for i := range points {
		ref := points[i].ref
		if seen[ref] {
			continue
		}
		seen[ref] = true
		points[i].openingOpposed = opposed[ref]
		points[i].openingShared = agreed[ref]
	}
}
