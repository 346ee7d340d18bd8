package keypoints

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// MaxChars is the longest statement Split returns, in characters: a rubric line is read at a glance,
// and a text without sentence breaks (a pasted log, a minified page) must not become one
// multi-megabyte key point that every grading then carries.
const MaxChars = 400

// Bound returns s cut to at most max characters at the best boundary Pieces finds, with an ellipsis
// when something was cut off; s itself when it is short enough.
func Bound(s string, max int) string {
	if utf8.RuneCountInString(s) <= max {
		return s
	}
	first := Pieces(s, max-1)[0]
	return strings.TrimRight(first, ",;: ") + "…"
}

// Pieces cuts s into pieces of at most max characters each, in order, at the last sentence end
// within reach, else the last clause break (";", ":", ",", a dash), else the last space, else at a
// character boundary; a boundary is only taken in the second half of the window, so that pieces stay
// near max. The pieces joined with single spaces give s back, save for the whitespace at the cuts.
// It takes time in proportion to len(s).
func Pieces(s string, max int) []string {
	if max < 2 {
		max = 2
	}
	var out []string
	s = strings.TrimSpace(s)
	for s != "" {
		if utf8.RuneCountInString(s) <= max {
			out = append(out, s)
			break
		}
		cut := cutAt(s, max)
		out = append(out, strings.TrimSpace(s[:cut]))
		s = strings.TrimSpace(s[cut:])
	}
	return out
}

// cutAt returns the byte offset at which the first piece of s (longer than max characters) ends.
func cutAt(s string, max int) int {
	// end is the byte offset just after the max-th character.
	end, n := 0, 0
	for end < len(s) && n < max {
		_, size := utf8.DecodeRuneInString(s[end:])
		end += size
		n++
	}
	window := s[:end]
	half := len(window) / 2
	best := func(ok func(prev byte, next rune) bool) int {
		for i := len(window) - 1; i > half; i-- {
			if s[i] != ' ' && s[i] != '\n' && s[i] != '\t' {
				continue
			}
			next, _ := utf8.DecodeRuneInString(s[i+1:])
			if ok(s[i-1], next) {
				return i
			}
		}
		return -1
	}
	if i := best(func(prev byte, next rune) bool {
		return (prev == '.' || prev == '!' || prev == '?') && (unicode.IsUpper(next) || unicode.IsDigit(next) || next == '`')
	}); i > 0 {
		return i
	}
	if i := best(func(prev byte, _ rune) bool { return prev == ';' || prev == ':' || prev == ',' || prev == '-' }); i > 0 {
		return i
	}
	if i := best(func(byte, rune) bool { return true }); i > 0 {
		return i
	}
	return end
}
