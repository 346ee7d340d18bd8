// Package text is the text analysis shared by the embedder, the offline grader and the importer:
// normalisation for duplicate detection, tokens that keep code names whole, the Porter2 stemmer,
// stopwords and negation, a synonym table of software vocabulary, and sentence splitting that
// survives abbreviations, list items and code. Everything is deterministic and allocation-conscious:
// grading thousands of answers must take seconds, not minutes.
package text
