package text

import (
	"iter"
	"unicode"
	"unicode/utf8"
)

// Boundary is the strength of the punctuation between two tokens. Negation scope stops at any
// boundary; sentence splitting only at the strongest.
type Boundary uint8

// Boundaries, weakest first.
const (
	NoBoundary       Boundary = iota // spaces, hyphens, slashes, code quotes
	PhraseBoundary                   // comma, bracket, quotation mark, dash, line break
	ClauseBoundary                   // semicolon, colon
	SentenceBoundary                 // full stop, question or exclamation mark, blank line, list bullet
)

// Token is one word of a text.
type Token struct {
	// Text is the word lowercased and without accents, with typographic apostrophes made plain.
	Text string
	// Raw is the word as written: a substring of the scanned text.
	Raw string
	// Start is the byte offset of Raw in the scanned text.
	Start int
	// Boundary is the punctuation between this token and the previous one.
	Boundary Boundary
}

// End returns the byte offset just past the token in the scanned text.
func (t Token) End() int { return t.Start + len(t.Raw) }

// Scan returns the tokens of s in order. A token is a run of letters, digits and underscores, which
// may hold a dot or a plus sign between two word characters ("request.user", "n+1", "3.12"), an
// apostrophe between letters ("doesn't") and a comma between digit groups ("50,000"). Hyphens split
// words, so "many-to-many" and "many to many" read the same.
func Scan(s string) iter.Seq[Token] {
	return func(yield func(Token) bool) {
		boundary := NoBoundary
		lineStart := true
		for i := 0; i < len(s); {
			r, size := utf8.DecodeRuneInString(s[i:])
			// A combining mark only continues a word; alone it has nothing to read.
			if isWordRune(r) && (r < utf8.RuneSelf || !unicode.Is(unicode.Mn, r)) {
				j := scanWord(s, i)
				raw := s[i:j]
				tok := Token{Text: lowerText(raw), Raw: raw, Start: i, Boundary: boundary}
				if !yield(tok) {
					return
				}
				boundary = NoBoundary
				lineStart = false
				// The full stop of "e.g." or "etc." ends the abbreviation, not the sentence.
				if j < len(s) && s[j] == '.' && isAbbreviation(tok.Text) {
					j++
				}
				i = j
				continue
			}
			b := NoBoundary
			switch r {
			case '\n':
				b = PhraseBoundary
				if lineStart {
					b = SentenceBoundary // a blank line ends a paragraph
				}
				lineStart = true
			case '.':
				b = SentenceBoundary
				if i+1 < len(s) && s[i+1] == '.' {
					// An ellipsis: skip the run of dots as a pause, not an end.
					for i+1 < len(s) && s[i+1] == '.' {
						i++
					}
					b = PhraseBoundary
				}
			case '?', '!':
				b = SentenceBoundary
			case ';', ':':
				b = ClauseBoundary
			case ',', '"', '“', '”', '«', '»', '[', ']', '{', '}', ')', '—', '–':
				b = PhraseBoundary
			case '(':
				if i+1 < len(s) && s[i+1] == ')' {
					i++ // the "()" of a call names a function and is no punctuation
				} else {
					b = PhraseBoundary
				}
			case '-', '*', '•', '·', '▪', '◦', '●', '‣', '○', '■', '□', '➢', '►', '✓', '✔':
				if lineStart {
					b = SentenceBoundary // a list bullet: each item stands alone
				} else if r != '-' && r != '*' {
					b = PhraseBoundary
				} else if r == '-' && i > 0 && s[i-1] == ' ' && i+1 < len(s) && s[i+1] == ' ' {
					b = PhraseBoundary // a dash set between spaces
				}
			}
			if r != '\n' && !unicode.IsSpace(r) {
				lineStart = false
			}
			if b > boundary {
				boundary = b
			}
			i += size
		}
	}
}

// scanWord returns the end of the word starting at i.
func scanWord(s string, i int) int {
	for i < len(s) {
		r, size := utf8.DecodeRuneInString(s[i:])
		if isWordRune(r) {
			i += size
			continue
		}
		if i+size >= len(s) {
			return i
		}
		prev, _ := utf8.DecodeLastRuneInString(s[:i])
		next, nsize := utf8.DecodeRuneInString(s[i+size:])
		switch r {
		case '.', '+':
			if isAlnumRune(next) || (r == '+' && next == '_') {
				i += size + nsize
				continue
			}
		case '\'', '’':
			if unicode.IsLetter(prev) && unicode.IsLetter(next) {
				i += size + nsize
				continue
			}
		case ',':
			if isDigit(prev) && isDigit(next) && i+size+3 <= len(s) && isDigits(s[i+size:i+size+3]) &&
				(i+size+3 == len(s) || !isDigit(rune(s[i+size+3]))) {
				i += size + 3
				continue
			}
		}
		return i
	}
	return i
}

func isDigit(r rune) bool { return '0' <= r && r <= '9' }

func isDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if !isDigit(rune(s[i])) {
			return false
		}
	}
	return true
}

// isAbbreviation reports whether a word followed by a full stop is a common abbreviation.
func isAbbreviation(word string) bool {
	switch word {
	case "e.g", "i.e", "etc", "eg", "ie", "vs", "cf", "approx", "incl", "esp", "resp", "mr", "mrs", "ms",
		"dr", "st", "fig", "al":
		return true
	}
	return false
}

// lowerText returns the folded lowercase form of a word, without allocating when it is already
// lowercase ASCII.
func lowerText(raw string) string {
	plain := true
	for i := 0; i < len(raw); i++ {
		c := raw[i]
		if c >= utf8.RuneSelf || ('A' <= c && c <= 'Z') {
			plain = false
			break
		}
	}
	if plain {
		return raw
	}
	buf := make([]byte, 0, len(raw)+4)
	for _, r := range raw {
		if r == '’' {
			r = '\''
		}
		buf = appendFolded(buf, r)
	}
	return string(buf)
}

// Tokens returns the lowercase words of s: the Text of each token Scan finds.
func Tokens(s string) []string {
	out := make([]string, 0, len(s)/6+1)
	for tok := range Scan(s) {
		out = append(out, tok.Text)
	}
	return out
}

// SplitIdentifier splits a code identifier into its lowercase words at underscores, dots and
// camelCase humps: "select_related" gives [select related], "HTTPResponseRedirect" gives
// [http response redirect], "request.user" gives [request user] and "__init__" gives [init]. A plain
// word comes back alone.
func SplitIdentifier(raw string) []string {
	var parts []string
	start := -1
	flush := func(end int) {
		if start >= 0 && end > start {
			if p := lowerText(raw[start:end]); p != "" {
				parts = append(parts, p)
			}
		}
		start = -1
	}
	var prev rune
	for i, r := range raw {
		if r == '_' || r == '.' || r == '+' {
			flush(i)
			prev = r
			continue
		}
		if start >= 0 && unicode.IsUpper(r) {
			if unicode.IsLower(prev) || unicode.IsDigit(prev) {
				flush(i)
			} else if unicode.IsUpper(prev) {
				// The last capital of a run starts the next word when a lowercase letter follows it.
				next, _ := utf8.DecodeRuneInString(raw[i+utf8.RuneLen(r):])
				if unicode.IsLower(next) {
					flush(i)
				}
			}
		}
		if start < 0 {
			start = i
		}
		prev = r
	}
	flush(len(raw))
	return parts
}

// isIdentifier reports whether a raw token is a compound code name worth splitting into words: it
// holds underscores or dots, or capitals after its first letter next to lowercase letters
// ("QuerySet", "HTTPResponse").
func isIdentifier(raw string) bool {
	letter, lower, joiner, innerUpper := false, false, false, false
	for i, r := range raw {
		switch {
		case r == '_' || r == '.':
			joiner = true
		case unicode.IsLower(r):
			letter, lower = true, true
		case unicode.IsUpper(r):
			letter = true
			innerUpper = innerUpper || i > 0
		case unicode.IsLetter(r):
			letter = true
		}
	}
	if !joiner && innerUpper && lower && isPluralAcronym(raw) {
		return false
	}
	return letter && (joiner || (innerUpper && lower))
}

// isPluralAcronym reports whether raw is capitals followed by a plural s, like "APIs" or "FKs".
func isPluralAcronym(raw string) bool {
	n := len(raw)
	if n < 3 || raw[n-1] != 's' {
		return false
	}
	for i := 0; i < n-1; i++ {
		if raw[i] < 'A' || raw[i] > 'Z' {
			return false
		}
	}
	return true
}
