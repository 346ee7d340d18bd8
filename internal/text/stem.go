package text

// Stem returns the English (Porter2) Snowball stem of a lowercase word, in the algorithm's published
// form (R1 exceptions gener/commun/arsen, the two exception lists). Words that are not made of ASCII
// letters and apostrophes, such as identifiers, numbers or non-English words, are returned unchanged:
// stemming them would only damage them.
//
// Stem does not allocate when the stem is a prefix of the word, which is the common case.
func Stem(word string) string {
	if len(word) <= 2 {
		return word
	}
	for i := 0; i < len(word); i++ {
		c := word[i]
		if (c < 'a' || c > 'z') && c != '\'' {
			return word
		}
	}
	if s, ok := stemException1[word]; ok {
		return s
	}
	var buf [64]byte
	var w []byte
	if len(word) <= len(buf) {
		w = append(buf[:0], word...)
	} else {
		w = []byte(word)
	}
	w = stemBytes(w)
	// Most stems are a prefix of the word: hand back a substring rather than a new string.
	if len(w) <= len(word) && string(w) == word[:len(w)] {
		return word[:len(w)]
	}
	if len(w) > 0 && len(word) > len(w) && word[0] == '\'' && string(w) == word[1:1+len(w)] {
		return word[1 : 1+len(w)]
	}
	return string(w)
}

// stemException1 holds the words the algorithm treats as exceptions before any step.
var stemException1 = map[string]string{
	"skis": "ski", "skies": "sky", "dying": "die", "lying": "lie", "tying": "tie",
	"idly": "idl", "gently": "gentl", "ugly": "ugli", "early": "earli", "only": "onli", "singly": "singl",
	"sky": "sky", "news": "news", "howe": "howe", "atlas": "atlas", "cosmos": "cosmos", "bias": "bias",
	"andes": "andes",
}

// stemException2 holds the words left alone after step 1a.
var stemException2 = map[string]bool{
	"inning": true, "outing": true, "canning": true, "herring": true, "earring": true,
	"proceed": true, "exceed": true, "succeed": true,
}

func isVowel(c byte) bool {
	switch c {
	case 'a', 'e', 'i', 'o', 'u', 'y':
		return true
	}
	return false
}

func hasVowel(w []byte) bool {
	for _, c := range w {
		if isVowel(c) {
			return true
		}
	}
	return false
}

func hasSuffix(w []byte, suffix string) bool {
	return len(w) >= len(suffix) && string(w[len(w)-len(suffix):]) == suffix
}

// endsShortSyllable reports whether w ends in a short syllable: a non-vowel, a vowel and a non-vowel
// other than w, x or Y; or a vowel at the start of the word followed by a non-vowel.
func endsShortSyllable(w []byte) bool {
	n := len(w)
	if n == 2 {
		return isVowel(w[0]) && !isVowel(w[1])
	}
	if n >= 3 {
		c := w[n-1]
		return !isVowel(w[n-3]) && isVowel(w[n-2]) && !isVowel(c) && c != 'w' && c != 'x' && c != 'Y'
	}
	return false
}

// regionAfterVowelConsonant returns the index just past the first non-vowel that follows a vowel at
// or after start, or len(w).
func regionAfterVowelConsonant(w []byte, start int) int {
	for i := start; i+1 < len(w); i++ {
		if isVowel(w[i]) && !isVowel(w[i+1]) {
			return i + 2
		}
	}
	return len(w)
}

// stemBytes runs the algorithm on w (lowercase ASCII letters and apostrophes) in place.
func stemBytes(w []byte) []byte {
	if w[0] == '\'' {
		w = w[1:]
	}
	if len(w) == 0 {
		return w
	}
	// Prelude: a y that acts as a consonant becomes Y so it is not taken for a vowel.
	yFound := false
	if len(w) > 0 && w[0] == 'y' {
		w[0] = 'Y'
		yFound = true
	}
	for i := 1; i < len(w); i++ {
		if w[i] == 'y' && isVowel(w[i-1]) {
			w[i] = 'Y'
			yFound = true
		}
	}

	// Regions.
	p1 := -1
	for _, prefix := range [...]string{"gener", "commun", "arsen"} {
		if len(w) >= len(prefix) && string(w[:len(prefix)]) == prefix {
			p1 = len(prefix)
			break
		}
	}
	if p1 < 0 {
		p1 = regionAfterVowelConsonant(w, 0)
	}
	p2 := regionAfterVowelConsonant(w, p1)

	w = stepOne(w)
	if len(w) > 0 && !stemException2[string(w)] {
		// Every step below keeps at least one letter.
		w = stepOneB(w, p1)
		w = stepOneC(w)
		w = stepTwo(w, p1)
		w = stepThree(w, p1, p2)
		w = stepFour(w, p2)
		w = stepFive(w, p1, p2)
	}

	if yFound {
		for i, c := range w {
			if c == 'Y' {
				w[i] = 'y'
			}
		}
	}
	return w
}

// stepOne removes possessive apostrophes (step 0) and plural endings (step 1a).
func stepOne(w []byte) []byte {
	switch {
	case hasSuffix(w, "'s'"):
		w = w[:len(w)-3]
	case hasSuffix(w, "'s"):
		w = w[:len(w)-2]
	case hasSuffix(w, "'"):
		w = w[:len(w)-1]
	}
	switch {
	case hasSuffix(w, "sses"):
		w = w[:len(w)-2]
	case hasSuffix(w, "ied"), hasSuffix(w, "ies"):
		if len(w) > 4 {
			w = append(w[:len(w)-3], 'i')
		} else {
			w = append(w[:len(w)-3], 'i', 'e')
		}
	case hasSuffix(w, "us"), hasSuffix(w, "ss"):
	case hasSuffix(w, "s"):
		if len(w) >= 2 && hasVowel(w[:len(w)-2]) {
			w = w[:len(w)-1]
		}
	}
	return w
}

func stepOneB(w []byte, p1 int) []byte {
	for _, suffix := range [...]string{"eedly", "ingly", "edly", "eed", "ing", "ed"} {
		if !hasSuffix(w, suffix) {
			continue
		}
		start := len(w) - len(suffix)
		if suffix == "eed" || suffix == "eedly" {
			if start >= p1 {
				w = append(w[:start], 'e', 'e')
			}
			return w
		}
		if !hasVowel(w[:start]) {
			return w
		}
		w = w[:start]
		switch {
		case hasSuffix(w, "at"), hasSuffix(w, "bl"), hasSuffix(w, "iz"):
			w = append(w, 'e')
		case len(w) >= 2 && w[len(w)-1] == w[len(w)-2] && isDoubleEnding(w[len(w)-1]):
			w = w[:len(w)-1]
		case p1 >= len(w) && endsShortSyllable(w):
			w = append(w, 'e')
		}
		return w
	}
	return w
}

func isDoubleEnding(c byte) bool {
	switch c {
	case 'b', 'd', 'f', 'g', 'm', 'n', 'p', 'r', 't':
		return true
	}
	return false
}

func stepOneC(w []byte) []byte {
	n := len(w)
	if n > 2 && (w[n-1] == 'y' || w[n-1] == 'Y') && !isVowel(w[n-2]) {
		w[n-1] = 'i'
	}
	return w
}

// suffixRule replaces a suffix by another when the suffix lies in the region the step works on.
type suffixRule struct {
	suffix, replacement string
}

// stepTwoRules are ordered longest first, since the algorithm acts on the longest matching suffix only.
var stepTwoRules = []suffixRule{
	{"ization", "ize"}, {"ational", "ate"}, {"fulness", "ful"}, {"ousness", "ous"}, {"iveness", "ive"},
	{"tional", "tion"}, {"biliti", "ble"}, {"lessli", "less"},
	{"entli", "ent"}, {"ation", "ate"}, {"alism", "al"}, {"aliti", "al"}, {"ousli", "ous"},
	{"iviti", "ive"}, {"fulli", "ful"},
	{"enci", "ence"}, {"anci", "ance"}, {"abli", "able"}, {"izer", "ize"}, {"ator", "ate"},
	{"alli", "al"},
	{"bli", "ble"}, {"ogi", "og"},
	{"li", ""},
}

func stepTwo(w []byte, p1 int) []byte {
	last := w[len(w)-1]
	for _, r := range stepTwoRules {
		if r.suffix[len(r.suffix)-1] != last || !hasSuffix(w, r.suffix) {
			continue
		}
		start := len(w) - len(r.suffix)
		if start < p1 {
			return w
		}
		switch r.suffix {
		case "ogi":
			if start == 0 || w[start-1] != 'l' {
				return w
			}
		case "li":
			if start == 0 || !isValidLiEnding(w[start-1]) {
				return w
			}
		}
		return append(w[:start], r.replacement...)
	}
	return w
}

func isValidLiEnding(c byte) bool {
	switch c {
	case 'c', 'd', 'e', 'g', 'h', 'k', 'm', 'n', 'r', 't':
		return true
	}
	return false
}

var stepThreeRules = []suffixRule{
	{"ational", "ate"}, {"tional", "tion"},
	{"alize", "al"}, {"icate", "ic"}, {"iciti", "ic"}, {"ative", ""},
	{"ical", "ic"}, {"ness", ""},
	{"ful", ""},
}

func stepThree(w []byte, p1, p2 int) []byte {
	last := w[len(w)-1]
	for _, r := range stepThreeRules {
		if r.suffix[len(r.suffix)-1] != last || !hasSuffix(w, r.suffix) {
			continue
		}
		start := len(w) - len(r.suffix)
		if start < p1 || (r.suffix == "ative" && start < p2) {
			return w
		}
		return append(w[:start], r.replacement...)
	}
	return w
}

var stepFourSuffixes = []string{
	"ement",
	"ance", "ence", "able", "ible", "ment",
	"ant", "ent", "ism", "ate", "iti", "ous", "ive", "ize", "ion",
	"al", "er", "ic",
}

func stepFour(w []byte, p2 int) []byte {
	last := w[len(w)-1]
	for _, suffix := range stepFourSuffixes {
		if suffix[len(suffix)-1] != last || !hasSuffix(w, suffix) {
			continue
		}
		start := len(w) - len(suffix)
		if start < p2 {
			return w
		}
		if suffix == "ion" && (start == 0 || (w[start-1] != 's' && w[start-1] != 't')) {
			return w
		}
		return w[:start]
	}
	return w
}

func stepFive(w []byte, p1, p2 int) []byte {
	n := len(w)
	switch {
	case n > 0 && w[n-1] == 'e':
		if n-1 >= p2 || (n-1 >= p1 && !endsShortSyllable(w[:n-1])) {
			return w[:n-1]
		}
	case n > 1 && w[n-1] == 'l':
		if n-1 >= p2 && w[n-2] == 'l' {
			return w[:n-1]
		}
	}
	return w
}
