package text

// IsStopword reports whether the lowercase word carries no topic of its own: function words (the
// Snowball English list), modal verbs, contractions and the abbreviations "e.g.", "i.e." and "etc.".
// Negations are stopwords too; IsNegation tells them apart, because a grader must not ignore them.
func IsStopword(word string) bool {
	_, ok := stopwords[word]
	return ok
}

// IsNegation reports whether the lowercase word negates what follows it: not, no, never, nothing,
// without, cannot and the n't contractions, with or without the apostrophe.
func IsNegation(word string) bool {
	if isNeg, ok := stopwords[word]; ok {
		return isNeg
	}
	return len(word) > 3 && word[len(word)-3:] == "n't"
}

// stopwords maps each stopword to whether it is a negation.
var stopwords = func() map[string]bool {
	m := make(map[string]bool, 256)
	for _, w := range []string{
		"i", "me", "my", "myself", "we", "our", "ours", "ourselves", "you", "your", "yours", "yourself",
		"yourselves", "he", "him", "his", "himself", "she", "her", "hers", "herself", "it", "its", "itself",
		"they", "them", "their", "theirs", "themselves", "what", "which", "who", "whom", "whose", "this",
		"that", "these", "those", "am", "is", "are", "was", "were", "be", "been", "being", "have", "has",
		"had", "having", "do", "does", "did", "doing", "would", "should", "could", "ought", "might",
		"must", "shall", "will", "can", "may",
		"i'm", "you're", "he's", "she's", "it's", "we're", "they're", "i've", "you've", "we've",
		"they've", "i'd", "you'd", "he'd", "she'd", "we'd", "they'd", "i'll", "you'll", "he'll",
		"she'll", "we'll", "they'll", "let's", "that's", "who's", "what's", "here's", "there's",
		"when's", "where's", "why's", "how's", "im", "ive", "youre", "thats", "whats", "lets", "theres",
		"a", "an", "the", "and", "but", "if", "or", "because", "as", "until", "while", "of", "at", "by",
		"for", "with", "about", "against", "between", "into", "through", "during", "before", "after",
		"above", "below", "to", "from", "up", "down", "in", "out", "on", "off", "over", "under", "again",
		"further", "then", "once", "here", "there", "when", "where", "why", "how", "all", "any", "both",
		"each", "few", "more", "most", "other", "some", "such", "only", "own", "same", "so", "than",
		"too", "very", "just", "also", "s", "t", "e.g", "i.e", "eg", "ie", "etc", "every", "per", "via",
		"upon", "within", "among", "across", "along", "onto", "toward", "towards", "whether", "either",
		"else", "ever", "much", "however", "although", "though", "whereas", "unless", "instead",
		"rather", "thus", "therefore", "hence", "yet", "like",
	} {
		m[w] = false
	}
	for _, w := range []string{
		"no", "not", "nor", "never", "none", "nobody", "nothing", "neither", "nowhere", "cannot", "without",
		"isn't", "aren't", "wasn't", "weren't", "hasn't", "haven't", "hadn't", "doesn't", "don't",
		"didn't", "won't", "wouldn't", "shan't", "shouldn't", "can't", "couldn't", "mustn't", "needn't",
		"ain't", "isnt", "arent", "wasnt", "werent", "hasnt", "havent", "hadnt", "doesnt", "dont", "didnt",
		"wont", "wouldnt", "shouldnt", "cant", "couldnt", "mustnt", "neednt", "aint",
	} {
		m[w] = true
	}
	return m
}()
