package docparse

import (
	"bytes"
	"strings"
	"unicode/utf16"
	"unicode/utf8"
)

// decodeText turns raw bytes into UTF-8 text with "\n" line ends. Pages saved from the web come
// as UTF-8 (sometimes with a few broken bytes), as UTF-16 from some Windows editors (always with a
// byte order mark), and occasionally as Latin-1/Windows-1252 from older tools; anything else is
// refused rather than guessed at.
func decodeText(data []byte) (string, error) {
	switch {
	case bytes.HasPrefix(data, []byte{0xEF, 0xBB, 0xBF}):
		data = data[3:]
	case bytes.HasPrefix(data, []byte{0xFF, 0xFE}):
		return decodeUTF16(data[2:], false)
	case bytes.HasPrefix(data, []byte{0xFE, 0xFF}):
		return decodeUTF16(data[2:], true)
	}
	if isBinary(data) {
		return "", ErrBinary
	}
	var s string
	switch {
	case utf8.Valid(data):
		s = string(data)
	case mostlyUTF8(data):
		// A UTF-8 page with a few broken bytes (a truncated copy, a bad paste) is still UTF-8;
		// reading it as Latin-1 would garble every accented letter and curly quote in it.
		s = strings.ToValidUTF8(string(data), "\uFFFD")
	case looksLatin1(data):
		s = decodeWindows1252(data)
	default:
		return "", ErrEncoding
	}
	return normalizeNewlines(s), nil
}

func decodeUTF16(data []byte, bigEndian bool) (string, error) {
	if len(data)%2 != 0 {
		return "", ErrEncoding
	}
	units := make([]uint16, len(data)/2)
	for i := range units {
		if bigEndian {
			units[i] = uint16(data[2*i])<<8 | uint16(data[2*i+1])
		} else {
			units[i] = uint16(data[2*i+1])<<8 | uint16(data[2*i])
		}
	}
	s := string(utf16.Decode(units))
	if isBinary([]byte(s)) {
		return "", ErrBinary
	}
	return normalizeNewlines(s), nil
}

// isBinary reports NUL bytes or a share of control characters no text file has. Only the start is
// examined: that is where file signatures and headers live, and it keeps the check cheap.
func isBinary(data []byte) bool {
	const window = 64 << 10
	if len(data) > window {
		data = data[:window]
	}
	if len(data) == 0 {
		return false
	}
	control := 0
	for _, b := range data {
		switch {
		case b == 0:
			return true
		case b < 0x20 && b != '\t' && b != '\n' && b != '\r' && b != '\f' && b != '\v', b == 0x7F:
			control++
		}
	}
	return control*20 > len(data) // more than 5%
}

// mostlyUTF8 reports invalid UTF-8 in which well-formed multi-byte sequences outnumber broken
// bytes. Latin-1 text almost never forms valid multi-byte sequences by accident.
func mostlyUTF8(data []byte) bool {
	valid, invalid := 0, 0
	for i := 0; i < len(data); {
		if data[i] < utf8.RuneSelf {
			i++
			continue
		}
		r, size := utf8.DecodeRune(data[i:])
		if r == utf8.RuneError && size == 1 {
			invalid++
		} else {
			valid++
		}
		i += size
	}
	return valid > 0 && valid >= 2*invalid
}

// looksLatin1 accepts invalid UTF-8 that reads as a single-byte Western encoding: a modest share
// of high bytes, none of them in the slots Windows-1252 leaves undefined. Random binary or other
// multi-byte encodings fail one of the two.
func looksLatin1(data []byte) bool {
	high := 0
	for _, b := range data {
		if b < 0x80 {
			continue
		}
		high++
		switch b {
		case 0x81, 0x8D, 0x8F, 0x90, 0x9D:
			return false
		}
	}
	return high*5 <= len(data) // at most 20%
}

// windows1252 maps the bytes 0x80-0x9F, where Windows-1252 differs from Latin-1, to runes.
var windows1252 = [32]rune{
	'€', 0x81, '‚', 'ƒ', '„', '…', '†', '‡', 'ˆ', '‰', 'Š', '‹', 'Œ', 0x8D, 'Ž', 0x8F,
	0x90, '‘', '’', '“', '”', '•', '–', '—', '˜', '™', 'š', '›', 'œ', 0x9D, 'ž', 'Ÿ',
}

func decodeWindows1252(data []byte) string {
	var b strings.Builder
	b.Grow(len(data) + len(data)/8)
	for _, c := range data {
		switch {
		case c >= 0x80 && c < 0xA0:
			b.WriteRune(windows1252[c-0x80])
		default:
			b.WriteRune(rune(c))
		}
	}
	return b.String()
}

func normalizeNewlines(s string) string {
	if !strings.Contains(s, "\r") {
		return s
	}
	s = strings.ReplaceAll(s, "\r\n", "\n")
	return strings.ReplaceAll(s, "\r", "\n")
}
