package offline

import (
	"strings"

	"github.com/interviewcoach/coach/internal/text"
)

// A key point often states a rule and its exception in one sentence: "Template autoescaping
// protects HTML output unless bypassed with safe or mark_safe". The two say different things of
// different subjects: the rule is what autoescaping does, the exception what safe and mark_safe
// do to it. Read as one clause, an answer that pairs the exception's words with the rule's ("the
// safe filter is what escapes it") seems to state the point, though it gives safe the very role
// the point denies it; and a plain denial of the rule ("templates never escape variables") carries
// too little of the whole sentence to count as a reversal of it. So a key point's clauses are cut
// before the word that opens an exception, and an answer's words are credited to the clause they
// repeat (see creditedUnits).

// exceptionOpeners open the exception to a rule.
var exceptionOpeners = map[string]bool{"unless": true, "except": true}

// byException cuts clauses before each word that opens an exception, when both sides keep
// minExceptionWords words or more.
func byException(cs []text.Clause) []text.Clause {
	var out []text.Clause
	for _, c := range cs {
		var words []text.Token
		for tok := range text.Scan(c.Text) {
			words = append(words, tok)
		}
		from := 0
		for i, tok := range words {
			if !exceptionOpeners[tok.Text] || i-wordsBefore(words, from) < minExceptionWords || len(words)-i < minExceptionWords {
				continue
			}
			out = appendPiece(out, c, from, tok.Start)
			from = tok.Start
		}
		out = appendPiece(out, c, from, len(c.Text))
	}
	return out
}

// minExceptionWords is the fewest words a rule and its exception each need to stand alone.
const minExceptionWords = 3

// wordsBefore returns how many of words start before byte offset at.
func wordsBefore(words []text.Token, at int) int {
	n := 0
	for _, w := range words {
		if w.Start < at {
			n++
		}
	}
	return n
}

// appendPiece appends the trimmed text of c between byte offsets from and to as a clause.
func appendPiece(out []text.Clause, c text.Clause, from, to int) []text.Clause {
	piece := c.Text[from:to]
	t := strings.TrimRight(strings.TrimSpace(piece), ",;")
	if t == "" {
		return out
	}
	off := strings.Index(piece, t)
	return append(out, text.Clause{Text: t, Start: c.Start + from + off, End: c.Start + from + off + len(t)})
}

// creditedUnits returns the units of answer clause a that count towards key point clause k: all
// of them, except those that repeat a word of another clause of the same key point (siblings)
// and match k only through a looser link. In "the safe filter is what escapes it", "safe" is the
// exception's own word ("unless bypassed with safe"), not a statement that autoescaping
// "protects", with which the synonym table joins it.
func creditedUnits(k *clause, a *clause, siblings []clause) ([]unit, map[string]bool) {
	if len(siblings) < 2 {
		return a.units, a.present
	}
	var out []unit
	dropped := false
	for i := range a.units {
		u := &a.units[i]
		if !ownedBy(u, k.units) && ownedByOther(u, k, siblings) {
			dropped = true
			continue
		}
		out = append(out, *u)
	}
	if !dropped {
		return a.units, a.present
	}
	return out, conceptSet(out)
}

// ownedBy reports whether u repeats the word of one of units.
func ownedBy(u *unit, units []unit) bool {
	for j := range units {
		if unitLikeness(&units[j], u) >= 0.8 && sameWord(u, &units[j]) {
			return true
		}
	}
	return false
}

// ownedByOther reports whether u repeats the word of a clause of siblings other than k.
func ownedByOther(u *unit, k *clause, siblings []clause) bool {
	for s := range siblings {
		if o := &siblings[s]; o.text != k.text && ownedBy(u, o.units) {
			return true
		}
	}
	return false
}
