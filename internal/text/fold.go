package text

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// latin1Fold folds U+00C0..U+00FF, lowercased; '?' marks letters folding to two letters and '_' signs
// that are not letters (multiplication and division).
const latin1Fold = "aaaaaa?ceeeeiiiidnooooo_ouuuuy??aaaaaa?ceeeeiiiidnooooo_ouuuuy?y"

// latinExtAFold folds U+0100..U+017F, lowercased; '?' marks the ligatures IJ and OE.
const latinExtAFold = "aaaaaaccccccccddddeeeeeeeeeegggggggghhhhiiiiiiiiii??jjkkkllllllllllnnnnnnnnnoooooo??rrrrrrssssssssttttttuuuuuuuuuuuuwwyyyzzzzzzs"

// appendFolded appends the lowercase, accent-free form of r to dst. Accents are dropped rather than
// kept because candidates type "cafe" and "naive" as often as "café" and "naïve", and the same
// question must normalise the same way whoever typed it.
func appendFolded(dst []byte, r rune) []byte {
	switch {
	case r < utf8.RuneSelf:
		c := byte(r)
		if 'A' <= c && c <= 'Z' {
			c += 'a' - 'A'
		}
		return append(dst, c)
	case r >= 0xC0 && r <= 0xFF:
		c := latin1Fold[r-0xC0]
		switch {
		case c == '?':
			return append(dst, latin1Multi(r)...)
		case c == '_':
			return utf8.AppendRune(dst, r)
		}
		return append(dst, c)
	case r >= 0x100 && r <= 0x17F:
		c := latinExtAFold[r-0x100]
		if c == '?' {
			if r <= 0x133 {
				return append(dst, 'i', 'j')
			}
			return append(dst, 'o', 'e')
		}
		return append(dst, c)
	case r >= 0xFB00 && r <= 0xFB06:
		// Typographic ligatures, common in text copied out of PDF documents.
		return append(dst, [...]string{"ff", "fi", "fl", "ffi", "ffl", "st", "st"}[r-0xFB00]...)
	case unicode.Is(unicode.Mn, r):
		// A combining accent of decomposed text: the base letter was already written.
		return dst
	}
	return utf8.AppendRune(dst, unicode.ToLower(r))
}

func latin1Multi(r rune) string {
	switch r {
	case 'Æ', 'æ':
		return "ae"
	case 'Þ', 'þ':
		return "th"
	}
	return "ss" // ß
}

// isWordRune reports whether r belongs to a word: letters, digits, the underscore of identifiers and
// combining marks.
func isWordRune(r rune) bool {
	if r < utf8.RuneSelf {
		c := byte(r)
		return 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || c == '_'
	}
	return unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.Is(unicode.Mn, r)
}

// isAlnumRune reports whether r is a letter or a digit.
func isAlnumRune(r rune) bool {
	if r < utf8.RuneSelf {
		c := byte(r)
		return 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9'
	}
	return unicode.IsLetter(r) || unicode.IsDigit(r)
}

// Normalize returns the canonical form of s used to detect duplicate questions: lowercase, without
// accents, punctuation turned into single spaces. Dots and plus signs between letters or digits stay,
// as do underscores, because in code they are part of a name ("request.user", "select_related", "n+1",
// "3.12"); apostrophes disappear so "what's" and "whats" agree.
func Normalize(s string) string {
	var b strings.Builder
	b.Grow(len(s))
	buf := make([]byte, 0, 8)
	space := false
	prevWord := false
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		switch {
		case isWordRune(r):
			buf = appendFolded(buf[:0], r)
			if len(buf) == 0 {
				break // a combining mark, folded away with its accent
			}
			if space && b.Len() > 0 {
				b.WriteByte(' ')
			}
			space = false
			b.Write(buf)
			prevWord = true
		case r == '\'' || r == '’':
			// Dropped without a space: contractions stay one word.
		case (r == '.' || r == '+') && prevWord && !space && i+size < len(s):
			next, _ := utf8.DecodeRuneInString(s[i+size:])
			if isAlnumRune(next) {
				b.WriteRune(r)
			} else {
				space = true
			}
		default:
			space = true
			prevWord = false
		}
		i += size
	}
	return b.String()
}
