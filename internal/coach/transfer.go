package coach

import "time"

// BankFormat and BankVersion name the bank file: a whole question bank as one JSON document, to move
// it between servers. It holds everything the bank is made of except vectors, which depend on the
// embedding model and are computed again where the file is imported, and the audit trail of edits,
// which belongs to the server where they were made. Version 2 added each key point's weight and
// review status, each source's URL and each question's rubric version; a version 1 file is still
// read, its authored key points approved and the others drafts, as migration 005 did.
const (
	BankFormat  = "coach-bank"
	BankVersion = 2
)

// BankFile is a whole question bank. Every list is in a fixed order (topics and questions by id,
// sources by name, references by creation, key points and passages by ordinal), so exporting the
// same bank twice gives the same bytes.
type BankFile struct {
	Format    string          `json:"format"`
	Version   int             `json:"version"`
	Topics    []BankTopic     `json:"topics"`
	Sources   []BankSource    `json:"sources"`
	Questions []BankQuestion  `json:"questions"`
	Orphans   []BankReference `json:"orphans"` // references whose question was lost
}

// BankTopic is a topic of a bank file.
type BankTopic struct {
	ID        string    `json:"id"`
	Name      string    `json:"name"`
	CreatedAt time.Time `json:"created_at"`
}

// BankSource is a document a bank was imported from.
type BankSource struct {
	Name        string    `json:"name"`
	Format      string    `json:"format"`
	Title       string    `json:"title"`
	URL         string    `json:"url,omitempty"`
	ContentHash string    `json:"content_hash"`
	ImportedAt  time.Time `json:"imported_at"`
}

// BankQuestion is a question with its references.
type BankQuestion struct {
	ID         string   `json:"id"`
	Topic      string   `json:"topic"`
	Text       string   `json:"text"`
	Difficulty string   `json:"difficulty"`
	Tags       []string `json:"tags"`
	// RubricVersion carries the question's rubric version over, so that attempts graded elsewhere
	// keep naming a version the importing server knows as an earlier one.
	RubricVersion int             `json:"rubric_version,omitempty"`
	CreatedAt     time.Time       `json:"created_at"`
	References    []BankReference `json:"references"`
}

// BankReference is a reference answer with its key points and retrievable passages. Source names
// one of the file's sources.
type BankReference struct {
	ID          string         `json:"id"`
	Source      string         `json:"source"`
	Location    string         `json:"location"`
	Text        string         `json:"text"`
	ContentHash string         `json:"content_hash"`
	CreatedAt   time.Time      `json:"created_at"`
	KeyPoints   []BankKeyPoint `json:"key_points"`
	Passages    []string       `json:"passages"`
}

// BankKeyPoint is a key point of a reference.
type BankKeyPoint struct {
	ID      string `json:"id"`
	Ordinal int    `json:"ordinal"`
	Text    string `json:"text"`
	Origin  string `json:"origin"`
	// Weight and Status: see KeyPoint. Missing (version 1 files), the weight is core and the status
	// follows the origin: authored key points approved, others drafts.
	Weight float64 `json:"weight,omitempty"`
	Status string  `json:"status,omitempty"`
}

// BankImport is a bank file made ready to store: with each question's deduplication key and the
// vectors of its questions and passages, of Model.
type BankImport struct {
	File            *BankFile
	QuestionKeys    map[string]string      // question id → normalised text
	QuestionVectors map[string][]float32   // question id → vector
	PassageVectors  map[string][][]float32 // reference id → one vector per passage
	Model           string
}

// BankImportSummary counts what importing a bank file added; what the bank already held is left as
// it was.
type BankImportSummary struct {
	Topics     int `json:"topics"`
	Sources    int `json:"sources"`
	Questions  int `json:"questions"`
	References int `json:"references"`
	KeyPoints  int `json:"key_points"`
	Passages   int `json:"passages"`
	Existing   int `json:"existing"` // references already stored, left as they were
}
