// Command fit fits the offline grader's global values on the development data and prints them:
//
//	go run ./internal/eval/fit [-data ../shared/asag/mohler-dev.jsonl] [-labels ../shared/asag/semeval2013-3way.jsonl] [-search] [-cv] [-soft]
//
// It grades every answer of the numeric file through grading.Assess, as users are graded, then
//
//   - with -search, runs a grid over offline.Params and reports the values with the best Pearson
//     correlation with the mean human score (offline.DefaultParams holds the result);
//   - with -cv, repeats the search with one assignment held out at a time and reports the
//     correlation on the held-out questions, an honest estimate for questions never seen;
//   - fits the calibration line (eval.Calibrations of the offline grader) by least squares of the human score, as a
//     fraction of the scale, on our 0-100 score;
//   - fits the label threshold (eval.DefaultLabelThreshold) on the train split of the labels file.
//
// Everything is fitted on all answers at once and nothing depends on a question, so the values may
// carry over to questions the data never saw; -cv measures how far they do.
package main

import (
	"context"
	"flag"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"strings"

	"github.com/interviewcoach/coach/internal/coach"
	"github.com/interviewcoach/coach/internal/eval"
	"github.com/interviewcoach/coach/internal/localembed"
	"github.com/interviewcoach/coach/internal/offline"
)

func main() {
	root := findData()
	data := flag.String("data", filepath.Join(root, "mohler-dev.jsonl"), "numeric file to fit the grader and calibration on")
	labels := flag.String("labels", filepath.Join(root, "semeval2013-3way.jsonl"), "labels file whose train split fits the threshold (empty: skip)")
	search := flag.Bool("search", false, "search the grader's parameters (slow)")
	cv := flag.Bool("cv", false, "estimate the search on unseen questions: leave one assignment out (slow)")
	soft := flag.Bool("soft", false, "also search soft matching through word vectors (off by default, see offline.DefaultParams)")
	flag.Parse()
	if *soft {
		softGrid = append(softGrid, [2]float64{0.8, 0.7})
	}
	if err := run(context.Background(), *data, *labels, *search, *cv); err != nil {
		fmt.Fprintln(os.Stderr, "fit:", err)
		os.Exit(1)
	}
}

func run(ctx context.Context, data, labels string, search, cv bool) error {
	items, layout, err := load(data)
	if err != nil {
		return err
	}
	if layout != eval.LayoutNumeric {
		return fmt.Errorf("%s: want a numeric file, got %s", data, layout)
	}
	emb := localembed.New(localembed.DefaultDimensions)
	if cv {
		if err := crossValidate(ctx, emb, items); err != nil {
			return err
		}
	}
	params := offline.DefaultParams
	if search {
		var r float64
		params, r = searchParams(ctx, emb, items, true)
		fmt.Printf("best params (r=%.4f): %+v\n", r, params)
	}
	g := offline.NewWithParams(emb, params)
	rep, err := eval.Run(ctx, g, g, items, layout, eval.Options{})
	if err != nil {
		return err
	}
	scores := make([]int, len(rep.Predictions))
	human := make([]float64, len(rep.Predictions))
	for i, p := range rep.Predictions {
		scores[i], human[i] = p.Score, items[i].Score/items[i].ScaleMax
	}
	fmt.Printf("linear: r=%s rho=%s rmse=%s\n", rep.Numeric.Linear.Pearson, rep.Numeric.Linear.Spearman, rep.Numeric.Linear.RMSE)
	curve := eval.FitCalibration(scores, human)
	fmt.Println("calibration (paste into internal/eval/calibration.go):")
	var knots []string
	for _, k := range curve {
		knots = append(knots, fmt.Sprintf("{%d, %.3f}", k.Score, k.Fraction))
	}
	fmt.Printf("coach.GraderOffline: {%s},\n", strings.Join(knots, ", "))

	if labels == "" {
		return nil
	}
	litems, llayout, err := load(labels)
	if err != nil {
		return err
	}
	var train []eval.Item
	for _, it := range litems {
		if it.Split == eval.TrainSplit {
			train = append(train, it)
		}
	}
	if llayout != eval.LayoutLabels || len(train) == 0 {
		return fmt.Errorf("%s: want a labels file with a train split", labels)
	}
	lrep, err := eval.Run(ctx, g, g, train, llayout, eval.Options{})
	if err != nil {
		return err
	}
	fmt.Printf("label threshold fitted on %d train answers: const DefaultLabelThreshold = %d\n", len(train), eval.FitThreshold(lrep.Predictions))
	return nil
}

// grid returns the parameter values searched: 36 points over the plausible range of each value
// (72 with -soft).
// The question's weight and the window were stable across earlier searches and stay at their
// defaults. So does the embedding's share: the local embedding measures shared words whatever
// their specificity, and a share of 0.2, though Mohler prefers it by 0.003 of r, undoes much of
// Specificity on the bank's rubrics. Specificity and MinRelevance stay at theirs too: they are set, not fitted, because
// mohler-dev.jsonl cannot measure them. Its rubrics hold one to three key points, where weighing
// terms by how many key points share them changes little, and it holds no off-topic answers, so
// the search would always switch the off-topic rule off; both exist for the bank's rubrics of five
// to eight key points (see internal/offline/specificity_test.go). OwnShare and CoveredOwnShare are
// set for the same reason: Mohler would switch them off (its graders credit a two-sentence
// reference's second sentence for the words it shares with the first), and they exist for the
// bank's rubrics (internal/offline/unstated_test.go).
func grid() []offline.Params {
	var out []offline.Params
	base := offline.DefaultParams
	for _, soft := range softGrid {
		for _, beta := range []float64{1, 2, 3} {
			for _, cov := range []float64{0.3, 0.35, 0.4, 0.5} {
				for _, part := range []float64{0.02, 0.05, 0.1} {
					p := base
					p.Beta, p.Covered, p.Partial = beta, cov, part
					p.SoftWeight, p.SoftFloor = soft[0], soft[1]
					out = append(out, p)
				}
			}
		}
	}
	return out
}

// softGrid are the soft-matching values searched: off, and with -soft SoftWeight 0.8 from a cosine
// of 0.7, which wins in sample by 0.001 of r but gives 0.595 held out (0.604 without).
// Looser floors (0.5, with Partial raised to 0.2-0.25) fit Mohler better in sample (r 0.614) but
// through loose relatedness of frequent words ("problem" and "system": 0.63), which let an injected
// "mark all key points covered" raise a grade (internal/api's TestAdversarialAnswers), so they are
// not searched.
var softGrid = [][2]float64{{0, 0}}

// searchParams tries every grid point and returns the one with the best Pearson r on items.
func searchParams(ctx context.Context, emb coach.Embedder, items []eval.Item, verbose bool) (offline.Params, float64) {
	best, bestR := offline.DefaultParams, math.Inf(-1)
	for _, p := range grid() {
		g := offline.NewWithParams(emb, p)
		rep, err := eval.Run(ctx, g, g, items, eval.LayoutNumeric, eval.Options{})
		if err != nil {
			continue
		}
		if r := float64(rep.Numeric.Linear.Pearson); r > bestR {
			best, bestR = p, r
			if verbose {
				fmt.Printf("r=%.4f %+v\n", r, p)
			}
		}
	}
	return best, bestR
}

// crossValidate estimates how the search carries over to unseen questions: for each assignment
// (the part of question_id before the dot) it searches on the other assignments and grades the
// held-out one with the values found. The pooled correlation of the held-out grades is the honest
// figure; the in-sample one is optimistic by the search's choice among many grid points.
func crossValidate(ctx context.Context, emb coach.Embedder, items []eval.Item) error {
	folds := map[string][]int{}
	var names []string
	for i, it := range items {
		a, _, _ := strings.Cut(it.QuestionID, ".")
		if _, ok := folds[a]; !ok {
			names = append(names, a)
		}
		folds[a] = append(folds[a], i)
	}
	var ours, human []float64
	for _, held := range names {
		var train, test []eval.Item
		for a, idx := range folds {
			for _, i := range idx {
				if a == held {
					test = append(test, items[i])
				} else {
					train = append(train, items[i])
				}
			}
		}
		p, r := searchParams(ctx, emb, train, false)
		g := offline.NewWithParams(emb, p)
		rep, err := eval.Run(ctx, g, g, test, eval.LayoutNumeric, eval.Options{})
		if err != nil {
			return err
		}
		fmt.Printf("held out assignment %s (%d answers): fitted r=%.3f, held-out r=%.3f with %+v\n",
			held, len(test), r, float64(rep.Numeric.Linear.Pearson), p)
		for i, pr := range rep.Predictions {
			ours, human = append(ours, float64(pr.Score)), append(human, test[i].Score)
		}
	}
	fmt.Printf("pooled held-out Pearson r over %d answers: %.3f\n", len(ours), eval.Pearson(ours, human))
	return nil
}

func load(path string) ([]eval.Item, string, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, "", err
	}
	defer f.Close()
	items, layout, err := eval.Load(f, 0)
	if err != nil {
		return nil, "", fmt.Errorf("%s: %w", path, err)
	}
	return items, layout, nil
}

// findData returns ../shared/asag above the working directory, or "." when there is none.
func findData() string {
	dir, err := os.Getwd()
	if err != nil {
		return "."
	}
	for {
		p := filepath.Join(dir, "..", "shared", "asag")
		if st, err := os.Stat(p); err == nil && st.IsDir() {
			return filepath.Clean(p)
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "."
		}
		dir = parent
	}
}
