package offline

import (
	"strings"
	"sync"

	"github.com/interviewcoach/coach/internal/lexicon"
	"github.com/interviewcoach/coach/internal/text"
)

// domainAntonyms are opposites of software talk that WordNet does not list as antonyms: order and
// direction, quantity, where code runs. The rest comes from WordNet (see lexicon), which holds the
// general ones (mutable and immutable, fast and slow, required and optional, few and many).
var domainAntonyms = [][2]string{
	{"before", "after"}, {"always", "never"}, {"sync", "async"}, {"more", "fewer"}, {"more", "less"},
	{"client", "server"}, {"lazy", "eager"}, {"lazily", "eagerly"}, {"encrypt", "decrypt"},
	{"stateless", "stateful"}, {"add", "remove"}, {"allow", "deny"}, {"allows", "forbids"},
	{"compile", "runtime"}, {"blocking", "nonblocking"}, {"once", "every"}, {"once", "repeatedly"},
	{"once", "twice"}, {"one", "many"}, {"single", "multiple"}, {"one", "multiple"},
	{"topdown", "bottomup"}, {"first", "last"}, {"parallel", "serial"}, {"parallel", "sequential"},
	{"concurrently", "sequentially"}, {"readable", "unreadable"}, {"escape", "unescape"},
	{"commit", "rollback"}, {"commits", "rolls"}, {"copy", "move"}, {"copies", "deletes"},
	{"reads", "writes"}, {"read", "write"}, {"up", "down"}, {"slower", "faster"},
	{"higher", "lower"}, {"outer", "inner"}, {"keyword", "positional"},
	{"slow", "faster"}, {"slows", "speeds"}, {"shared", "new"}, {"only", "every"}, {"only", "all"}, {"safe", "vulnerable"}, {"secure", "vulnerable"}, {"safely", "unsafely"}, {"escape", "render"},
	{"default", "optional"}, {"automatically", "manually"}, {"automatic", "manual"},
	{"override", "inherit"}, {"slowest", "fastest"}, {"cheaper", "costlier"},
	{"separate", "same"}, {"exactly", "more"}, {"exactly", "least"}, {"most", "least"},
	{"lazily", "upfront"}, {"lazy", "upfront"}, {"lazily", "atonce"}, {"lazy", "atonce"},
}

// neutralAntonyms are WordNet antonyms too common in technical prose as mere places or extents to
// signal a reversal: "used inside a view" does not deny "used outside a transaction".
var neutralAntonyms = map[string]bool{
	"in": true, "out": true, "on": true, "off": true, "inside": true, "outside": true, "local": true,
	"global": true, "long": true, "short": true, "left": true, "right": true, "old": true, "new": true,
	"good": true, "bad": true, "big": true, "small": true, "large": true, "little": true,
	"give": true, "take": true, "come": true, "go": true, "start": true, "end": true, "finish": true,
	"begin": true, "open": true, "close": true, "second": true, "full": true, "empty": true,
	"high": true, "low": true, "present": true, "absent": true, "input": true, "output": true,
	"top": true, "bottom": true, "front": true, "back": true, "get": true, "set": true, "lose": true,
	"find": true, "pass": true, "fail": true, "hot": true, "cold": true, "light": true, "dark": true,
	"major": true, "minor": true, "simple": true, "complex": true, "general": true, "specific": true,
	"direct": true, "indirect": true, "directly": true, "indirectly": true, "common": true,
	"different": true, "like": true, "unlike": true, "ask": true, "answer": true,
	"push": true, "pull": true, "send": true, "receive": true, "buy": true, "sell": true,
	"include": true, "exclude": true, "public": true, "private": true, "static": true, "dynamic": true,
}

// antonyms maps a stem to the stems opposed to it. It is built on first use, not at start-up:
// stemming the few thousand words of the table takes milliseconds that a command which never
// grades should not pay.
var antonyms = sync.OnceValue(func() map[string][]string {
	m := map[string][]string{}
	add := func(a, b string) {
		ca, cb := wordConcept(a), wordConcept(b)
		if ca == cb || ca == "" || cb == "" {
			return
		}
		for _, x := range m[ca] {
			if x == cb {
				return
			}
		}
		m[ca] = append(m[ca], cb)
		m[cb] = append(m[cb], ca)
	}
	lexicon.Antonyms(func(a, b string) {
		if !neutralAntonyms[a] && !neutralAntonyms[b] {
			add(a, b)
		}
	})
	for _, p := range domainAntonyms {
		add(p[0], p[1])
	}
	return m
})

// wordConcept returns the stem a single lowercase word is compared by for opposites. Unlike
// text.Analyze it keeps function words ("before", "more"), which matter to a contradiction, and it
// does not merge synonyms: an antonym of one sense of a word ("pass" and "fail") must not spread to
// the words the synonym table joins with another sense.
func wordConcept(w string) string {
	if text.IsStopword(w) {
		return w
	}
	return text.Stem(w)
}

// Polarity of a concept's occurrences in a text.
const (
	plain   = 1 // said outright
	negated = 2 // said under a negation
)

// tokenConcepts returns the concepts of every word of s, function words included, each with the
// polarity of its occurrences. A hyphenated or spaced "top-down" also counts as "topdown".
func tokenConcepts(s string) map[string]uint8 {
	m := map[string]uint8{}
	near := viewTokens(s).negated
	var toks []text.Token
	for tok := range text.Scan(s) {
		toks = append(toks, tok)
	}
	prev := ""
	for i, tok := range toks {
		if conjunctionOnce(toks, i) {
			prev = ""
			continue
		}
		c := wordConcept(tok.Text)
		pol := uint8(plain)
		if i < len(near) && near[i] {
			pol = negated
		}
		if i+1 < len(toks) && objectNegation[toks[i+1].Text] && toks[i+1].Boundary == text.NoBoundary {
			pol = negated // "allows no queries" is "does not allow queries"
		}
		m[c] |= pol
		if prev != "" && tok.Boundary == text.NoBoundary {
			if j := prev + tok.Text; compounds[j] {
				m[wordConcept(j)] |= pol
			}
		}
		prev = tok.Text
	}
	return m
}

// conjunctionOnce reports whether toks[i] is "once" opening a clause of its own ("Once the
// function is called, ...", "once it is created"): a time, as "when" is, not the count "once"
// that "every" and "twice" oppose.
func conjunctionOnce(toks []text.Token, i int) bool {
	if toks[i].Text != "once" || i+1 >= len(toks) || i > 0 && toks[i].Boundary < text.PhraseBoundary && !text.IsStopword(toks[i-1].Text) {
		return false
	}
	next := toks[i+1].Text
	return determiner[next] || subjectPronoun[next]
}

// objectNegation are the negations that, placed after a verb, negate it: "allows no queries".
var objectNegation = map[string]bool{"no": true, "nothing": true, "none": true}

// compounds are the opposites written as two words as well as one ("top-down", "top down",
// "up front" for eagerly, "at once").
var compounds = map[string]bool{"topdown": true, "bottomup": true, "nonblocking": true, "upfront": true, "atonce": true}

// swaps counts the antonym pairs where the key point says one side and the answer only the other,
// outright ("runs before the save" against "runs after the save"). A negated opposite is
// agreement, not a swap: "not after" is "before".
func swaps(kp, answer map[string]uint8) int {
	n := 0
	for a, pol := range kp {
		if pol&plain == 0 || answer[a] != 0 {
			continue
		}
		for _, b := range antonyms()[a] {
			if answer[b]&plain != 0 && kp[b] == 0 {
				n++
				break
			}
		}
	}
	return n
}

// negationFlips reports whether the answer plainly negates what the key point asserts, or
// asserts what it negates. Only the key point's matched terms count, weighed: one negated side
// word does not make a contradiction.
func negationFlips(kp, stretch []unit, present map[string]bool) (answerNegates, answerAsserts float64) {
	var matched, neg, pos float64
	for i := range kp {
		k := &kp[i]
		m, flipped := bestMatch(k, stretch, present)
		if m == 0 {
			continue
		}
		matched += k.weight * m
		if flipped {
			if k.negated {
				pos += k.weight * m
			} else {
				neg += k.weight * m
			}
		}
	}
	if matched == 0 {
		return 0, 0
	}
	return neg / matched, pos / matched
}

// clause is one clause of a key point or of the answer, analysed for alignment: what it says
// (units), which of the rubric's named things it is about (subjects), and the rest (predicate).
type clause struct {
	text string
	// at is the byte offset of the clause in the answer (-1 when not found); sentence the index
	// of its sentence among the answer's sentences.
	at, sentence int
	units        []unit
	present      map[string]bool
	tokens       map[string]uint8
	// subjects are the rubric's named things the clause speaks of, or, when it names none, those
	// of the clause before it in the same sentence ("makemigrations writes files, without
	// touching the database").
	subjects  map[string]bool
	predicate []unit
	// inherited is set when subjects come from the clause before.
	inherited bool
	// named are the rubric's named things the clause itself names, by their own word: a word
	// the synonym table merely joins with one ("methods" with function) names nothing.
	named map[string]bool
	// lead are the named things the clause opens with (its grammatical subject, near enough).
	lead map[string]bool
	// negative is set when the clause's claim is negated ("is not lazy", "nothing is rolled back",
	// "never raises", "without touching"); condition is the polarity of its condition, 0 when it
	// has none; bare is set when it is a condition alone (see polarity).
	negative  bool
	condition uint8
	bare      bool
}

// polarity returns whether the clause s states its claim under a negation (negative) and, when it
// holds a condition ("if no constructor is provided", "when the class does not include one",
// "unless a constructor is defined"), the condition's own polarity (plain or negated; 0 when there
// is none). A negation inside a condition negates the condition, not the claim: "the compiler
// provides one when the class does not include a constructor" asserts that it provides one. An
// "unless" is a negated "if". bare is set when the clause is a condition and nothing more ("when
// no user-defined constructor exists"), as answers to "When does ...?" are.
func polarity(s string) (negative bool, condition uint8, bare bool) {
	var main []string
	inCondition, conditionNegated := false, false
	var toks []text.Token
	var words []string
	for tok := range text.Scan(s) {
		toks = append(toks, tok)
		words = append(words, tok.Text)
	}
	for i, tok := range toks {
		t := tok.Text
		prev := ""
		if i > 0 {
			prev = words[i-1]
		}
		if inCondition && tok.Boundary >= text.PhraseBoundary {
			inCondition = false // "If no constructor is provided, the compiler provides one"
		}
		switch {
		case conditional[t]:
			if !inCondition && (prev == "or" || prev == "and") && condition == 0 {
				// "no base case or if the step is wrong": what the condition is joined to is
				// a condition too.
				conditionNegated = negativeClause(main)
				main = nil
			}
			inCondition = true
			if condition == 0 {
				condition = plain
			}
			if t == "unless" {
				conditionNegated = !conditionNegated
			}
		case inCondition:
			conditionNegated = conditionNegated || negationAt(words, i)
		default:
			main = append(main, t)
		}
	}
	if condition != 0 && conditionNegated {
		condition = negated
	}
	bare = condition != 0
	for _, t := range main {
		if !text.IsStopword(t) {
			bare = false
			break
		}
	}
	return negativeClause(main), condition, bare
}

// conditional are the words that open a condition.
var conditional = map[string]bool{"if": true, "when": true, "whenever": true, "unless": true}

// negativeClause reports whether the words toks (a clause without its conditions) hold a negation,
// leaving out "not only" and "whether or not", which negate nothing. Verbs that say something is
// not done ("avoids copying", "eliminates the copy") count too. Answers stack negations for
// emphasis ("no base case, no change") far more often than they cancel one with another, so any
// negation counts.
func negativeClause(toks []string) bool {
	for i, t := range toks {
		if subordinate[t] && i > 1 {
			// What follows is a description ("raises DoesNotExist, which nothing matches"), not
			// the clause's own statement.
			return false
		}
		if negationAt(toks, i) && (implicitNegation[t] || !reducedRelative(toks, i)) {
			return true
		}
	}
	return false
}

// negationAt reports whether words[i] negates: a negation other than "whether or not" and "not
// only", or a verb saying that something is not done.
func negationAt(words []string, i int) bool {
	t := words[i]
	if implicitNegation[t] {
		return true
	}
	return text.IsNegation(t) && !(t == "not" && i > 0 && words[i-1] == "or") && !(i+1 < len(words) && (words[i+1] == "only" || words[i+1] == "just"))
}

// flips reports whether answer clause a says the opposite of key point clause k by its negations,
// and which of the two holds the negation that makes the difference. Conditions are compared with
// conditions and claims with claims; negating both ("if a constructor is defined, none is
// created" against "when no constructor exists") is the same rule said the other way, as people
// say it. A clause that is a bare condition answers with the question's own claim, which it does
// not negate; against a key point without a condition, its condition is what it states.
func flips(k, a *clause) (bool, *clause) {
	kn, an := k.negative, a.negative
	if k.condition != 0 && a.condition != 0 {
		kc, ac := k.condition == negated, a.condition == negated
		if (kn != an) == (kc != ac) {
			return false, nil
		}
		if kc != ac {
			kn, an = kc, ac // the conditions make the difference
		}
	} else {
		if k.bare {
			kn = k.condition == negated
		}
		if a.bare {
			an = a.condition == negated
		}
		if kn == an {
			return false, nil
		}
	}
	if kn {
		return true, k
	}
	return true, a
}

// reducedRelative reports whether the negation at toks[i] belongs to a relative clause written
// without "that", which describes a noun of the clause instead of stating the clause's own claim:
// "takes a regex for patterns the converters cannot express", "holds objects you cannot change".
// The negation's subject (a pronoun, or a determiner and a noun) must follow a content word that
// is itself not the clause's opening phrase ("In Python the GIL does not" is the clause's claim).
func reducedRelative(toks []string, i int) bool {
	if nounNegation[toks[i]] {
		return false // "the block nothing is rolled back": the negation is the subject itself
	}
	j := i
	if toks[j] == "not" || toks[j] == "never" {
		for j > 0 && auxiliary[toks[j-1]] {
			j--
		}
	}
	start := -1
	switch {
	case j >= 1 && subjectPronoun[toks[j-1]]:
		start = j - 1
	case j >= 2 && determiner[toks[j-2]] && !text.IsStopword(toks[j-1]):
		start = j - 2
	}
	if start < 3 {
		return false
	}
	return !text.IsStopword(toks[start-1]) && !text.IsNegation(toks[start-1])
}

var nounNegation = map[string]bool{"no": true, "nothing": true, "none": true, "nobody": true, "neither": true, "nor": true, "without": true}

var auxiliary = map[string]bool{
	"do": true, "does": true, "did": true, "is": true, "are": true, "was": true, "were": true,
	"can": true, "could": true, "will": true, "would": true, "should": true, "must": true,
	"may": true, "might": true, "has": true, "have": true, "had": true, "be": true,
}

var subjectPronoun = map[string]bool{"you": true, "we": true, "they": true, "it": true, "i": true}

var determiner = map[string]bool{"the": true, "a": true, "an": true, "its": true, "their": true, "your": true, "this": true, "these": true}

// subordinate are the words that open a condition or a relative clause inside a clause.
var subordinate = map[string]bool{
	"when": true, "if": true, "unless": true, "whether": true, "that": true, "which": true,
	"where": true, "who": true, "so": true, "because": true,
}

// implicitNegation are verbs that state that something does not happen, as written.
var implicitNegation = map[string]bool{
	"avoid": true, "avoids": true, "avoiding": true, "prevent": true, "prevents": true,
	"preventing": true, "eliminate": true, "eliminates": true, "lack": true, "lacks": true,
	"omit": true, "omits": true, "skip": true, "skips": true, "stop": true, "stops": true,
}

// clausesOf splits one sentence into analysed clauses. entities are the rubric's named things;
// whole, when given, are the units of the whole sentence, reused when it is a single clause.
func clausesOf(s string, sentence, offset int, question map[string]bool, qw float64, entities map[string]string, whole []unit, wholePresent map[string]bool) []clause {
	var out []clause
	var inherited map[string]bool
	split := text.Clauses
	if offset < 0 && sentence < 0 {
		split = text.StatementClauses // a key point
	}
	cs := split(s)
	if offset < 0 && sentence < 0 {
		cs = byException(cs)
	}
	pieces := bySubject(cs, entities)
	for _, c := range pieces {
		units, present := whole, wholePresent
		if len(pieces) != 1 || c.Text != s || whole == nil {
			units = analyze(c.Text, question, qw)
			present = conceptSet(units)
		}
		if len(units) == 0 {
			continue
		}
		cl := clause{text: c.Text, at: -1, sentence: sentence, units: units, present: present, tokens: tokenConcepts(c.Text)}
		if offset >= 0 {
			cl.at = offset + c.Start
		}
		own := map[string]bool{}
		for _, u := range units {
			if c := entityOf(entities, &u); c != "" {
				own[c] = true
			}
		}
		cl.named = own
		if len(own) == 0 && inherited != nil {
			own = inherited
			cl.inherited = len(own) > 0
		}
		inherited = own
		cl.subjects = own
		cl.negative, cl.condition, cl.bare = polarity(c.Text)
		cl.lead = map[string]bool{}
		from := 0
		for k := 0; k < len(units) && k < 2; k++ {
			if c := entityOf(entities, &units[k]); c != "" {
				cl.lead[c] = true
				from = max(from, k)
			}
		}
		// A word before the named thing the clause opens with qualifies it ("A plain
		// Serializer"): it is part of the subject, not of what the clause says of it.
		for _, u := range units[from:] {
			if !namesEntity(entities, &u) {
				cl.predicate = append(cl.predicate, u)
			}
		}
		out = append(out, cl)
	}
	return out
}

// bySubject cuts further a clause that speaks of two or more of the rubric's named things, before
// each mention after the first, so that what is said of each stays with it: "tuples are mutable
// and lists are immutable" states two things.
func bySubject(cs []text.Clause, entities map[string]string) []text.Clause {
	if len(entities) == 0 {
		return cs
	}
	words := make(map[string]bool, len(entities))
	for _, w := range entities {
		words[w] = true
	}
	var out []text.Clause
	for _, c := range cs {
		var cuts []int
		seen := map[string]bool{}
		prev := ""
		prevNamed := false
		for tok := range text.Scan(c.Text) {
			w := singular(tok.Text)
			p := prev
			prev = tok.Text
			compound := prevNamed && tok.Boundary == text.NoBoundary
			prevNamed = words[w]
			if !words[w] {
				continue
			}
			// A named thing after a preposition or a copula is an object or a complement ("data
			// members are variables"), not the subject of a new statement; one right after
			// another is the head the first qualifies ("salt crystals").
			if len(seen) > 0 && !seen[w] && !objectMarker[p] && !compound {
				cuts = append(cuts, tok.Start)
			}
			seen[w] = true
		}
		if len(cuts) == 0 {
			out = append(out, c)
			continue
		}
		from := 0
		for _, at := range append(cuts, len(c.Text)) {
			piece := c.Text[from:at]
			if t := strings.TrimSpace(piece); t != "" {
				off := strings.Index(piece, t)
				out = append(out, text.Clause{Text: t, Start: c.Start + from + off, End: c.Start + from + off + len(t)})
			}
			from = at
		}
	}
	return out
}

// objectMarker are the words after which a noun is no subject.
var objectMarker = map[string]bool{
	"is": true, "are": true, "was": true, "were": true, "be": true, "been": true, "being": true,
	"as": true, "like": true, "than": true, "of": true, "to": true, "by": true, "from": true,
	"with": true, "for": true, "in": true, "on": true, "into": true, "a": true, "an": true, "the": true,
	"call": true, "calls": true, "use": true, "uses": true,
}

// rubricEntities returns the named things a rubric contrasts: terms of the question that open a
// clause of some key point, as its first content word ("Lists are mutable, while tuples cannot be changed" against "What are
// the differences between a list and a tuple?"). Only when there are two or more can an answer
// swap their roles.
func rubricEntities(points []point, question string) map[string]string {
	words := map[string]string{}
	for tok := range text.Scan(question) {
		words[singular(tok.Text)] = tok.Text
	}
	m := map[string]string{}
	for i := range points {
		for _, c := range text.Clauses(points[i].kp.Text) {
			// The first content word opens the clause; only it needs analysing. A capitalised
			// name right after it ("A plain Serializer") is the subject it qualifies.
			content := 0
			for tok := range text.Scan(c.Text) {
				if text.IsStopword(tok.Text) {
					continue
				}
				content++
				if content > 1 && (tok.Start == 0 || tok.Raw[0] < 'A' || tok.Raw[0] > 'Z') {
					break
				}
				// A single letter names a particular ("bulb B"), not a thing with a role.
				if w := singular(tok.Text); words[w] != "" && len(w) > 1 {
					if us := analyze(tok.Raw, nil, 1); len(us) > 0 && !genericSubject[us[0].concept] {
						m[us[0].concept] = w
						break
					}
				}
				if content > 1 {
					break
				}
			}
		}
	}
	if len(m) < 2 {
		return nil
	}
	return m
}

// namesEntity reports whether unit u names one of the rubric's named things: the same word, not
// merely the same stem ("migration" is no mention of migrate), or the head of a named compound
// ("escaping" for autoescaping, see heads.go).
func namesEntity(entities map[string]string, u *unit) bool {
	return entityOf(entities, u) != ""
}

// entityOf returns the concept of the named thing unit u names (see namesEntity), or "".
func entityOf(entities map[string]string, u *unit) string {
	if w, ok := entities[u.concept]; ok && singular(u.word) == w {
		return u.concept
	}
	named := ""
	for c, w := range entities {
		if h := compoundHead(w); h != "" && h == wordConcept(u.word) && (named == "" || c < named) {
			named = c
		}
	}
	return named
}

// singular strips a plural ending, enough to match "lists" with "list" and "tuples" with "tuple".
func singular(w string) string {
	w = strings.TrimSuffix(strings.TrimSuffix(w, "()"), "s")
	return w
}

// genericSubject are words that open key points without naming one thing among others.
var genericSubject = map[string]bool{"django": true, "python": true, "databas": true, "use": true, "user": true}

// swapPredicateWeight is the least weight of what a key point clause says of its named thing for
// the clause to take part in a role swap.
const swapPredicateWeight = 1.5

// reversal says how answer clause a reverses key point clause k, or "": "role swap" when the
// answer gives one named thing what the key point says of another (and the key points about that
// other thing do not say it), "negation" when it negates what the key point asserts or asserts
// what it negates, "antonym" when it swaps a word for its opposite. Negating and swapping
// together cancel out ("runs before" against "does not run after").
func (g *Grader) reversal(k *clause, a *clause, kpClauses []clause) (string, float64) {
	if len(k.subjects) > 0 && len(a.subjects) > 0 && disjoint(k.subjects, a.subjects) {
		// Only a clause about one named thing, opening with it, against a key point clause about
		// one other, that does not name the answer's thing at all: "filter() returns one object"
		// against "get() returns one instance".
		if len(k.lead) != 1 || len(a.lead) != 1 || len(a.subjects) != 1 || len(k.subjects) != 1 || !disjoint(a.subjects, k.named) {
			return "", 0
		}
		pred := align(k.predicate, a.units, a.present)
		if pred.recall < g.p.SwapRecall || pred.flipped > 0.34 || weightOf(k.predicate) < swapPredicateWeight {
			return "", 0
		}
		own := 0.0
		for o := range kpClauses {
			// A piece too short to be swapped itself ("and update from a model") says too
			// little of its thing to vouch for the answer's clause either.
			if !disjoint(kpClauses[o].subjects, a.subjects) && weightOf(kpClauses[o].predicate) >= swapPredicateWeight {
				// What the clause says of its own thing counts only where it agrees with it.
				al := align(kpClauses[o].predicate, a.units, a.present)
				own = max(own, al.recall*(1-al.flipped))
			}
		}
		if pred.recall < own+swapMargin || pred.recall < 1.5*own {
			return "", 0
		}
		if swaps(k.tokens, a.tokens) > 0 {
			return "", 0 // "migrate runs after makemigrations" against "makemigrations runs before migrate"
		}
		return "role swap", pred.recall
	}
	if len(k.subjects) > 0 && len(a.subjects) > 0 && disjoint(k.subjects, a.subjects) {
		return "", 0
	}
	if len(a.lead) > 0 && len(k.lead) == 0 && len(k.subjects) > 0 && !k.inherited {
		// The answer speaks of a named thing; the key point clause names it only further on, of
		// something else ("mutable objects inside a tuple can still change"): not the same claim.
		return "", 0
	}
	al := align(k.units, a.units, a.present)
	// A word swapped for its opposite is aligned too, with the opposite sense: "Lists are
	// immutable" speaks of what "Lists are mutable" does.
	recall := al.recall + opposedShare(k, a)
	if recall < g.p.ContradictionRecall {
		return "", 0
	}
	swapped := swaps(k.tokens, a.tokens) > 0
	flipped, neg := flips(k, a)
	switch {
	case swapped && !flipped:
		return "antonym", recall
	case !swapped && flipped && !negatedOpposite(k.tokens, a.tokens) && g.negatesScope(neg, k, a):
		return "negation", recall
	}
	return "", 0
}

// opposedShare returns the weighted share of key point clause k's terms that answer clause a does
// not contain but opposes outright with an antonym.
func opposedShare(k, a *clause) float64 {
	var total, opposed float64
	for i := range k.units {
		u := &k.units[i]
		total += u.weight
		if a.present[u.concept] {
			continue
		}
		for _, b := range antonyms()[wordConcept(u.word)] {
			if a.tokens[b]&plain != 0 {
				opposed += u.weight
				break
			}
		}
	}
	if total == 0 {
		return 0
	}
	return opposed / total
}

// negatedOpposite reports whether the answer negates the opposite of a word of the key point
// ("never runs before the commit" for "runs only after the commit"): agreement said the other way.
func negatedOpposite(kp, answer map[string]uint8) bool {
	for a, pol := range kp {
		for _, b := range antonyms()[a] {
			if pol&plain != 0 && answer[b]&negated != 0 && answer[b]&plain == 0 && kp[b] == 0 {
				return true
			}
			// The other way round: "in no closed path" for "in an open path".
			if pol == negated && answer[b]&plain != 0 && answer[b]&negated == 0 && answer[a] == 0 {
				return true
			}
		}
	}
	return false
}

// negatesScope reports whether the negation of neg, whichever of k and a is negated, falls on the words
// the two share: "nothing is rolled back" against "rolls back the block" (the negated "rolled
// back" is the key point's own), but not "Do not catch errors inside a block" against "inside
// the block the work is committed" (the negated "catch" is not in the answer).
func (g *Grader) negatesScope(neg, k, a *clause) bool {
	other := a
	if neg == a {
		other = k
	}
	var total, found float64
	for i := range neg.units {
		u := &neg.units[i]
		if !u.negated {
			continue
		}
		total += u.weight
		for j := range other.units {
			if o := &other.units[j]; !o.negated && unitLikeness(u, o) >= 0.8 && sameWord(u, o) {
				found += u.weight
				break
			}
		}
	}
	return total > 0 && found/total >= g.p.NegatedShare
}

// sameWord reports whether two units share a stem or spelling, not merely a concept of the
// synonym table: a negation reverses a claim when it falls on the claim's own words ("does not
// cache" against "caches"), while the table's looser matches ("calling" and "running" are both
// "execute") are too loose to deny anything by.
func sameWord(u, o *unit) bool {
	if u.word == o.word || strings.Contains(u.word, " ") || strings.Contains(o.word, " ") {
		return true // an equivalent phrase ("rolled back") is a precise match already
	}
	su, so := wordConcept(u.word), wordConcept(o.word)
	return su == so || sameHead(u, o) || strings.HasPrefix(su, so) && len(so) >= 4 || strings.HasPrefix(so, su) && len(su) >= 4
}

// swapMargin is how much better a clause must fit the key point about another named thing than
// those about its own for its roles to count as swapped.
const swapMargin = 0.15

// states reports whether answer clause a plainly states key point clause k: about the same thing,
// with as much of its content as r, and not reversed. Only the words of a that are k's own, or
// that no other clause of the key point (siblings) has as its own, count (see creditedUnits).
func (g *Grader) states(k *clause, a *clause, r float64, siblings, kpClauses []clause) bool {
	if len(k.subjects) > 0 && len(a.subjects) > 0 && disjoint(k.subjects, a.subjects) {
		return false
	}
	if units, present := creditedUnits(k, a, siblings); align(k.units, units, present).recall < r {
		return false
	}
	why, _ := g.reversal(k, a, kpClauses)
	return why == ""
}

func disjoint(a, b map[string]bool) bool {
	for c := range a {
		if b[c] {
			return false
		}
	}
	return true
}

func weightOf(us []unit) float64 {
	w := 0.0
	for _, u := range us {
		w += u.weight
	}
	return w
}

// contradicted returns the answer clause that reverses key point i and why, or -1. A wrong
// "contradicted" costs a candidate dearly, so a reversal counts only when no other clause of the
// answer states the same part of the key point plainly, and, for a negation or antonym, no other
// key point that the clause agrees with explains it as well.
func (g *Grader) contradicted(i int, points []point, answer []clause, kpClauses []clause) (int, string) {
	found, why, best := -1, "", 0.0
	p := &points[i]
	if p.openingOpposed && len(answer) > 0 {
		return 0, "opening answer"
	}
	for ki := range p.clauses {
		k := &p.clauses[ki]
		for ai := range answer {
			w, r := g.reversal(k, &answer[ai], kpClauses)
			if w == "" || r <= best {
				continue
			}
			if g.statedElsewhere(k, ai, answer, r, w == "role swap", p.clauses, kpClauses) {
				continue
			}
			if w != "role swap" && (p.openingShared || g.otherPointAgrees(i, points, &answer[ai], r, kpClauses)) {
				continue
			}
			found, why, best = ai, w, r
		}
	}
	return found, why
}

// statedElsewhere reports whether a clause of the answer other than ai states key point clause k
// with at least recall r: an answer that says both has not simply got the point backwards. A role
// swap's recall is that of what the key point says of its named thing, so for a swap the other
// clause must carry as much of that: naming the thing again with a word or two of the key point
// ("a plain Serializer derives its fields") does not state what the swap gave to the other thing.
func (g *Grader) statedElsewhere(k *clause, ai int, answer []clause, r float64, swap bool, siblings, kpClauses []clause) bool {
	for o := range answer {
		if o == ai {
			continue
		}
		if swap {
			a := &answer[o]
			if disjoint(k.subjects, a.subjects) || align(k.predicate, a.units, a.present).recall < r {
				continue
			}
		}
		if g.states(k, &answer[o], r, siblings, kpClauses) {
			return true
		}
	}
	return false
}

// otherPointAgrees reports whether another key point explains answer clause a at least as well
// as key point i does, and agrees with it: the clause is then as likely a statement of that point
// as a reversal of this one. Rubrics whose references are alternatives ("Bulb C is no longer in a
// closed path", "there is a path containing Z and C") make this common. The margin (none) is the
// best on SemEval-2013's train split among -0.1, 0, 0.05 and 0.1 (macro-F1 0.526, 0.531, 0.530,
// 0.527).
func (g *Grader) otherPointAgrees(i int, points []point, a *clause, r float64, kpClauses []clause) bool {
	for o := range points {
		if o == i {
			continue
		}
		for ki := range points[o].clauses {
			k := &points[o].clauses[ki]
			if align(k.units, a.units, a.present).recall >= r {
				if w, _ := g.reversal(k, a, kpClauses); w == "" {
					return true
				}
			}
		}
	}
	return false
}
