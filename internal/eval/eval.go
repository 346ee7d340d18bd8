package eval

import (
	"context"
	"errors"
	"fmt"
	"math"
	"runtime"
	"sort"
	"sync"
	"time"

	"github.com/interviewcoach/coach/internal/coach"
	"github.com/interviewcoach/coach/internal/grading"
)

// Options tune a run.
type Options struct {
	// Workers is how many answers are graded at once; 0 means runtime.NumCPU().
	Workers int
	// Progress, when set, is called after each graded answer. It must be safe for concurrent use.
	Progress func()
}

// Prediction is the grade of one item beside the human one.
type Prediction struct {
	ID         string `json:"id"`
	Corpus     string `json:"corpus,omitempty"`
	Split      string `json:"split,omitempty"`
	QuestionID string `json:"question_id"`
	// Score and Band are what a user would have seen.
	Score int    `json:"score"`
	Band  string `json:"band"`
	// Off is the guards' (or grader's) reason when the answer was found to be no answer at all.
	Off string `json:"off,omitempty"`
	// Contradicted is set when a key point was contradicted or a misconception listed.
	Contradicted bool `json:"contradicted,omitempty"`
	// Statuses counts the key point statuses, for reading a surprising grade.
	Statuses map[string]int `json:"statuses,omitempty"`
	// Human and Predicted are on the file's scale (numeric layout); Predicted goes through the
	// calibration, Linear is score/100 × scale.
	Human     *float64 `json:"human,omitempty"`
	Predicted *float64 `json:"predicted,omitempty"`
	Linear    *float64 `json:"linear,omitempty"`
	// Label and PredictedLabel are the human label and ours (labels layout).
	Label          string `json:"label,omitempty"`
	PredictedLabel string `json:"predicted_label,omitempty"`
	Error          string `json:"error,omitempty"`
}

// Report is every figure of a run, and the predictions they were computed from.
type Report struct {
	Layout         string         `json:"layout"`
	Grader         string         `json:"grader"`
	Model          string         `json:"model,omitempty"`
	Items          int            `json:"items"`
	Failed         int            `json:"failed"`
	Workers        int            `json:"workers"`
	Seconds        float64        `json:"seconds"`
	ItemsPerSecond float64        `json:"items_per_second"`
	Numeric        *NumericReport `json:"numeric,omitempty"`
	Labels         *LabelReport   `json:"labels,omitempty"`
	Predictions    []Prediction   `json:"predictions"`
}

// Run grades every item with g through grading.Assess, exactly as the server would (the guards
// send non-answers to offline), and compares the grades with the human ones. Items the grader fails
// on are counted and left out of the figures; Run fails only when ctx ends or every item fails.
func Run(ctx context.Context, g, offline coach.Grader, items []Item, layout string, opt Options) (*Report, error) {
	workers := opt.Workers
	if workers <= 0 {
		workers = runtime.NumCPU()
	}
	preds := make([]Prediction, len(items))
	refs := referenceCache(items)

	start := time.Now()
	jobs := make(chan int)
	var wg sync.WaitGroup
	var kindOnce sync.Once
	var kind, model string
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range jobs {
				it := items[i]
				p := &preds[i]
				*p = Prediction{ID: it.ID, Corpus: it.Corpus, Split: it.Split, QuestionID: it.QuestionID, Label: it.Label}
				in := coach.GradeInput{
					Question:   it.Question,
					Answer:     it.Answer,
					References: refs[refKey(it)],
					// One follow-up: they do not change the score, and a model writes them at a cost.
					FollowUps: 1,
				}
				as, err := grading.Assess(ctx, g, offline, in)
				if err != nil {
					p.Error = err.Error()
				} else {
					fill(p, as)
					if as.Off == "" {
						kindOnce.Do(func() { kind, model = as.Judged.Kind, as.Judged.Model })
					}
				}
				if opt.Progress != nil {
					opt.Progress()
				}
			}
		}()
	}
feed:
	for i := range items {
		select {
		case jobs <- i:
		case <-ctx.Done():
			break feed
		}
	}
	close(jobs)
	wg.Wait()
	if err := ctx.Err(); err != nil {
		return nil, fmt.Errorf("eval: %w", err)
	}
	elapsed := time.Since(start)

	rep := &Report{Layout: layout, Grader: kind, Model: model, Items: len(items), Workers: workers,
		Seconds: elapsed.Seconds(), Predictions: preds}
	if elapsed > 0 {
		rep.ItemsPerSecond = float64(len(items)) / elapsed.Seconds()
	}
	var firstErr string
	for _, p := range preds {
		if p.Error != "" {
			rep.Failed++
			if firstErr == "" {
				firstErr = p.Error
			}
		}
	}
	if rep.Failed == len(items) {
		return nil, errors.New("eval: every answer failed to grade; the first error: " + firstErr)
	}
	switch layout {
	case LayoutNumeric:
		rep.Numeric = numericReport(items, preds, rep.Grader)
	case LayoutLabels:
		rep.Labels = labelReport(preds)
	}
	return rep, nil
}

func fill(p *Prediction, as *grading.Assessment) {
	p.Score, p.Band, p.Off = as.Score, as.Band, as.Off
	p.Statuses = map[string]int{}
	for _, k := range as.KeyPoints {
		p.Statuses[k.Status]++
		if k.Status == coach.StatusContradicted {
			p.Contradicted = true
		}
	}
	if len(as.Judged.Misconceptions) > 0 {
		p.Contradicted = true
	}
}

// refKey identifies the references of an item: items of one question share them.
func refKey(it Item) string {
	k := it.QuestionID
	for _, r := range it.References {
		k += "\x00" + r.ID + "\x00" + r.Text
	}
	return k
}

// referenceCache builds the references of each question once.
func referenceCache(items []Item) map[string][]coach.Reference {
	m := map[string][]coach.Reference{}
	for _, it := range items {
		k := refKey(it)
		if _, ok := m[k]; !ok {
			m[k] = BuildReferences(it)
		}
	}
	return m
}

// Agreement is how closely two series of grades on one scale agree.
type Agreement struct {
	N        int    `json:"n"`
	Pearson  Figure `json:"pearson"`
	Spearman Figure `json:"spearman"`
	RMSE     Figure `json:"rmse"`
	MAE      Figure `json:"mae"`
	// QWK is the quadratic weighted kappa of both series rounded to whole points of the scale.
	QWK Figure `json:"qwk"`
	// MeanQuestionPearson is the mean over questions of the Pearson correlation within each
	// question (questions where it is undefined are left out): how well answers to the same
	// question are ranked, free of how hard each question is.
	MeanQuestionPearson Figure `json:"mean_question_pearson"`
	Questions           int    `json:"questions"`
}

// NumericReport holds the figures of a numeric file.
type NumericReport struct {
	ScaleMax float64 `json:"scale_max"`
	// Calibrated compares the human score with ours mapped through the calibration curve;
	// Linear with score/100 × scale; Human compares the two human graders with each other.
	Calibrated Agreement  `json:"calibrated"`
	Linear     Agreement  `json:"linear"`
	Human      *Agreement `json:"human_human,omitempty"`
	// Calibration are the knots of the grader's kind, empty when it has none (Calibrated is then
	// the same as Linear); CalibrationKind names the kind.
	Calibration     []Knot `json:"calibration"`
	CalibrationKind string `json:"calibration_kind"`
}

func numericReport(items []Item, preds []Prediction, kind string) *NumericReport {
	rep := &NumericReport{Calibration: Calibrations[kind], CalibrationKind: kind}
	var human, cal, lin, ha, hb []float64
	var qs, hqs []string
	for i := range preds {
		it, p := items[i], &preds[i]
		rep.ScaleMax = max(rep.ScaleMax, it.ScaleMax)
		p.Human = ptr(it.Score)
		if it.TwoGraders {
			ha, hb = append(ha, it.ScoreA), append(hb, it.ScoreB)
			hqs = append(hqs, it.QuestionID)
		}
		if p.Error != "" {
			continue
		}
		linear, calibrated := round3(float64(p.Score)/100*it.ScaleMax), round3(Calibrate(kind, p.Score)*it.ScaleMax)
		p.Linear, p.Predicted = ptr(linear), ptr(calibrated)
		human, cal, lin = append(human, it.Score), append(cal, calibrated), append(lin, linear)
		qs = append(qs, it.QuestionID)
	}
	rep.Calibrated = agreement(cal, human, qs)
	rep.Linear = agreement(lin, human, qs)
	if len(ha) > 0 {
		a := agreement(ha, hb, hqs)
		rep.Human = &a
	}
	return rep
}

func agreement(x, y []float64, questions []string) Agreement {
	a := Agreement{
		N: len(x), Pearson: Figure(Pearson(x, y)), Spearman: Figure(Spearman(x, y)),
		RMSE: Figure(RMSE(x, y)), MAE: Figure(MAE(x, y)),
	}
	rx, ry := make([]int, len(x)), make([]int, len(y))
	lo, hi := math.MaxInt, math.MinInt
	for i := range x {
		rx[i], ry[i] = int(math.Round(x[i])), int(math.Round(y[i]))
		lo, hi = min(lo, rx[i], ry[i]), max(hi, rx[i], ry[i])
	}
	a.QWK = Figure(QWK(rx, ry, min(lo, 0), hi))

	byQ := map[string][]int{}
	var order []string
	for i, q := range questions {
		if _, ok := byQ[q]; !ok {
			order = append(order, q)
		}
		byQ[q] = append(byQ[q], i)
	}
	var sum float64
	for _, q := range order {
		var qx, qy []float64
		for _, i := range byQ[q] {
			qx, qy = append(qx, x[i]), append(qy, y[i])
		}
		if r := Pearson(qx, qy); !math.IsNaN(r) {
			sum += r
			a.Questions++
		}
	}
	a.MeanQuestionPearson = Figure(math.NaN())
	if a.Questions > 0 {
		a.MeanQuestionPearson = Figure(sum / float64(a.Questions))
	}
	return a
}

// LabelReport holds the figures of a labels file.
type LabelReport struct {
	// Threshold is the least score labelled correct; ThresholdSource says where it came from.
	Threshold       int    `json:"threshold"`
	ThresholdSource string `json:"threshold_source"`
	Mapping         string `json:"mapping"`
	// Groups are the figures per split over all corpora, then per corpus and split.
	Groups []LabelGroup `json:"groups"`
}

// LabelGroup is the agreement on one part of a labels file.
type LabelGroup struct {
	Corpus     string       `json:"corpus"`
	Split      string       `json:"split"`
	N          int          `json:"n"`
	Accuracy   Figure       `json:"accuracy"`
	MacroF1    Figure       `json:"macro_f1"`
	WeightedF1 Figure       `json:"weighted_f1"`
	Classes    []ClassScore `json:"classes"`
}

// LabelMapping documents how a grade becomes a label.
const LabelMapping = "contradicted key point or misconception → contradictory; else score ≥ threshold → correct; else incorrect"

// DefaultLabelThreshold is the threshold used when a file has no train split to fit one on. It is
// the value FitThreshold finds on the train split of semeval2013-3way.jsonl with the offline
// grader (go run ./internal/eval/fit prints it).
const DefaultLabelThreshold = 63

// TrainSplit is the split the label threshold is fitted on.
const TrainSplit = "train"

// Label maps a grade onto the three labels (see LabelMapping).
func Label(score int, contradicted bool, threshold int) string {
	switch {
	case contradicted:
		return LabelContradictory
	case score >= threshold:
		return LabelCorrect
	}
	return LabelIncorrect
}

// FitThreshold returns the threshold in 0..100 that maximises macro-F1 over the given
// predictions (the lowest one on a tie), so that the choice is reproducible.
func FitThreshold(preds []Prediction) int {
	best, bestF1 := DefaultLabelThreshold, -1.0
	gold := make([]string, 0, len(preds))
	for _, p := range preds {
		gold = append(gold, p.Label)
	}
	pred := make([]string, len(gold))
	for t := 0; t <= 100; t++ {
		for i, p := range preds {
			pred[i] = Label(p.Score, p.Contradicted, t)
		}
		if f := MacroF1(gold, pred); f > bestF1 {
			best, bestF1 = t, f
		}
	}
	return best
}

func labelReport(preds []Prediction) *LabelReport {
	rep := &LabelReport{Threshold: DefaultLabelThreshold, Mapping: LabelMapping,
		ThresholdSource: "default (no train split in the file)"}
	var ok, train []Prediction
	for _, p := range preds {
		if p.Error != "" {
			continue
		}
		ok = append(ok, p)
		if p.Split == TrainSplit {
			train = append(train, p)
		}
	}
	if len(train) > 0 {
		rep.Threshold = FitThreshold(train)
		rep.ThresholdSource = fmt.Sprintf("fitted on the %d answers of the train split (best macro-F1)", len(train))
	}
	for i := range preds {
		if preds[i].Error == "" {
			preds[i].PredictedLabel = Label(preds[i].Score, preds[i].Contradicted, rep.Threshold)
		}
	}
	for i := range ok {
		ok[i].PredictedLabel = Label(ok[i].Score, ok[i].Contradicted, rep.Threshold)
	}

	type key struct{ corpus, split string }
	groups := map[key][]Prediction{}
	for _, p := range ok {
		groups[key{"all", p.Split}] = append(groups[key{"all", p.Split}], p)
		groups[key{p.Corpus, p.Split}] = append(groups[key{p.Corpus, p.Split}], p)
		groups[key{"all", "all"}] = append(groups[key{"all", "all"}], p)
	}
	keys := make([]key, 0, len(groups))
	for k := range groups {
		if k.corpus == "all" || countCorpora(ok) > 1 {
			keys = append(keys, k)
		}
	}
	sort.Slice(keys, func(i, j int) bool {
		a, b := keys[i], keys[j]
		if (a.corpus == "all") != (b.corpus == "all") {
			return a.corpus == "all"
		}
		if a.corpus != b.corpus {
			return a.corpus < b.corpus
		}
		return splitOrder(a.split) < splitOrder(b.split)
	})
	for _, k := range keys {
		ps := groups[k]
		gold, pred := make([]string, len(ps)), make([]string, len(ps))
		for i, p := range ps {
			gold[i], pred[i] = p.Label, p.PredictedLabel
		}
		rep.Groups = append(rep.Groups, LabelGroup{
			Corpus: k.corpus, Split: k.split, N: len(ps),
			Accuracy: Figure(Accuracy(gold, pred)), MacroF1: Figure(MacroF1(gold, pred)),
			WeightedF1: Figure(WeightedF1(gold, pred)), Classes: PerClass(gold, pred),
		})
	}
	return rep
}

func countCorpora(ps []Prediction) int {
	seen := map[string]bool{}
	for _, p := range ps {
		seen[p.Corpus] = true
	}
	return len(seen)
}

// splitOrder puts train first and "all" last, test splits between in name order.
func splitOrder(s string) string {
	switch s {
	case TrainSplit:
		return "0"
	case "all":
		return "2"
	}
	return "1" + s
}

func round3(f float64) float64 {
	return math.Round(f*1000) / 1000
}

func ptr(f float64) *float64 { return &f }
