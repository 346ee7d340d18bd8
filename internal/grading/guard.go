package grading

import (
	"regexp"
	"strings"

	"github.com/interviewcoach/coach/internal/text"
)

// Reasons the guards give for an answer that is no answer at all.
const (
	OffEmpty     = "empty"
	OffDontKnow  = "dont_know"
	OffCopy      = "copy_of_question"
	OffInjection = "instructions_only"
)

// instruction matches sentences that address the grader instead of answering the question. They are
// removed before grading: the rest of the answer is graded on its content, and the removed text
// can earn nothing.
var instruction = []*regexp.Regexp{
	regexp.MustCompile(`(?i)\b(ignore|disregard|forget|override|bypass)\b[^.!?\n]{0,60}\b(instruction|prompt|rule|guideline|rubric|criteria|above|previous|prior|system)`),
	regexp.MustCompile(`(?i)\b(give|award|assign|grant|rate|mark|score|grade)\b[^.!?\n]{0,40}\b(100|full marks?|full score|maximum|max score|perfect|top marks?|10/10|a\+|excellent)\b`),
	regexp.MustCompile(`(?i)\b(you are|you're|act as|pretend|roleplay|from now on)\b[^.!?\n]{0,30}\b(grader|assistant|ai|model|system|examiner|teacher|evaluator)\b`),
	regexp.MustCompile(`(?i)\b(system prompt|new instructions?|developer mode|jailbreak|as an ai|language model|the grader|dear grader|note to (the )?grader)\b`),
	regexp.MustCompile(`(?i)"?\b(score|grade|band)"?\s*[:=]\s*"?\d+`),
	regexp.MustCompile(`(?i)\b(this|my) answer (is|should be (marked|graded|scored)( as)?) (correct|perfect|excellent|complete|right)\b`),
}

var dontKnow = regexp.MustCompile(`(?i)^\W*(i\s+(really\s+)?(do\s*n[o']?t|dont|don't)\s+know|no\s+idea|not\s+sure|idk|dunno|i\s+have\s+no\s+(idea|clue)|i\s+(can't|cannot)\s+(remember|recall))\b`)

// refusal matches a one-word refusal. These words also start real answers ("Pass by reference
// means...", "Skip lists...", "Nothing is returned..."), so only an answer that is the word alone
// is a refusal.
var refusal = regexp.MustCompile(`(?i)^\W*(pass|skip|nothing|n/?a)\W*$`)

// Guard prepares an answer for grading. It returns the answer with any sentences that instruct the
// grader removed, warnings to show, and, when the answer is no answer at all (empty, "I don't
// know", a copy of the question, or only instructions to the grader), the reason.
func Guard(question, answer string) (cleaned string, warnings []string, off string) {
	answer = strings.TrimSpace(answer)
	if answer == "" {
		return "", []string{"the answer is empty"}, OffEmpty
	}
	var kept []string
	removed := 0
	for _, s := range text.Sentences(answer) {
		if isInstruction(s) {
			removed++
			continue
		}
		kept = append(kept, s)
	}
	cleaned = strings.Join(kept, " ")
	if removed > 0 {
		warnings = append(warnings, "the answer contains instructions addressed to the grader; they were ignored and earn nothing")
	}
	terms := text.Terms(cleaned)
	switch {
	case len(terms) == 0 && removed > 0:
		return cleaned, warnings, OffInjection
	case len(terms) == 0:
		return cleaned, append(warnings, "the answer has no content to grade"), OffEmpty
	case len(terms) <= 12 && (dontKnow.MatchString(cleaned) || refusal.MatchString(cleaned)):
		return cleaned, append(warnings, "the answer says it does not know"), OffDontKnow
	case copiesQuestion(text.Terms(question), terms):
		return cleaned, append(warnings, "the answer only repeats the question"), OffCopy
	}
	return cleaned, warnings, ""
}

func isInstruction(sentence string) bool {
	for _, re := range instruction {
		if re.MatchString(sentence) {
			return true
		}
	}
	return false
}

// copiesQuestion reports whether an answer's terms are (nearly) all the question's own.
func copiesQuestion(question, answer []string) bool {
	if len(question) == 0 {
		return false
	}
	inQuestion := make(map[string]bool, len(question))
	for _, t := range question {
		inQuestion[t] = true
	}
	novel := map[string]bool{}
	for _, t := range answer {
		if !inQuestion[t] {
			novel[t] = true
		}
	}
	return len(novel) <= 2 && len(novel)*5 <= len(answer)
}

// KeywordListCap is the highest score of an answer that is a list of terms rather than explanations.
// A grader matching words to key points would otherwise reward a pile of the rubric's vocabulary.
const KeywordListCap = 40

// keywordList reports whether an answer of some length is almost free of function words ("the",
// "is", "of"...), the mark of a list of terms. Written answers, even terse ones, rarely are: on the
// human-graded sets in ../shared/asag, 1 answer in 630 (Mohler) and 4 in 16,003 (SemEval) fall under
// the threshold.
func keywordList(answer string) bool {
	tokens := text.Tokens(answer)
	if len(tokens) < 12 {
		return false
	}
	function := 0
	for _, t := range tokens {
		if text.IsStopword(t) {
			function++
		}
	}
	return float64(function) < 0.10*float64(len(tokens))
}
