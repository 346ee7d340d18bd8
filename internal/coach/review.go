package coach

// ReviewReport is what in the bank waits for an admin: draft key points, questions without an
// approved rubric, questions in the unsorted topic and questions that look like the same one.
type ReviewReport struct {
	// DraftKeyPoints counts every draft key point waiting for review.
	DraftKeyPoints int `json:"draft_key_points"`
	// Drafts lists the questions with drafts waiting, most drafts first.
	Drafts []ReviewQuestion `json:"drafts"`
	// WithoutRubric lists the questions with no approved key point: they are graded against drafts.
	WithoutRubric []ReviewQuestion `json:"without_rubric"`
	// Unsorted lists the questions whose topic the importer could not tell.
	Unsorted []ReviewQuestion `json:"unsorted"`
	// SuspectedDuplicates are pairs of questions close enough to be the same, for a merge.
	SuspectedDuplicates []SuspectedDuplicate `json:"suspected_duplicates"`
}

// ReviewQuestion is a question of a review report with the count of its key points by status.
type ReviewQuestion struct {
	ID       string `json:"id"`
	Topic    string `json:"topic"`
	Text     string `json:"text"`
	Approved int    `json:"approved"`
	Drafts   int    `json:"drafts"`
}

// SuspectedDuplicate is a pair of questions whose vectors are close.
type SuspectedDuplicate struct {
	A          ReviewQuestion `json:"a"`
	B          ReviewQuestion `json:"b"`
	Similarity float64        `json:"similarity"`
}
