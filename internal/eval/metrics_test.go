package eval

import (
	"encoding/json"
	"math"
	"testing"
)

// The expected values below were worked out by hand on the tiny fixtures; the comments show the sums.
func TestNumericMetrics(t *testing.T) {
	t.Parallel()
	x := []float64{1, 2, 3, 4, 5}
	y := []float64{2, 4, 5, 4, 5}
	tests := []struct {
		name string
		got  float64
		want float64
	}{
		// dx = -2 -1 0 1 2, dy = -2 0 1 0 1: Σdxdy = 6, Σdx² = 10, Σdy² = 6, r = 6/√60.
		{"pearson", Pearson(x, y), 6 / math.Sqrt(60)},
		// ranks of y with ties: 1 2.5 4.5 2.5 4.5; Σdxdy = 7, Σdx² = 10, Σdy² = 9, ρ = 7/√90.
		{"spearman with ties", Spearman(x, y), 7 / math.Sqrt(90)},
		// differences -1 -2 -2 0 0: squares sum to 9, √(9/5).
		{"rmse", RMSE(x, y), math.Sqrt(9.0 / 5)},
		// |differences| sum to 5.
		{"mae", MAE(x, y), 1},
		{"pearson of a constant", Pearson(x, []float64{3, 3, 3, 3, 3}), math.NaN()},
		{"pearson of one pair", Pearson([]float64{1}, []float64{2}), math.NaN()},
		{"pearson perfect", Pearson(x, []float64{10, 20, 30, 40, 50}), 1},
		{"spearman monotone", Spearman(x, []float64{1, 8, 27, 64, 125}), 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			if !near(tt.got, tt.want) {
				t.Errorf("got %.6f, want %.6f", tt.got, tt.want)
			}
		})
	}
}

func TestQWK(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name   string
		a, b   []int
		lo, hi int
		want   float64
	}{
		// Observed disagreements (1,2) and (2,1), weight 1/4 each: 0.5. Histograms 1 1 2 on both
		// sides, expected Σw·E = 2·(1/4·1/4) + 2·(1·2/4) + 2·(1/4·2/4) = 1.375. κ = 1 − 0.5/1.375.
		{"hand computed", []int{0, 1, 2, 2}, []int{0, 2, 2, 1}, 0, 2, 1 - 0.5/1.375},
		{"perfect agreement", []int{0, 1, 2, 3}, []int{0, 1, 2, 3}, 0, 3, 1},
		// Clamping puts 7 at 2 and -1 at 0, which is perfect agreement again.
		{"clamped", []int{0, 2}, []int{-1, 7}, 0, 2, 1},
		{"one class only", []int{1, 1}, []int{1, 1}, 0, 2, math.NaN()},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			if got := QWK(tt.a, tt.b, tt.lo, tt.hi); !near(got, tt.want) {
				t.Errorf("QWK = %.6f, want %.6f", got, tt.want)
			}
		})
	}
}

func TestLabelMetrics(t *testing.T) {
	t.Parallel()
	gold := []string{"correct", "correct", "correct", "incorrect", "incorrect", "contradictory"}
	pred := []string{"correct", "correct", "incorrect", "incorrect", "contradictory", "contradictory"}
	// correct: tp 2, fp 0, fn 1 → P 1, R 2/3, F1 0.8 (support 3)
	// incorrect: tp 1, fp 1, fn 1 → P ½, R ½, F1 ½ (support 2)
	// contradictory: tp 1, fp 1, fn 0 → P ½, R 1, F1 ⅔ (support 1)
	tests := []struct {
		name string
		got  float64
		want float64
	}{
		{"accuracy", Accuracy(gold, pred), 4.0 / 6},
		{"macro f1", MacroF1(gold, pred), (0.8 + 0.5 + 2.0/3) / 3},
		{"weighted f1", WeightedF1(gold, pred), (0.8*3 + 0.5*2 + 2.0/3*1) / 6},
		{"accuracy empty", Accuracy(nil, nil), math.NaN()},
		{"macro f1 perfect", MacroF1([]string{"a", "b"}, []string{"a", "b"}), 1},
		// A label never predicted has F1 0 and still counts in the macro mean.
		{"macro f1 missing label", MacroF1([]string{"a", "b"}, []string{"a", "a"}), (2.0/3 + 0) / 2},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			if !near(tt.got, tt.want) {
				t.Errorf("got %.6f, want %.6f", tt.got, tt.want)
			}
		})
	}

	classes := PerClass(gold, pred)
	want := map[string][3]float64{ // precision, recall, F1
		"correct":       {1, 2.0 / 3, 0.8},
		"incorrect":     {0.5, 0.5, 0.5},
		"contradictory": {0.5, 1, 2.0 / 3},
	}
	if len(classes) != len(want) {
		t.Fatalf("PerClass gave %d classes, want %d", len(classes), len(want))
	}
	for _, c := range classes {
		w := want[c.Label]
		if !near(float64(c.Precision), w[0]) || !near(float64(c.Recall), w[1]) || !near(float64(c.F1), w[2]) {
			t.Errorf("%s: P/R/F1 = %v/%v/%v, want %.3f/%.3f/%.3f", c.Label, c.Precision, c.Recall, c.F1, w[0], w[1], w[2])
		}
	}
}

func TestFigureJSON(t *testing.T) {
	t.Parallel()
	tests := []struct {
		in   Figure
		want string
	}{
		{Figure(0.123456), "0.1235"},
		{Figure(math.NaN()), "null"},
		{Figure(1), "1"},
	}
	for _, tt := range tests {
		b, err := json.Marshal(tt.in)
		if err != nil {
			t.Fatalf("marshal %v: %v", tt.in, err)
		}
		if string(b) != tt.want {
			t.Errorf("marshal %v = %s, want %s", float64(tt.in), b, tt.want)
		}
	}
}

// near reports whether two figures agree to 1e-9, NaN agreeing with NaN.
func near(a, b float64) bool {
	if math.IsNaN(a) || math.IsNaN(b) {
		return math.IsNaN(a) && math.IsNaN(b)
	}
	return math.Abs(a-b) < 1e-9
}
