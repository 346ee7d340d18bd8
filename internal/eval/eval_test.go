package eval

import (
	"context"
	"errors"
	"math"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/interviewcoach/coach/internal/coach"
)

// stubGrader judges every key point by a word of the answer, so the expected figures are known.
type stubGrader struct{}

func (stubGrader) Grade(_ context.Context, in coach.GradeInput) (*coach.Judged, error) {
	status, credit := coach.StatusMissing, 0.0
	switch {
	case strings.Contains(in.Answer, "fail"):
		return nil, errors.New("stub: asked to fail")
	case strings.Contains(in.Answer, "full"):
		status = coach.StatusCovered
	case strings.Contains(in.Answer, "half"):
		status, credit = coach.StatusPartial, 0.5
	case strings.Contains(in.Answer, "wrong"):
		status = coach.StatusContradicted
	}
	j := &coach.Judged{Kind: coach.GraderOffline, Model: "stub"}
	for _, ref := range in.References {
		for _, kp := range ref.KeyPoints {
			j.Judgements = append(j.Judgements, coach.Judgement{KeyPointID: kp.ID, Status: status, Credit: credit})
			if status == coach.StatusContradicted {
				j.Misconceptions = append(j.Misconceptions, coach.Misconception{Claim: in.Answer, Correction: kp.Text, ReferenceID: ref.ID})
			}
		}
	}
	return j, nil
}

func numericItem(id, q, answer string, human, a, b float64) Item {
	refs := []RefText{{ID: "R1", Text: "A location in memory that can store a value."}}
	return Item{
		ID: id, QuestionID: q, Question: "What is a variable in a program?", Answer: answer, References: refs,
		Score: human, ScoreA: a, ScoreB: b, ScaleMax: 5, TwoGraders: true,
	}
}

func TestRunNumeric(t *testing.T) {
	t.Parallel()
	items := []Item{
		numericItem("1", "q1", "a full answer", 5, 5, 5),
		numericItem("2", "q1", "a half answer", 2.5, 3, 2),
		numericItem("3", "q2", "nothing right", 0, 0, 1),
		numericItem("4", "q2", "another full answer", 5, 4, 5),
		numericItem("5", "q2", "please fail", 3, 3, 3),
	}
	var calls atomic.Int32
	rep, err := Run(context.Background(), stubGrader{}, stubGrader{}, items, LayoutNumeric,
		Options{Workers: 3, Progress: func() { calls.Add(1) }})
	if err != nil {
		t.Fatalf("Run: %v", err)
	}
	if calls.Load() != int32(len(items)) {
		t.Errorf("progress called %d times for %d items", calls.Load(), len(items))
	}
	if rep.Failed != 1 || rep.Predictions[4].Error == "" {
		t.Errorf("want the failing item counted and reported: failed %d, %+v", rep.Failed, rep.Predictions[4])
	}
	if rep.Grader != coach.GraderOffline || rep.Model != "stub" {
		t.Errorf("grader %q %q", rep.Grader, rep.Model)
	}
	wantScores := []int{100, 50, 0, 100}
	for i, want := range wantScores {
		p := rep.Predictions[i]
		if p.Score != want || p.Human == nil || *p.Human != items[i].Score || *p.Linear != float64(want)/20 {
			t.Errorf("item %d: score %d, human %v, linear %v; want %d, %v, %v", i, p.Score, p.Human, p.Linear, want, items[i].Score, float64(want)/20)
		}
	}
	// Our linear grades are exactly the human ones: every agreement figure is perfect.
	n := rep.Numeric
	if n.Linear.N != 4 || !near(float64(n.Linear.Pearson), 1) || !near(float64(n.Linear.RMSE), 0) || !near(float64(n.Linear.QWK), 1) {
		t.Errorf("linear agreement %+v, want perfect on 4 items", n.Linear)
	}
	// Per question: q1 has two items (r = 1), q2 has two graded items (r = 1); mean 1.
	if n.Linear.Questions != 2 || !near(float64(n.Linear.MeanQuestionPearson), 1) {
		t.Errorf("per-question figures %d, %v", n.Linear.Questions, n.Linear.MeanQuestionPearson)
	}
	// The humans are compared on every item, failed ones included, since they graded them all.
	if n.Human == nil || n.Human.N != 5 || !near(float64(n.Human.MAE), 3.0/5) {
		t.Errorf("human-human agreement %+v, want n 5 and MAE 0.6", n.Human)
	}
}

func TestRunLabels(t *testing.T) {
	t.Parallel()
	item := func(split, answer, label string) Item {
		return Item{ID: split + answer, Corpus: "c", Split: split, QuestionID: "q", Question: "Why does the bulb light?",
			References: []RefText{{ID: "a1", Text: "The bulb is in a closed path with the battery."}}, Answer: answer, Label: label}
	}
	items := []Item{
		item(TrainSplit, "full", LabelCorrect),
		item(TrainSplit, "half", LabelCorrect),
		item(TrainSplit, "none", LabelIncorrect),
		item(TrainSplit, "wrong", LabelContradictory),
		item("test", "full", LabelCorrect),
		item("test", "half", LabelIncorrect),
		item("test", "wrong", LabelContradictory),
	}
	rep, err := Run(context.Background(), stubGrader{}, stubGrader{}, items, LayoutLabels, Options{Workers: 2})
	if err != nil {
		t.Fatalf("Run: %v", err)
	}
	l := rep.Labels
	// On train, half (score 50) is correct and none (0) incorrect: the lowest threshold that
	// separates them is 1.
	if l.Threshold != 1 || !strings.Contains(l.ThresholdSource, "train") {
		t.Errorf("threshold %d (%s), want 1 fitted on train", l.Threshold, l.ThresholdSource)
	}
	want := []string{LabelCorrect, LabelCorrect, LabelIncorrect, LabelContradictory, LabelCorrect, LabelCorrect, LabelContradictory}
	for i, p := range rep.Predictions {
		if p.PredictedLabel != want[i] {
			t.Errorf("item %d (%s): predicted %s, want %s", i, p.ID, p.PredictedLabel, want[i])
		}
	}
	var test *LabelGroup
	for i, g := range l.Groups {
		if g.Corpus == "all" && g.Split == "test" {
			test = &l.Groups[i]
		}
	}
	if test == nil || test.N != 3 || !near(float64(test.Accuracy), 2.0/3) {
		t.Fatalf("test split figures %+v, want n 3 and accuracy 2/3", test)
	}
	if l.Groups[0].Split != TrainSplit {
		t.Errorf("train should come first: %+v", l.Groups[0])
	}
}

func TestLabel(t *testing.T) {
	t.Parallel()
	tests := []struct {
		score        int
		contradicted bool
		want         string
	}{
		{90, true, LabelContradictory},
		{60, false, LabelCorrect},
		{59, false, LabelIncorrect},
		{0, false, LabelIncorrect},
	}
	for _, tt := range tests {
		if got := Label(tt.score, tt.contradicted, 60); got != tt.want {
			t.Errorf("Label(%d, %v, 60) = %s, want %s", tt.score, tt.contradicted, got, tt.want)
		}
	}
}

func TestCalibration(t *testing.T) {
	t.Parallel()
	// Fractions lying on a line are fitted exactly; the line is clamped to [0, 1].
	curve := FitCalibration([]int{0, 50, 100}, []float64{0.5, 0.7, 0.9})
	if len(curve) != 2 || !near(curve[0].Fraction, 0.5) || !near(curve[1].Fraction, 0.9) {
		t.Errorf("fitted %+v, want 0→0.5 and 100→0.9", curve)
	}
	steep := FitCalibration([]int{40, 60}, []float64{0, 1})
	if steep[0].Fraction != 0 || steep[1].Fraction != 1 {
		t.Errorf("fitted %+v, want the ends clamped to 0 and 1", steep)
	}
	off := Calibrations[coach.GraderOffline]
	if len(off) < 2 {
		t.Fatalf("the offline grader has no calibration: %+v", Calibrations)
	}
	tests := []struct {
		score int
		want  float64
	}{
		{0, off[0].Fraction},
		{100, off[len(off)-1].Fraction},
		{50, (off[0].Fraction + off[len(off)-1].Fraction) / 2},
	}
	for _, tt := range tests {
		if got := Calibrate(coach.GraderOffline, tt.score); math.Abs(got-tt.want) > 1e-9 {
			t.Errorf("Calibrate(%d) = %v, want %v", tt.score, got, tt.want)
		}
		// A model's scores have no knots of their own: they are reported as they are, never through
		// the offline grader's.
		if got := Calibrate(coach.GraderLLM, tt.score); math.Abs(got-float64(tt.score)/100) > 1e-9 {
			t.Errorf("Calibrate(llm, %d) = %v, want %v", tt.score, got, float64(tt.score)/100)
		}
	}
}
