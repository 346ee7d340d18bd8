package ingest_test

import (
	"math"
	"strings"
	"testing"

	"github.com/interviewcoach/coach/internal/coach"
	"github.com/interviewcoach/coach/internal/ingest"
)

func TestParseThresholds(t *testing.T) {
	t.Parallel()
	custom := ingest.Local
	custom.KeyPoint, custom.Suspect = 0.82, 0.9
	for _, tt := range []struct {
		in   string
		want ingest.Thresholds
		err  string
	}{
		{"", ingest.Local, ""},
		{" key_point=0.82, suspect = 0.9 ", custom, ""},
		{ingest.Local.String(), ingest.Local, ""},
		{"key_point", ingest.Local, `"key_point" is not name=value`},
		{"colour=0.5", ingest.Local, "attach, key_point, merge, suspect, topic, topic_margin"},
		{"topic=1.2", ingest.Local, "topic=1.2 is not a number between 0 and 1"},
		{"merge=high", ingest.Local, "merge=high"},
		{"suspect=0", ingest.Local, "suspect=0"},
	} {
		got, err := ingest.ParseThresholds(tt.in)
		if (err == nil) != (tt.err == "") || (err != nil && !strings.Contains(err.Error(), tt.err)) {
			t.Errorf("ParseThresholds(%q) error = %v, want one naming %q", tt.in, err, tt.err)
		}
		if got != tt.want {
			t.Errorf("ParseThresholds(%q) = %+v, want %+v", tt.in, got, tt.want)
		}
	}
}

// A pair of key points (or questions) as close as the local embedder's paraphrases is the same
// statement under the local thresholds, and not under an embedder's stricter ones.
func TestThresholdsDecide(t *testing.T) {
	t.Parallel()
	a := []float32{1, 0}
	b := []float32{0.7, float32(math.Sqrt(1 - 0.49))} // cosine 0.7
	strict, err := ingest.ParseThresholds("key_point=0.8,topic=0.6")
	if err != nil {
		t.Fatal(err)
	}
	if !ingest.Local.SameKeyPoint("Views return responses.", "A response is what a view gives back.", a, b) {
		t.Error("local thresholds: cosine 0.7 is not the same key point")
	}
	if strict.SameKeyPoint("Views return responses.", "A response is what a view gives back.", a, b) {
		t.Error("key_point=0.8: cosine 0.7 is the same key point")
	}
	matches := []coach.QuestionMatch{
		{Question: coach.Question{TopicID: "views"}, Similarity: 0.5},
		{Question: coach.Question{TopicID: "views"}, Similarity: 0.48},
	}
	if got := ingest.Local.ClearTopic(matches); got != "views" {
		t.Errorf("local thresholds: topic %q, want views", got)
	}
	if got := strict.ClearTopic(matches); got != "" {
		t.Errorf("topic=0.6: topic %q at similarity 0.5, want none", got)
	}
}
