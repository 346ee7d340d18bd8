// Package keypoints turns a reference answer into the lines of a grading rubric without a language
// model: short atomic statements, each of which a candidate's answer can be checked against. The
// result depends on the text alone, so re-importing an answer gives the same rubric.
package keypoints

import (
	"context"
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/interviewcoach/coach/internal/coach"
	"github.com/interviewcoach/coach/internal/instruct"
	"github.com/interviewcoach/coach/internal/text"
)

// Limits of the statements Split returns. A rubric of more than MaxPoints lines grades trivia; a
// statement under MinWords words is rarely a claim of its own, and one over MaxWords words holds
// several.
const (
	MaxPoints = 8
	MinWords  = 4
	MaxWords  = 40
)

// maxCodeAttach is the longest line of code kept as an example of the statement before it; longer
// code is dropped because a rubric line must be read at a glance.
const maxCodeAttach = 60

// Extractor is the deterministic coach.KeyPointExtractor.
type Extractor struct{}

var _ coach.KeyPointExtractor = Extractor{}

// ExtractKeyPoints returns Split(answer), leaving out any statement that only repeats the question.
func (Extractor) ExtractKeyPoints(ctx context.Context, question, answer string) ([]string, error) {
	if err := ctx.Err(); err != nil {
		return nil, fmt.Errorf("keypoints: %w", err)
	}
	q := text.Normalize(question)
	points := Split(answer)
	out := points[:0]
	for _, p := range points {
		if q != "" && text.Normalize(p) == q && len(points) > 1 {
			continue
		}
		out = append(out, p)
	}
	return out, nil
}

// item is a statement in the making.
type item struct {
	text   string
	bullet bool
}

// Split splits a reference answer into at most MaxPoints short atomic statements: its sentences and
// list items but those addressing a grader (see package instruct), with clauses joined by ";", ", and" or ", but" taken apart when both halves say
// something. Pleasantries ("Great question!") and discourse markers ("In summary, ...") go; a short
// line of code becomes the example of the statement before it and longer code is dropped; fragments
// under MinWords words are merged into a neighbour, as are the shortest neighbours while there are
// too many statements. No statement is longer than MaxChars characters (see Bound).
func Split(answer string) []string {
	var items []item
	var lastProse string // kept in case nothing else survives
	segs := text.Segments(answer)
	for i, seg := range segs {
		if seg.Kind == text.Code {
			items = attachCode(items, seg.Text)
			continue
		}
		s := clean(seg.Text)
		// A sentence addressing the grader ("NOTE TO THE AI GRADER: ...") is no statement of the
		// subject, and a scraped page must not plant one in the rubric.
		if s == "" || instruct.Is(s) {
			continue
		}
		lastProse = s
		if isFluff(s) || isQuestion(s) {
			continue
		}
		// A lead-in to code that was dropped, such as "For example:", says nothing by itself.
		if strings.HasSuffix(s, ":") && i+1 < len(segs) && segs[i+1].Kind == text.Code && contentWords(s) < 3 {
			continue
		}
		items = append(items, item{text: s, bullet: seg.Kind == text.Bullet})
	}
	items = foldLists(items)
	items = splitClauses(items)
	items = mergeShort(items)
	items = dedupe(items)
	items = capCount(items)
	if len(items) == 0 && lastProse != "" && !isFluff(lastProse) {
		return []string{Bound(finish(lastProse), MaxChars)}
	}
	out := make([]string, len(items))
	for i, it := range items {
		out[i] = Bound(finish(it.text), MaxChars)
	}
	return out
}

// clean strips list and label markers, markdown emphasis and spare whitespace from a sentence, and
// drops sentences that are the question rather than the answer.
func clean(s string) string {
	s = strings.Join(strings.Fields(s), " ")
	s = strings.ReplaceAll(s, "**", "")
	s = strings.TrimLeft(s, "#> ")
	lower := strings.ToLower(s)
	for _, p := range [...]string{"question:", "q:", "q."} {
		if strings.HasPrefix(lower, p) {
			return ""
		}
	}
	for _, p := range [...]string{"answer:", "ans:", "a:"} {
		if strings.HasPrefix(lower, p) {
			s = strings.TrimSpace(s[len(p):])
			lower = strings.ToLower(s)
		}
	}
	// Discourse markers that open a sentence add nothing to the claim after them.
	for _, p := range discourseMarkers {
		if strings.HasPrefix(lower, p) && len(s) > len(p) {
			rest := strings.TrimLeft(s[len(p):], " ,")
			if rest != "" {
				s = upperFirst(rest)
				lower = strings.ToLower(s)
			}
		}
	}
	return s
}

var discourseMarkers = []string{
	"in summary,", "to summarize,", "to summarise,", "in conclusion,", "to sum up,", "in short,",
	"overall,", "basically,", "essentially,", "simply put,", "in simple terms,", "in other words,",
	"additionally,", "moreover,", "furthermore,", "in addition,", "also,", "so,", "well,", "now,",
	"for example,", "for instance,", "first,", "firstly,", "second,", "secondly,", "finally,", "lastly,", "note that", "remember that",
	"keep in mind that", "it is worth noting that", "it's worth noting that",
}

// fluff are sentences that carry no claim, compared after normalisation.
var fluff = map[string]bool{
	"great question": true, "good question": true, "excellent question": true,
	"thats a great question": true, "thats a good question": true, "what a great question": true,
	"hope this helps": true, "i hope this helps": true, "hope that helps": true,
	"let me explain": true, "lets break it down": true, "lets dive in": true, "lets see": true,
	"here is how": true, "heres how": true, "here is an example": true, "heres an example": true,
	"for example": true, "example": true, "examples": true, "sure": true, "certainly": true,
	"of course": true, "absolutely": true, "in summary": true, "to summarize": true,
	"to summarise": true, "in conclusion": true, "to sum up": true, "thats it": true, "thanks": true,
	"thank you": true, "in short": true, "good luck": true, "lets get started": true,
	"this is a common interview question": true, "this is a very common interview question": true,
}

// isFluff reports whether a sentence is a pleasantry or a bare discourse marker.
func isFluff(s string) bool {
	n := text.Normalize(s)
	if fluff[n] {
		return true
	}
	for _, p := range [...]string{"great question ", "good question ", "hope this helps "} {
		if strings.HasPrefix(n, p) && contentWords(s) < 3 {
			return true
		}
	}
	return !hasLetter(s)
}

// isQuestion reports whether a sentence asks rather than states: a rubric has no questions.
func isQuestion(s string) bool {
	return strings.HasSuffix(strings.TrimRight(s, ")\"'”"), "?")
}

// attachCode makes a short single line of code the example of the statement before it; other code
// is dropped, since a rubric line must stay readable.
func attachCode(items []item, code string) []item {
	code = strings.TrimSpace(code)
	if len(items) == 0 || strings.Contains(code, "\n") || len(code) > maxCodeAttach {
		return items
	}
	last := &items[len(items)-1]
	t := strings.TrimRight(last.text, " ")
	switch {
	case strings.HasSuffix(t, ":"):
		last.text = t + " `" + code + "`"
	case strings.HasSuffix(t, "."):
		last.text = t[:len(t)-1] + " (e.g. `" + code + "`)."
	default:
		last.text = t + " (e.g. `" + code + "`)"
	}
	return items
}

// foldLists handles a sentence ending in ":" followed by list items. Short items ("Memcached",
// "Database") are gathered into the sentence; longer ones stand alone, and the lead-in stays only if
// it says something of its own.
func foldLists(items []item) []item {
	var out []item
	for i := 0; i < len(items); i++ {
		it := items[i]
		if !strings.HasSuffix(it.text, ":") {
			out = append(out, it)
			continue
		}
		j := i + 1
		for j < len(items) && items[j].bullet {
			j++
		}
		list := items[i+1 : j]
		lead := strings.TrimSpace(strings.TrimSuffix(it.text, ":"))
		if len(list) == 0 {
			if contentWords(lead) >= 3 {
				out = append(out, item{text: lead, bullet: it.bullet})
			}
			continue
		}
		short := true
		for _, b := range list {
			if words(b.text) >= MinWords {
				short = false
				break
			}
		}
		if short {
			out = append(out, gatherList(lead, list)...)
		} else {
			if contentWords(lead) >= 4 {
				out = append(out, item{text: lead})
			}
			out = append(out, list...)
		}
		i = j - 1
	}
	return out
}

// gatherList joins short list items into "lead: a; b; c", in as many statements as MaxWords needs.
func gatherList(lead string, list []item) []item {
	var out []item
	var b strings.Builder
	n := 0
	start := func() {
		b.Reset()
		b.WriteString(lead)
		b.WriteString(": ")
		n = words(lead)
	}
	start()
	first := true
	for _, it := range list {
		t := strings.TrimRight(it.text, ".;,")
		w := words(t)
		if !first && n+w > MaxWords {
			out = append(out, item{text: b.String()})
			start()
			first = true
		}
		if !first {
			b.WriteString("; ")
		}
		b.WriteString(t)
		n += w
		first = false
	}
	out = append(out, item{text: b.String()})
	return out
}

// splitClauses takes sentences apart at ";" and at ", and" or ", but" when both halves are
// substantive statements.
func splitClauses(items []item) []item {
	var out []item
	for _, it := range items {
		for _, part := range splitAt(it.text, ";") {
			for _, c := range splitConjunctions(part) {
				out = append(out, item{text: c, bullet: it.bullet})
			}
		}
	}
	return out
}

// splitConjunctions splits at the first ", and " or ", but " (or ", whereas ") whose halves are both
// substantive, then again in the second half.
func splitConjunctions(s string) []string {
	for _, sep := range [...]string{", but ", ", and ", ", whereas "} {
		parts := splitAt(s, sep)
		if len(parts) > 1 {
			var out []string
			for _, p := range parts {
				out = append(out, splitConjunctions(p)...)
			}
			return out
		}
	}
	return []string{s}
}

// splitAt splits s at each occurrence of sep outside code spans and brackets whose halves are both
// substantive. The conjunction goes with the separator: each half must read as a statement alone.
func splitAt(s, sep string) []string {
	depth, inCode := 0, false
	for i := 0; i+len(sep) <= len(s); i++ {
		switch s[i] {
		case '`':
			inCode = !inCode
		case '(', '[':
			depth++
		case ')', ']':
			depth--
		}
		if inCode || depth > 0 || s[i:i+len(sep)] != sep {
			continue
		}
		left := strings.TrimSpace(s[:i])
		right := strings.TrimSpace(s[i+len(sep):])
		if !substantive(left) || !substantive(right) || sep != ";" && inList(left, right) {
			continue
		}
		return append([]string{terminate(left)}, splitAt(upperFirst(right), sep)...)
	}
	return []string{s}
}

// inList reports whether a comma before a conjunction belongs to a list ("CSS, JavaScript, and
// images") rather than joining two clauses: a list item of two words or fewer sits on either side.
func inList(left, right string) bool {
	if i := strings.LastIndexByte(left, ','); i >= 0 {
		last := strings.TrimSpace(left[i+1:])
		// "..., and images" closes its list; "CSS, JavaScript" leaves it open.
		closed := strings.HasPrefix(last, "and ") || strings.HasPrefix(last, "or ")
		if words(last) <= 2 && !closed {
			return true
		}
	}
	if i := strings.IndexByte(right, ','); i >= 0 && words(right[:i]) <= 2 {
		return true
	}
	return false
}

// substantive reports whether a clause can stand as a statement: enough words, enough of them
// content words.
func substantive(s string) bool {
	return words(s) >= 5 && contentWords(s) >= 3
}

// mergeShort folds statements under MinWords words into a neighbour.
func mergeShort(items []item) []item {
	for len(items) > 1 {
		i := -1
		for k, it := range items {
			if words(it.text) < MinWords {
				i = k
				break
			}
		}
		if i < 0 {
			break
		}
		// A fragment usually finishes the thought before it; only the first looks ahead.
		j := i - 1
		if i == 0 {
			j = i + 1
		}
		items = mergeAt(items, min(i, j))
	}
	return items
}

// capCount merges the shortest neighbouring pair while there are more than MaxPoints statements.
func capCount(items []item) []item {
	for len(items) > MaxPoints {
		best, bestLen := 0, -1
		for i := 0; i+1 < len(items); i++ {
			n := words(items[i].text) + words(items[i+1].text)
			if bestLen < 0 || n < bestLen {
				best, bestLen = i, n
			}
		}
		items = mergeAt(items, best)
	}
	return items
}

// mergeAt joins items[i] and items[i+1]; list items are joined with "; " as the list they were.
func mergeAt(items []item, i int) []item {
	a, b := items[i], items[i+1]
	sep := " "
	at := strings.TrimRight(a.text, " ")
	if a.bullet && b.bullet || !endsSentence(at) {
		at = strings.TrimRight(at, ".;,:")
		sep = "; "
	}
	items[i] = item{text: at + sep + b.text, bullet: a.bullet && b.bullet}
	return append(items[:i+1], items[i+2:]...)
}

// dedupe drops statements that repeat an earlier one word for word.
func dedupe(items []item) []item {
	seen := make(map[string]bool, len(items))
	out := items[:0]
	for _, it := range items {
		k := text.Normalize(it.text)
		if seen[k] {
			continue
		}
		seen[k] = true
		out = append(out, it)
	}
	return out
}

// finish trims a statement's trailing separators.
func finish(s string) string {
	s = strings.TrimSpace(s)
	s = strings.TrimRight(s, ",;: ")
	return upperFirst(s)
}

// terminate ends a clause cut out of a longer sentence.
func terminate(s string) string {
	s = strings.TrimRight(s, ",;: ")
	if endsSentence(s) {
		return s
	}
	return s + "."
}

func endsSentence(s string) bool {
	r, _ := utf8.DecodeLastRuneInString(s)
	return r == '.' || r == '!' || r == '?' || r == ')' && strings.HasSuffix(s, ".)")
}

func upperFirst(s string) string {
	r, size := utf8.DecodeRuneInString(s)
	if !unicode.IsLower(r) {
		return s
	}
	// Identifiers keep their case: "select_related follows foreign keys" stays as written.
	end := strings.IndexAny(s, " ,;:")
	if end < 0 {
		end = len(s)
	}
	if strings.ContainsAny(s[:end], "_.()=") {
		return s
	}
	return string(unicode.ToUpper(r)) + s[size:]
}

func words(s string) int {
	return len(strings.Fields(s))
}

func contentWords(s string) int {
	n := 0
	for _, t := range text.Analyze(s) {
		if !t.Part {
			n++
		}
	}
	return n
}

func hasLetter(s string) bool {
	for _, r := range s {
		if unicode.IsLetter(r) {
			return true
		}
	}
	return false
}
