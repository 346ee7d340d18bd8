package offline

import (
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/interviewcoach/coach/internal/coach"
	"github.com/interviewcoach/coach/internal/text"
)

// Follow-up counts: GradeInput.FollowUps 0 means defaultFollowUps.
const (
	defaultFollowUps = 3
	maxFollowUps     = 5
	// maxModelPoints bounds the model answer: more statements than that read as a list, not an answer.
	maxModelPoints = 8
	// quoteRunes is the longest quote of the answer repeated in feedback.
	quoteRunes = 160
)

// bandOpening is the opening of the summary for each score band.
var bandOpening = map[string]string{
	coach.BandExcellent: "Excellent answer",
	coach.BandGood:      "Good answer",
	coach.BandFair:      "Fair answer",
	coach.BandWeak:      "Weak answer",
	coach.BandIncorrect: "This answer misses the mark",
}

// feedback writes the summary, strengths, improvements and model answer from the judgements.
func feedback(j *coach.Judged, refs []coach.Reference) coach.Feedback {
	var fb coach.Feedback
	covered, partial, missing, contradicted := 0, 0, 0, 0
	for _, k := range j.Judgements {
		switch k.Status {
		case coach.StatusCovered:
			covered++
			fb.Strengths = append(fb.Strengths, coach.Remark{Text: "You covered this: " + k.Text, ReferenceIDs: []string{k.ReferenceID}})
		case coach.StatusPartial:
			partial++
			fb.Improvements = append(fb.Improvements, coach.Remark{Text: "Only partly there; make it precise: " + k.Text, ReferenceIDs: []string{k.ReferenceID}})
		case coach.StatusMissing:
			missing++
			fb.Improvements = append(fb.Improvements, coach.Remark{Text: "Missing: " + k.Text, ReferenceIDs: []string{k.ReferenceID}})
		case coach.StatusContradicted:
			contradicted++
			fb.Improvements = append(fb.Improvements, coach.Remark{
				Text:         fmt.Sprintf("Incorrect: you wrote “%s”, but %s", quote(k.Evidence), lowerFirst(k.Text)),
				ReferenceIDs: []string{k.ReferenceID},
			})
		}
	}
	total := len(j.Judgements)
	score := coach.Score(j.Judgements, len(j.Misconceptions))
	switch {
	case j.Off == OffTopic:
		fb.Summary = "This answer does not address the question: it shares almost nothing with the reference answer."
	case total == 0:
		fb.Summary = "There is no reference answer to grade against, so this answer could not be judged."
	default:
		s := fmt.Sprintf("%s: it covers %d of %d key points", bandOpening[coach.Band(score)], covered, total)
		if partial > 0 {
			s += fmt.Sprintf(" and touches on %d more", partial)
		}
		s += "."
		switch {
		case contradicted > 0:
			s += fmt.Sprintf(" It contradicts the reference on %d %s; see the corrections below.", contradicted, plural(contradicted, "point", "points"))
		case missing+partial > 0:
			s += " The next thing to work on: " + lowerFirst(firstGap(j.Judgements))
		default:
			s += " Nothing essential is missing."
		}
		fb.Summary = s
	}
	fb.ModelAnswer, fb.ModelAnswerRefs = modelAnswer(refs)
	return fb
}

// firstGap returns the text of the first missing or partial key point, ending as a sentence.
func firstGap(js []coach.Judgement) string {
	for _, k := range js {
		if k.Status == coach.StatusMissing || k.Status == coach.StatusPartial {
			return sentence(k.Text)
		}
	}
	return ""
}

// modelAnswer joins the key points of the references into an answer, dropping statements that
// repeat an earlier one, and names the references it drew on.
func modelAnswer(refs []coach.Reference) (string, []string) {
	var parts []string
	var seen []map[string]bool
	refIDs := []string{}
	for _, ref := range refs {
		used := false
		for _, kp := range ref.KeyPoints {
			if len(parts) >= maxModelPoints {
				break
			}
			terms := tokenSet(kp.Text)
			if repeats(terms, seen) {
				continue
			}
			seen = append(seen, terms)
			parts = append(parts, sentence(kp.Text))
			used = true
		}
		if used {
			refIDs = append(refIDs, ref.ID)
		}
	}
	return strings.Join(parts, " "), refIDs
}

// repeats reports whether terms are (nearly) all those of an earlier statement.
func repeats(terms map[string]bool, seen []map[string]bool) bool {
	if len(terms) == 0 {
		return true
	}
	for _, s := range seen {
		shared := 0
		for t := range terms {
			if s[t] {
				shared++
			}
		}
		if float64(shared) >= 0.8*float64(len(terms)) && float64(shared) >= 0.8*float64(len(s)) {
			return true
		}
	}
	return false
}

// followUps writes in.FollowUps questions: first on the key points the answer contradicted, then
// missed, then only partly covered; then related bank questions; then, if still short, questions
// that dig deeper into what the answer covered.
func followUps(j *coach.Judged, in coach.GradeInput) []coach.FollowUp {
	n := in.FollowUps
	if n <= 0 {
		n = defaultFollowUps
	}
	n = min(n, maxFollowUps)
	var out []coach.FollowUp
	for _, status := range []string{coach.StatusContradicted, coach.StatusMissing, coach.StatusPartial} {
		for _, k := range j.Judgements {
			if len(out) >= n {
				return out
			}
			if k.Status == status {
				out = append(out, gapQuestion(k))
			}
		}
	}
	for _, q := range in.Related {
		if len(out) >= n {
			return out
		}
		if f, ok := relatedQuestion(q); ok {
			out = append(out, f)
		}
	}
	for _, k := range j.Judgements {
		if len(out) >= n {
			return out
		}
		if k.Status == coach.StatusCovered {
			f := follow(k)
			f.Question = fmt.Sprintf("You mentioned %s. Can you give a concrete example from a project, and say what could go wrong?", focus(k.Text))
			out = append(out, f)
		}
	}
	return out
}

// gapQuestion turns a key point the answer did not get right into a question an interviewer can
// ask as it is, without giving the answer away.
func gapQuestion(k coach.Judgement) coach.FollowUp {
	f := follow(k)
	topic := focus(k.Text)
	pronoun := "it"
	if isPlural(topic) {
		pronoun = "they"
	}
	switch k.Status {
	case coach.StatusContradicted:
		f.Question = fmt.Sprintf("You said “%s”. Are you sure? Walk me through how %s really %s.", quote(k.Evidence), topic, verbFor(pronoun, "work"))
	case coach.StatusPartial:
		f.Question = fmt.Sprintf("You touched on %s. Can you be more precise: what exactly happens, and why?", topic)
	default:
		if pronoun == "they" {
			f.Question = fmt.Sprintf("You did not mention %s. What role do they play here, and why do they matter?", topic)
		} else {
			f.Question = fmt.Sprintf("You did not mention %s. What role does it play here, and why does it matter?", topic)
		}
	}
	return f
}

func verbFor(pronoun, verb string) string {
	if pronoun == "they" {
		return verb
	}
	if strings.HasSuffix(verb, "o") {
		return verb + "es"
	}
	return verb + "s"
}

// follow fills in what a follow-up on key point k expects.
func follow(k coach.Judgement) coach.FollowUp {
	return coach.FollowUp{Targets: k.KeyPointID, TargetText: k.Text, ExpectedAnswer: k.Text, ReferenceID: k.ReferenceID}
}

// relatedQuestion turns a related bank question into a follow-up aimed at its first key point.
func relatedQuestion(q coach.Question) (coach.FollowUp, bool) {
	if strings.TrimSpace(q.Text) == "" {
		return coach.FollowUp{}, false
	}
	f := coach.FollowUp{Question: q.Text, Targets: q.ID}
	for _, ref := range q.References {
		var points []string
		for _, kp := range ref.KeyPoints {
			if f.Targets == q.ID {
				f.Targets, f.TargetText = kp.ID, kp.Text
			}
			points = append(points, sentence(kp.Text))
		}
		if len(points) == 0 {
			points = []string{ref.Text}
		}
		f.ExpectedAnswer, f.ReferenceID = strings.Join(points, " "), ref.ID
		break
	}
	return f, true
}

// verbs are the words that end the subject of a key point: auxiliaries and the verbs rubric
// statements most often use.
var verbs = map[string]bool{
	"is": true, "are": true, "was": true, "were": true, "be": true, "can": true, "cannot": true,
	"can't": true, "must": true, "should": true, "will": true, "would": true, "may": true, "might": true,
	"does": true, "do": true, "did": true, "doesn't": true, "don't": true, "has": true, "have": true,
	"means": true, "mean": true, "makes": true, "make": true, "runs": true, "run": true, "lets": true,
	"let": true, "allows": true, "allow": true, "uses": true, "use": true, "returns": true,
	"stores": true, "creates": true, "calls": true, "needs": true, "gives": true, "takes": true,
	"provides": true, "includes": true, "include": true, "involve": true, "involves": true,
	"avoids": true, "prevents": true, "requires": true, "builds": true, "joins": true, "follows": true,
	"keeps": true, "sends": true, "turns": true, "hit": true, "hits": true, "stay": true, "stays": true,
	"force": true, "forces": true, "handles": true, "checks": true, "adds": true, "holds": true,
	"refers": true, "contains": true, "defines": true, "describes": true, "executes": true,
	"translates": true, "becomes": true, "change": true, "changes": true, "works": true,
	"helps": true, "caches": true, "loads": true, "fires": true, "writes": true, "reads": true,
}

// focus returns what a key point is about, to name in a question: its subject when it opens with
// a short one ("select_related" of "select_related follows foreign keys"), else its weightiest
// terms.
func focus(kp string) string {
	var words []string
	end := -1
	for tok := range text.Scan(kp) {
		if verbs[tok.Text] {
			end = tok.Start
			break
		}
		if tok.Boundary >= text.PhraseBoundary && len(words) > 0 {
			break
		}
		words = append(words, tok.Raw)
	}
	if end > 0 && len(words) >= 1 && len(words) <= 6 {
		subject := strings.TrimSpace(strings.TrimRight(kp[:end], " ,;:"))
		if subject != "" && !strings.ContainsAny(subject, ",;:") && hasContent(subject) {
			return lowerFirst(subject)
		}
	}
	// No short subject: name the statement's heaviest terms.
	units := analyze(kp, nil, 1)
	var picked []string
	seen := map[string]bool{}
	for pass := 0; pass < 2 && len(picked) < 3; pass++ {
		for _, u := range units {
			if len(picked) >= 3 {
				break
			}
			if seen[u.concept] || (pass == 0 && u.weight < 1) {
				continue
			}
			seen[u.concept] = true
			picked = append(picked, u.word)
		}
	}
	switch len(picked) {
	case 0:
		return "this point"
	case 1:
		return picked[0]
	}
	return strings.Join(picked[:len(picked)-1], ", ") + " and " + picked[len(picked)-1]
}

func hasContent(s string) bool {
	return len(text.Analyze(s)) > 0
}

// isPlural guesses whether a noun phrase is plural from its last word.
func isPlural(phrase string) bool {
	if strings.Contains(phrase, " and ") {
		return true
	}
	f := strings.Fields(phrase)
	if len(f) == 0 {
		return false
	}
	w := strings.ToLower(f[len(f)-1])
	return len(w) > 3 && strings.HasSuffix(w, "s") && !strings.HasSuffix(w, "ss") &&
		!strings.HasSuffix(w, "us") && !strings.HasSuffix(w, "is")
}

// quote shortens a quote of the answer for feedback.
func quote(s string) string {
	s = strings.Join(strings.Fields(s), " ")
	if utf8.RuneCountInString(s) <= quoteRunes {
		return strings.TrimRight(s, ".")
	}
	r := []rune(s)[:quoteRunes]
	if i := strings.LastIndex(string(r), " "); i > quoteRunes/2 {
		return string(r)[:i] + "…"
	}
	return string(r) + "…"
}

// sentence ends s with a full stop unless it already ends a sentence.
func sentence(s string) string {
	s = strings.TrimSpace(s)
	if s == "" {
		return s
	}
	switch s[len(s)-1] {
	case '.', '!', '?':
		return s
	}
	return s + "."
}

// lowerFirst lowercases the first letter of s unless the first word looks like a name or an
// identifier ("Django", "QuerySet", "SQL", "select_related").
func lowerFirst(s string) string {
	r, size := utf8.DecodeRuneInString(s)
	if !unicode.IsUpper(r) {
		return s
	}
	word := s
	if i := strings.IndexAny(s, " ,;:("); i >= 0 {
		word = s[:i]
	}
	for _, c := range word[size:] {
		if unicode.IsUpper(c) || c == '_' || c == '.' {
			return s
		}
	}
	if properNouns[strings.ToLower(word)] {
		return s
	}
	return string(unicode.ToLower(r)) + s[size:]
}

// properNouns keep their capital inside a sentence.
var properNouns = map[string]bool{
	"django": true, "python": true, "postgres": true, "postgresql": true, "mysql": true, "redis": true,
	"celery": true, "javascript": true, "linux": true, "c": true, "c++": true, "java": true, "i": true,
	"rabbitmq": true, "memcached": true, "nginx": true, "gunicorn": true, "uvicorn": true, "docker": true,
}

func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}
