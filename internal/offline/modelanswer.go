package offline

import (
	"slices"
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"

	"github.com/interviewcoach/coach/internal/coach"
	"github.com/interviewcoach/coach/internal/text"
)

// Bounds of the model answer: more sentences than that read as the whole reference, not an answer.
const (
	maxModelSentences = 8
	// minSentenceRecall is the least share of a key point's terms a sentence of the reference must
	// hold to stand for it in the model answer.
	minSentenceRecall = 0.4
)

// refSentence is one sentence of a reference's prose.
type refSentence struct {
	text  string
	terms map[string]bool
}

// proseSentences returns the sentences of a reference's prose and list items, without its code,
// each on one line. A sentence the splitter cut at a line break or a colon is joined again with
// its continuation ("needed:" / "iterating over it, ..."); one that introduced code ends where the
// code began.
func proseSentences(s string) []refSentence {
	var out []refSentence
	pending := "" // a sentence that may run on into the next segment
	flush := func() {
		t := pending
		pending = ""
		if t == "" {
			return
		}
		if strings.HasSuffix(t, ":") {
			t = strings.TrimSuffix(t, ":") + "."
		}
		if terms := conceptsOf(t); len(terms) > 0 {
			out = append(out, refSentence{text: sentence(t), terms: terms})
		}
	}
	for _, seg := range text.Segments(s) {
		if seg.Kind == text.Code && unindentedLine(s, seg.Text) && len(strings.Fields(seg.Text)) >= 6 {
			// One line of prose that names a setting ("SECURE_SSL_REDIRECT = True makes ...") reads
			// as code to the splitter; code in a reference is indented or fenced.
			seg.Kind = text.Prose
		}
		if seg.Kind == text.Code {
			flush()
			continue
		}
		t := strings.Join(strings.Fields(seg.Text), " ")
		if t == "" {
			continue
		}
		if pending != "" && seg.Kind == text.Prose && (continues(t) || !strings.HasSuffix(pending, ":")) {
			t = pending + " " + t
			pending = ""
		}
		flush()
		pending = t
		if seg.Kind == text.Prose && strings.ContainsAny(t[len(t)-1:], ".!?") {
			flush()
		} else if seg.Kind != text.Prose {
			flush()
		}
	}
	flush()
	return out
}

// continues reports whether a segment carries on the sentence before it: it opens with a
// lowercase word that is not a code name.
func continues(t string) bool {
	first := strings.Fields(t)[0]
	r, _ := utf8.DecodeRuneInString(first)
	return unicode.IsLower(r) && !spelledAsCode(first)
}

// unindentedLine reports whether line is a whole line of s that starts at the margin.
func unindentedLine(s, line string) bool {
	if strings.Contains(line, "\n") || line == "" || line[0] == ' ' || line[0] == '\t' {
		return false
	}
	return strings.HasPrefix(s, line) || strings.Contains(s, "\n"+line)
}

// conceptsOf returns the concepts of the content terms of s.
func conceptsOf(s string) map[string]bool {
	m := map[string]bool{}
	for _, t := range text.Analyze(s) {
		m[t.Concept] = true
	}
	return m
}

// bestSentence returns the index of the sentence that holds the largest share of the key point's
// terms (the earliest of equals), or -1 when none holds minSentenceRecall of them.
func bestSentence(kp map[string]bool, sents []refSentence) int {
	best, bestRecall := -1, 0.0
	for i, s := range sents {
		shared := 0
		for c := range kp {
			if s.terms[c] {
				shared++
			}
		}
		recall := float64(shared) / float64(max(1, len(kp)))
		if recall > bestRecall+1e-9 {
			best, bestRecall = i, recall
		}
	}
	if bestRecall < minSentenceRecall {
		return -1
	}
	return best
}

// refPlan is what the model answer takes from one reference: its sentences, and the indexes of
// those that state its key points, in order.
type refPlan struct {
	sents  []refSentence
	picked []int
}

// plans remembers the plans of the references graded lately: a reference is graded many times
// over, and reading its text again each time would cost a quarter of a grading.
var plans = newMemo[refPlan](1024)

// planOf returns the plan of ref's model answer.
func planOf(ref coach.Reference) refPlan {
	var key strings.Builder
	key.WriteString(ref.Text)
	for _, kp := range ref.KeyPoints {
		key.WriteByte(0)
		key.WriteString(kp.Text)
	}
	return plans.get(key.String(), func() refPlan {
		sents := proseSentences(ref.Text)
		var picked []int
		for _, kp := range ref.KeyPoints {
			if i := bestSentence(conceptsOf(kp.Text), sents); i >= 0 && !slices.Contains(picked, i) {
				picked = append(picked, i)
			}
		}
		slices.Sort(picked)
		return refPlan{sents: sents, picked: picked}
	})
}

// memo is a bounded cache of a pure function of a string, safe for concurrent use. When full it
// starts afresh: the texts graded lately are few (one bank's references), so an LRU would buy
// nothing.
type memo[V any] struct {
	mu  sync.Mutex
	m   map[string]V
	max int
}

func newMemo[V any](max int) *memo[V] {
	return &memo[V]{m: map[string]V{}, max: max}
}

// get returns the value of key, computing it with f when it is not remembered. Values must not be
// changed by callers: they are shared.
func (c *memo[V]) get(key string, f func() V) V {
	c.mu.Lock()
	v, ok := c.m[key]
	c.mu.Unlock()
	if ok {
		return v
	}
	v = f()
	c.mu.Lock()
	if len(c.m) >= c.max {
		c.m = map[string]V{}
	}
	c.m[key] = v
	c.mu.Unlock()
	return v
}

// modelAnswer writes an answer from the references' own sentences: for each key point, the
// sentence of its reference that states it best, in the order the reference gives them, leaving
// out sentences that repeat an earlier one. A reference whose text states none of its key points
// (a bare rubric) lends its key points instead. It names the references it drew on.
func modelAnswer(refs []coach.Reference) (string, []string) {
	var paragraphs []string
	var seen []map[string]bool
	refIDs := []string{}
	used := 0
	for _, ref := range refs {
		if used >= maxModelSentences {
			break
		}
		plan := planOf(ref)
		sents, picked := plan.sents, plan.picked
		var parts []string
		for _, i := range picked {
			if used >= maxModelSentences {
				break
			}
			if repeats(sents[i].terms, seen) {
				continue
			}
			seen = append(seen, sents[i].terms)
			parts = append(parts, sents[i].text)
			used++
		}
		if len(picked) == 0 {
			// No sentence of the text states a key point: the key points are all there is.
			for _, kp := range ref.KeyPoints {
				terms := conceptsOf(kp.Text)
				if used >= maxModelSentences || repeats(terms, seen) {
					continue
				}
				seen = append(seen, terms)
				parts = append(parts, sentence(kp.Text))
				used++
			}
		}
		if len(parts) > 0 {
			paragraphs = append(paragraphs, strings.Join(parts, " "))
			refIDs = append(refIDs, ref.ID)
		}
	}
	return strings.Join(paragraphs, "\n\n"), refIDs
}
