package coach

import "time"

// Session is a candidate's practice session: a run of questions, optionally limited to some topics
// and one difficulty, whose attempts are linked to it. Reading it or adding to it takes its token,
// which only the candidate holds; the store keeps only the token's SHA-256 hash. Its plan may end it
// after QuestionCount questions, and show a countdown of AnswerSeconds per answer.
type Session struct {
	ID         string   `json:"id"`
	Name       string   `json:"name"`
	Topic      string   `json:"topic"`      // the one topic of the plan; "" for several or every topic
	Topics     []string `json:"topic_ids"`  // every topic of the plan; [] for every topic
	Difficulty string   `json:"difficulty"` // "" for every difficulty
	// QuestionCount is how many questions the plan asks (0: no end); AnswerSeconds the time per
	// answer shown as a countdown (0: none), which is recorded with each answer, never enforced.
	QuestionCount int        `json:"question_count"`
	AnswerSeconds int        `json:"answer_seconds"`
	EndedAt       *time.Time `json:"ended_at"` // when the candidate ended it; null while it runs
	CreatedAt     time.Time  `json:"created_at"`
	TokenHash     []byte     `json:"-"`
}

// Limits of a session plan.
const (
	MaxSessionTopics    = 20
	MaxSessionQuestions = 100
	MaxAnswerSeconds    = 3600
)

// SessionRequest asks for a new practice session; every field is optional. Topic is one topic,
// Topics (topic_ids) several; giving both is an error.
type SessionRequest struct {
	Topic         string   `json:"topic"`
	Topics        []string `json:"topic_ids"`
	Difficulty    string   `json:"difficulty"`
	Name          string   `json:"name"`
	QuestionCount int      `json:"question_count"`
	AnswerSeconds int      `json:"answer_seconds"`
}

// SessionAttempt is an attempt of a session with the topic of its question ("" when the question is
// not in the bank).
type SessionAttempt struct {
	Attempt Attempt
	Topic   string
}

// Reasons a question is asked next.
const (
	ReasonUnseen = "unseen" // not yet answered in this session
	ReasonReview = "review" // answered before; asked again by the review schedule
	ReasonOnly   = "only"   // the session's filter matches this one question only
)

// SessionQuestion is a question as a session asks it: without its references, so the answer is not
// given away.
type SessionQuestion struct {
	ID         string   `json:"id"`
	Topic      string   `json:"topic"`
	Text       string   `json:"text"`
	Difficulty string   `json:"difficulty"`
	Tags       []string `json:"tags"`
}

// KeyPointRef names one key point of a rubric.
type KeyPointRef struct {
	ID   string `json:"id"`
	Text string `json:"text"`
}

// NextQuestion is the question a session asks next, why, and when it comes back for review the key
// points the candidate missed last time.
type NextQuestion struct {
	Question        SessionQuestion `json:"question"`
	Reason          string          `json:"reason"`
	ReviewKeyPoints []KeyPointRef   `json:"review_key_points"`
}

// HistoryItem is one attempt of a session, in brief.
type HistoryItem struct {
	AttemptID  string    `json:"attempt_id"`
	QuestionID string    `json:"question_id"`
	Question   string    `json:"question"`
	Topic      string    `json:"topic"`
	Score      int       `json:"score"`
	Band       string    `json:"band"`
	CreatedAt  time.Time `json:"created_at"`
}

// KeyPointMisses is a key point and how many attempts of a session missed it.
type KeyPointMisses struct {
	ID     string `json:"id"`
	Text   string `json:"text"`
	Misses int    `json:"misses"`
}

// TopicSummary sums up a session's attempts on one topic. Trend is the mean score of the later half
// of the attempts minus that of the earlier half (0 with fewer than two attempts).
type TopicSummary struct {
	Topic            string           `json:"topic"`
	Attempts         int              `json:"attempts"`
	MeanScore        float64          `json:"mean_score"`
	Trend            float64          `json:"trend"`
	WeakestKeyPoints []KeyPointMisses `json:"weakest_key_points"`
}

// SessionSummary is a session with its history and per-topic figures. Answers and MeanScore sum up
// the whole history, so that a list of sessions needs nothing more.
type SessionSummary struct {
	Session
	Answers   int     `json:"answers"`
	MeanScore float64 `json:"mean_score"`
	// Asked counts the answers to the session's questions (follow-up answers aside), which is what
	// the plan's QuestionCount counts; Done is set once the plan is done or the candidate ended it.
	Asked   int            `json:"asked"`
	Done    bool           `json:"done"`
	History []HistoryItem  `json:"history"`
	Topics  []TopicSummary `json:"topics"`
}

// ReportAttempt is one attempt of a session report, with everything the candidate needs to review it.
type ReportAttempt struct {
	AttemptID  string `json:"attempt_id"`
	QuestionID string `json:"question_id"`
	Question   string `json:"question"`
	Topic      string `json:"topic"`
	Answer     string `json:"answer"`
	Score      int    `json:"score"`
	Band       string `json:"band"`
	Grounded   bool   `json:"grounded"`
	// GroundedIn says what a grounded grade rests on (GroundedInBank, GroundedInDocs).
	GroundedIn string `json:"grounded_in,omitempty"`
	// References are those the grade rests on and cites, with their addresses.
	References []RetrievedReference `json:"references"`
	// Grader says who graded: the offline grader, or which model with which prompt version.
	Grader         GraderInfo      `json:"grader"`
	KeyPoints      []Judgement     `json:"key_points"`
	Misconceptions []Misconception `json:"misconceptions"`
	Feedback       Feedback        `json:"feedback"`
	FollowUps      []FollowUp      `json:"followups"`
	// FollowUp is set when the attempt answered a follow-up question of an earlier attempt.
	FollowUp *FollowUpRef `json:"followup,omitempty"`
	// Timing is the time the answer took against the time the plan allowed, when recorded.
	Timing    *AnswerTiming `json:"timing,omitempty"`
	CreatedAt time.Time     `json:"created_at"`
}

// SessionReport is the downloadable record of a session: every attempt in full and the per-topic
// summary.
type SessionReport struct {
	Session
	Attempts []ReportAttempt `json:"attempts"`
	Topics   []TopicSummary  `json:"topics"`
	// TopicNames maps the topic ids of the report to their names, as the bank shows them.
	TopicNames map[string]string `json:"topic_names"`
}

// Retrieval is what grading has found before the grader runs: the resolved question and the
// references its grade will rest on.
type Retrieval struct {
	QuestionID string               `json:"question_id"`
	Question   string               `json:"question"`
	Grounded   bool                 `json:"grounded"`
	GroundedIn string               `json:"grounded_in,omitempty"`
	References []RetrievedReference `json:"references"`
}
