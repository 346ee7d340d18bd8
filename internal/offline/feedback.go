package offline

import (
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/interviewcoach/coach/internal/coach"
)

// Follow-up counts: GradeInput.FollowUps 0 means defaultFollowUps.
const (
	defaultFollowUps = 3
	maxFollowUps     = 5
	// quoteRunes is the longest quote of the answer repeated in feedback.
	quoteRunes = 160
	// weakCredit is the credit under which a partial key point is too faint to call partly made:
	// the feedback calls it unconfirmed instead.
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

// Verdicts of the feedback: what the grader may honestly say of a key point.
const (
	verdictCovered      = iota // covered, and the grader is sure
	verdictUnsure              // covered or partial, but the grader is unsure (a note, or weak credit)
	verdictPartial             // partly made
	verdictMissing             // not made
	verdictContradicted        // reversed
	verdicts
)

// verdict says how the feedback presents judgement k. A verdict the grader is unsure of (it says
// why in Note, or gave a partial key point little credit) is never presented as covered.
func verdict(k coach.Judgement) int {
	switch k.Status {
	case coach.StatusCovered:
		if k.Note != "" {
			return verdictUnsure
		}
		return verdictCovered
	case coach.StatusPartial:
		if k.Note != "" || coach.Credit(k) < weakCredit {
			return verdictUnsure
		}
		return verdictPartial
	case coach.StatusContradicted:
		return verdictContradicted
	}
	return verdictMissing
}

// feedback writes the summary, strengths, improvements and model answer from the judgements. It
// says only what the grader checked: a strength quotes the answer's own words that make the point,
// and a verdict the grader is unsure of is called unconfirmed, never covered.
func feedback(j *coach.Judged, refs []coach.Reference) coach.Feedback {
	var fb coach.Feedback
	var count [verdicts]int
	for _, k := range j.Judgements {
		v := verdict(k)
		count[v]++
		r := coach.Remark{Text: remark(v, k), ReferenceIDs: []string{k.ReferenceID}}
		if v == verdictCovered {
			fb.Strengths = append(fb.Strengths, r)
		} else {
			fb.Improvements = append(fb.Improvements, r)
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
		fb.Summary = summary(bandOpening[coach.Band(score)], count, j.Judgements)
	}
	fb.ModelAnswer, fb.ModelAnswerRefs = modelAnswer(refs)
	return fb
}

// remark writes the feedback on key point k, whose verdict is v. The answer is quoted only as
// evidence of what it says; the key point is named as the reference's statement, not as the
// candidate's.
func remark(v int, k coach.Judgement) string {
	ev := quote(k.Evidence)
	point := sentence(k.Text)
	switch v {
	case verdictCovered:
		if ev == "" {
			return "You made this point: " + point
		}
		return fmt.Sprintf("You wrote “%s”, which makes this point: %s", ev, point)
	case verdictUnsure:
		text := "Not confirmed: " + point
		note := strings.TrimRight(strings.TrimSpace(k.Note), ".")
		switch {
		case ev != "" && note != "":
			text += fmt.Sprintf(" The nearest you came is “%s”, and the offline grader is unsure it says this (%s).", ev, note)
		case ev != "":
			text += fmt.Sprintf(" The nearest you came is “%s”, which shares only some of its terms.", ev)
		case note != "":
			text += " " + sentence(upperFirst(note))
		}
		return text + " State it plainly."
	case verdictPartial:
		if ev == "" {
			return "Partly made; make it precise: " + point
		}
		return fmt.Sprintf("Partly made; make it precise: %s You wrote “%s”.", point, ev)
	case verdictContradicted:
		if ev == "" {
			return "Incorrect: " + point
		}
		return fmt.Sprintf("Incorrect: you wrote “%s”, but %s", ev, sentence(lowerFirst(k.Text)))
	}
	return "Missing: " + point
}

// summary writes the summary of judgements js, whose verdicts count counted.
func summary(opening string, count [verdicts]int, js []coach.Judgement) string {
	total := len(js)
	covered, unsure, partial := count[verdictCovered], count[verdictUnsure], count[verdictPartial]
	contradicted, missing := count[verdictContradicted], count[verdictMissing]
	var s string
	switch {
	case covered == total:
		s = fmt.Sprintf("%s: it covers all %d key %s.", opening, total, plural(total, "point", "points"))
	case covered == 0 && partial > 0:
		s = fmt.Sprintf("%s: it partly makes %d of the %d key points without covering any fully.", opening, partial, total)
	case covered == 0:
		s = fmt.Sprintf("%s: it covers none of the %d key points.", opening, total)
	case partial > 0:
		s = fmt.Sprintf("%s: it covers %d of %d key points and partly makes %d more.", opening, covered, total, partial)
	default:
		s = fmt.Sprintf("%s: it covers %d of %d key points.", opening, covered, total)
	}
	if unsure > 0 {
		s += fmt.Sprintf(" The offline grader could not confirm %d more, which the answer comes near.", unsure)
	}
	switch {
	case contradicted > 0:
		s += fmt.Sprintf(" It contradicts the reference on %d %s; see the corrections below.", contradicted, plural(contradicted, "point", "points"))
	case missing+partial+unsure > 0:
		s += " The next thing to work on: " + lowerFirst(firstGap(js))
	default:
		s += " Nothing essential is missing."
	}
	return s
}

// firstGap returns the text of the first key point not surely covered, ending as a sentence.
func firstGap(js []coach.Judgement) string {
	for _, k := range js {
		if v := verdict(k); v == verdictMissing || v == verdictPartial || v == verdictUnsure {
			return sentence(k.Text)
		}
	}
	return ""
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

// upperFirst capitalises the first letter of s.
func upperFirst(s string) string {
	r, size := utf8.DecodeRuneInString(s)
	if r == utf8.RuneError {
		return s
	}
	return string(unicode.ToUpper(r)) + s[size:]
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
	if len(word) == size && word != "A" {
		return s // a one-letter name: "F expressions", "Q objects"
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
