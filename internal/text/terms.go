package text

import (
	"strings"
	"sync"
)

// Term is a content word of a text, ready for matching: stemmed, mapped onto its concept and marked
// when a negation governs it.
type Term struct {
	// Concept is what the term is compared by: Canonical of the stem, or a phrase's concept.
	Concept string
	// Stem is the Porter2 stem of the word; for a phrase, its concept; for a whole code identifier,
	// the identifier itself.
	Stem string
	// Word is the source text of the term, as written.
	Word string
	// Index is the position of the term's token among all tokens of the text, stopwords included.
	// The terms of one identifier or one phrase share it.
	Index int
	// Negated is set when the term lies within the scope of a negation ("does not touch the
	// database" negates touch and database), so a grader can tell a contradiction from agreement.
	Negated bool
	// Ident marks a whole snake_case or dotted identifier such as "select_related", kept as
	// written. Its words follow it as terms of their own, marked Part, so "select_related" still
	// meets "select related". A camelCase name ("QuerySet") is a plain term, followed by its words.
	Ident bool
	// Part marks one word of the compound identifier before it.
	Part bool
}

// negationScope is how many content terms a negation reaches when no punctuation stops it first.
const negationScope = 4

// unit is a word on its way to becoming a term.
type unit struct {
	word       string
	stem       string
	concept    string
	start, end int
	index      int
	boundary   Boundary
	stop, neg  bool
	ident      bool
	part       bool
}

var unitPool = sync.Pool{New: func() any { s := make([]unit, 0, 256); return &s }}

// expansions holds the tokenized long form of each abbreviation.
var expansions = func() map[string][]string {
	m := make(map[string][]string, len(abbreviations))
	for k, v := range abbreviations {
		m[k] = Tokens(v)
	}
	return m
}()

// Analyze returns the content terms of s in order: stopwords dropped, words stemmed and mapped onto
// concepts, abbreviations spelt out, multiword phrases joined into one term, compound identifiers
// kept whole and split into words, and negated terms marked.
func Analyze(s string) []Term {
	return AppendTerms(nil, s)
}

// AppendTerms appends the terms of s to dst and returns the extended slice; reusing dst spares
// allocations when many texts are analysed in a row.
func AppendTerms(dst []Term, s string) []Term {
	up := unitPool.Get().(*[]unit)
	units := collectUnits((*up)[:0], s)
	dst = emitTerms(dst, s, units)
	clear(units)
	*up = units[:0]
	unitPool.Put(up)
	return dst
}

// collectUnits turns the tokens of s into units, expanding abbreviations and splitting identifiers.
func collectUnits(units []unit, s string) []unit {
	index := 0
	add := func(word string, tok Token, boundary Boundary, ident, part bool) {
		u := unit{word: word, start: tok.Start, end: tok.End(), index: index, boundary: boundary, ident: ident, part: part}
		if isNeg, ok := stopwords[word]; ok {
			u.stop, u.neg = true, isNeg
			u.stem, u.concept = word, word
		} else if ident {
			u.stem, u.concept = word, Canonical(word)
		} else {
			u.neg = IsNegation(word)
			u.stop = u.neg
			u.stem = stemWord(word)
			u.concept = Canonical(u.stem)
		}
		units = append(units, u)
	}
	addWord := func(word string, tok Token, boundary Boundary, part bool) {
		exp, ok := expansions[word]
		if !ok && isPluralAcronym(tok.Raw) {
			exp, ok = expansions[word[:len(word)-1]] // "FKs", "CBVs"
		}
		if ok {
			for i, w := range exp {
				if i > 0 {
					boundary = NoBoundary
				}
				add(w, tok, boundary, false, part)
			}
			return
		}
		add(word, tok, boundary, false, part)
	}
	for tok := range Scan(s) {
		if isIdentifier(tok.Raw) && !IsStopword(tok.Text) {
			if strings.ContainsAny(tok.Text, "_.") {
				add(tok.Text, tok, tok.Boundary, true, false)
			} else {
				// A camelCase name reads as a word too: "QuerySets" is the "queryset" of prose.
				addWord(tok.Text, tok, tok.Boundary, false)
			}
			for _, p := range SplitIdentifier(tok.Raw) {
				addWord(p, tok, NoBoundary, true)
			}
		} else {
			addWord(tok.Text, tok, tok.Boundary, false)
		}
		index++
	}
	return units
}

// negationEnders end the scope of a negation: a contrast or a new clause begins.
var negationEnders = map[string]bool{
	"but": true, "however": true, "although": true, "though": true, "yet": true, "whereas": true,
	"unless": true, "until": true, "because": true, "instead": true, "rather": true, "while": true,
	"so": true, "then": true, "which": true, "except": true, "since": true,
}

// notNegating follow "not" in phrases that add rather than deny ("not only ... but also").
var notNegating = map[string]bool{"only": true, "just": true, "merely": true, "simply": true}

func emitTerms(dst []Term, s string, units []unit) []Term {
	negLeft := 0
	for i := 0; i < len(units); {
		u := &units[i]
		if u.boundary >= PhraseBoundary {
			negLeft = 0
		}
		if u.neg {
			if i+1 < len(units) && notNegating[units[i+1].word] {
				negLeft = 0
			} else {
				negLeft = negationScope
			}
			i++
			continue
		}
		if u.stop {
			if negationEnders[u.word] {
				negLeft = 0
			}
			i++
			continue
		}
		if !u.ident {
			if end, concept := matchPhrase(units, i); end > 0 {
				dst = append(dst, Term{
					Concept: concept, Stem: concept, Word: s[u.start:units[end-1].end],
					Index: u.index, Negated: negLeft > 0, Part: u.part,
				})
				if negLeft > 0 {
					negLeft--
				}
				i = end
				continue
			}
		}
		word := s[u.start:u.end]
		dst = append(dst, Term{
			Concept: u.concept, Stem: u.stem, Word: word, Index: u.index,
			Negated: negLeft > 0, Ident: u.ident, Part: u.part,
		})
		if negLeft > 0 && !u.part {
			negLeft--
		}
		i++
	}
	return dst
}

// matchPhrase returns the end of the longest phrase starting at units[i] and its concept, or 0.
// Function words the phrase does not name may sit between its words, two at most in a row.
func matchPhrase(units []unit, i int) (int, string) {
	ps, ok := phrases[units[i].concept]
	if !ok {
		return 0, ""
	}
next:
	for _, p := range ps {
		k, j, skipped := 1, i+1, 0
		for k < len(p.words) {
			if j >= len(units) {
				continue next
			}
			u := &units[j]
			switch {
			case u.ident:
			case u.boundary >= PhraseBoundary:
				continue next
			case u.concept == p.words[k]:
				k++
				skipped = 0
			case u.stop && skipped < 2:
				skipped++
			default:
				continue next
			}
			j++
		}
		return j, p.concept
	}
	return 0, ""
}

// Terms returns the stems of the content terms of s (see Analyze), in order.
func Terms(s string) []string {
	terms := Analyze(s)
	out := make([]string, len(terms))
	for i, t := range terms {
		out[i] = t.Stem
	}
	return out
}

// Concepts returns the concepts of the content terms of s (see Analyze), in order: the form to
// compare two texts by.
func Concepts(s string) []string {
	terms := Analyze(s)
	out := make([]string, len(terms))
	for i, t := range terms {
		out[i] = t.Concept
	}
	return out
}

// Negated reports, for each of the lowercase tokens (as Tokens returns them), whether a negation
// governs it: the up to four content words after "not", "never", "no", "doesn't" and the like, up to
// a contrast such as "but". Negation words themselves are not negated. Without punctuation to go by,
// Analyze is the more precise; Negated serves callers that only kept the words.
func Negated(tokens []string) []bool {
	out := make([]bool, len(tokens))
	left := 0
	for i, w := range tokens {
		switch {
		case IsNegation(w):
			left = negationScope
			if i+1 < len(tokens) && notNegating[tokens[i+1]] {
				left = 0
			}
		case negationEnders[w]:
			left = 0
		case IsStopword(w):
		case left > 0:
			out[i] = true
			left--
		}
	}
	return out
}
