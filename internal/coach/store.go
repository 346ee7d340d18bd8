package coach

// QuestionFilter selects a page of questions.
type QuestionFilter struct {
	Topic      string
	Difficulty string
	Query      string // words to look for in the question text
	Limit      int
	After      string // cursor: the id of the last question of the previous page
}

// QuestionMatch is a stored question close to some text, with its similarity in [-1, 1].
type QuestionMatch struct {
	Question   Question
	Similarity float64
}

// Source is a document the bank was imported from.
type Source struct {
	Name        string // the import's identity: a file's base name or the name given at import
	Format      string
	Title       string
	URL         string
	ContentHash string
}

// ImportRecord is one reference answer to store with its question, key points, passages and the
// passages' vectors. Storing it is all or nothing.
type ImportRecord struct {
	Source Source
	Topic  Topic // created when missing
	// Question is nil for an orphan reference; when NewQuestion is set the question is created along
	// with QuestionVector.
	Question    *Question
	NewQuestion bool
	// QuestionKey is the normalised question text new questions are deduplicated on.
	QuestionKey    string
	QuestionVector []float32
	Reference      Reference // with its KeyPoints
	Passages       []string
	Vectors        [][]float32 // one per passage
	Model          string
}

// PassageText is a stored passage with the question it answers, as embedding input.
type PassageText struct {
	ID       int64
	Question string
	Text     string
}

// EmbeddingInput is the text embedded for a passage: the question it answers leads, so that searches
// phrased like questions find it, then the passage itself.
func EmbeddingInput(question, passage string) string {
	if question == "" {
		return passage
	}
	return question + "\n\n" + passage
}

// DocSource is a documentation corpus: its name (its identity in the bank), title, the release it
// documents and the public address its pages are served under.
type DocSource struct {
	Name    string
	Title   string
	Version string
	BaseURL string
}

// DocSectionRecord is one section of a documentation page, ready to store: a reference with no
// question, its heading path as title, its public URL, and its passages with their vectors.
type DocSectionRecord struct {
	Source      DocSource
	ID          string
	Location    string // file and anchor: "ref/csrf.html#how-it-works"
	Title       string
	URL         string
	Text        string
	ContentHash string
	Passages    []string
	Vectors     [][]float32
	Model       string
}
