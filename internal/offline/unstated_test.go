package offline

import (
	"context"
	"sort"
	"testing"

	"github.com/interviewcoach/coach/internal/coach"
	"github.com/interviewcoach/coach/internal/localembed"
)

// TestUnstatedKeyPointsEarnLittle answers each bank question of four or more key points with two of
// them word for word and nothing else (its first two, and its last two): the points it never states
// share words with the two it does, and must not earn the answer a good band for it. offline-v4,
// which gave any shared word partial credit, scored these 258 answers a median of 68 with 111 good
// or excellent. Some key points of the bank restate part of another, so a third point may rightly
// earn credit now and then: the bound is on the median and on how many reach "good".
func TestUnstatedKeyPointsEarnLittle(t *testing.T) {
	t.Parallel()
	g := New(localembed.New(localembed.DefaultDimensions))
	var scores []int
	good, uncertain := 0, 0
	for _, q := range bundledBank(t) {
		kps := q.References[0].KeyPoints
		if len(kps) < 4 {
			continue
		}
		for _, two := range [][2]int{{0, 1}, {len(kps) - 2, len(kps) - 1}} {
			in := coach.GradeInput{Question: q.Text, Answer: kps[two[0]].Text + " " + kps[two[1]].Text, References: q.References}
			j, err := g.Grade(context.Background(), in)
			if err != nil {
				t.Fatal(err)
			}
			score := coach.Score(j.Judgements, len(j.Misconceptions))
			scores = append(scores, score)
			if coach.Band(score) == coach.BandGood || coach.Band(score) == coach.BandExcellent {
				good++
			}
			for i, k := range j.Judgements {
				if i != two[0] && i != two[1] && k.Status == coach.StatusPartial && coach.Credit(k) == coach.MinPartialCredit {
					uncertain++
				}
			}
		}
	}
	sort.Ints(scores)
	median := scores[len(scores)/2]
	t.Logf("%d answers stating two key points: median %d, %d good or excellent, %d unstated points at the least partial credit", len(scores), median, good, uncertain)
	if len(scores) < 200 {
		t.Fatalf("only %d answers: the bank has shrunk", len(scores))
	}
	if median > 60 || good > len(scores)/7 {
		t.Errorf("answers stating two key points: median %d, %d of %d good or excellent; want a median of at most 60 and at most a seventh good", median, good, len(scores))
	}
}

// TestSmallRubricOnTopic: against a one-sentence reference of a dozen concepts, an answer in its own
// words shares few of them with the rubric however on topic it is; it must not be called off topic
// (offline-v4 did, and scored it 5), while talk of another topic still is.
func TestSmallRubricOnTopic(t *testing.T) {
	t.Parallel()
	g := New(localembed.New(localembed.DefaultDimensions))
	refs := []coach.Reference{{ID: "r1", Text: "The block inside a do...while statement will execute at least once.",
		KeyPoints: []coach.KeyPoint{{ID: "k1", ReferenceID: "r1", Text: "The block inside a do...while statement will execute at least once."}}}}
	for _, tc := range []struct {
		answer string
		off    bool
	}{
		{"A while statement tests the condition before it can start. A do...while statement loops through once before the condition is tested.", false},
		{"Python's garbage collector counts references and finds cycles. Generators yield values lazily and decorators wrap functions at definition time.", true},
	} {
		j, err := g.Grade(context.Background(), coach.GradeInput{Question: "What is the main difference between a while and a do...while statement?", Answer: tc.answer, References: refs})
		if err != nil {
			t.Fatal(err)
		}
		if off := j.Off == OffTopic; off != tc.off {
			t.Errorf("%q: off topic %v, want %v (%s)", tc.answer, off, tc.off, j.Raw)
		}
	}
}
