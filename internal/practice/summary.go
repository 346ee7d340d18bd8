package practice

import (
	"cmp"
	"maps"
	"math"
	"slices"

	"github.com/interviewcoach/coach/internal/coach"
)

// MaxWeakKeyPoints is how many of a topic's most missed key points a summary lists.
const MaxWeakKeyPoints = 5

// Summarize sums up attempts (oldest first) per topic, in topic order. Attempts on questions outside
// the bank have no topic and are left out. For each topic:
//
//	mean_score          the mean score of its attempts, to one decimal
//	trend               the mean score of the later half of its attempts minus that of the earlier
//	                    half, to one decimal: with n attempts, the last ⌊n/2⌋ against the first ⌊n/2⌋
//	                    (the middle one of an odd count is in neither); 0 with fewer than two
//	weakest_key_points  the key points its attempts did not cover (partial, missing or contradicted)
//	                    with how many attempts missed each, most missed first, at most five
func Summarize(attempts []coach.SessionAttempt) []coach.TopicSummary {
	byTopic := map[string][]coach.Attempt{}
	for _, sa := range attempts {
		if sa.Topic != "" {
			byTopic[sa.Topic] = append(byTopic[sa.Topic], sa.Attempt)
		}
	}
	out := []coach.TopicSummary{}
	for _, topic := range slices.Sorted(maps.Keys(byTopic)) {
		list := byTopic[topic]
		scores := make([]int, len(list))
		for i, a := range list {
			scores[i] = a.Score
		}
		out = append(out, coach.TopicSummary{
			Topic:            topic,
			Attempts:         len(list),
			MeanScore:        round1(mean(scores)),
			Trend:            Trend(scores),
			WeakestKeyPoints: weakest(list),
		})
	}
	return out
}

// Trend is the mean of the later half of scores minus the mean of the earlier half, to one
// decimal; see Summarize.
func Trend(scores []int) float64 {
	half := len(scores) / 2
	if half == 0 {
		return 0
	}
	return round1(mean(scores[len(scores)-half:]) - mean(scores[:half]))
}

func weakest(attempts []coach.Attempt) []coach.KeyPointMisses {
	var (
		order []string
		kps   = map[string]*coach.KeyPointMisses{}
	)
	for _, a := range attempts {
		for _, j := range a.KeyPoints {
			if j.Status == coach.StatusCovered {
				continue
			}
			kp := kps[j.KeyPointID]
			if kp == nil {
				kp = &coach.KeyPointMisses{ID: j.KeyPointID, Text: j.Text}
				kps[j.KeyPointID] = kp
				order = append(order, j.KeyPointID)
			}
			kp.Misses++
		}
	}
	out := make([]coach.KeyPointMisses, 0, len(order))
	for _, id := range order {
		out = append(out, *kps[id])
	}
	// Most missed first; among equals, the one missed first in the session.
	slices.SortStableFunc(out, func(a, b coach.KeyPointMisses) int { return cmp.Compare(b.Misses, a.Misses) })
	return out[:min(len(out), MaxWeakKeyPoints)]
}

func mean(scores []int) float64 {
	if len(scores) == 0 {
		return 0
	}
	sum := 0
	for _, s := range scores {
		sum += s
	}
	return float64(sum) / float64(len(scores))
}

func round1(f float64) float64 {
	r := math.Round(f*10) / 10
	if r == 0 {
		return 0 // not -0, which JSON would show as such
	}
	return r
}
