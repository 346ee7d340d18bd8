package coach

import "time"

// Import job states.
const (
	JobQueued  = "queued"
	JobRunning = "running"
	JobDone    = "done"
	JobFailed  = "failed"
)

// ImportJob is an import run in the background: its state, its progress while it runs and its
// report once done.
type ImportJob struct {
	ID         int64          `json:"id"`
	State      string         `json:"state"`
	CreatedAt  time.Time      `json:"created_at"`
	StartedAt  *time.Time     `json:"started_at,omitempty"`
	FinishedAt *time.Time     `json:"finished_at,omitempty"`
	Attempts   int            `json:"attempts"`
	Progress   ImportProgress `json:"progress"`
	// Summary is the import report, set once the job is done; files that failed are in its Failed,
	// and nothing of them is stored.
	Summary *ImportSummary `json:"summary,omitempty"`
	Error   string         `json:"error,omitempty"`
}

// ImportProgress is how far an import job has come. Questions, References and Passages count what
// files done stored, plus what the file in progress has stored so far in its transaction (it is
// committed only when the whole file is).
type ImportProgress struct {
	FilesTotal  int    `json:"files_total"`
	FilesDone   int    `json:"files_done"`
	DraftsTotal int    `json:"drafts_total"`
	DraftsDone  int    `json:"drafts_done"`
	Questions   int    `json:"questions"`
	References  int    `json:"references"`
	Passages    int    `json:"passages"`
	Current     string `json:"current,omitempty"`
}

// ImportJobFile is one file of an import job.
type ImportJobFile struct {
	Ordinal int
	Name    string
	Drafts  int
	Done    bool
	Summary *ImportSummary
	Error   string
}
