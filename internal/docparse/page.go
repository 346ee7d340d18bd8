package docparse

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Unstructured pages are read in three passes. Lines are first normalised (Markdown markers,
// bullets, invisible characters) and classified on their own: question labels, answer labels,
// numbered questions, question-shaped headings, furniture, list items, table rows, code. The page
// then gets one layout, the question convention it uses most: labelled ("Question: ..."),
// numbered ("3. What ...?") or bare headings. Committing to one convention is what keeps an
// answer sentence that happens to start with "What" or end in "?" inside its answer. Finally the
// lines are walked in order, each question collecting the content after it until the next
// question, an answer label that starts an orphan, or furniture that ends the answer.

type lineKind int

const (
	kindBlank lineKind = iota
	kindText
	kindBullet   // list item; text holds the item without its marker
	kindNumbered // numbered list item inside an answer, kept as written
	kindTable    // "| a | b |" row
	kindCode     // a line that reads as code or a shell command
	kindFence    // a whole fenced code block
)

type questionStyle int

const (
	styleNone     questionStyle = iota
	styleLabelled               // "Question: ...", "Q3. ..."
	styleNumbered               // "3. What ...?"
	styleHeading                // a standalone question-shaped line or heading
)

type pageLine struct {
	n          int    // 1-based line number in the text read
	text       string // normalised content; for labels and numbers, what follows them
	orig       string // normalised content with its label or number
	indent     int
	heading    bool // a Markdown/HTML heading
	h1         bool
	standalone bool // blank line (or edge of the text) above and below
	kind       lineKind
	fence      []string // kindFence: the block's lines, opening and closing fences included

	question questionStyle // set when the line can start a question in that style
	number   int           // the number of a numbered question
	answer   bool          // "Answer: ..." label; text is what follows it
	noise    *noiseRule
	section  bool // a section heading such as "Advanced interview questions"
}

var (
	reMDHeading  = regexp.MustCompile(`^(#{1,6})\s+(.*?)\s*#*$`)
	reMDImage    = regexp.MustCompile(`!\[[^\]]*\]\([^)]*\)`)
	reMDBold     = regexp.MustCompile(`\*\*([^*]*)\*\*`)
	reMDLink     = regexp.MustCompile(`\[([^\]]+)\]\((?:[^()\s]|\([^()]*\))+\)`)
	reBullet     = regexp.MustCompile(`^(?:[•·●▪◦‣○■□➢➤►✓✔❖◆♦*+-]|–)\s+(.*)$`)
	reNumbered   = regexp.MustCompile(`^(\d{1,3})\s*[.)]\s+(.+)$`)
	reQLabel     = regexp.MustCompile(`(?i)^q(?:ues(?:tion)?s?)?\s*(?:no\.?\s*)?(\d{1,3})?\s*([:.)]|[-–—](?:\s|$))\s*(.*)$`)
	reALabel     = regexp.MustCompile(`(?i)^(?:a|ans|answer)\s*(\d{1,3})?\s*([:.]|[-–—](?:\s|$))\s*(.*)$`)
	reInlineA    = regexp.MustCompile(`^(.*?\?)\s+(?i:a|ans|answer)\s*[:.-]\s+(.+)$`)
	reAnchorLink = regexp.MustCompile(`^(?:[-*+]\s+|\d{1,3}[.)]\s+)?\[[^\]]+\]\(#[^)]*\)\s*$`)
	reRule       = regexp.MustCompile(`^([-*_=~]{3,}|[•·●▪◦‣○■□➢➤►✓✔❖◆♦*+–-])$`)
	reFenceOpen  = regexp.MustCompile("^(```+|~~~+)\\s*([\\w+#.-]*)\\s*$")
	reLevelEasy  = regexp.MustCompile(`(?i)\b(basic|basics|beginners?|fresher|freshers|entry[- ]level|junior|easy|fundamental)\b`)
	reLevelMid   = regexp.MustCompile(`(?i)\b(intermediate|mid[- ]level|medium)\b`)
	reLevelHard  = regexp.MustCompile(`(?i)\b(advanced|experienced|expert|senior|hard|difficult|tricky)\b`)
	reSectionish = regexp.MustCompile(`(?i)\b(interview|questions?|faqs?|q\s*&\s*a)\b`)
)

var interrogatives = wordSet("what why how when where which who whom whose is are can could does do did should would will has have shall may")

// imperatives open questions written as tasks ("Explain ...", "Name the ..."); only trusted when
// the second word does not turn them into a statement ("List comprehensions are ...").
var imperatives = wordSet("explain describe define differentiate distinguish compare contrast mention list name give state discuss illustrate outline elaborate enumerate write tell")

// proseWords are function words that appear in sentences and almost never in commands.
var proseWords = wordSet("the a an of to is are and for with in it this that which you your we our")

var statementVerbs = wordSet("is are was were has have")

var linkingWords = wordSet("is are was were be been can could will would has have had may might must should does do did and or of to in on as")

func wordSet(s string) map[string]bool {
	m := map[string]bool{}
	for _, w := range strings.Fields(s) {
		m[w] = true
	}
	return m
}

// pageParser carries the state of the walk over one page.
type pageParser struct {
	doc      *Document
	markup   bool // text came from HTML or Markdown: a line right after a list item continues it
	hardWrap bool // the text is wrapped at a fixed width, so a paragraph's lines form sentences

	cur          *pageItem
	difficulty   string
	inFurniture  bool // inside related links or comments: headings there are not questions
	seenQuestion bool
	lastNumber   int // number of the last numbered question
	lastWasSkip  bool
	bioNext      bool
	seen         map[string]bool
}

type pageItem struct {
	question   string
	line       int
	difficulty string
	labelled   bool // an answer label was consumed
	elems      []answerElem
}

type answerElem struct {
	kind        lineKind
	text        string
	more        []string // kindBullet: continuation lines of the item
	lines       []string // kindFence
	blankBefore bool
	indent      int
}

func parsePage(doc *Document, text string, isHTML, isMarkdown bool) {
	title := ""
	var srcLines []int
	if isHTML {
		h := htmlToText(text)
		doc.URL = canonicalURL(text)
		text, title, srcLines = h.Text, h.Title, h.Lines
		doc.Skipped = append(doc.Skipped, h.Dropped...)
	}
	lines := splitPageLines(text)
	for i := range lines {
		// Report HTML locations as lines of the file, not of the text drawn from it.
		if n := lines[i].n; n-1 < len(srcLines) && srcLines[n-1] > 0 {
			lines[i].n = srcLines[n-1]
		}
	}
	classifyLines(lines)
	layout := chooseLayout(lines)
	mergeWrappedQuestions(lines, layout)

	titleLine := 0
	// An <h1> or leading "# " heading names the article better than the <title>, which usually
	// carries the site name as well.
	if t, n, h1 := findTitle(lines, layout); t != "" && (title == "" || h1) {
		title, titleLine = t, n
	}
	doc.Title = title

	p := &pageParser{doc: doc, markup: isHTML || isMarkdown, hardWrap: !isHTML && isHardWrapped(lines), seen: map[string]bool{}}
	pendingBlank := false
	for i := range lines {
		l := &lines[i]
		if l.kind == kindBlank {
			pendingBlank = true
			continue
		}
		blankBefore := pendingBlank
		pendingBlank = false
		if l.n == titleLine {
			// "Advanced Go interview questions" as a title sets the level of what follows.
			if l.section {
				p.difficulty = levelOf(l.text)
			}
			continue
		}
		p.step(l, layout, blankBefore)
	}
	p.finish()
}

// splitPageLines normalises the text and cuts it into lines, keeping fenced code blocks whole.
func splitPageLines(text string) []pageLine {
	raw := strings.Split(text, "\n")
	out := make([]pageLine, 0, len(raw))
	for i := 0; i < len(raw); i++ {
		line := cleanLine(raw[i])
		trimmed := strings.TrimSpace(line)
		if m := reFenceOpen.FindStringSubmatch(trimmed); m != nil {
			if end := findFenceEnd(raw, i+1, m[1]); end > 0 {
				block := make([]string, 0, end-i+1)
				for _, r := range raw[i : end+1] {
					block = append(block, strings.TrimRight(cleanLine(r), " "))
				}
				out = append(out, pageLine{n: i + 1, kind: kindFence, fence: block, text: trimmed})
				i = end
				continue
			}
		}
		pl := pageLine{n: i + 1, indent: len(line) - len(strings.TrimLeft(line, " "))}
		if trimmed == "" {
			pl.kind = kindBlank
			out = append(out, pl)
			continue
		}
		if m := reMDHeading.FindStringSubmatch(trimmed); m != nil {
			pl.heading, pl.h1 = true, len(m[1]) == 1
			trimmed = m[2]
		}
		anchorOnly := reAnchorLink.MatchString(trimmed)
		trimmed = reMDImage.ReplaceAllString(trimmed, "")
		trimmed = reMDLink.ReplaceAllString(trimmed, "$1")
		trimmed = strings.TrimSpace(reMDBold.ReplaceAllString(trimmed, "$1"))
		if trimmed == "" {
			pl.kind = kindBlank
			out = append(out, pl)
			continue
		}
		if reRule.MatchString(trimmed) {
			// Thematic breaks ("---") and bullet markers with nothing after them carry no text.
			pl.kind = kindBlank
			out = append(out, pl)
			continue
		}
		pl.text, pl.orig = trimmed, trimmed
		pl.kind = kindText
		if anchorOnly {
			// A line that only links to a place on the same page is a table-of-contents entry.
			pl.noise = &tocEntry
		}
		out = append(out, pl)
	}
	for i := range out {
		prevBlank := i == 0 || out[i-1].kind == kindBlank
		nextBlank := i == len(out)-1 || out[i+1].kind == kindBlank
		out[i].standalone = prevBlank && nextBlank
	}
	return out
}

func findFenceEnd(raw []string, from int, marker string) int {
	for j := from; j < len(raw); j++ {
		t := strings.TrimSpace(cleanLine(raw[j]))
		if strings.HasPrefix(t, marker) && strings.Trim(t, marker[:1]) == "" {
			return j
		}
	}
	return -1
}

// cleanLine removes characters that only disturb matching: no-break and zero-width spaces, soft
// hyphens, tabs (as four spaces) and trailing blanks.
func cleanLine(s string) string {
	if strings.ContainsAny(s, "\u00a0\u200b\u200c\u200d\u2060\ufeff\u00ad\t\u202f\u2009\u3000") {
		s = strings.NewReplacer(
			"\u00a0", " ", "\u202f", " ", "\u2009", " ", "\u3000", " ", "\t", "    ",
			"\u200b", "", "\u200c", "", "\u200d", "", "\u2060", "", "\ufeff", "", "\u00ad", "",
		).Replace(s)
	}
	return strings.TrimRight(s, " ")
}

// classifyLines decides, line by line, what each line could be, before any layout is chosen.
func classifyLines(lines []pageLine) {
	for i := range lines {
		l := &lines[i]
		if l.kind != kindText || l.noise != nil {
			continue
		}
		t := l.text
		if m := reQLabel.FindStringSubmatch(t); m != nil && qLabelOK(m) {
			l.question, l.text = styleLabelled, strings.TrimSpace(m[3])
			continue
		}
		if m := reALabel.FindStringSubmatch(t); m != nil && aLabelOK(t, m) {
			l.answer, l.text = true, strings.TrimSpace(m[3])
			continue
		}
		if m := reNumbered.FindStringSubmatch(t); m != nil {
			// Markdown lists sometimes wrap headings: "1. ### What is Go?".
			if h := reMDHeading.FindStringSubmatch(m[2]); h != nil {
				m[2], l.heading = h[2], true
			}
			if isQuestionLike(m[2]) && classifyNoise(m[2]) == nil {
				l.question, l.text = styleNumbered, strings.TrimSpace(m[2])
				l.number, _ = strconv.Atoi(m[1])
				continue
			}
			l.kind = kindNumbered
			continue
		}
		if m := reBullet.FindStringSubmatch(t); m != nil && strings.TrimSpace(m[1]) != "" {
			l.kind, l.text = kindBullet, strings.TrimSpace(m[1])
			continue
		}
		if r := classifyNoise(t); r != nil {
			l.noise = r
			continue
		}
		switch {
		case isTableRow(t):
			l.kind = kindTable
			continue
		case (l.standalone || l.heading) && isQuestionLike(t):
			l.question = styleHeading
			continue
		case (l.standalone || l.heading) && isSectionHeading(t, l.heading):
			l.section = true
			continue
		case isCodeLine(t):
			l.kind = kindCode
		}
	}
}

// qLabelOK rejects "Q" followed by a bare "-" or ")" without a number ("Q-learning", "Q) ..."),
// which are not question labels.
func qLabelOK(m []string) bool {
	if m[1] == "" && m[2] != ":" && m[2] != "." {
		return false
	}
	return true
}

// aLabelOK accepts "Answer:", "Ans.", "A:" and "A1." but not "A." alone, which starts list
// items and multiple-choice options more often than answers.
func aLabelOK(t string, m []string) bool {
	if m[2] == ":" {
		return true
	}
	word := strings.ToLower(strings.TrimLeft(t[:strings.IndexAny(t, ":.-–—")], " "))
	word = strings.TrimRightFunc(word, func(r rune) bool { return unicode.IsDigit(r) || r == ' ' })
	return word != "a" || m[1] != ""
}

// chooseLayout picks the question convention the page uses most. Only candidates with something
// other than another candidate under them count, so a table of contents listing the questions
// does not outvote the questions themselves. Labels are the strongest signal, then numbering,
// then bare headings, which is also the order of the tie break.
func chooseLayout(lines []pageLine) questionStyle {
	var count [4]int
	for i := range lines {
		l := &lines[i]
		if l.question == styleNone {
			continue
		}
		for j := i + 1; j < len(lines); j++ {
			if lines[j].kind == kindBlank {
				continue
			}
			if lines[j].question == styleNone {
				count[l.question]++
			}
			break
		}
	}
	best := styleNone
	for _, s := range []questionStyle{styleLabelled, styleNumbered, styleHeading} {
		if count[s] > 0 && count[s] > count[best] {
			best = s
		}
	}
	if best != styleNone && count[styleLabelled] > 0 && count[styleLabelled]*2 >= count[best] {
		// Labels are explicit; a page that labels a good share of its questions means them all.
		best = styleLabelled
	}
	return best
}

// mergeWrappedQuestions joins a question cut over two lines ("...difference between" /
// "X and Y?") back into one.
func mergeWrappedQuestions(lines []pageLine, layout questionStyle) {
	for i := 0; i+1 < len(lines); i++ {
		l := &lines[i]
		if l.question == styleLabelled && l.text == "" {
			// "Question:" on a line of its own: the question is the next line of text.
			for j := i + 1; j < len(lines); j++ {
				next := &lines[j]
				if next.kind == kindBlank {
					continue
				}
				if next.kind == kindText && next.question != styleLabelled && !next.answer {
					l.text = next.text
					next.kind = kindBlank
				}
				break
			}
			continue
		}
		if l.question == styleNone || l.question != layout && l.question != styleLabelled || l.text == "" {
			continue
		}
		if strings.ContainsAny(lastRune(l.text), "?.!:") {
			continue
		}
		next := &lines[i+1]
		if next.kind != kindText || next.question != styleNone || next.answer || next.noise != nil {
			continue
		}
		if lastRune(next.text) == "?" && len(strings.Fields(next.text)) <= 25 {
			l.text += " " + next.text
			next.kind = kindBlank
		}
	}
}

// findTitle returns the page title and its line: the first heading-like line before the first
// question, preferring one that speaks of interviews or questions, because site names and
// category labels often come first.
func findTitle(lines []pageLine, layout questionStyle) (title string, line int, h1 bool) {
	first, firstLine := "", 0
	for _, l := range lines {
		if l.kind == kindBlank {
			continue
		}
		if l.h1 {
			return l.text, l.n, true
		}
		if l.answer || l.question != styleNone && (l.question == layout || l.question == styleLabelled) {
			break
		}
		if l.kind != kindText || l.noise != nil || !titleShaped(l.text) {
			continue
		}
		if reSectionish.MatchString(l.text) {
			return l.text, l.n, false
		}
		if first == "" {
			first, firstLine = l.text, l.n
		}
	}
	return first, firstLine, false
}

func titleShaped(t string) bool {
	words := len(strings.Fields(t))
	return words > 0 && words <= 15 && len(t) <= 150 && !strings.ContainsAny(lastRune(t), ".:,;")
}

// step handles one non-blank line of the walk.
func (p *pageParser) step(l *pageLine, layout questionStyle, blankBefore bool) {
	bio := p.bioNext
	p.bioNext = false
	switch {
	case l.question != styleNone && p.acceptsQuestion(l, layout):
		p.finish()
		q := l.text
		var inline string
		if m := reInlineA.FindStringSubmatch(q); m != nil {
			q, inline = m[1], m[2]
		}
		p.cur = &pageItem{question: oneLine(q), line: l.n, difficulty: p.difficulty}
		if inline != "" {
			p.cur.labelled = true
			p.cur.add(answerElem{kind: kindText, text: inline})
		}
		p.seenQuestion = true
		p.lastWasSkip = false
		if l.question == styleNumbered {
			p.lastNumber = l.number
		}
		if l.question != styleHeading {
			p.inFurniture = false
		}
	case l.answer:
		if p.cur == nil || p.cur.question == "" || p.cur.labelled || len(p.cur.elems) > 0 {
			// An answer label with no open question before it: the question was lost.
			p.finish()
			p.cur = &pageItem{line: l.n, difficulty: p.difficulty}
			p.seenQuestion = true
		}
		p.cur.labelled = true
		if l.text != "" {
			kind, text := contentKind(l.text)
			p.cur.add(answerElem{kind: kind, text: text, blankBefore: blankBefore, indent: l.indent})
		}
		p.lastWasSkip = false
	case l.noise != nil:
		p.skip(l, l.noise.reason)
		if l.noise.effect != effectInline {
			p.finish()
		}
		if l.noise.effect == effectSection {
			p.inFurniture = true
		}
		p.bioNext = l.noise.reason == ReasonAuthorBio
	case l.section:
		p.finish()
		p.difficulty = levelOf(l.text)
		p.skip(l, "section heading")
	case bio && l.kind == kindText:
		p.skip(l, ReasonAuthorBio)
	default:
		p.content(l, blankBefore)
	}
}

// acceptsQuestion applies the page's layout: labelled questions are always questions, the
// others only when they follow the page's own convention.
func (p *pageParser) acceptsQuestion(l *pageLine, layout questionStyle) bool {
	switch l.question {
	case styleLabelled:
		return true
	case styleHeading:
		return layout == styleHeading && !p.inFurniture
	case styleNumbered:
		// Numbers go up from question to question; a lower number is a numbered list inside
		// the answer ("1. Install Go"), unless it really asks something.
		return layout == styleNumbered && (l.number > p.lastNumber || lastRune(l.text) == "?")
	}
	return false
}

func (p *pageParser) content(l *pageLine, blankBefore bool) {
	if p.cur == nil {
		reason := "outside any question"
		if !p.seenQuestion {
			reason = "text before the first question"
		}
		p.skip(l, reason)
		return
	}
	e := answerElem{kind: l.kind, text: l.text, blankBefore: blankBefore, indent: l.indent}
	switch l.kind {
	case kindFence:
		e.lines = l.fence
	case kindText:
		switch {
		case l.question == styleNumbered:
			// A numbered line the layout did not take as a question: a list item.
			e.kind, e.text = kindNumbered, l.orig
		case l.question != styleNone || l.section:
			// A question-shaped line the layout did not accept: plain text of the answer.
			e.kind, e.text = contentKind(l.text)
		}
	case kindTable:
		// In text without blank lines a table that no sentence introduces is not part of the
		// answer above it: answers that show a table say so ("...as follows:").
		if last := p.cur.last(); last != nil && !blankBefore && last.kind == kindText && !strings.HasSuffix(last.text, ":") {
			p.finish()
			p.skip(l, "table outside any answer")
			return
		}
	}
	if e.kind == kindText && !blankBefore {
		// A line right under a list item, indented deeper or (in HTML/Markdown) not a new
		// block, continues that item.
		if last := p.cur.last(); last != nil && last.kind == kindBullet && (p.markup || l.indent > last.indent) {
			last.more = append(last.more, l.text)
			p.lastWasSkip = false
			return
		}
	}
	p.cur.add(e)
	p.lastWasSkip = false
}

// contentKind classifies text that reached an answer without going through classifyLines: what
// follows an answer label, or a question-shaped line the layout did not accept.
func contentKind(t string) (lineKind, string) {
	switch {
	case isTableRow(t):
		return kindTable, t
	case isCodeLine(t):
		return kindCode, t
	}
	if m := reBullet.FindStringSubmatch(t); m != nil && strings.TrimSpace(m[1]) != "" {
		return kindBullet, strings.TrimSpace(m[1])
	}
	return kindText, t
}

// skip records a dropped line, folding runs of lines dropped for the same reason into one entry.
func (p *pageParser) skip(l *pageLine, reason string) {
	if p.lastWasSkip && len(p.doc.Skipped) > 0 && p.doc.Skipped[len(p.doc.Skipped)-1].Reason == reason {
		return
	}
	text := l.text
	if l.kind == kindFence {
		text = strings.Join(l.fence, " ")
	}
	p.doc.Skipped = append(p.doc.Skipped, Skipped{Location: fmt.Sprintf("line %d", l.n), Reason: reason, Excerpt: excerpt(text)})
	p.lastWasSkip = true
}

// finish turns the open item, if any, into a draft.
func (p *pageParser) finish() {
	it := p.cur
	p.cur = nil
	if it == nil {
		return
	}
	answer := renderAnswer(it.elems, p.hardWrap)
	loc := fmt.Sprintf("line %d", it.line)
	switch {
	case answer == "" && it.question == "":
		return
	case answer == "":
		p.doc.Skipped = append(p.doc.Skipped, Skipped{Location: loc, Reason: "question without an answer", Excerpt: excerpt(it.question)})
		p.lastWasSkip = false
		return
	}
	key := strings.ToLower(it.question) + "\x00" + answer
	if p.seen[key] {
		p.doc.Skipped = append(p.doc.Skipped, Skipped{Location: loc, Reason: "duplicate question and answer", Excerpt: excerpt(it.question)})
		p.lastWasSkip = false
		return
	}
	p.seen[key] = true
	p.doc.Drafts = append(p.doc.Drafts, Draft{Question: it.question, Answer: answer, Difficulty: it.difficulty, Location: loc})
}

func (it *pageItem) add(e answerElem) { it.elems = append(it.elems, e) }

func (it *pageItem) last() *answerElem {
	if len(it.elems) == 0 {
		return nil
	}
	return &it.elems[len(it.elems)-1]
}

// renderAnswer writes the answer's elements as text: blocks of one kind separated by blank
// lines, list items as "- item", code as fenced blocks.
func renderAnswer(elems []answerElem, hardWrap bool) string {
	var b strings.Builder
	write := func(block string) {
		if b.Len() > 0 {
			b.WriteString("\n\n")
		}
		b.WriteString(block)
	}
	// Lines of the block being built; a line is made of pieces joined by spaces, so joining the
	// lines of a hard-wrapped paragraph does not copy the paragraph once per line.
	var block [][]string
	blockKind := kindBlank
	flush := func() {
		if len(block) == 0 {
			return
		}
		lines := make([]string, len(block))
		for i, pieces := range block {
			lines[i] = strings.Join(pieces, " ")
		}
		text := strings.Join(lines, "\n")
		if blockKind == kindCode {
			text = "```\n" + text + "\n```"
		}
		write(text)
		block, blockKind = nil, kindBlank
	}
	for _, e := range elems {
		if e.kind == kindFence {
			flush()
			write(renderFence(e.lines))
			continue
		}
		if e.blankBefore || e.kind != blockKind {
			flush()
		}
		blockKind = e.kind
		switch e.kind {
		case kindBullet:
			block = append(block, []string{"- " + e.text})
			for _, m := range e.more {
				block = append(block, []string{"  " + m})
			}
		case kindText:
			if n := len(block); n > 0 && hardWrap && wrapsOnto(block[n-1][len(block[n-1])-1], e.text) {
				block[n-1] = append(block[n-1], e.text)
			} else {
				block = append(block, []string{e.text})
			}
		default:
			block = append(block, []string{e.text})
		}
	}
	flush()
	return strings.TrimSpace(b.String())
}

// isHardWrapped reports text wrapped at a fixed width, as hand-written notes and Markdown often
// are: no prose line is much longer than a terminal. Pages saved from a browser put each paragraph
// on one line, and there the lines of a block are rows or items that must stay apart.
func isHardWrapped(lines []pageLine) bool {
	longest, multi := 0, 0
	for i, l := range lines {
		if l.kind != kindText || l.noise != nil {
			continue
		}
		longest = max(longest, utf8.RuneCountInString(l.text))
		if i > 0 && lines[i-1].kind == kindText {
			multi++
		}
	}
	return multi > 0 && longest <= 100
}

// wrapsOnto reports a hard-wrapped sentence: the first line stops mid-sentence and the next
// goes on in lower case.
func wrapsOnto(prev, next string) bool {
	if strings.ContainsAny(lastRune(prev), ".!?:;\"”)") {
		return false
	}
	r, _ := utf8.DecodeRuneInString(next)
	return unicode.IsLower(r)
}

// renderFence writes a fenced block with its common indentation removed.
func renderFence(lines []string) string {
	if len(lines) < 2 {
		return strings.Join(lines, "\n")
	}
	open, body, closeLine := strings.TrimSpace(lines[0]), lines[1:len(lines)-1], strings.TrimSpace(lines[len(lines)-1])
	for len(body) > 0 && strings.TrimSpace(body[0]) == "" {
		body = body[1:]
	}
	for len(body) > 0 && strings.TrimSpace(body[len(body)-1]) == "" {
		body = body[:len(body)-1]
	}
	minIndent := -1
	for _, l := range body {
		if strings.TrimSpace(l) == "" {
			continue
		}
		if in := len(l) - len(strings.TrimLeft(l, " ")); minIndent < 0 || in < minIndent {
			minIndent = in
		}
	}
	out := []string{open}
	for _, l := range body {
		if minIndent > 0 && len(l) >= minIndent {
			l = l[minIndent:]
		}
		out = append(out, l)
	}
	return strings.Join(append(out, closeLine), "\n")
}

// isQuestionLike reports a line shaped like an interview question: short, not introducing
// something (":"), and either ending in "?" or opening like a question or a task.
func isQuestionLike(t string) bool {
	t = strings.TrimSpace(t)
	words := strings.Fields(t)
	if len(words) < 2 || len(words) > 40 || len(t) > 300 {
		return false
	}
	last := lastRune(t)
	if strings.ContainsAny(last, ":,;") {
		return false
	}
	if last == "?" {
		return true
	}
	first := firstWord(words[0])
	second := firstWord(words[1])
	switch {
	case interrogatives[first]:
		// "How to deploy Django" is a heading; "When a row is locked, others wait." is not.
		return last != "." && last != "!"
	case (first == "difference" || first == "differences") && second == "between":
		// "Difference between X and Y" is how many pages title comparison questions.
		return true
	case imperatives[first]:
		// "List comprehensions are faster" is a statement: a verb follows the noun.
		return !linkingWords[second] && (len(words) < 3 || !statementVerbs[firstWord(words[2])])
	}
	return false
}

// isSectionHeading reports a heading that groups questions ("Advanced Django interview
// questions") rather than asking one.
func isSectionHeading(t string, heading bool) bool {
	words := len(strings.Fields(t))
	if words == 0 || words > 12 || strings.ContainsAny(lastRune(t), ".:,;") {
		return false
	}
	if reSectionish.MatchString(t) {
		return true
	}
	return heading && levelOf(t) != ""
}

func levelOf(t string) string {
	switch {
	case reLevelHard.MatchString(t):
		return "hard"
	case reLevelMid.MatchString(t):
		return "medium"
	case reLevelEasy.MatchString(t):
		return "easy"
	}
	return ""
}

func isTableRow(t string) bool {
	return strings.HasPrefix(t, "|") && strings.Count(t, "|") >= 2
}

var (
	reShell  = regexp.MustCompile(`^(?:\$|#|>>>|>|PS>)\s+\S|^[A-Za-z]:\\[^>]*>\s*\S`)
	reTool   = regexp.MustCompile(`^(pip3?|pipenv|poetry|python3?|py|django-admin|npm|npx|yarn|pnpm|node|go|git|docker|docker-compose|kubectl|helm|curl|wget|sudo|apt|apt-get|brew|cargo|mvn|gradle|composer|rails|dotnet|celery|gunicorn|uvicorn|daphne|psql|mysql|redis-cli|ls|cd|mkdir|Python3?|Pip3?)\s+([-\w./:=@<>]+)`)
	reCode   = regexp.MustCompile(`^(?:from [\w.]+ import |import [\w.]+|def \w+\s*\(|async def |class \w+\s*[(:]|return\b|@\w[\w.]*(\(.*\))?$|if __name__|print\(|for \w+(, ?\w+)* in .+:$|while .+:$|try:$|except\b.*:$|with .+:$|else:$|elif .+:$|(SELECT|INSERT INTO|UPDATE|DELETE FROM|CREATE (TABLE|INDEX))\s|func |package \w+$|(const|let|var) \w+\s*=|#include|public (static )?(class|void)|\{%.*%\}$|\{\{.*\}\}$|</?[a-zA-Z][\w-]*(\s[^>]*)?>.*$|[}\])]+[;,]?$)`)
	reCall   = regexp.MustCompile(`^[A-Za-z_][\w]*(\.[A-Za-z_]\w*)*(\[[^\]]*\])?\(.*\)(\.[A-Za-z_]\w*(\(.*\))?)*;?$`)
	reAssign = regexp.MustCompile(`^[A-Za-z_][\w.]*(\[[^\]]*\])?\s*(=|\+=|-=|:=)\s*\S`)
)

// isCodeLine reports a line that reads as code or a shell command rather than prose. Pages lose
// their code formatting when saved as text, so this is decided by content, not indentation.
func isCodeLine(t string) bool {
	if reShell.MatchString(t) || reCode.MatchString(t) {
		return true
	}
	if m := reTool.FindStringSubmatch(t); m != nil {
		// Tool names double as English words; a command is short, has no sentence punctuation,
		// and after a capitalised tool name ("Python manage.py ...") names a file or a flag.
		words := strings.Fields(t)
		technical := !unicode.IsUpper(rune(t[0])) || strings.ContainsAny(m[2], "./-")
		if !technical || len(words) > 10 || strings.HasSuffix(t, ".") || strings.Contains(t, ". ") {
			return false
		}
		for _, w := range words[1:] {
			if proseWords[strings.ToLower(w)] {
				return false
			}
		}
		return true
	}
	if reCall.MatchString(t) && !strings.Contains(outsideParens(t), " ") {
		return true
	}
	if reAssign.MatchString(t) && len(strings.Fields(t)) <= 12 && !strings.HasSuffix(t, ".") {
		return true
	}
	return strings.HasSuffix(t, "{") || strings.HasSuffix(t, ";") && !strings.Contains(t, ". ")
}

// outsideParens returns t without the text inside parentheses and quotes.
func outsideParens(t string) string {
	var b strings.Builder
	depth := 0
	for _, r := range t {
		switch {
		case r == '(' || r == '[':
			depth++
		case (r == ')' || r == ']') && depth > 0:
			depth--
		case depth == 0:
			b.WriteRune(r)
		}
	}
	return b.String()
}

// lastRune returns the last meaningful character of t, looking past closing quotes and brackets.
func lastRune(t string) string {
	t = strings.TrimRight(t, " \"'”’)]*_")
	if t == "" {
		return ""
	}
	r, _ := utf8.DecodeLastRuneInString(t)
	return string(r)
}

// firstWord lowers w and keeps its leading letters ("What’s" -> "what").
func firstWord(w string) string {
	w = strings.ToLower(w)
	end := len(w)
	for i, r := range w {
		if !unicode.IsLetter(r) {
			end = i
			break
		}
	}
	return w[:end]
}
