package text

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// SegmentKind tells prose, list items and code apart.
type SegmentKind uint8

// Segment kinds.
const (
	Prose  SegmentKind = iota // a sentence of running text
	Bullet                    // a list item, or a sentence of one
	Code                      // a code block or a line of code
)

// String returns the kind's name.
func (k SegmentKind) String() string {
	switch k {
	case Bullet:
		return "bullet"
	case Code:
		return "code"
	}
	return "prose"
}

// Segment is one unit of a text: a sentence, a list item's sentence or a block of code.
type Segment struct {
	Text string
	Kind SegmentKind
}

// Sentences splits s into sentences. Each list item stands alone (and is split further if it holds
// several sentences); a line break ends a sentence unless the line plainly runs on ("...write\ndatabase
// queries"); code blocks and lines of code are units of their own. Full stops of abbreviations
// ("e.g.", "i.e.", "etc." before a lowercase word), of decimals and dotted names, and inside `code
// spans` do not end a sentence.
func Sentences(s string) []string {
	segs := Segments(s)
	out := make([]string, len(segs))
	for i, seg := range segs {
		out[i] = seg.Text
	}
	return out
}

// Segments splits s like Sentences and says of each unit whether it is prose, a list item or code.
func Segments(s string) []Segment {
	var (
		out      []Segment
		block    strings.Builder // the paragraph or list item being gathered
		kind     = Prose
		prevLine string // the last line added to block
		code     strings.Builder
		inFence  bool
	)
	flushBlock := func() {
		if block.Len() > 0 {
			for _, sent := range splitSentences(block.String()) {
				out = append(out, Segment{Text: sent, Kind: kind})
			}
		}
		block.Reset()
		prevLine = ""
	}
	flushCode := func() {
		if c := strings.TrimRight(code.String(), " \t\n"); strings.TrimSpace(c) != "" {
			out = append(out, Segment{Text: c, Kind: Code})
		}
		code.Reset()
	}
	for line := range strings.Lines(s) {
		line = strings.TrimRight(line, " \t\r\n")
		trimmed := strings.TrimSpace(line)
		if strings.HasPrefix(trimmed, "```") || strings.HasPrefix(trimmed, "~~~") {
			flushBlock()
			if inFence {
				flushCode()
			}
			inFence = !inFence
			continue
		}
		if inFence {
			code.WriteString(line)
			code.WriteByte('\n')
			continue
		}
		if trimmed == "" {
			flushBlock()
			flushCode()
			continue
		}
		indent := len(line) - len(strings.TrimLeft(line, " \t"))
		if rest, ok := cutBullet(trimmed); ok {
			flushBlock()
			flushCode()
			if LooksLikeCode(rest) {
				code.WriteString(rest)
				code.WriteByte('\n')
				continue
			}
			kind = Bullet
			block.WriteString(rest)
			prevLine = rest
			continue
		}
		if LooksLikeCode(trimmed) || (code.Len() > 0 && indent > 0) {
			flushBlock()
			code.WriteString(line)
			code.WriteByte('\n')
			continue
		}
		flushCode()
		if block.Len() > 0 && (runsOn(prevLine, trimmed) || (kind == Bullet && indent > 0)) {
			block.WriteByte(' ')
			block.WriteString(trimmed)
			prevLine = trimmed
			continue
		}
		flushBlock()
		kind = Prose
		block.WriteString(trimmed)
		prevLine = trimmed
	}
	flushBlock()
	flushCode()
	return out
}

// cutBullet strips a list marker ("-", "*", "•", "1.", "2)", "a)", "(iii)") from the start of a line.
func cutBullet(line string) (string, bool) {
	r, size := utf8.DecodeRuneInString(line)
	switch r {
	case '-', '*', '+', '•', '·', '▪', '◦', '●', '‣', '○', '■', '□', '➢', '►', '✓', '✔', '–', '—':
		rest := line[size:]
		if rest == "" || (rest[0] != ' ' && rest[0] != '\t' && r < utf8.RuneSelf) {
			return "", false // "-1", "*args", "**kwargs"
		}
		return strings.TrimSpace(rest), strings.TrimSpace(rest) != ""
	}
	// Numbered and lettered items: up to three digits or one letter, then "." or ")".
	i := 0
	if line[0] == '(' {
		i = 1
	}
	j := i
	for j < len(line) && j-i < 3 && line[j] >= '0' && line[j] <= '9' {
		j++
	}
	if j == i && j < len(line) && unicode.IsLetter(rune(line[j])) && line[j] < utf8.RuneSelf {
		j++
		if j < len(line) && line[j] == '.' {
			return "", false // "e.g." and initials are not list markers
		}
	}
	if j == i || j >= len(line) || (line[j] != '.' && line[j] != ')') {
		return "", false
	}
	if j+1 < len(line) && line[j+1] != ' ' && line[j+1] != '\t' {
		return "", false // "3.12", "a.b"
	}
	rest := strings.TrimSpace(line[j+1:])
	return rest, rest != ""
}

// runsOn reports whether next continues the sentence of prev across a line break: prev does not end
// a sentence or a label, and next starts in lowercase or prev ends mid-phrase.
func runsOn(prev, next string) bool {
	if prev == "" {
		return false
	}
	last, _ := utf8.DecodeLastRuneInString(prev)
	switch last {
	case '.', '!', '?', ':', ';':
		return false
	case ',', '(', '-', '–', '—', '/', '&':
		return true
	}
	first, _ := utf8.DecodeRuneInString(next)
	if unicode.IsLower(first) {
		return true
	}
	// A line ending on a function word is cut mid-phrase.
	w := prev[strings.LastIndexByte(prev, ' ')+1:]
	return IsStopword(strings.ToLower(w)) && !IsNegation(strings.ToLower(w))
}

// LooksLikeCode reports whether a line reads as code rather than prose: a Python statement
// ("def ...", "from ... import", "x = ..."), a call or attribute chain that is not a sentence
// ("User.objects.filter(is_active=True)"), a shell command, template tag or HTML element.
func LooksLikeCode(line string) bool {
	line = strings.TrimSpace(line)
	if line == "" {
		return false
	}
	lower := strings.ToLower(line)
	for _, p := range [...]string{
		"def ", "class ", "from ", "import ", "return ", "async def ", "await ", "raise ", "@", ">>> ",
		"$ ", "{%", "{{", "python ", "python3 ", "pip ", "django-admin ", "./manage.py", "manage.py ",
		"if __name__", "try:", "except ", "except:", "else:", "elif ", "for ", "while ", "with ", "yield ",
		"print(", "//", "#!",
	} {
		if strings.HasPrefix(lower, p) {
			// "For example, ..." and "With Django, ..." are prose: code keywords are followed by
			// a name and end their line with ":" or hold a call.
			switch p {
			case "from ":
				return strings.Contains(lower, " import ")
			case "for ", "while ", "with ", "if __name__", "class ", "def ", "async def ":
				// Compound statements end their header line with a colon.
				if !strings.HasSuffix(line, ":") && !strings.HasSuffix(line, "...") {
					return false
				}
			case "return ", "raise ", "await ", "yield ":
				if strings.HasSuffix(line, ".") || !strings.ContainsAny(line, "()=[]") {
					return false
				}
			}
			return true
		}
	}
	if line[0] == '<' && len(line) > 1 && (unicode.IsLetter(rune(line[1])) || line[1] == '/' || line[1] == '!') {
		return true
	}
	first := line
	if i := strings.IndexAny(line, " \t"); i >= 0 {
		first = line[:i]
	}
	// An assignment: NAME = value.
	if isCodeName(first) && strings.Contains(line, "=") {
		rest := strings.TrimSpace(line[len(first):])
		if strings.HasPrefix(rest, "=") && !strings.HasPrefix(rest, "==") {
			return true
		}
	}
	// A call or attribute chain: the first word holds "(" or a dotted name, and the line is not a
	// sentence ending in a full stop.
	if strings.HasSuffix(line, ".") && strings.Count(line, " ") > 2 {
		return false
	}
	if strings.Contains(first, "(") && isCodeName(first[:strings.IndexByte(first, '(')]) {
		return strings.Count(line, " ") < 6 || strings.HasSuffix(line, ")") || strings.HasSuffix(line, ":")
	}
	return false
}

// isCodeName reports whether s is a Python name or dotted name (letters, digits, "_", ".", "[]").
func isCodeName(s string) bool {
	if s == "" {
		return false
	}
	for i, r := range s {
		switch {
		case r == '_' || r == '.' || r == '[' || r == ']' || r == '\'' || r == '"':
		case r < utf8.RuneSelf && (unicode.IsLetter(r) || (i > 0 && unicode.IsDigit(r))):
		default:
			return false
		}
	}
	return true
}

// splitSentences splits one paragraph or list item into sentences.
func splitSentences(p string) []string {
	var out []string
	start := 0
	inCode := false
	for i := 0; i < len(p); i++ {
		c := p[i]
		if c == '`' {
			inCode = !inCode
			continue
		}
		if inCode || (c != '.' && c != '!' && c != '?') {
			continue
		}
		// Take in a run of terminators and closing quotes or brackets.
		j := i + 1
		for j < len(p) && strings.IndexByte(".!?)]\"'", p[j]) >= 0 {
			j++
		}
		if j < len(p) && p[j] != ' ' && p[j] != '\t' {
			// "3.12", "request.user", "e.g.," stay inside the sentence.
			if r, _ := utf8.DecodeRuneInString(p[j:]); r != '”' && r != '’' {
				i = j - 1
				continue
			}
		}
		k := j
		for k < len(p) && (p[k] == ' ' || p[k] == '\t') {
			k++
		}
		if k < len(p) {
			next, _ := utf8.DecodeRuneInString(p[k:])
			if !startsSentence(next) && !startsWithCodeName(p[k:]) {
				i = j - 1
				continue
			}
		}
		if c == '.' && !endsSentence(p[start:i], k < len(p)) {
			i = j - 1
			continue
		}
		if s := strings.TrimSpace(p[start:j]); hasWord(s) {
			out = append(out, s)
		}
		start = j
		i = j - 1
	}
	if s := strings.TrimSpace(p[start:]); hasWord(s) {
		out = append(out, s)
	}
	return out
}

// startsSentence reports whether r may open a sentence.
func startsSentence(r rune) bool {
	return unicode.IsUpper(r) || unicode.IsDigit(r) || strings.ContainsRune("\"'“‘(`[*_", r)
}

// startsWithCodeName reports whether s opens with a code name such as "select_related()" or
// "request.user", which may begin a sentence in lowercase.
func startsWithCodeName(s string) bool {
	end := strings.IndexAny(s, " \t,;:")
	if end < 0 {
		end = len(s)
	}
	w := strings.TrimRight(s[:end], ".!?")
	if i := strings.IndexByte(w, '('); i > 0 {
		w = w[:i]
	}
	return strings.ContainsAny(w, "_.") && isCodeName(w) || strings.HasSuffix(s[:end], "()")
}

// endsSentence reports whether a full stop after text ends a sentence, judging by the word before it.
func endsSentence(text string, more bool) bool {
	i := len(text)
	for i > 0 {
		r, size := utf8.DecodeLastRuneInString(text[:i])
		if !unicode.IsLetter(r) && r != '.' {
			break
		}
		i -= size
	}
	word := strings.ToLower(text[i:])
	switch word {
	case "e.g", "i.e", "eg", "ie", "vs", "cf", "approx", "incl", "esp", "resp", "mr", "mrs", "ms", "dr",
		"st", "fig", "al", "ca":
		return !more
	}
	// A lone capital is an initial ("J. Smith"), unless it ends the text.
	if r, size := utf8.DecodeRuneInString(word); size == len(word) && r != utf8.RuneError && more {
		return !unicode.IsLetter(r)
	}
	return true
}

func hasWord(s string) bool {
	for _, r := range s {
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			return true
		}
	}
	return false
}
