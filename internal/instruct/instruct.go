// Package instruct recognises text that addresses the grader instead of saying something about the
// subject: "ignore previous instructions", "give this answer full marks", "NOTE TO THE AI GRADER".
// Candidates' answers, typed questions and imported bank pages are all untrusted, so every path that
// hands such text to a grader, or turns it into a rubric, filters it here first. It is a pure function
// of the text, with no dependency beyond the standard library and internal/text.
package instruct

import (
	"regexp"
	"strings"

	"github.com/interviewcoach/coach/internal/text"
)

// directives match sentences that instruct a grader, a model or an examiner. Each is narrow enough
// that technical prose rarely matches it: "ignore" must be followed by what a prompt is made of,
// "give" by a mark.
var directives = []*regexp.Regexp{
	regexp.MustCompile(`(?i)\b(ignore|disregard|forget|override|bypass)\b[^.!?\n]{0,60}\b(instruction|prompt|rule|guideline|rubric|criteria|above|previous|prior|system)`),
	regexp.MustCompile(`(?i)\b(give|award|assign|grant|rate|mark|score|grade)\b[^.!?\n]{0,40}\b(100|full marks?|full score|full credit|maximum|max score|perfect|top marks?|10/10|5/5|a\+|excellent)\b`),
	regexp.MustCompile(`(?i)\b(you are|you're|act as|pretend|roleplay|from now on)\b[^.!?\n]{0,30}\b(grader|assistant|ai|model|system|examiner|teacher|evaluator)\b`),
	regexp.MustCompile(`(?i)\b(the grader|dear grader|note to (the )?((ai|llm|automated) )?(grader|model|assistant|evaluator|examiner|reviewer))\b`),
	regexp.MustCompile(`(?i)\b(ai|llm) (grader|grading|evaluator|examiner)\b`),
	regexp.MustCompile(`(?i)"?\b(score|grade|band)"?\s*[:=]\s*"?\d+`),
	regexp.MustCompile(`(?i)\b(this|my) answer (is|should be (marked|graded|scored)( as)?) (correct|perfect|excellent|complete|right)\b`),
	regexp.MustCompile(`(?i)\b(mark|judge|treat|consider)\b[^.!?\n]{0,30}\b(every|all|each) key points?\b[^.!?\n]{0,20}\b(covered|correct|met)\b`),
}

// machinery matches sentences that talk about the model's prompt rather than the subject. In a
// candidate's answer to a Django question they are an attempt at the grader; in a question or a
// reference they may be the subject itself ("What does a system prompt do?"), so only Suspect
// counts them.
var machinery = regexp.MustCompile(`(?i)\b(system prompt|new instructions?|developer mode|jailbreak|as an ai|language model)\b`)

// Is reports whether sentence addresses the grader: it tells a grader, a model or an examiner what to
// do or what mark to give. Questions and bank text are filtered with it.
func Is(sentence string) bool {
	for _, re := range directives {
		if re.MatchString(sentence) {
			return true
		}
	}
	return false
}

// Suspect reports whether sentence addresses the grader (Is) or speaks of the grading model's
// machinery (a system prompt, new instructions, a language model). Candidates' answers are filtered
// with it: an answer has no business mentioning either.
func Suspect(sentence string) bool {
	return Is(sentence) || machinery.MatchString(sentence)
}

// Strip returns s without its sentences that match (Is or Suspect), the kept sentences joined by a
// space, and how many sentences it removed. Text with nothing to remove comes back unchanged, line
// breaks and all.
func Strip(s string, match func(sentence string) bool) (kept string, removed int) {
	sentences := text.Sentences(s)
	out := sentences[:0:0]
	for _, sent := range sentences {
		if match(sent) {
			removed++
			continue
		}
		out = append(out, sent)
	}
	if removed == 0 {
		return s, 0
	}
	return strings.Join(out, " "), removed
}
