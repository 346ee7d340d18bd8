package offline

import (
	"fmt"
	"sort"
	"strings"
	"unicode"

	"github.com/interviewcoach/coach/internal/coach"
	"github.com/interviewcoach/coach/internal/text"
)

// Follow-up questions are written from frames that stay grammatical whatever the key point says:
// a frame takes either a verb phrase the key point opens with as an instruction ("detect it"), a
// short noun phrase that is its subject ("select_related"), the code names it holds
// ("ALLOWED_HOSTS"), a quote of the answer, or nothing at all. A slot is filled only with a piece
// that passes strict checks; when none does, the next frame is tried. A frame that says what the
// answer did ("You touched on X") is used only when the answer's words show it.

// followUps writes in.FollowUps questions: first on the key points the answer contradicted, then
// missed, then not surely made, the least credit first; then related bank questions; then, if still
// short, questions that dig deeper into what the answer surely covered. No question is asked twice.
func followUps(j *coach.Judged, in coach.GradeInput) []coach.FollowUp {
	n := in.FollowUps
	if n <= 0 {
		n = defaultFollowUps
	}
	n = min(n, maxFollowUps)
	answer := conceptsOf(in.Answer)
	var out []coach.FollowUp
	asked := map[string]bool{}
	// add appends the first question of candidates not asked yet, reporting whether it did.
	add := func(f coach.FollowUp, candidates []string) bool {
		for _, q := range candidates {
			if key := strings.ToLower(q); !asked[key] {
				asked[key] = true
				f.Question = q
				out = append(out, f)
				return true
			}
		}
		return false
	}

	var gaps []coach.Judgement
	for _, k := range j.Judgements {
		if verdict(k) != verdictCovered {
			gaps = append(gaps, k)
		}
	}
	rank := func(k coach.Judgement) float64 {
		switch {
		case k.Status == coach.StatusContradicted:
			return -1
		case k.Status == coach.StatusCovered:
			return 0.9 // covered, but unconfirmed
		}
		return coach.Credit(k)
	}
	sort.SliceStable(gaps, func(a, b int) bool { return rank(gaps[a]) < rank(gaps[b]) })
	for _, k := range gaps {
		if len(out) >= n {
			return out
		}
		add(follow(k), gapQuestions(k, answer))
	}
	for _, q := range in.Related {
		if len(out) >= n {
			return out
		}
		if f, ok := relatedQuestion(q); ok {
			add(f, []string{f.Question})
		}
	}
	for _, k := range j.Judgements {
		if len(out) >= n {
			return out
		}
		if verdict(k) == verdictCovered {
			add(follow(k), deeperQuestions(k))
		}
	}
	return out
}

// gapQuestions returns the questions an interviewer could ask about key point k, which the answer
// (whose concepts are answer) did not surely make, best first. None gives the key point away.
func gapQuestions(k coach.Judgement, answer map[string]bool) []string {
	var qs []string
	v := verdict(k)
	evidence := conceptsOf(k.Evidence)
	if v == verdictContradicted && strings.TrimSpace(k.Evidence) != "" {
		qs = append(qs, fmt.Sprintf("You said “%s”. Are you sure? What actually happens, and why?", quote(k.Evidence)))
	}
	parts := partsOf(k.Text)
	if vp := parts.instruction; vp != "" {
		if v == verdictPartial || v == verdictUnsure {
			qs = append(qs, fmt.Sprintf("Can you be more precise: how exactly would you %s?", vp))
		}
		qs = append(qs, fmt.Sprintf("How would you %s?", vp))
	}
	if subject := parts.subject; subject != "" {
		it, does := "it", "does"
		if isPlural(subject) {
			it, does = "they", "do"
		}
		switch {
		case v == verdictContradicted:
			qs = append(qs, fmt.Sprintf("Can you look at %s again: what actually happens, and why?", subject))
		case v == verdictMissing && !mentionsAny(answer, subject):
			be := map[string]string{"it": "is", "they": "are"}[it]
			qs = append(qs, fmt.Sprintf("You did not mention %s. What %s %s, and why %s %s matter here?", subject, be, it, does, it))
		case v != verdictMissing && mentions(evidence, subject):
			qs = append(qs, fmt.Sprintf("You touched on %s. Can you be more precise: what exactly happens, and why?", subject))
		}
		qs = append(qs, fmt.Sprintf("What can you tell me about %s, and why %s %s matter here?", subject, does, it))
	}
	if names := parts.names; len(names) > 0 {
		does := "does"
		if len(names) > 1 {
			does = "do"
		}
		qs = append(qs, fmt.Sprintf("What role %s %s play here?", does, strings.Join(names, " and ")))
	}
	switch v {
	case verdictContradicted:
		qs = append(qs, "Which of your statements would you correct, and why?")
	case verdictMissing:
		qs = append(qs, "What else does a complete answer to this question need to cover?")
	default:
		qs = append(qs, "Which part of your answer would you make more precise, and how?")
	}
	return qs
}

// deeperQuestions returns questions that dig into key point k, which the answer surely covered:
// only about what its evidence names.
func deeperQuestions(k coach.Judgement) []string {
	evidence := conceptsOf(k.Evidence)
	var qs []string
	parts := partsOf(k.Text)
	if subject := parts.subject; subject != "" && mentions(evidence, subject) {
		qs = append(qs, fmt.Sprintf("You mentioned %s. Can you give a concrete example from a project, and say what could go wrong?", subject))
	}
	for _, name := range parts.names {
		if mentions(evidence, name) {
			qs = append(qs, fmt.Sprintf("You mentioned %s. Can you give a concrete example from a project, and say what could go wrong?", name))
		}
	}
	return qs
}

// kpParts are the pieces of a key point that question frames can name.
type kpParts struct {
	instruction, subject string
	names                []string
}

// kpPartsMemo remembers the parts of the key points graded lately.
var kpPartsMemo = newMemo[kpParts](8192)

// partsOf returns the parts of key point kp.
func partsOf(kp string) kpParts {
	return kpPartsMemo.get(kp, func() kpParts {
		return kpParts{instruction: instruction(kp), subject: focus(kp), names: codeNames(kp, 2)}
	})
}

// mentionUnit is a term a phrase names: a word, or a code name with its words, which counts as
// named when the answer has the name or every one of its words ("prefetch related").
type mentionUnit struct {
	concept string
	parts   []string
	ident   bool
}

// mentionUnits returns what phrase names, for checking whether an answer names it too.
func mentionUnits(phrase string) []mentionUnit {
	var out []mentionUnit
	for _, t := range text.Analyze(phrase) {
		if t.Part && len(out) > 0 && out[len(out)-1].ident {
			out[len(out)-1].parts = append(out[len(out)-1].parts, t.Concept)
			continue
		}
		out = append(out, mentionUnit{concept: t.Concept, ident: t.Ident})
	}
	return out
}

// named reports whether unit u is among concepts.
func (u mentionUnit) named(concepts map[string]bool) bool {
	if concepts[u.concept] {
		return true
	}
	if len(u.parts) == 0 {
		return false
	}
	for _, c := range u.parts {
		if !concepts[c] {
			return false
		}
	}
	return true
}

// mentions reports whether concepts name everything phrase names. Synonyms count, but a code name
// counts only as itself or as all its words.
func mentions(concepts map[string]bool, phrase string) bool {
	units := mentionUnits(phrase)
	for _, u := range units {
		if !u.named(concepts) {
			return false
		}
	}
	return len(units) > 0
}

// mentionsAny reports whether concepts name anything phrase names.
func mentionsAny(concepts map[string]bool, phrase string) bool {
	for _, u := range mentionUnits(phrase) {
		if u.named(concepts) {
			return true
		}
	}
	return false
}

// follow fills in what a follow-up on key point k expects.
func follow(k coach.Judgement) coach.FollowUp {
	return coach.FollowUp{Targets: k.KeyPointID, TargetText: k.Text, ExpectedAnswer: k.Text, ReferenceID: k.ReferenceID}
}

// relatedQuestion turns a related bank question into a follow-up aimed at its first key point,
// expecting the model answer its first reference gives.
func relatedQuestion(q coach.Question) (coach.FollowUp, bool) {
	if strings.TrimSpace(q.Text) == "" {
		return coach.FollowUp{}, false
	}
	f := coach.FollowUp{Question: strings.Join(strings.Fields(q.Text), " "), Targets: q.ID}
	if len(q.References) == 0 {
		return f, true
	}
	ref := q.References[0]
	if len(ref.KeyPoints) > 0 {
		f.Targets, f.TargetText = ref.KeyPoints[0].ID, ref.KeyPoints[0].Text
	}
	f.ExpectedAnswer, _ = modelAnswer([]coach.Reference{ref})
	if f.ExpectedAnswer == "" {
		f.ExpectedAnswer = strings.TrimSpace(ref.Text)
	}
	f.ReferenceID = ref.ID
	return f, true
}

// imperatives are verbs a rubric statement may open with as an instruction.
var imperatives = setOf(`
	detect use call avoid add set run keep wrap put define pass check prefer store mark register write
	create read cache index test spot fix configure deploy enable disable validate log measure limit
	split move send give declare override subclass point serve monitor profile hash
	escape sanitize return
`)

// objectStarts are the words an instruction's object may open with: a pronoun or a determiner.
// Anything else after the verb ("Set based UPDATE statements") shows the first word is no verb.
var objectStarts = setOf(`it them this these that those the a an each every all any its their your one`)

// stopAt are the words that end the verb phrase of an instruction: what follows is the how, which
// the question must not give away.
var stopAt = setOf(`
	with by using through via in on from for when because so and or unless instead rather before after
	to into as at than
`)

// instruction returns the verb phrase of a key point that is an instruction ("detect it" of
// "Detect it with django-debug-toolbar, ..."), lowercased, or "". The verb must be followed by an
// object that opens with a pronoun, a determiner or a code name, and the phrase must end on a
// word that can end it.
func instruction(kp string) string {
	var words []string
	var toks []text.Token
	for tok := range text.Scan(kp) {
		toks = append(toks, tok)
	}
	if len(toks) < 2 || !imperatives[toks[0].Text] || toks[0].Raw != upperFirst(toks[0].Text) {
		return ""
	}
	if second := toks[1]; toks[1].Boundary != text.NoBoundary || !(objectStarts[second.Text] || isCodeName(kp, second)) {
		return ""
	}
	for i, tok := range toks {
		if i > 0 && (tok.Boundary >= text.PhraseBoundary || stopAt[tok.Text] || len(words) >= 6) {
			break
		}
		words = append(words, tok.Raw)
		if i > 0 && isCodeName(kp, tok) && strings.HasPrefix(kp[tok.End():], "()") {
			words[len(words)-1] += "()"
		}
	}
	for len(words) > 2 && !endsPhrase(words[len(words)-1]) {
		words = words[:len(words)-1]
	}
	if !endsPhrase(words[len(words)-1]) {
		return ""
	}
	words[0] = strings.ToLower(words[0])
	return strings.Join(words, " ")
}

// endsPhrase reports whether a phrase may end on word w: not on a function word, an adverb or a
// verb form that needs more after it.
func endsPhrase(w string) bool {
	l := strings.ToLower(strings.TrimSuffix(w, "()"))
	if objectStarts[l] && l != "it" && l != "them" && l != "this" && l != "these" && l != "those" && l != "one" {
		return false // a determiner
	}
	return l != "" && (!text.IsStopword(l) || l == "it" || l == "them" || l == "this" || l == "these" || l == "those") &&
		!stopAt[l] && !trailingAdverbs[l] && !closedClass[l] && !strings.HasSuffix(l, "ly")
}

// closedClass are function words a named phrase never starts or ends with.
var closedClass = setOf(`
	a an the and or but nor if when while because since unless although though so than then that which
	who whom whose what where why how not no never none nothing only both either neither all any every
	each some many most several few more less much own same such very too also just even
	is are was were be been being am do does did has have had can could may might must shall should
	will would of to in on at by for with from into onto about as via per
`)

// isCodeName reports whether token tok of s is a code name: snake_case or dotted, camelCase inside,
// all capitals (two letters or more), or called ("get()").
func isCodeName(s string, tok text.Token) bool {
	raw := tok.Raw
	if strings.ContainsAny(raw, "_.") || strings.HasPrefix(s[tok.End():], "()") {
		return true
	}
	upper, lowerThenUpper := 0, false
	prev := rune(0)
	for _, r := range raw {
		if unicode.IsUpper(r) {
			upper++
			if unicode.IsLower(prev) {
				lowerThenUpper = true
			}
		}
		prev = r
	}
	// All capitals is a name ("SQL", "DEBUG") unless it is an English word shouted ("OR", "NOT").
	word := strings.ToLower(raw)
	return lowerThenUpper || (upper == len(raw) && upper >= 2 && !closedClass[word] && !text.IsStopword(word))
}

// codeNames returns up to n distinct code names of key point kp, as written ("get()" with its
// brackets).
//
// Names spelled as code (snake_case, dotted, called, camelCase) come first; a word in capitals
// ("SQL", "DEBUG") is named only when there is no other.
func codeNames(kp string, n int) []string {
	var code, caps []string
	seen := map[string]bool{}
	for tok := range text.Scan(kp) {
		if !isCodeName(kp, tok) || seen[tok.Text] {
			continue
		}
		seen[tok.Text] = true
		name := tok.Raw
		if strings.HasPrefix(kp[tok.End():], "()") {
			name += "()"
		}
		if name == strings.ToUpper(name) && !strings.ContainsAny(name, "_.()") {
			caps = append(caps, name)
		} else {
			code = append(code, name)
		}
	}
	if len(code) == 0 && len(caps) > 0 {
		code = caps[:1]
	}
	return code[:min(n, len(code))]
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
	unless implements implement declares declare registers register differ differs needs
`)

// prepositions join the parts of a long noun phrase.
var prepositions = setOf(`of with for in on under after before across from by to into at per without within
	between over through via`)

// verbFollowers are words that follow a verb but hardly a plural noun ending a subject.
var verbFollowers = setOf(`the a an every each its their no because unless so whether which what how`)

// subjectEnders cut a subject short before an example or an aside: "bulk operations" of "Bulk
// operations such as update() and bulk_create()".
var subjectEnders = []string{" such as ", " like ", " (", " e.g", " for example", " including "}

// focus returns what a key point is about, to name in a question: its subject when it opens with a
// short noun phrase ("select_related" of "select_related follows foreign keys"), or "" when it
// does not open with one a question can name.
func focus(kp string) string {
	var words []string
	var toks []text.Token
	for tok := range text.Scan(kp) {
		toks = append(toks, tok)
	}
	end := -1
	for i, tok := range toks {
		// A capitalised word is a name ("CACHES", "Cache"), not the verb it spells.
		if verbs[tok.Text] && tok.Raw == strings.ToLower(tok.Raw) {
			end = tok.Start
			break
		}
		// After a plural noun, the base form of a listed verb is the verb: "need" of "on_commit
		// callbacks need captureOnCommitCallbacks", where "the need" would be a noun.
		if i > 1 && tok.Raw == tok.Text && verbs[tok.Text+"s"] && isPlural(toks[i-1].Raw) {
			end = tok.Start
			break
		}
		// A word in -s followed by a determiner or a conjunction is the verb the list lacks:
		// "records" of "CaptureQueriesContext records every query", "matters" of "... matters because".
		if i > 0 && i+1 < len(toks) && tok.Raw == tok.Text && len(tok.Text) > 3 && strings.HasSuffix(tok.Text, "s") &&
			!strings.HasSuffix(tok.Text, "ss") && toks[i+1].Boundary == text.NoBoundary && verbFollowers[toks[i+1].Text] {
			end = tok.Start
			break
		}
		if tok.Boundary >= text.PhraseBoundary && len(words) > 0 {
			break
		}
		words = append(words, tok.Raw)
	}
	if end <= 0 || len(words) == 0 || len(words) > 10 {
		return ""
	}
	subject := strings.TrimSpace(strings.TrimRight(kp[:end], " ,;:"))
	for _, e := range subjectEnders {
		if i := strings.Index(subject, e); i > 0 {
			subject = strings.TrimSpace(subject[:i])
		}
	}
	subject = trimAdverbs(subject)
	if !nounPhrase(subject) {
		return ""
	}
	return lowerFirst(subject)
}

// nounPhrase reports whether subject can fill a question's slot for a thing: one to six words,
// no punctuation that would split it, not a pronoun or a generic word, not opening or ending on a
// function word or a verb.
func nounPhrase(subject string) bool {
	f := strings.Fields(subject)
	if len(f) == 0 || len(f) > 6 || strings.ContainsAny(subject, ",;:()[]\"“”") || genericSubjects[strings.ToLower(subject)] || !hasContent(subject) {
		return false
	}
	first, last := strings.ToLower(f[0]), strings.ToLower(f[len(f)-1])
	if len(f) > 1 && (first == "the" || first == "a" || first == "an") {
		// An article may open a noun phrase; the word after it may not be a function word.
		first = strings.ToLower(f[1])
	}
	if len(f) > 3 {
		// A long subject holds together when a preposition joins its parts ("changing
		// AUTH_USER_MODEL after the first migrations"); without one it most likely ran on into a
		// verb the list lacks ("the environment variable selects").
		joined := false
		for _, w := range f[1 : len(f)-1] {
			joined = joined || prepositions[strings.ToLower(w)]
		}
		if !joined {
			return false
		}
	}
	firstRaw, lastRaw := f[0], f[len(f)-1]
	if first != strings.ToLower(firstRaw) {
		firstRaw = f[1]
	}
	for _, w := range []struct{ lower, raw string }{{first, firstRaw}, {last, lastRaw}} {
		if spelledAsCode(w.raw) {
			continue // a name, however it is spelled: select_related, CACHES
		}
		if closedClass[w.lower] || stopAt[w.lower] || trailingAdverbs[w.lower] || verbs[w.lower] {
			return false
		}
	}
	if spelledAsCode(lastRaw) {
		return true
	}
	// A participle ("two multi-valued") or an adverb cannot end a noun phrase.
	return !strings.HasSuffix(last, "ly") && (!strings.HasSuffix(last, "ed") || strings.HasSuffix(last, "eed"))
}

// spelledAsCode reports whether word w is written as code or as a name in capitals:
// snake_case, dotted, called, or with a capital after its first letter.
func spelledAsCode(w string) bool {
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

// isPlural guesses whether a noun phrase is plural from its head noun: its last word, or the word
// before a preposition ("a decorator with arguments" is one decorator).
func isPlural(phrase string) bool {
	f := strings.Fields(phrase)
	if len(f) > 1 && strings.HasSuffix(f[0], "ing") && f[0] == strings.ToLower(f[0]) {
		return false // a gerund: "putting methods on a QuerySet" is one act
	}
	for i, w := range f {
		if i > 0 && stopAt[strings.ToLower(w)] || strings.ToLower(w) == "of" {
			f = f[:i]
			break
		}
	}
	if strings.Contains(" "+strings.Join(f, " ")+" ", " and ") {
		return true
	}
	if len(f) == 0 {
		return false
	}
	w := strings.ToLower(f[len(f)-1])
	return len(w) > 3 && strings.HasSuffix(w, "s") && !strings.HasSuffix(w, "ss") &&
		!strings.HasSuffix(w, "us") && !strings.HasSuffix(w, "is")
}
