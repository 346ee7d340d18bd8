package coach

import "time"

// Document is one file handed to the importer.
type Document struct {
	Name string
	Data []byte
}

// ImportSummary counts what an import did.
type ImportSummary struct {
	Files      int `json:"files"`
	Drafts     int `json:"drafts"`
	Questions  int `json:"questions"`  // new questions
	References int `json:"references"` // new references
	KeyPoints  int `json:"key_points"` // new key points
	// DraftKeyPoints of them wait for review; DuplicateKeyPoints were not stored, as the question's
	// rubric already said the same.
	DraftKeyPoints     int             `json:"draft_key_points"`
	DuplicateKeyPoints int             `json:"duplicate_key_points"`
	Passages           int             `json:"passages"`         // new passages
	Duplicates         int             `json:"duplicates"`       // references already stored, left as they were
	Merged             int             `json:"merged"`           // references added to a question another source had
	OrphansAttached    int             `json:"orphans_attached"` // answers without question attached to a stored one
	OrphansKept        int             `json:"orphans_kept"`     // answers without question kept as bare passages
	Skipped            []ImportSkipped `json:"skipped"`
	// Warnings are blocks imported in part, as an answer cut to the size limit, and why.
	Warnings []ImportSkipped `json:"warnings,omitempty"`
	Failed   []ImportFailure `json:"failed"`
	// Message, when set, says in words what the counts mean, as "already imported: nothing changed".
	Message string `json:"message,omitempty"`
	// Review, when set, is what the bank holds for review after the import.
	Review *ReviewReport `json:"review,omitempty"`
}

// ImportSkipped is a block of a document that was not imported, and why.
type ImportSkipped struct {
	Source   string `json:"source"`
	Location string `json:"location"`
	Reason   string `json:"reason"`
}

// ImportFailure is a document that could not be imported.
type ImportFailure struct {
	Source string `json:"source"`
	Error  string `json:"error"`
}

// Add merges o's counts into s.
func (s *ImportSummary) Add(o *ImportSummary) {
	s.Files += o.Files
	s.Drafts += o.Drafts
	s.Questions += o.Questions
	s.References += o.References
	s.KeyPoints += o.KeyPoints
	s.DraftKeyPoints += o.DraftKeyPoints
	s.DuplicateKeyPoints += o.DuplicateKeyPoints
	s.Passages += o.Passages
	s.Duplicates += o.Duplicates
	s.Merged += o.Merged
	s.OrphansAttached += o.OrphansAttached
	s.OrphansKept += o.OrphansKept
	s.Skipped = append(s.Skipped, o.Skipped...)
	s.Warnings = append(s.Warnings, o.Warnings...)
	s.Failed = append(s.Failed, o.Failed...)
}

// ReindexSummary says what a reindex embedded, and with which model.
type ReindexSummary struct {
	Passages   int    `json:"passages"`
	Questions  int    `json:"questions"`
	Model      string `json:"model"`
	Dimensions int    `json:"dimensions"`
}

// Vectors names the rows of one kind (passages or questions) to store vectors for: the vectors of the
// passages first, in order, then those of the questions.
type Vectors struct {
	PassageIDs  []int64
	QuestionIDs []string
	Vectors     [][]float32
}

// PurgeSummary counts what a purge removed.
type PurgeSummary struct {
	Before   time.Time `json:"before"`
	Attempts int64     `json:"attempts"`
	Sessions int64     `json:"sessions"`
}
