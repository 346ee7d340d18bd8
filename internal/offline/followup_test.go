package offline

import (
	"fmt"
	"regexp"
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"

	"gopkg.in/yaml.v3"

	"github.com/interviewcoach/coach/internal/bank"
	"github.com/interviewcoach/coach/internal/coach"
	"github.com/interviewcoach/coach/internal/text"
)

// bankQuestion is a question of the bundled bank, as its YAML gives it.
type bankQuestion struct {
	ID        string       `yaml:"id"`
	Question  string       `yaml:"question"`
	Answer    string       `yaml:"answer"`
	KeyPoints []bankKPText `yaml:"key_points"`
}

// bankKPText is a key point, written as a string or as a mapping with its text.
type bankKPText string

func (k *bankKPText) UnmarshalYAML(n *yaml.Node) error {
	if n.Kind == yaml.ScalarNode {
		*k = bankKPText(n.Value)
		return nil
	}
	var m struct {
		Text string `yaml:"text"`
	}
	if err := n.Decode(&m); err != nil {
		return err
	}
	*k = bankKPText(m.Text)
	return nil
}

// bundledBank returns every question of the bundled bank as references with their key points.
func bundledBank(t *testing.T) []coach.Question {
	t.Helper()
	var f struct {
		Questions []bankQuestion `yaml:"questions"`
	}
	if err := yaml.Unmarshal(bank.Django(), &f); err != nil {
		t.Fatal(err)
	}
	var out []coach.Question
	for _, q := range f.Questions {
		ref := coach.Reference{ID: "r-" + q.ID, QuestionID: q.ID, Text: q.Answer}
		for i, kp := range q.KeyPoints {
			ref.KeyPoints = append(ref.KeyPoints, coach.KeyPoint{ID: fmt.Sprintf("r-%s-k%d", q.ID, i+1), ReferenceID: ref.ID, Text: string(kp)})
		}
		out = append(out, coach.Question{ID: q.ID, Text: q.Question, References: []coach.Reference{ref}})
	}
	if len(out) < 90 {
		t.Fatalf("the bundled bank holds %d questions", len(out))
	}
	return out
}

var (
	// slotPhrases are the places a frame puts a named phrase; the phrase runs to the next
	// punctuation.
	slotPhrases = regexp.MustCompile(`(?:You did not mention|You touched on|You mentioned|tell me about|look at|What role (?:does|do)) (.+?)(?: play here)?(?:[.:] |\?|, and )`)
	// slotEnd ends the phrase of a slot: punctuation before a space, or the question mark.
	slotEnd = regexp.MustCompile(`[.,:] |\?`)
	// dangling are the words a question or a clause of it cannot end on: articles, prepositions,
	// conjunctions, auxiliaries. "why" and "how" may ("..., and why?").
	dangling = setOf(`a an the and or but nor if because since unless although though than that of to in on
		at by for with from into onto about as via per is are was were be been being do does did has have had
		can could may might must shall should will would not no every each some any`)
	// wouldYou is the instruction frame: the verb and the word after it.
	wouldYou = regexp.MustCompile(`would you (\S+) (\S+)`)
)

// questionProblems returns what is wrong with follow-up question q, written about key point kp
// of an answer whose concepts are answer and whose evidence for kp is evidence. The rules:
//   - it starts with a capital letter and ends with a question mark;
//   - no word is doubled ("on on"), no slot is left empty ("“”", " ?", two spaces);
//   - no word before punctuation is a function word: nothing dangles ("set based ?", "about the?");
//   - a phrase named in a slot is a noun phrase: it neither opens nor ends on a function word or a
//     verb of the subject list;
//   - an instruction verb is followed by its object, never by a past participle ("would you set
//     based UPDATE statements");
//   - it does not give the key point away: its text is not in the question;
//   - "You touched on X" and "You mentioned X" only when the evidence holds X's terms, "You did not
//     mention X" only when the answer holds none of them.
func questionProblems(q, kp string, answer, evidence map[string]bool) []string {
	var p []string
	r, _ := utf8.DecodeRuneInString(q)
	if !unicode.IsUpper(r) {
		p = append(p, "does not start with a capital")
	}
	if !strings.HasSuffix(q, "?") {
		p = append(p, "does not end with a question mark")
	}
	if strings.Contains(q, "“”") || strings.Contains(q, " ?") || strings.Contains(q, "  ") || strings.Contains(q, " ,") {
		p = append(p, "has an empty slot")
	}
	var prev string
	var prevTok text.Token
	for tok := range text.Scan(q) {
		if tok.Text == prev && tok.Boundary == text.NoBoundary {
			p = append(p, fmt.Sprintf("doubles %q", tok.Text))
		}
		if tok.Boundary >= text.PhraseBoundary && dangling[prev] {
			p = append(p, fmt.Sprintf("dangles on %q", prevTok.Raw))
		}
		prev, prevTok = tok.Text, tok
	}
	if dangling[prev] {
		p = append(p, fmt.Sprintf("dangles on %q", prev))
	}
	for _, m := range slotPhrases.FindAllStringSubmatch(q, -1) {
		if strings.Contains(m[1], ", ") {
			p = append(p, fmt.Sprintf("names a list of terms %q", m[1]))
			continue
		}
		words := strings.Fields(m[1])
		firstRaw, lastRaw := words[0], words[len(words)-1]
		if f := strings.ToLower(firstRaw); f == "the" || f == "a" || f == "an" {
			if len(words) == 1 {
				p = append(p, fmt.Sprintf("names a bare article %q", m[1]))
				continue
			}
			firstRaw = words[1]
		}
		for i, raw := range []string{firstRaw, lastRaw} {
			w := strings.ToLower(raw)
			if codeLike(raw) {
				continue // a code name is a noun, however it is spelled
			}
			participle := i == 1 && strings.HasSuffix(w, "ed") && !strings.HasSuffix(w, "eed")
			if closedClass[w] || participle || verbs[w] {
				p = append(p, fmt.Sprintf("names %q, which is not a noun phrase", m[1]))
				break
			}
		}
	}
	for _, m := range wouldYou.FindAllStringSubmatch(q, -1) {
		if strings.HasSuffix(m[2], "ed") && !objectStarts[strings.ToLower(m[2])] {
			p = append(p, fmt.Sprintf("instruction %q is followed by %q", m[1], m[2]))
		}
	}
	if strings.Contains(strings.ToLower(q), strings.ToLower(strings.TrimRight(kp, "."))) {
		p = append(p, "gives the key point away")
	}
	for _, frame := range []string{"You touched on ", "You mentioned "} {
		if i := strings.Index(q, frame); i >= 0 {
			x := slotEnd.Split(q[i+len(frame):], 2)[0]
			if !mentions(evidence, x) {
				p = append(p, fmt.Sprintf("claims the answer touched on %q, which its evidence does not hold", x))
			}
		}
	}
	if i := strings.Index(q, "You did not mention "); i >= 0 {
		x := slotEnd.Split(q[i+len("You did not mention "):], 2)[0]
		if mentionsAny(answer, x) {
			p = append(p, fmt.Sprintf("claims the answer did not mention %q, which it did", x))
		}
	}
	return p
}

// codeLike reports whether w is spelled as code: snake_case, dotted, called, or with capitals
// after its first letter.
func codeLike(w string) bool {
	if strings.ContainsAny(w, "_.()") {
		return true
	}
	for i, r := range w {
		if i > 0 && unicode.IsUpper(r) {
			return true
		}
	}
	return false
}

// TestFollowUpsOverTheBank writes the follow-ups of every key point of the bundled bank in every
// state (missing; partly made with and without its words in the evidence; covered but uncertain;
// contradicted; covered, digging deeper) and checks each against the rules of questionProblems.
func TestFollowUpsOverTheBank(t *testing.T) {
	t.Parallel()
	unrelated := "I would read the documentation and measure it first."
	problems, written := 0, 0
	for _, q := range bundledBank(t) {
		for _, kp := range q.References[0].KeyPoints {
			base := coach.Judgement{KeyPointID: kp.ID, Text: kp.Text, ReferenceID: kp.ReferenceID}
			cases := []struct {
				name   string
				status string
				credit float64
				note   string
				answer string
				ev     string
			}{
				{"missing", coach.StatusMissing, 0, "", unrelated, ""},
				{"partial, own words", coach.StatusPartial, 0.6, "", kp.Text, kp.Text},
				{"partial, other words", coach.StatusPartial, 0.6, "", unrelated, unrelated},
				{"partial, weak", coach.StatusPartial, 0.3, "", unrelated, unrelated},
				{"covered, unsure", coach.StatusCovered, 0, "weak alignment", unrelated, unrelated},
				{"contradicted", coach.StatusContradicted, 0, "", "It is never true.", "It is never true."},
				{"covered", coach.StatusCovered, 0, "", kp.Text, kp.Text},
			}
			for _, c := range cases {
				k := base
				k.Status, k.Credit, k.Note, k.Evidence = c.status, c.credit, c.note, c.ev
				j := &coach.Judged{Judgements: []coach.Judgement{k}}
				fus := followUps(j, coach.GradeInput{Question: q.Text, Answer: c.answer, References: q.References, FollowUps: 1})
				if c.status != coach.StatusCovered || c.note != "" {
					if len(fus) != 1 {
						t.Errorf("%s (%s): %d follow-ups, want 1", kp.Text, c.name, len(fus))
						continue
					}
				}
				for _, f := range fus {
					written++
					if f.Targets != kp.ID || f.ReferenceID != kp.ReferenceID || f.ExpectedAnswer == "" {
						t.Errorf("%s (%s): follow-up aims elsewhere: %+v", kp.Text, c.name, f)
					}
					if ps := questionProblems(f.Question, kp.Text, conceptsOf(c.answer), conceptsOf(c.ev)); len(ps) > 0 {
						problems++
						t.Errorf("%q (%s) of key point %q: %s", f.Question, c.name, kp.Text, strings.Join(ps, "; "))
					}
				}
			}
		}
	}
	if written < 500 {
		t.Errorf("only %d follow-ups written", written)
	}
	t.Logf("%d follow-ups checked, %d with problems", written, problems)
}

// TestQuestionRulesCatchGarbles: the rules reject the follow-ups the old frames wrote.
func TestQuestionRulesCatchGarbles(t *testing.T) {
	t.Parallel()
	none := map[string]bool{}
	for _, q := range []string{
		"Can you be more precise: how exactly would you set based UPDATE statements?",
		"You touched on on_commit callbacks. Can you be more precise: what exactly happens, and why?",
		"You did not mention debug, pages and expose. What are they, and why do they matter here?",
		"You did not mention a. What is it, and why does it matter here?",
		"what is it?",
		"What is the the cache?",
		"How would you detect it with",
		"What can you tell me about the?",
	} {
		if ps := questionProblems(q, "a key point", none, none); len(ps) == 0 {
			t.Errorf("the rules pass %q", q)
		}
	}
}

// TestInstruction: an instruction's verb phrase, or none when the first word is no verb.
func TestInstruction(t *testing.T) {
	t.Parallel()
	tests := []struct{ keyPoint, want string }{
		{"Detect it with django-debug-toolbar, connection.queries or assertNumQueries.", "detect it"},
		{"Set-based UPDATE statements with F() expressions avoid per-row Python work entirely.", ""},
		{"Use select_related for foreign keys.", "use select_related"},
		{"Wrap the view in transaction.atomic to roll back on errors.", "wrap the view"},
		{"Keep secrets out of settings files.", ""},
		{"Call the function", "call the function"},
	}
	for _, tt := range tests {
		if got := instruction(tt.keyPoint); got != tt.want {
			t.Errorf("instruction(%q) = %q, want %q", tt.keyPoint, got, tt.want)
		}
	}
}

// TestMentions: what counts as naming a phrase in the answer. Synonyms do; a code name counts as
// itself or as all its words, never through one word's synonym.
func TestMentions(t *testing.T) {
	t.Parallel()
	tests := []struct {
		answer, phrase string
		all, any       bool
	}{
		{"Use prefetch_related for many-to-many.", "prefetch_related", true, true},
		{"Prefetch related rows in one more query.", "prefetch_related", true, true},
		{"I would read the documentation.", "prefetch_related", false, false},
		{"I would read the documentation.", "cache.get", false, false},
		{"The session cookie is signed.", "the session cookie", true, true},
		{"The cookie is signed.", "the session cookie", false, true},
		{"Nothing here.", "the CACHES setting", false, false},
	}
	for _, tt := range tests {
		c := conceptsOf(tt.answer)
		if got := mentions(c, tt.phrase); got != tt.all {
			t.Errorf("mentions(%q, %q) = %v", tt.answer, tt.phrase, got)
		}
		if got := mentionsAny(c, tt.phrase); got != tt.any {
			t.Errorf("mentionsAny(%q, %q) = %v", tt.answer, tt.phrase, got)
		}
	}
}
