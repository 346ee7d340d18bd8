package offline

import (
	"strings"

	"github.com/interviewcoach/coach/internal/text"
)

// unit is one content term of a text as the grader compares it: a concept (a canonical stem, a
// phrase or a whole identifier), with the words of an identifier as alternatives, its weight and
// whether a negation governs it.
type unit struct {
	concept string
	parts   []string // the concepts of the words of a compound identifier
	word    string
	negated bool
	weight  float64
	// head is the stem of the head of a compound word ("escap" for "autoescaping"), or "".
	head string
}

// negationReach is how many words after a negation it governs for the grader. The text package's
// scope is wider, which suits retrieval; a contradiction must rest on the words right after the
// negation ("cannot be accessed", not "no limit to the number of constructors").
const negationReach = 3

// analyze returns the units of s, weighted; concepts in demote (the question's own words) weigh
// demoteBy times less, since repeating the question shows nothing.
func analyze(s string, demote map[string]bool, demoteBy float64) []unit {
	terms := text.Analyze(s)
	view := viewTokens(s)
	out := make([]unit, 0, len(terms)+len(view.phrases)+len(view.kept))
	add := func(u unit) {
		if demote[u.concept] {
			u.weight *= demoteBy
		}
		out = append(out, u)
	}
	for _, t := range terms {
		if _, ok := view.covered[t.Index]; ok {
			continue // part of an equivalent phrase, added below
		}
		if t.Part {
			if n := len(out); n > 0 && strings.Contains(out[n-1].word, strings.ToLower(t.Word)) {
				// A word of the identifier just added: an alternative spelling of it, not a term.
				out[n-1].parts = append(out[n-1].parts, t.Concept)
				continue
			}
		}
		u := unit{concept: t.Concept, word: strings.ToLower(t.Word), weight: termWeight(t.Concept, t.Word)}
		u.negated = t.Negated && t.Index < len(view.negated) && view.negated[t.Index]
		if !t.Ident {
			u.head = compoundHead(u.word)
		}
		if c, ok := unPrefixed(u.word); ok && !t.Ident {
			// "unlimited" says "no limit": one concept, negated, so the two phrasings agree.
			u.concept, u.negated = c, !u.negated
		}
		add(u)
	}
	for _, p := range view.phrases {
		add(unit{concept: p.concept, word: p.word, weight: 1, negated: view.negated[p.first]})
	}
	for _, k := range view.kept {
		add(unit{concept: k.word, word: k.word, weight: keptFunctionWords[k.word], negated: view.negated[k.index]})
	}
	return out
}

// unPrefixed returns the concept of a word made negative with "un" ("unlimited", "unsafe") and
// true, or false for words that merely start with those letters.
func unPrefixed(w string) (string, bool) {
	if !strings.HasPrefix(w, "un") || len(w) < 7 || notUnPrefixed[w[:min(len(w), 5)]] {
		return "", false
	}
	rest := w[2:]
	if text.IsStopword(rest) {
		return "", false
	}
	return text.Canonical(text.Stem(rest)), true
}

// notUnPrefixed are the starts of words whose "un" is no negation.
var notUnPrefixed = map[string]bool{
	"under": true, "uniqu": true, "union": true, "unive": true, "unifo": true, "unifi": true,
	"unify": true, "unico": true, "unitt": true, "unite": true, "unity": true, "units": true,
	"until": true, "unles": true, "unix_": true,
}

// dedupe keeps one unit per concept, the heaviest: a key point that names a concept three times
// asks for it once.
func dedupe(units []unit) []unit {
	out := make([]unit, 0, len(units))
	at := make(map[string]int, len(units))
	for _, u := range units {
		if i, ok := at[u.concept]; ok {
			if u.weight > out[i].weight {
				out[i].weight = u.weight
			}
			out[i].parts = append(out[i].parts, u.parts...)
			continue
		}
		at[u.concept] = len(out)
		out = append(out, u)
	}
	return out
}

// conceptSet returns the concepts of units, identifier words included.
func conceptSet(units []unit) map[string]bool {
	m := make(map[string]bool, len(units)*2)
	for _, u := range units {
		m[u.concept] = true
		for _, p := range u.parts {
			m[p] = true
		}
	}
	return m
}

// termWeight is the static weight of a concept: how much it says about what an answer means.
// Frequent general-English words ("make", "thing", "different") say little whatever the question,
// so they weigh less; everything else, technical words above all, weighs 1. A fixed table rather
// than IDF over the references: a rubric of one or two statements is far too small a corpus for
// document frequencies to mean anything.
func termWeight(concept, word string) float64 {
	if w, ok := commonWeight[concept]; ok {
		return w
	}
	if isNumber(word) {
		return 0.7
	}
	return 1
}

func isNumber(w string) bool {
	if w == "" {
		return false
	}
	for i := 0; i < len(w); i++ {
		if (w[i] < '0' || w[i] > '9') && w[i] != '.' && w[i] != ',' {
			return false
		}
	}
	return true
}

// commonWords are frequent English words that carry little of an answer's meaning: general verbs,
// vague nouns and adjectives, hedges. They are listed as written and weighed by their stems.
var commonWords = strings.Fields(`
	use used uses using make makes made making go goes going went gone
	take takes took taken know knows knew known see sees saw seen come comes came want wants
	give gives gave given tell tells told ask asks asked try tries tried put puts keep keeps kept
	let lets seem seems mean means meant thing things stuff way ways kind kinds sort lot lots
	something anything everything nothing someone anyone everyone somebody anybody
	good better best bad worse worst great nice new old many much
	different various several certain particular general basically simply
	actually really even still already always often usually sometimes mostly
	example examples like etc
	possible probably maybe perhaps likely whole
	important major
	case cases point points fact facts idea ideas place places
	help helps helped happen happens happened occur occurs occurred
	say says said work works worked working
	thus therefore hence however whereas although though within upon
`)

// commonWeight maps the concepts of commonWords to their weight. Words the synonym table maps
// onto another word's concept are left out, so that weighing down a vague word never weighs down
// the precise synonyms it shares a concept with.
var commonWeight = func() map[string]float64 {
	m := make(map[string]float64, len(commonWords))
	for _, w := range commonWords {
		for _, t := range text.Analyze(w) {
			if t.Concept == t.Stem && !t.Ident {
				m[t.Concept] = 0.4
			}
		}
	}
	return m
}()
