package practice

import (
	"cmp"
	"maps"
	"math"
	"slices"

	"github.com/interviewcoach/coach/internal/coach"
)

// MaxWeakKeyPoints is how many of a topic's most missed key points a summary lists; a session's
// summary lists as many strongest key points and questions to review next.
const MaxWeakKeyPoints = 5

// Summarize sums up attempts (oldest first) per topic, in topic order. Attempts on questions outside
// the bank have no topic and are left out. For each topic:
//
//	mean_score          the mean score of its attempts, to one decimal
//	trend               how answers to the same question changed: for each question of the topic
//	                    answered more than once (follow-up answers aside), its latest score minus its
//	                    first, averaged over those questions, to one decimal; 0 when no question was
//	                    answered twice (scores of different questions are never compared)
//	weakest_key_points  the key points still to review: those whose latest judgement in the session
//	                    is partial, missing or contradicted (a key point a later answer covered is
//	                    left out), with how many attempts missed each, most missed first, at most five
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
		perQuestion := map[string][]int{}
		for i, a := range list {
			scores[i] = a.Score
			if a.FollowUp == nil {
				perQuestion[a.QuestionID] = append(perQuestion[a.QuestionID], a.Score)
			}
		}
		out = append(out, coach.TopicSummary{
			Topic:            topic,
			Attempts:         len(list),
			MeanScore:        round1(mean(scores)),
			Trend:            Trend(perQuestion),
			WeakestKeyPoints: weakest(list),
		})
	}
	return out
}

// Trend is, over the questions answered more than once, the mean of each one's latest score minus
// its first, to one decimal; scores holds each question's scores, oldest first. See Summarize.
func Trend(scores map[string][]int) float64 {
	var changes []int
	for _, s := range scores {
		if len(s) > 1 {
			changes = append(changes, s[len(s)-1]-s[0])
		}
	}
	return round1(mean(changes))
}

func weakest(attempts []coach.Attempt) []coach.KeyPointMisses {
	out := []coach.KeyPointMisses{}
	for _, t := range tally(attempts, func(status string) bool { return status != coach.StatusCovered }) {
		out = append(out, coach.KeyPointMisses{ID: t.ID, Text: t.Text, Misses: t.Count})
	}
	return out
}

// Strongest lists the key points a session covers best: those whose latest judgement in attempts
// (oldest first, follow-up answers included) is covered, with how many attempts covered each, most
// covered first (among equals, the first covered in the session), at most MaxWeakKeyPoints.
func Strongest(attempts []coach.SessionAttempt) []coach.KeyPointCovers {
	list := make([]coach.Attempt, len(attempts))
	for i, sa := range attempts {
		list[i] = sa.Attempt
	}
	out := []coach.KeyPointCovers{}
	for _, t := range tally(list, func(status string) bool { return status == coach.StatusCovered }) {
		out = append(out, coach.KeyPointCovers{ID: t.ID, Text: t.Text, Covers: t.Count})
	}
	return out
}

// counted is a key point and how many judgements of it a tally counted.
type counted struct {
	ID, Text string
	Count    int
}

// tally counts, per key point, the judgements of attempts (oldest first) whose status is of the kind
// asked, and returns the key points whose latest judgement is of that kind too: most counted first,
// among equals the first counted, at most MaxWeakKeyPoints.
func tally(attempts []coach.Attempt, kind func(status string) bool) []counted {
	var (
		order  []string
		counts = map[string]*counted{}
		latest = map[string]string{}
	)
	for _, a := range attempts {
		for _, j := range a.KeyPoints {
			latest[j.KeyPointID] = j.Status
			if !kind(j.Status) {
				continue
			}
			c := counts[j.KeyPointID]
			if c == nil {
				c = &counted{ID: j.KeyPointID, Text: j.Text}
				counts[j.KeyPointID] = c
				order = append(order, j.KeyPointID)
			}
			c.Count++
		}
	}
	out := make([]counted, 0, len(order))
	for _, id := range order {
		if kind(latest[id]) {
			out = append(out, *counts[id])
		}
	}
	slices.SortStableFunc(out, func(a, b counted) int { return cmp.Compare(b.Count, a.Count) })
	return out[:min(len(out), MaxWeakKeyPoints)]
}

// ReviewNext lists the questions of a session to review next: for each bank question answered in
// attempts (oldest first; follow-up answers and typed questions aside), its latest answer, when that
// was not banded excellent; lowest score first (among equals, the question answered first), at most
// MaxWeakKeyPoints.
func ReviewNext(attempts []coach.SessionAttempt) []coach.HistoryItem {
	var order []string
	last := map[string]coach.SessionAttempt{}
	for _, sa := range attempts {
		a := sa.Attempt
		if a.FollowUp != nil || a.QuestionID == "" {
			continue
		}
		if _, seen := last[a.QuestionID]; !seen {
			order = append(order, a.QuestionID)
		}
		last[a.QuestionID] = sa
	}
	out := []coach.HistoryItem{}
	for _, id := range order {
		if sa := last[id]; coach.Band(sa.Attempt.Score) != coach.BandExcellent {
			out = append(out, historyItem(sa))
		}
	}
	slices.SortStableFunc(out, func(a, b coach.HistoryItem) int { return cmp.Compare(a.Score, b.Score) })
	return out[:min(len(out), MaxWeakKeyPoints)]
}

// historyItem is sa in brief.
func historyItem(sa coach.SessionAttempt) coach.HistoryItem {
	a := sa.Attempt
	return coach.HistoryItem{
		AttemptID: a.ID, QuestionID: a.QuestionID, Question: a.Question, Topic: sa.Topic,
		Score: a.Score, Band: a.Band, CreatedAt: a.CreatedAt,
	}
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
