// Command fit fits the offline grader's global values on the development data and prints them:
//
//	go run ./internal/eval/fit [-data ../shared/asag/mohler-dev.jsonl] [-labels ../shared/asag/semeval2013-3way.jsonl] [-search]
//
// It grades every answer of the numeric file through grading.Assess, as users are graded, then
//
//   - with -search, runs a coarse grid over offline.Params and reports the values with the best
//     Pearson correlation with the mean human score (offline.DefaultParams holds the result);
//   - fits the calibration curve (eval.Calibration) by isotonic regression of the human score, as a
//     fraction of the scale, on our 0-100 score, read off at fixed knots;
//   - fits the label threshold (eval.DefaultLabelThreshold) on the train split of the labels file.
//
// Everything is fitted on all answers at once: nothing depends on a question, so the values carry
// over to questions the data never saw.
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
	flag.Parse()
	if err := run(context.Background(), *data, *labels, *search); err != nil {
		fmt.Fprintln(os.Stderr, "fit:", err)
		os.Exit(1)
	}
}

func run(ctx context.Context, data, labels string, search bool) error {
	items, layout, err := load(data)
	if err != nil {
		return err
	}
	if layout != eval.LayoutNumeric {
		return fmt.Errorf("%s: want a numeric file, got %s", data, layout)
	}
	emb := localembed.New(localembed.DefaultDimensions)
	params := offline.DefaultParams
	if search {
		params = searchParams(ctx, emb, items)
		fmt.Printf("best params: %+v\n", params)
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
	fmt.Printf("var Calibration = []Knot{%s}\n", strings.Join(knots, ", "))

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

// searchParams tries a coarse grid of parameters and returns those with the best Pearson r.
func searchParams(ctx context.Context, emb coach.Embedder, items []eval.Item) offline.Params {
	best, bestR := offline.DefaultParams, math.Inf(-1)
	try := func(p offline.Params) {
		g := offline.NewWithParams(emb, p)
		rep, err := eval.Run(ctx, g, g, items, eval.LayoutNumeric, eval.Options{})
		if err != nil {
			return
		}
		if r := float64(rep.Numeric.Calibrated.Pearson); r > bestR {
			best, bestR = p, r
			fmt.Printf("r=%.4f %+v\n", r, p)
		}
	}
	base := offline.DefaultParams
	for _, qw := range []float64{0, 0.1, 0.2, 0.3} {
		for _, beta := range []float64{1, 2, 3} {
			for _, ew := range []float64{0.1, 0.2, 0.3} {
				for _, cov := range []float64{0.4, 0.5, 0.6, 0.7} {
					for _, part := range []float64{0.01, 0.05, 0.1, 0.2} {
						for _, hol := range []float64{0, 0.7} {
							p := base
							p.QuestionWeight, p.Beta, p.EmbedWeight, p.Covered, p.Partial, p.Holistic = qw, beta, ew, cov, part, hol
							try(p)
						}
					}
				}
			}
		}
	}
	return best
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
