package offline

import (
	"strings"

	"github.com/interviewcoach/coach/internal/text"
)

// The text package's synonym table makes words that mean the same thing equal. The grader needs two
// more, weaker kinds of sameness; both hold general English and software vocabulary, never the
// wording of a particular question.

// keptFunctionWords are stopwords that carry an answer's meaning: "runs at least once", "validates
// before saving". The text package drops them, as retrieval should; the grader keeps them, weighed
// low.
var keptFunctionWords = map[string]float64{
	"once": 0.6, "twice": 0.6, "before": 0.6, "after": 0.6, "always": 0.6, "more": 0.4, "most": 0.4,
	"few": 0.4, "until": 0.5,
}

// equivalents are phrases that say one thing in several ways; each becomes one concept, named by
// the first word of its list. They are matched on word stems, function words included.
var equivalents = []struct {
	concept string
	phrases []string
}{
	{"unlimited", []string{"unlimited", "infinite", "infinitely", "limitless", "unbounded", "endless",
		"no limit", "any number", "as many as", "arbitrary number", "without limit", "not limited",
		"no maximum", "as much as"}},
	{"at_compile_time", []string{"at compile time", "during compilation", "when compiling", "compile time"}},
	{"at_run_time", []string{"at run time", "at runtime", "during execution", "when running", "run time", "runtime"}},
}

// equivalent is a compiled equivalents entry.
type equivalent struct {
	stems   []string
	concept string
}

// equivalentsByFirst holds the compiled phrases by their first stem, longest first.
var equivalentsByFirst = func() map[string][]equivalent {
	m := map[string][]equivalent{}
	for _, e := range equivalents {
		for _, p := range e.phrases {
			var stems []string
			for tok := range text.Scan(p) {
				stems = append(stems, stemOf(tok.Text))
			}
			m[stems[0]] = append(m[stems[0]], equivalent{stems: stems, concept: e.concept})
		}
	}
	for k, es := range m {
		for i := 1; i < len(es); i++ {
			for j := i; j > 0 && len(es[j].stems) > len(es[j-1].stems); j-- {
				es[j], es[j-1] = es[j-1], es[j]
			}
		}
		m[k] = es
	}
	return m
}()

// mayStartPhrase reports whether a word could stem to the first stem of an equivalent phrase: a
// stem is nearly always a prefix of its word.
func mayStartPhrase(w string) bool {
	for first := range equivalentsByFirst {
		if len(w) >= len(first)-1 && strings.HasPrefix(w, first[:len(first)-1]) {
			return true
		}
	}
	return false
}

// stemOf stems a token for phrase matching, leaving function words as they are.
func stemOf(w string) string {
	if text.IsStopword(w) {
		return w
	}
	return text.Stem(w)
}

// tokenView is what analyze needs to know about the tokens of a text beyond its terms.
type tokenView struct {
	// negated marks tokens within negationReach words after a negation.
	negated []bool
	// covered maps the tokens of an equivalent phrase to the phrase's index in phrases.
	covered map[int]int
	phrases []phraseHit
	// kept are the meaningful function words found.
	kept []keptWord
}

type phraseHit struct {
	concept string
	word    string
	first   int
}

type keptWord struct {
	word  string
	index int
}

// viewTokens scans s once for negation scopes, equivalent phrases and kept function words.
func viewTokens(s string) tokenView {
	var toks []text.Token
	for tok := range text.Scan(s) {
		toks = append(toks, tok)
	}
	v := tokenView{negated: make([]bool, len(toks))}
	for i, tok := range toks {
		if !text.IsNegation(tok.Text) {
			continue
		}
		if tok.Text == "not" && i > 0 && toks[i-1].Text == "or" {
			continue // "whether or not"
		}
		if i+1 < len(toks) && (toks[i+1].Text == "only" || toks[i+1].Text == "just") {
			continue // "not only"
		}
		for j := i + 1; j < len(toks) && j <= i+negationReach; j++ {
			if toks[j].Boundary >= text.PhraseBoundary {
				break
			}
			v.negated[j] = true
		}
	}
	// Stems are computed only where a phrase may start or continue: stemming every word would cost
	// more than the rest of the scan.
	stems := make([]string, len(toks))
	stem := func(i int) string {
		if stems[i] == "" {
			stems[i] = stemOf(toks[i].Text)
		}
		return stems[i]
	}
	for i := 0; i < len(toks); i++ {
		matched := 0
		var candidates []equivalent
		if mayStartPhrase(toks[i].Text) {
			candidates = equivalentsByFirst[stem(i)]
		}
		for _, e := range candidates {
			if i+len(e.stems) > len(toks) {
				continue
			}
			ok := true
			for k := 1; k < len(e.stems); k++ {
				if toks[i+k].Boundary >= text.PhraseBoundary || stem(i+k) != e.stems[k] {
					ok = false
					break
				}
			}
			if ok {
				if v.covered == nil {
					v.covered = map[int]int{}
				}
				end := toks[i+len(e.stems)-1].End()
				v.phrases = append(v.phrases, phraseHit{concept: e.concept, word: strings.ToLower(s[toks[i].Start:end]), first: i})
				for k := range e.stems {
					v.covered[i+k] = len(v.phrases) - 1
				}
				matched = len(e.stems)
				break
			}
		}
		if matched > 0 {
			i += matched - 1
			continue
		}
		if _, ok := keptFunctionWords[toks[i].Text]; ok {
			v.kept = append(v.kept, keptWord{word: toks[i].Text, index: i})
		}
	}
	return v
}
