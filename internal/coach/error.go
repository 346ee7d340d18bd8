package coach

import (
	"errors"
	"fmt"
)

// Error codes. The HTTP layer maps each to a status; the CLI prints the message.
const (
	ECONFLICT     = "conflict"
	EINTERNAL     = "internal"
	EINVALID      = "invalid"
	ENOTFOUND     = "not_found"
	ETOOLARGE     = "too_large"
	EUNAVAILABLE  = "unavailable"
	EUNAUTHORIZED = "unauthorized"
	EFORBIDDEN    = "forbidden"
	ERATELIMITED  = "rate_limited"
	// EUPSTREAM is a dependency (the language model server) refusing a request or answering it
	// unusably for a reason sending it again will not cure, such as a parameter the model does not
	// accept: an operator must change the configuration.
	EUPSTREAM = "upstream_error"
)

// Error is an error meant for the user: a code and a message safe to show.
type Error struct {
	Code    string
	Message string
}

// Error implements the error interface.
func (e *Error) Error() string {
	return fmt.Sprintf("%s: %s", e.Code, e.Message)
}

// Errorf returns an *Error with the given code and formatted message.
func Errorf(code, format string, args ...any) *Error {
	return &Error{Code: code, Message: fmt.Sprintf(format, args...)}
}

// ErrorCode returns the code of the first *Error in err's chain, EINTERNAL for any other error and ""
// for nil.
func ErrorCode(err error) string {
	var e *Error
	if err == nil {
		return ""
	} else if errors.As(err, &e) {
		return e.Code
	}
	return EINTERNAL
}

// ErrorMessage returns the message of the first *Error in err's chain, or "internal error" for any
// other error, so internals never reach users.
func ErrorMessage(err error) string {
	var e *Error
	if err == nil {
		return ""
	} else if errors.As(err, &e) {
		return e.Message
	}
	return "internal error"
}

// maxEchoRunes is the most of a caller's value that an error message repeats.
const maxEchoRunes = 80

// Echo quotes a value the caller sent, for an error message, cut to its first 80 characters: a
// message names what was wrong without repeating a megabyte back.
func Echo(s string) string {
	r := []rune(s)
	if len(r) <= maxEchoRunes {
		return fmt.Sprintf("%q", s)
	}
	return fmt.Sprintf("%q… (%d characters)", string(r[:maxEchoRunes]), len(r))
}

// ENOREFERENCE is the code of a grade refused because nothing in the bank is close enough to the
// question to grade against (see NoReference).
const ENOREFERENCE = "no_reference"

// ClosestQuestion is a bank question near a typed one, with its similarity in [-1, 1].
type ClosestQuestion struct {
	QuestionID string  `json:"question_id"`
	Question   string  `json:"question"`
	Similarity float64 `json:"similarity"`
}

// NoReference is the error of a typed question the offline grader will not grade: no bank question
// is at least MinSimilarity close to it, and grading against unrelated references would give a
// score that means nothing. Closest lists the nearest questions, best first, so the caller can see
// what the bank holds. Its code is ENOREFERENCE.
type NoReference struct {
	Question      string
	MinSimilarity float64
	Closest       []ClosestQuestion
	// ClosestDocs are the documentation sections nearest to the question, best first, when a
	// documentation corpus is imported; none reached MinDocsSimilarity.
	ClosestDocs       []ClosestSection
	MinDocsSimilarity float64
}

// ClosestSection is a documentation section near a typed question: its heading path, public
// address and the similarity of its closest passage.
type ClosestSection struct {
	Title      string  `json:"title"`
	URL        string  `json:"url"`
	Similarity float64 `json:"similarity"`
}

// Error implements the error interface.
func (e *NoReference) Error() string {
	return ENOREFERENCE + ": " + e.Message()
}

// Message says what happened and what to do about it, in one line fit to show users.
func (e *NoReference) Message() string {
	m := "nothing in the question bank is close enough to this question to grade the answer offline"
	if len(e.Closest) > 0 {
		c := e.Closest[0]
		m += fmt.Sprintf(" (the closest is %q, similarity %.2f; grading needs %.2f)", c.Question, c.Similarity, e.MinSimilarity)
	}
	if len(e.ClosestDocs) > 0 {
		d := e.ClosestDocs[0]
		m += fmt.Sprintf(", nor is any documentation section (the closest is %q, similarity %.2f; grading needs %.2f)", d.Title, d.Similarity, e.MinDocsSimilarity)
	}
	return m + ". Add a reference answer for it (coach ingest FILE, or POST /api/v1/bank/import), " +
		"pick a bank question instead, or configure a language model (OPENAI_API_KEY, COACH_GRADER=llm), which can grade any question"
}

// Unwrap makes the error an *Error of code ENOREFERENCE to ErrorCode and ErrorMessage.
func (e *NoReference) Unwrap() error {
	return &Error{Code: ENOREFERENCE, Message: e.Message()}
}
