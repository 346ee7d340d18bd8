package ingest

import (
	"fmt"
	"sort"
	"strconv"
	"strings"

	"github.com/interviewcoach/coach/internal/coach"
)

// Thresholds are the cosine similarities the importer and the review report decide by. Where a
// similarity falls depends on the embedder: the local embedder's paraphrases of one statement score
// 0.62-0.70, while neural embedders spread the same pairs over another range. Local holds the values
// chosen for the local embedder (see the constants); another embedder is given its own with
// COACH_SIMILARITY (ParseThresholds).
type Thresholds struct {
	// Merge: a question at least this close to a stored one is the same question (MergeSimilarity).
	Merge float64
	// Attach: an orphan answer this close to a stored reference joins its question (AttachSimilarity).
	Attach float64
	// Topic and TopicMargin: when an imported question takes its neighbours' topic (ClearTopic).
	Topic, TopicMargin float64
	// KeyPoint: two key points this close say the same thing (DuplicateKeyPointSimilarity).
	KeyPoint float64
	// Suspect: two questions this close are listed as suspected duplicates (SuspectSimilarity).
	Suspect float64
}

// Local are the thresholds chosen for the local embedder.
var Local = Thresholds{Merge: MergeSimilarity, Attach: AttachSimilarity, Topic: TopicSimilarity,
	TopicMargin: TopicMargin, KeyPoint: DuplicateKeyPointSimilarity, Suspect: SuspectSimilarity}

// thresholdNames are the names ParseThresholds reads, and where each value goes.
var thresholdNames = map[string]func(*Thresholds) *float64{
	"merge":        func(t *Thresholds) *float64 { return &t.Merge },
	"attach":       func(t *Thresholds) *float64 { return &t.Attach },
	"topic":        func(t *Thresholds) *float64 { return &t.Topic },
	"topic_margin": func(t *Thresholds) *float64 { return &t.TopicMargin },
	"key_point":    func(t *Thresholds) *float64 { return &t.KeyPoint },
	"suspect":      func(t *Thresholds) *float64 { return &t.Suspect },
}

// ParseThresholds reads "name=value,..." (merge, attach, topic, topic_margin, key_point, suspect;
// each a number in (0, 1)) over Local: names left out keep Local's value. "" gives Local.
func ParseThresholds(s string) (Thresholds, error) {
	t := Local
	if strings.TrimSpace(s) == "" {
		return t, nil
	}
	for _, part := range strings.Split(s, ",") {
		name, value, ok := strings.Cut(strings.TrimSpace(part), "=")
		name = strings.TrimSpace(name)
		field := thresholdNames[name]
		if !ok || field == nil {
			names := make([]string, 0, len(thresholdNames))
			for n := range thresholdNames {
				names = append(names, n)
			}
			sort.Strings(names)
			return Local, fmt.Errorf("%q is not name=value with a name among %s", strings.TrimSpace(part), strings.Join(names, ", "))
		}
		v, err := strconv.ParseFloat(strings.TrimSpace(value), 64)
		if err != nil || v <= 0 || v >= 1 {
			return Local, fmt.Errorf("%s=%s is not a number between 0 and 1", name, strings.TrimSpace(value))
		}
		*field(&t) = v
	}
	return t, nil
}

// String is t as ParseThresholds reads it.
func (t Thresholds) String() string {
	return fmt.Sprintf("merge=%g,attach=%g,topic=%g,topic_margin=%g,key_point=%g,suspect=%g",
		t.Merge, t.Attach, t.Topic, t.TopicMargin, t.KeyPoint, t.Suspect)
}

// SameKeyPoint is the package's SameKeyPoint with t's KeyPoint threshold.
func (t Thresholds) SameKeyPoint(a, b string, va, vb []float32) bool {
	return sameKeyPoint(a, b, va, vb, t.KeyPoint)
}

// ClearTopic is the package's ClearTopic with t's Topic and TopicMargin.
func (t Thresholds) ClearTopic(matches []coach.QuestionMatch) string {
	return clearTopic(matches, t.Topic, t.TopicMargin)
}

// thresholds are the importer's thresholds: Local unless it was given others.
func (im *Importer) thresholds() Thresholds {
	if im.Thresholds == nil {
		return Local
	}
	return *im.Thresholds
}
