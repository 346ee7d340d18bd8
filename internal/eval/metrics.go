package eval

import (
	"encoding/json"
	"math"
	"slices"
	"sort"
	"strconv"
)

// Figure is a measured value that may be undefined (NaN): a correlation of a constant series, a
// kappa of one class. It encodes as JSON null then, since JSON has no NaN.
type Figure float64

// MarshalJSON implements json.Marshaler, rounding to four decimals: more digits than that are noise
// on a few hundred answers.
func (f Figure) MarshalJSON() ([]byte, error) {
	v := float64(f)
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return []byte("null"), nil
	}
	return strconv.AppendFloat(nil, math.Round(v*1e4)/1e4, 'f', -1, 64), nil
}

// UnmarshalJSON implements json.Unmarshaler; null reads back as NaN.
func (f *Figure) UnmarshalJSON(b []byte) error {
	if string(b) == "null" {
		*f = Figure(math.NaN())
		return nil
	}
	var v float64
	if err := json.Unmarshal(b, &v); err != nil {
		return err
	}
	*f = Figure(v)
	return nil
}

// String prints the figure with three decimals, or "n/a".
func (f Figure) String() string {
	if math.IsNaN(float64(f)) {
		return "n/a"
	}
	return strconv.FormatFloat(float64(f), 'f', 3, 64)
}

// Pearson returns the Pearson correlation of x and y, or NaN when it is undefined (fewer than two
// pairs, or a series without variance).
func Pearson(x, y []float64) float64 {
	n := len(x)
	if n != len(y) || n < 2 {
		return math.NaN()
	}
	var mx, my float64
	for i := range x {
		mx += x[i]
		my += y[i]
	}
	mx /= float64(n)
	my /= float64(n)
	var sxy, sxx, syy float64
	for i := range x {
		dx, dy := x[i]-mx, y[i]-my
		sxy += dx * dy
		sxx += dx * dx
		syy += dy * dy
	}
	if sxx == 0 || syy == 0 {
		return math.NaN()
	}
	return sxy / math.Sqrt(sxx*syy)
}

// Spearman returns Spearman's rank correlation: the Pearson correlation of the ranks, tied values
// sharing the mean of the ranks they span. Human grades are full of ties (most answers get full
// marks), and without mean ranks the figure would depend on input order.
func Spearman(x, y []float64) float64 {
	if len(x) != len(y) {
		return math.NaN()
	}
	return Pearson(ranks(x), ranks(y))
}

// ranks returns the 1-based rank of each value, ties given their mean rank.
func ranks(v []float64) []float64 {
	idx := make([]int, len(v))
	for i := range idx {
		idx[i] = i
	}
	sort.SliceStable(idx, func(a, b int) bool { return v[idx[a]] < v[idx[b]] })
	out := make([]float64, len(v))
	for i := 0; i < len(idx); {
		j := i
		for j+1 < len(idx) && v[idx[j+1]] == v[idx[i]] {
			j++
		}
		mean := float64(i+j)/2 + 1
		for k := i; k <= j; k++ {
			out[idx[k]] = mean
		}
		i = j + 1
	}
	return out
}

// RMSE returns the root mean squared difference of x and y, NaN when empty.
func RMSE(x, y []float64) float64 {
	if len(x) != len(y) || len(x) == 0 {
		return math.NaN()
	}
	var s float64
	for i := range x {
		d := x[i] - y[i]
		s += d * d
	}
	return math.Sqrt(s / float64(len(x)))
}

// MAE returns the mean absolute difference of x and y, NaN when empty.
func MAE(x, y []float64) float64 {
	if len(x) != len(y) || len(x) == 0 {
		return math.NaN()
	}
	var s float64
	for i := range x {
		s += math.Abs(x[i] - y[i])
	}
	return s / float64(len(x))
}

// QWK returns the quadratic weighted kappa of two ratings on the integer scale lo..hi (values
// outside are clamped): 1 − Σ w·observed / Σ w·expected, with w = (i−j)²/(hi−lo)² and the expected
// matrix the outer product of the two rating histograms. It is NaN when the expected disagreement
// is zero (both raters give one and the same rating throughout).
func QWK(a, b []int, lo, hi int) float64 {
	if len(a) != len(b) || len(a) == 0 || hi <= lo {
		return math.NaN()
	}
	k := hi - lo + 1
	clamp := func(v int) int { return min(max(v, lo), hi) - lo }
	observed := make([]float64, k*k)
	histA := make([]float64, k)
	histB := make([]float64, k)
	for i := range a {
		x, y := clamp(a[i]), clamp(b[i])
		observed[x*k+y]++
		histA[x]++
		histB[y]++
	}
	n := float64(len(a))
	var num, den float64
	for i := 0; i < k; i++ {
		for j := 0; j < k; j++ {
			w := float64((i-j)*(i-j)) / float64((k-1)*(k-1))
			num += w * observed[i*k+j]
			den += w * histA[i] * histB[j] / n
		}
	}
	if den == 0 {
		return math.NaN()
	}
	return 1 - num/den
}

// Accuracy returns the share of predictions equal to the gold labels, NaN when empty.
func Accuracy(gold, pred []string) float64 {
	if len(gold) != len(pred) || len(gold) == 0 {
		return math.NaN()
	}
	hit := 0
	for i := range gold {
		if gold[i] == pred[i] {
			hit++
		}
	}
	return float64(hit) / float64(len(gold))
}

// ClassScore is the precision, recall and F1 of one label, and how many gold items carry it.
type ClassScore struct {
	Label     string `json:"label"`
	Precision Figure `json:"precision"`
	Recall    Figure `json:"recall"`
	F1        Figure `json:"f1"`
	Support   int    `json:"support"`
}

// PerClass returns the scores of every label found among gold or pred, sorted by label. An
// undefined precision or recall (no prediction, or no gold item, of the label) counts as 0, as is
// usual, so a label the grader never predicts drags the macro average down.
func PerClass(gold, pred []string) []ClassScore {
	if len(gold) != len(pred) {
		return nil
	}
	tp, fp, fn := map[string]int{}, map[string]int{}, map[string]int{}
	labels := map[string]bool{}
	for i := range gold {
		labels[gold[i]], labels[pred[i]] = true, true
		if gold[i] == pred[i] {
			tp[gold[i]]++
		} else {
			fp[pred[i]]++
			fn[gold[i]]++
		}
	}
	var out []ClassScore
	for l := range labels {
		c := ClassScore{Label: l, Support: tp[l] + fn[l]}
		p, r := ratio(tp[l], tp[l]+fp[l]), ratio(tp[l], tp[l]+fn[l])
		c.Precision, c.Recall = Figure(p), Figure(r)
		if p+r > 0 {
			c.F1 = Figure(2 * p * r / (p + r))
		}
		out = append(out, c)
	}
	slices.SortFunc(out, func(a, b ClassScore) int {
		switch {
		case a.Label < b.Label:
			return -1
		case a.Label > b.Label:
			return 1
		}
		return 0
	})
	return out
}

func ratio(a, b int) float64 {
	if b == 0 {
		return 0
	}
	return float64(a) / float64(b)
}

// MacroF1 returns the unweighted mean F1 over the labels found among gold or pred.
func MacroF1(gold, pred []string) float64 {
	classes := PerClass(gold, pred)
	if len(classes) == 0 {
		return math.NaN()
	}
	var s float64
	for _, c := range classes {
		s += float64(c.F1)
	}
	return s / float64(len(classes))
}

// WeightedF1 returns the mean F1 over labels weighted by their gold support.
func WeightedF1(gold, pred []string) float64 {
	classes := PerClass(gold, pred)
	if len(gold) == 0 {
		return math.NaN()
	}
	var s float64
	for _, c := range classes {
		s += float64(c.F1) * float64(c.Support)
	}
	return s / float64(len(gold))
}
