package grading

import "time"

// Observer is told how long grading's steps take, for metrics. Its methods must be quick and safe for
// concurrent use.
type Observer interface {
	// ObserveGrading reports one judgement of an answer by the grader of kind grader ("llm" or
	// "offline"): how long it took, its error (nil on success) and whether it was the offline
	// fallback for an unavailable model.
	ObserveGrading(grader string, fallback bool, err error, d time.Duration)
	// ObserveRetrieval reports how long retrieving the references took; op is "grade".
	ObserveRetrieval(op string, d time.Duration)
}

type nopObserver struct{}

func (nopObserver) ObserveGrading(string, bool, error, time.Duration) {}
func (nopObserver) ObserveRetrieval(string, time.Duration)            {}

func (s *Service) observer() Observer {
	if s.Observer == nil {
		return nopObserver{}
	}
	return s.Observer
}
