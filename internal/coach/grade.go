package coach

import (
	"context"
	"time"
)

// Key point statuses a grader may give.
const (
	StatusCovered      = "covered"
	StatusPartial      = "partial"
	StatusMissing      = "missing"
	StatusContradicted = "contradicted"
)

// ValidStatus reports whether s is a known key point status.
func ValidStatus(s string) bool {
	return s == StatusCovered || s == StatusPartial || s == StatusMissing || s == StatusContradicted
}

// Grader kinds.
const (
	GraderOffline = "offline"
	GraderLLM     = "llm"
)

// GradeInput is what a grader judges: a question, the candidate's answer and the references (with
// their key points) to judge it against.
type GradeInput struct {
	Question   string
	Answer     string
	References []Reference
	// Related are other bank questions close to this one, which graders may turn into follow-ups.
	Related []Question
	// FollowUps is how many follow-up questions are wanted (1-5).
	FollowUps int
}

// Judgement is a grader's verdict on one key point.
type Judgement struct {
	KeyPointID  string `json:"id"`
	Text        string `json:"text"`
	Status      string `json:"status"`
	Evidence    string `json:"evidence"`
	ReferenceID string `json:"reference_id"`
	// Credit is the degree of a partial judgement, in [0.25, 0.75]; 0 (unset) counts as 0.5. A
	// grader that can tell a near miss from a bare mention says so here, and Score uses it.
	Credit float64 `json:"credit,omitempty"`
	// Weight is the key point's weight in the rubric (KeyPoint.Weight), copied by the grader so
	// that Score can weigh it; 0 counts as WeightCore.
	Weight float64 `json:"weight,omitempty"`
	// Note says, when set, why the grader is unsure of this verdict (a weak alignment, a claim it
	// cannot verify): an honest grader says so rather than claim a key point covered.
	Note string `json:"note,omitempty"`
}

// weightOf returns what judgement j weighs in the score.
func weightOf(j Judgement) float64 {
	if j.Weight <= 0 {
		return WeightCore
	}
	return j.Weight
}

// Misconception is a claim of the answer that a reference contradicts.
type Misconception struct {
	Claim       string `json:"claim"`
	Correction  string `json:"correction"`
	ReferenceID string `json:"reference_id"`
}

// Remark is one point of feedback and the references it rests on.
type Remark struct {
	Text         string   `json:"text"`
	ReferenceIDs []string `json:"reference_ids"`
}

// Feedback is the written part of a grade.
type Feedback struct {
	Summary      string   `json:"summary"`
	Strengths    []Remark `json:"strengths"`
	Improvements []Remark `json:"improvements"`
	ModelAnswer  string   `json:"model_answer"`
	// ModelAnswerRefs are the references the model answer was built from.
	ModelAnswerRefs []string `json:"model_answer_reference_ids"`
}

// FollowUp is a question an interviewer can ask next, aimed at a gap of the answer.
type FollowUp struct {
	Question       string `json:"question"`
	Targets        string `json:"targets"` // the key point id it probes
	TargetText     string `json:"target_text,omitempty"`
	ExpectedAnswer string `json:"expected_answer"`
	ReferenceID    string `json:"reference_id"`
}

// Usage counts the tokens a model call used.
type Usage struct {
	PromptTokens     int `json:"prompt_tokens"`
	CompletionTokens int `json:"completion_tokens"`
	TotalTokens      int `json:"total_tokens"`
}

// Judged is what a grader returns; the score is computed from it by the server, not by the grader.
type Judged struct {
	Judgements     []Judgement
	Misconceptions []Misconception
	Feedback       Feedback
	FollowUps      []FollowUp
	// Off is set when the grader found the answer empty, off-topic, a copy of the question or an
	// attempt to instruct the grader; the score is then capped.
	Off string
	// Kind, Model and PromptVersion identify who judged.
	Kind          string
	Model         string
	PromptVersion string
	Raw           string
	Usage         Usage
	// Call records how the model was asked (nil for graders without a model), for audit.
	Call *ModelCall
	// Warnings are what the grader wants the candidate and the operator to know about this grade,
	// such as a prompt the model server cut short.
	Warnings []string
}

// ModelCall records the settings a language model call actually used, which may differ from those
// configured: a server that refuses a parameter is asked again without it. Pointers are nil when the
// parameter was not sent, so the server's default applied.
type ModelCall struct {
	// ResponseFormat is json_schema, json_object or none (the prompt alone asks for JSON).
	ResponseFormat string `json:"response_format"`
	// Temperature is the sampling temperature sent; nil for reasoning models, which take none.
	Temperature *float64 `json:"temperature"`
	// Seed is the sampling seed sent.
	Seed *int `json:"seed"`
	// MaxTokens is the completion token limit sent, and TokenParam the parameter that carried it
	// (max_tokens or max_completion_tokens; empty when none was sent).
	MaxTokens  int    `json:"max_tokens,omitempty"`
	TokenParam string `json:"token_param,omitempty"`
	// ReasoningEffort is the reasoning effort sent; empty for the provider's default.
	ReasoningEffort string `json:"reasoning_effort,omitempty"`
	// SystemFingerprint is the server's identifier of its configuration, where it reports one.
	SystemFingerprint string `json:"system_fingerprint"`
	// Requests counts the requests the answer took: 1 normally, more after a refused parameter, a
	// reply cut off, a timeout or a repair.
	Requests int `json:"requests"`
}

// Grader judges an answer against references.
type Grader interface {
	Grade(ctx context.Context, in GradeInput) (*Judged, error)
}

// GraderInfo says who graded an attempt.
type GraderInfo struct {
	Kind          string `json:"kind"`
	Model         string `json:"model"`
	PromptVersion string `json:"prompt_version"` // empty for the offline grader, which has no prompt
	Fallback      bool   `json:"fallback"`
	// FallbackReason says why the language model did not grade a fallback grade, in a sentence.
	FallbackReason string `json:"fallback_reason,omitempty"`
}

// RetrievedReference is a reference used to grade an attempt, as shown to users.
type RetrievedReference struct {
	ID         string  `json:"id"`
	QuestionID string  `json:"question_id,omitempty"`
	Question   string  `json:"question"`
	Source     string  `json:"source"`
	SourceURL  string  `json:"source_url,omitempty"`
	Excerpt    string  `json:"excerpt"`
	Similarity float64 `json:"similarity"`
	// Kind is where the reference comes from (SourceBank, SourcePage, SourceDocs), when known.
	Kind string `json:"kind,omitempty"`
	// Title is a documentation section's heading path; SourceURL is then the section's public URL.
	Title string `json:"title,omitempty"`
}

// What a grounded grade rests on (Attempt.GroundedIn).
const (
	// GroundedInBank: a bank question's rubric.
	GroundedInBank = "bank"
	// GroundedInDocs: key points drawn from the sentences of close documentation sections.
	GroundedInDocs = "docs"
)

// Attempt is one graded answer, stored with everything needed to audit and re-run it.
type Attempt struct {
	ID         string `json:"attempt_id"`
	SessionID  string `json:"session_id,omitempty"`
	QuestionID string `json:"question_id,omitempty"`
	Question   string `json:"question"`
	Answer     string `json:"answer"`
	Score      int    `json:"score"`
	Band       string `json:"band"`
	Grounded   bool   `json:"grounded"`
	// GroundedIn says what a grounded grade rests on: GroundedInBank or GroundedInDocs.
	GroundedIn     string               `json:"grounded_in,omitempty"`
	Warnings       []string             `json:"warnings"`
	KeyPoints      []Judgement          `json:"key_points"`
	Misconceptions []Misconception      `json:"misconceptions"`
	Feedback       Feedback             `json:"feedback"`
	FollowUps      []FollowUp           `json:"followups"`
	References     []RetrievedReference `json:"references"`
	// RubricVersion is the version of the question's rubric the answer was judged against (0 when
	// it was not judged against one question's rubric); RubricStatus says whether that rubric was
	// approved or, for a question not reviewed yet, drafts (coach.RubricApproved, RubricDraft).
	RubricVersion int    `json:"rubric_version,omitempty"`
	RubricStatus  string `json:"rubric_status,omitempty"`
	// FollowUp is set when the answer was to a follow-up question of an earlier attempt, and then
	// only the key point that follow-up probes was judged.
	FollowUp *FollowUpRef `json:"followup,omitempty"`
	// Timing is the time the answer took against the time allowed, when the page said.
	Timing *AnswerTiming `json:"timing,omitempty"`
	Grader GraderInfo    `json:"grader"`
	// ModelCall is how the language model was asked; absent for offline grades and reused ones.
	ModelCall *ModelCall `json:"model_call,omitempty"`
	// Reused is set when the grade is that of an earlier identical grading (same question, answer,
	// rubric and grader), returned without grading again.
	Reused    bool      `json:"reused"`
	Usage     Usage     `json:"usage"`
	LatencyMS int64     `json:"latency_ms"`
	Raw       string    `json:"-"`
	CreatedAt time.Time `json:"created_at"`
}

// GradeRequest asks for an answer to be graded: to a bank question (QuestionID) or to any question
// text (Question).
type GradeRequest struct {
	QuestionID string `json:"question_id,omitempty"`
	Question   string `json:"question,omitempty"`
	Answer     string `json:"answer"`
	SessionID  string `json:"session_id,omitempty"`
	// FollowUps is how many follow-up questions to write (1-5; 0 means the default of 3).
	FollowUps int `json:"count,omitempty"`
	// FollowUp, when set, answers a follow-up question of an earlier attempt: the answer is graded
	// against the key point that follow-up probes, not against whatever its wording resembles.
	FollowUp *FollowUpRef `json:"followup,omitempty"`
	// Timing, when set, is how long the candidate took against the time the session's plan gave.
	Timing *AnswerTiming `json:"timing,omitempty"`
}

// AnswerTiming records the time an answer took against the time allowed (0: none). It is recorded,
// never enforced: an answer over time is graded like any other.
type AnswerTiming struct {
	LimitSeconds   int `json:"limit_seconds"`
	ElapsedSeconds int `json:"elapsed_seconds"`
}

// FollowUpRef names one follow-up question of a stored attempt.
type FollowUpRef struct {
	AttemptID string `json:"attempt_id"`
	Index     int    `json:"index"`
}
