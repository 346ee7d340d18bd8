package offline

import (
	"fmt"
	"sort"
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
	// weakCredit is the credit under which a partial key point is described as barely touched on.
	weakCredit = 0.45
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
			lead := "Partly there; make it precise: "
			if coach.Credit(k) < weakCredit {
				lead = "Barely touched on; say more about it: "
			}
			fb.Improvements = append(fb.Improvements, coach.Remark{Text: lead + k.Text, ReferenceIDs: []string{k.ReferenceID}})
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
		// The offline grader matches words, not meaning: say what it saw, and what that may miss.
		fb.Summary = "This answer shares almost none of the reference answer's content, so it reads as off topic. " +
			"If you answered in very different words, the offline grader may have missed it: it compares terms, not meaning."
	case total == 0:
		fb.Summary = "There is no reference answer to grade against, so this answer could not be judged."
	default:
		var s string
		switch {
		case covered == total:
			s = fmt.Sprintf("%s: it covers all %d key %s.", bandOpening[coach.Band(score)], total, plural(total, "point", "points"))
		case covered == 0 && partial > 0:
			s = fmt.Sprintf("%s: it touches on %d of the %d key points without covering any fully.", bandOpening[coach.Band(score)], partial, total)
		case partial > 0:
			s = fmt.Sprintf("%s: it covers %d of %d key points and touches on %d more.", bandOpening[coach.Band(score)], covered, total, partial)
		default:
			s = fmt.Sprintf("%s: it covers %d of %d key points.", bandOpening[coach.Band(score)], covered, total)
		}
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
	// Gaps first, the worst first: contradicted, missing, then partial from the least credit up.
	var gaps []coach.Judgement
	for _, k := range j.Judgements {
		if k.Status != coach.StatusCovered {
			gaps = append(gaps, k)
		}
	}
	rank := func(k coach.Judgement) float64 {
		if k.Status == coach.StatusContradicted {
			return -1
		}
		return coach.Credit(k)
	}
	sort.SliceStable(gaps, func(a, b int) bool { return rank(gaps[a]) < rank(gaps[b]) })
	for _, k := range gaps {
		if len(out) >= n {
			return out
		}
		out = append(out, gapQuestion(k))
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
	if vp := instruction(k.Text); vp != "" {
		// An instruction ("Detect it with the debug toolbar") asks how, not what.
		switch k.Status {
		case coach.StatusContradicted:
			f.Question = fmt.Sprintf("You said “%s”. Are you sure? How would you %s?", quote(k.Evidence), vp)
		case coach.StatusPartial:
			f.Question = fmt.Sprintf("Can you be more precise: how exactly would you %s?", vp)
		default:
			f.Question = fmt.Sprintf("Your answer did not cover this: how would you %s?", vp)
		}
		return f
	}
	topic := focus(k.Text)
	pronoun := "it"
	if isPlural(topic) {
		pronoun = "they"
	}
	switch k.Status {
	case coach.StatusContradicted:
		f.Question = fmt.Sprintf("You said “%s”. Are you sure? What really happens, and why?", quote(k.Evidence))
	case coach.StatusPartial:
		f.Question = fmt.Sprintf("You touched on %s. Can you be more precise: what exactly happens, and why?", topic)
	default:
		if pronoun == "they" {
			f.Question = fmt.Sprintf("You did not mention %s. What are they, and why do they matter here?", topic)
		} else {
			f.Question = fmt.Sprintf("You did not mention %s. What is it, and why does it matter here?", topic)
		}
	}
	return f
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
	if len(q.References) == 0 {
		return f, true
	}
	// The question's first reference supplies the expected answer and the key point probed.
	ref := q.References[0]
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
	return f, true
}

// imperatives are verbs a rubric statement may open with as an instruction.
var imperatives = setOf(`
	detect use call avoid add set run keep wrap put define pass check prefer store mark register write
	create read cache index test spot fix configure deploy enable disable validate log measure limit
	split move send give never always declare override subclass point serve monitor profile hash
	escape sanitize return
`)

// stopAt are the words that end the verb phrase of an instruction: what follows is the how, which
// the question must not give away.
var stopAt = setOf(`
	with by using through via in on from for when because so and or unless instead rather before after
	to
`)

// instruction returns the verb phrase of a key point that is an instruction ("detect it" of
// "Detect it with django-debug-toolbar, ..."), lowercased, or "".
func instruction(kp string) string {
	var words []string
	first := true
	for tok := range text.Scan(kp) {
		if first {
			if !imperatives[tok.Text] {
				return ""
			}
			first = false
		} else if tok.Boundary >= text.PhraseBoundary || stopAt[tok.Text] || len(words) >= 6 {
			break
		}
		words = append(words, tok.Raw)
	}
	if len(words) == 0 {
		return ""
	}
	words[0] = strings.ToLower(words[0])
	if len(words) == 1 {
		words = append(words, "it")
	}
	return strings.Join(words, " ")
}

// verbs are the words that end the subject of a key point: auxiliaries and the verbs rubric
// statements most often use.
var verbs = setOf(`
	turn turns become go goes come comes tell tells show shows lead leads cause causes produce produces
	is are was were be can cannot can't must should will would may might does do did doesn't don't has
	have means mean makes make runs run lets let allows allow uses use returns stores creates calls
	needs gives takes provides includes include involve involves avoids prevents requires builds joins
	follows keeps sends turns hit hits stay stays force forces handles checks adds holds refers
	contains defines describes executes translates becomes change changes works helps caches loads
	fires writes reads occurs happens escapes protects send limits restricts stops starts ends maps
	wraps serves validates renders matches owns applies receives triggers blocks waits lives depends
	exists belongs costs speeds slows generates compares reuses replaces removes deletes updates saves
	raises catches ensures enables disables marks hands passes sets gets puts accepts rejects supports
	exposes hides shares splits groups filters orders stands represents when if because which that so
	unless implements implement declares declare registers register
`)

// subjectEnders cut a subject short before an example or an aside: "bulk operations" of "Bulk
// operations such as update() and bulk_create()".
var subjectEnders = []string{" such as ", " like ", " (", " e.g", " for example", " including "}

// focus returns what a key point is about, to name in a question: its subject when it opens with
// a short one ("select_related" of "select_related follows foreign keys"), else its weightiest
// terms.
func focus(kp string) string {
	var words []string
	end := -1
	for tok := range text.Scan(kp) {
		// A capitalised word is a name ("CACHES", "Cache"), not the verb it spells.
		if verbs[tok.Text] && tok.Raw == strings.ToLower(tok.Raw) {
			end = tok.Start
			break
		}
		if tok.Boundary >= text.PhraseBoundary && len(words) > 0 {
			break
		}
		words = append(words, tok.Raw)
	}
	if end > 0 && len(words) >= 1 && len(words) <= 10 {
		subject := strings.TrimSpace(strings.TrimRight(kp[:end], " ,;:"))
		for _, e := range subjectEnders {
			if i := strings.Index(subject, e); i > 0 {
				subject = strings.TrimSpace(subject[:i])
			}
		}
		subject = trimAdverbs(subject)
		if len(strings.Fields(subject)) > 6 || genericSubjects[strings.ToLower(subject)] {
			subject = ""
		}
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
			w := strings.ToLower(u.word)
			if seen[u.concept] || (pass == 0 && u.weight < 1) || genericSubjects[w] || verbs[w] {
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

// trailingAdverbs end a subject without belonging to it: "Django also" of "Django also checks...".
var trailingAdverbs = setOf(`also then still only always often usually typically never just even already
	generally mostly first now therefore thus instead`)

// genericSubjects say nothing a follow-up could ask about: the framework, the language, a pronoun.
var genericSubjects = setOf(`django python it this that they you we one the framework the app the code
	the answer the server the view the model`)

// trimAdverbs drops adverbs from the end of a subject.
func trimAdverbs(subject string) string {
	f := strings.Fields(subject)
	for len(f) > 0 && trailingAdverbs[strings.ToLower(f[len(f)-1])] {
		f = f[:len(f)-1]
	}
	return strings.Join(f, " ")
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
		if !unicode.IsLower(c) {
			return s // "QuerySet", "N+1", "HTTP", "select_related"
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

// setOf returns the set of the words of a space-separated list.
func setOf(words string) map[string]bool {
	m := map[string]bool{}
	for _, w := range strings.Fields(words) {
		m[w] = true
	}
	return m
}
