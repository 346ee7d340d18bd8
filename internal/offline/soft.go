package offline

import (
	"github.com/interviewcoach/coach/internal/lexicon"
)

// Soft word alignment (after Sultan, Bethard and Sumner, "Fast and easy short answer grading with
// high accuracy", NAACL 2016): a word of a key point the answer does not use may still be matched
// by the answer's closest word in a table of English word vectors ("alter" for "change", "halts"
// for "stops"). Exact and near-exact matches (see likeness) keep precedence; a vector match counts
// for its cosine, scaled by Params.SoftWeight, only from Params.SoftFloor up, and never between
// opposites, which word vectors place close together ("before" and "after": 0.93).

// softTable holds the soft matches of one grading: for each word of the key points and each word
// of the answer, what a match between them is worth (0 for none).
type softTable struct {
	kp, answer map[string]int32
	na         int
	match      []float32
}

// softWord reports whether unit u may be matched through word vectors: a plain word of three or
// more letters, neither an identifier nor a phrase nor a function word the grader keeps.
func softWord(u *unit) bool {
	if len(u.parts) > 0 || len(u.word) < 3 || !isWordLike(u.word) {
		return false
	}
	_, kept := keptFunctionWords[u.word]
	return !kept
}

// newSoftTable computes the soft matches between the words of the key points and those of the
// stretches, once: a grading compares each pair many times over.
func (g *Grader) newSoftTable(points []point, stretches []stretch) *softTable {
	if g.p.SoftWeight == 0 {
		return nil
	}
	vecs, err := lexicon.WordVectors()
	if err != nil {
		return nil // a broken embedded table is caught by the lexicon's tests; grade on words alone
	}
	t := &softTable{kp: map[string]int32{}, answer: map[string]int32{}}
	var kv, av [][]int8
	var kw, aw []string
	collect := func(us []unit, ids map[string]int32, vs *[][]int8, ws *[]string) {
		for i := range us {
			u := &us[i]
			if _, ok := ids[u.word]; ok || !softWord(u) {
				continue
			}
			if v := vecs.Lookup(u.word); v != nil {
				ids[u.word] = int32(len(*vs))
				*vs = append(*vs, v)
				*ws = append(*ws, u.word)
			}
		}
	}
	for i := range points {
		collect(points[i].units, t.kp, &kv, &kw)
	}
	for i := range stretches {
		if stretches[i].sentences == 1 {
			collect(stretches[i].units, t.answer, &av, &aw)
		}
	}
	if len(kv) == 0 || len(av) == 0 {
		return nil
	}
	t.na = len(av)
	t.match = make([]float32, len(kv)*len(av))
	opp := antonyms()
	for i, a := range kv {
		ca := wordConcept(kw[i])
		for j, b := range av {
			c := lexicon.Cosine(a, b)
			if c < g.p.SoftFloor || opposed(opp, ca, wordConcept(aw[j])) {
				continue
			}
			t.match[i*t.na+j] = float32(g.p.SoftWeight * c)
		}
	}
	return t
}

// opposed reports whether two stems are antonyms, or one is the other with a negative prefix
// ("mutable", "immutable").
func opposed(opp map[string][]string, a, b string) bool {
	for _, x := range opp[a] {
		if x == b {
			return true
		}
	}
	for _, pre := range negativePrefixes {
		if len(a) == len(pre)+len(b) && a[:len(pre)] == pre && a[len(pre):] == b ||
			len(b) == len(pre)+len(a) && b[:len(pre)] == pre && b[len(pre):] == a {
			return true
		}
	}
	return false
}

var negativePrefixes = []string{"un", "in", "im", "il", "ir", "non", "dis"}

// ids returns the table's indexes of the words of us (-1 for none), for kp or answer words.
func (t *softTable) ids(us []unit, of map[string]int32) []int32 {
	out := make([]int32, len(us))
	for i := range us {
		out[i] = -1
		if id, ok := of[us[i].word]; ok {
			out[i] = id
		}
	}
	return out
}

// recall returns the weighted share of key point units kp matched by the stretch's units, each
// unit by its exact match (see bestMatch) or, when better, its best soft match.
func (t *softTable) recall(kp []unit, kpIDs []int32, stretch []unit, ansIDs []int32, present map[string]bool) float64 {
	var total, matched float64
	for i := range kp {
		k := &kp[i]
		total += k.weight
		m, _ := bestMatch(k, stretch, present)
		if m < 1 && kpIDs[i] >= 0 {
			row := t.match[int(kpIDs[i])*t.na:]
			for _, a := range ansIDs {
				if a >= 0 && float64(row[a]) > m {
					m = float64(row[a])
				}
			}
		}
		matched += k.weight * m
	}
	if total == 0 {
		return 0
	}
	return matched / total
}
