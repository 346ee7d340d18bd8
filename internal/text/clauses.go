package text

// Clause is one clause of a sentence: a stretch that states one thing. Start and End are byte
// offsets into the sentence, so a clause can be quoted as written.
type Clause struct {
	Text       string
	Start, End int
}

// clauseOpeners are the words that start a new clause when they follow punctuation or stand
// between two clauses: contrast and consequence connectives. "and" and "so" open one only after a
// comma ("lists are mutable, and tuples are not"), since between words they join a list ("rows
// and columns") far more often than two statements.
var clauseOpeners = map[string]bool{
	"while": true, "whereas": true, "but": true, "although": true, "though": true,
	"however": true, "unlike": true, "instead": true, "otherwise": true, "without": true,
}

var afterComma = map[string]bool{"and": true, "so": true, "which": true, "then": true, "or": true, "because": true}

// minClauseWords is the fewest words a clause needs to stand alone; a shorter piece joins the one
// before it, as "so" alone says nothing.
const minClauseWords = 3

// Clauses splits a sentence into clauses at semicolons and colons, at contrast connectives
// ("while", "whereas", "but", "unlike", "without") and at "and", "so", "which" after a comma. A
// clause of fewer than three words stays with its neighbour. Clauses never cross sentences: give
// it one sentence of Sentences.
func Clauses(sentence string) []Clause {
	return clauses(sentence, false)
}

// StatementClauses splits like Clauses, and also at every "and" between two pieces of three words
// or more: a terse statement such as a rubric's key point joins two claims with a bare "and"
// ("uses extends as its first tag and overrides only needed blocks").
func StatementClauses(sentence string) []Clause {
	return clauses(sentence, true)
}

func clauses(sentence string, bareAnd bool) []Clause {
	type cut struct {
		at, words int
		bare      bool
	}
	var cuts []cut
	words := 0
	for tok := range Scan(sentence) {
		strong := tok.Boundary >= ClauseBoundary || clauseOpeners[tok.Text] || tok.Boundary >= PhraseBoundary && afterComma[tok.Text]
		if words > 0 && (strong || bareAnd && tok.Text == "and") {
			cuts = append(cuts, cut{tok.Start, words, !strong})
			words = 0
		}
		words++
	}
	// Merge pieces too short to stand alone into the piece before, or after for the first. A
	// bare "and" joins the ends of lists ("default create and update") more often than claims,
	// so the pieces it separates need a word more.
	var starts, counts []int
	var bare []bool
	starts = append(starts, 0)
	counts = append(counts, 0)
	bare = append(bare, false)
	for _, c := range cuts {
		counts[len(counts)-1] = c.words
		starts = append(starts, c.at)
		counts = append(counts, 0)
		bare = append(bare, c.bare)
	}
	counts[len(counts)-1] = words
	var outStarts []int
	var outCounts []int
	for i := range starts {
		least := minClauseWords
		if bare[i] {
			least++
		}
		if len(outStarts) > 0 && (counts[i] < least || outCounts[len(outCounts)-1] < least) {
			outCounts[len(outCounts)-1] += counts[i]
			continue
		}
		outStarts = append(outStarts, starts[i])
		outCounts = append(outCounts, counts[i])
	}
	out := make([]Clause, 0, len(outStarts))
	for i, s := range outStarts {
		e := len(sentence)
		if i+1 < len(outStarts) {
			e = outStarts[i+1]
		}
		t := trimClause(sentence[s:e])
		if t == "" {
			continue
		}
		off := s + indexOf(sentence[s:e], t)
		out = append(out, Clause{Text: t, Start: off, End: off + len(t)})
	}
	return out
}

// trimClause drops the white space and joining punctuation around a clause.
func trimClause(s string) string {
	i, j := 0, len(s)
	for i < j && isTrim(s[i]) {
		i++
	}
	for j > i && isTrim(s[j-1]) {
		j--
	}
	return s[i:j]
}

func isTrim(b byte) bool {
	switch b {
	case ' ', '\t', '\n', '\r', ',', ';', ':':
		return true
	}
	return false
}

func indexOf(s, sub string) int {
	for i := 0; i+len(sub) <= len(s); i++ {
		if s[i:i+len(sub)] == sub {
			return i
		}
	}
	return 0
}
