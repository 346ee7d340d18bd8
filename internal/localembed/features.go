package localembed

import (
	"math"
	"strings"

	"github.com/interviewcoach/coach/internal/text"
)

// Feature families. Each hashes into its own space, so the concept "cache" and the character
// trigram "cac" never meet by accident.
const (
	familyEmpty byte = iota
	familyConcept
	familyStem
	familyIdent
	familyPair
	familyChar
)

// Weights of the feature families. Concepts carry the meaning; related concepts (see text.Related)
// add a little of the topic's other words; the stem adds some credit for using the very same word as
// the reference; character n-grams catch what stemming misses (typos, compounds such as "queryset"
// and "query set"). Pairs of nearby concepts stay light: a paraphrase seldom keeps the reference's
// word pairs, and every feature that does not match adds hashing noise. The words of a compound
// identifier count a little less than a word of prose, because the whole identifier counts too.
const (
	weightConcept = 1.0
	weightRelated = 0.4
	weightStem    = 0.3
	weightPart    = 0.6
	weightIdent   = 0.6
	weightPair    = 0.15
	weightChar    = 0.5
)

// Pairs join each concept with the next pairWindow concepts no further than pairReach tokens away.
const (
	pairWindow = 2
	pairReach  = 4
)

// Character n-grams run from minGram to maxGram bytes over the stem with its boundary marks.
const (
	minGram = 3
	maxGram = 5
)

// appendFeatures appends the features of a text's terms to dst.
func appendFeatures(dst []feature, terms []text.Term, seed uint64) []feature {
	for i, t := range terms {
		idf := commonness(t.Concept)
		if t.Ident {
			dst = append(dst, feature{hashString(familyIdent, t.Stem, seed), weightIdent * idf})
			dst = appendExpansions(dst, t.Concept, weightIdent, seed)
			continue
		}
		w := weightConcept
		if t.Part {
			w = weightPart
		}
		dst = append(dst, feature{hashString(familyConcept, t.Concept, seed), w * idf})
		for _, r := range text.Related(t.Concept) {
			dst = append(dst, feature{hashString(familyConcept, r, seed), weightRelated * w * commonness(r)})
		}
		dst = appendExpansions(dst, t.Concept, w, seed)
		if t.Stem != t.Concept {
			dst = append(dst, feature{hashString(familyStem, t.Stem, seed), weightStem * idf})
		}
		dst = appendCharGrams(dst, t.Stem, weightChar*idf, seed)
		n := 0
		for k := i + 1; k < len(terms) && n < pairWindow; k++ {
			u := terms[k]
			if u.Ident {
				continue
			}
			if u.Index-t.Index > pairReach {
				break
			}
			if u.Concept != t.Concept {
				pw := weightPair * math.Sqrt(idf*commonness(u.Concept))
				dst = append(dst, feature{hashPair(t.Concept, u.Concept, seed), pw})
			}
			n++
		}
	}
	return dst
}

// appendExpansions appends the concepts the package's own vocabulary adds to concept (see
// vocabExpansions), w being the weight of the term itself.
func appendExpansions(dst []feature, concept string, w float64, seed uint64) []feature {
	for _, x := range vocabExpansions[concept] {
		dst = append(dst, feature{hashString(familyConcept, x.concept, seed), w * x.weight() * commonness(x.concept)})
	}
	return dst
}

// appendPhraseFeatures appends the concepts of the symptom phrases (see symptomPhrases) found in s,
// whose terms are given. seq is scratch space for the words of s, function words as written and
// content words as concepts.
func appendPhraseFeatures(dst []feature, s string, terms []text.Term, seq []string, seed uint64) ([]feature, []string) {
	seq = seq[:0]
	for tok := range text.Scan(s) {
		seq = append(seq, tok.Text)
	}
	for _, t := range terms {
		if !t.Ident && !t.Part && t.Index < len(seq) {
			seq[t.Index] = t.Concept
		}
	}
	for i := range seq {
		ps, ok := vocabPhrases[seq[i]]
		if !ok {
			continue
		}
	next:
		for _, p := range ps {
			if i+len(p.words) > len(seq) {
				continue
			}
			for k, w := range p.words {
				if seq[i+k] != w {
					continue next
				}
			}
			for _, c := range p.concepts {
				dst = append(dst, feature{hashString(familyConcept, c, seed), weightPhrase * commonness(c)})
			}
		}
	}
	return dst, seq
}

// appendCharGrams appends the character n-grams of "<stem>". The grams of one word share the weight
// w, so that a long word does not outweigh a short one.
func appendCharGrams(dst []feature, stem string, w float64, seed uint64) []feature {
	if len(stem) < 3 {
		return dst
	}
	padded := len(stem) + 2
	count := 0
	for n := minGram; n <= maxGram; n++ {
		if padded >= n {
			count += padded - n + 1
		}
	}
	gw := w / math.Sqrt(float64(count))
	for n := minGram; n <= maxGram; n++ {
		for start := 0; start+n <= padded; start++ {
			dst = append(dst, feature{hashGram(stem, start, n, seed), gw})
		}
	}
	return dst
}

// FNV-1a, 64 bits.
const (
	fnvOffset = 14695981039346656037
	fnvPrime  = 1099511628211
)

// mix spreads the bits of an FNV hash, whose low bits are weak for short keys, over the whole word
// (the splitmix64 finaliser).
func mix(h uint64) uint64 {
	h ^= h >> 30
	h *= 0xbf58476d1ce4e5b9
	h ^= h >> 27
	h *= 0x94d049bb133111eb
	h ^= h >> 31
	return h
}

func hashString(family byte, s string, seed uint64) uint64 {
	h := uint64(fnvOffset)
	h = (h ^ uint64(family)) * fnvPrime
	for i := 0; i < len(s); i++ {
		h = (h ^ uint64(s[i])) * fnvPrime
	}
	return mix(h ^ seed)
}

// hashPair hashes an unordered pair of concepts: "query per row" and "rows ... queried" meet.
func hashPair(a, b string, seed uint64) uint64 {
	if b < a {
		a, b = b, a
	}
	h := uint64(fnvOffset)
	h = (h ^ uint64(familyPair)) * fnvPrime
	for i := 0; i < len(a); i++ {
		h = (h ^ uint64(a[i])) * fnvPrime
	}
	h = (h ^ 0xff) * fnvPrime
	for i := 0; i < len(b); i++ {
		h = (h ^ uint64(b[i])) * fnvPrime
	}
	return mix(h ^ seed)
}

// hashGram hashes the n bytes at start of "<" + stem + ">" without building that string.
func hashGram(stem string, start, n int, seed uint64) uint64 {
	h := uint64(fnvOffset)
	h = (h ^ uint64(familyChar)) * fnvPrime
	for i := start; i < start+n; i++ {
		var c byte
		switch {
		case i == 0:
			c = '<'
		case i == len(stem)+1:
			c = '>'
		default:
			c = stem[i-1]
		}
		h = (h ^ uint64(c)) * fnvPrime
	}
	return mix(h ^ seed)
}

// commonness returns the weight of a concept: 1 for ordinary words, less for words so common in
// talk about web development that they say little about which topic a text is on. A static table
// stands in for document frequencies, because the embedder must give a text the same vector whatever
// else is in the bank.
func commonness(concept string) float64 {
	if w, ok := common[concept]; ok {
		return w
	}
	return 1
}

// commonWords lists common words by weight, in plain form; they are analysed into concepts when the
// package loads.
var commonWords = map[float64]string{
	0.15: "django python",
	0.3: `use make way thing something explain work want know code example difference different mean
		happen help good best better well often usually common simple easy lot kind type question
		answer tell say see look let try really actually important basically feature go come done
		possible able sure right wrong fine okay ok yes still even already sometimes point case
		reason purpose benefit advantage disadvantage role concept idea term detail overview describe
		talk discuss compare main major minor whole entire full real typical general usual normal
		standard basic advanced modern latest old current previous last second third three four five
		ten hundred thousand million bit scenario situation technique strategy mechanism pattern
		practice recommend prefer choose decide consider think believe seem appear become remain
		continue include contain involve depend refer represent place turn move hold bring follow
		lead cause affect matter care worry someone anything everything nothing`,
	0.5: `model view data application web framework project function class file one two new time
		provide support handle default built system tool name return pass take give keep put
		build develop developer allow specific certain various several many approach process level
		set value part problem always first need solution implement`,
	0.7: `user request response page database query field object template server method create
		update delete change run`,
}

// common maps concepts to their commonness; built from commonWords.
var common = func() map[string]float64 {
	m := make(map[string]float64, 256)
	for w, words := range commonWords {
		for _, word := range strings.Fields(words) {
			for _, c := range text.Concepts(word) {
				if old, ok := m[c]; !ok || w < old {
					m[c] = w
				}
			}
		}
	}
	return m
}()
