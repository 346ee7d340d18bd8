package eval

import "math"

// Knot is one point of the calibration curve: a 0-100 score and the fraction of a file's scale
// people gave such answers.
type Knot struct {
	Score    int     `json:"score"`
	Fraction float64 `json:"fraction"`
}

// Calibration maps the offline grader's 0-100 scores onto the fraction of the scale human graders
// give: piecewise linear between the knots. It changes no grade a user sees; it only puts our scores
// on the graders' scale for RMSE, MAE and kappa, since people give full marks far more readily than
// a key-point score reaches 100.
//
// Until fitted it is the identity.
var Calibration = []Knot{{0, 0}, {100, 1}}

// Calibrate returns the fraction of the scale the calibration gives a 0-100 score.
func Calibrate(score int) float64 {
	return interpolate(Calibration, score)
}

func interpolate(curve []Knot, score int) float64 {
	if len(curve) == 0 {
		return float64(score) / 100
	}
	if score <= curve[0].Score {
		return curve[0].Fraction
	}
	for i := 1; i < len(curve); i++ {
		a, b := curve[i-1], curve[i]
		if score <= b.Score {
			t := float64(score-a.Score) / float64(b.Score-a.Score)
			return a.Fraction + t*(b.Fraction-a.Fraction)
		}
	}
	return curve[len(curve)-1].Fraction
}

// FitCalibration fits a calibration curve: the isotonic (monotone non-decreasing) regression of
// the human fraction of the scale on our score, by pool-adjacent-violators, read off at every tenth
// of the 0-100 range with linear interpolation between the scores seen. Monotone so that a better
// grade never maps below a worse one.
func FitCalibration(scores []int, fractions []float64) []Knot {
	type block struct {
		lo, hi int // score range
		sum, n float64
	}
	// One block per distinct score, in order.
	sum := map[int]float64{}
	cnt := map[int]float64{}
	for i, s := range scores {
		sum[s] += fractions[i]
		cnt[s]++
	}
	var blocks []block
	for s := 0; s <= 100; s++ {
		if cnt[s] > 0 {
			blocks = append(blocks, block{lo: s, hi: s, sum: sum[s], n: cnt[s]})
		}
	}
	if len(blocks) == 0 {
		return []Knot{{0, 0}, {100, 1}}
	}
	// Pool adjacent violators.
	var stack []block
	for _, b := range blocks {
		stack = append(stack, b)
		for len(stack) > 1 {
			a, c := stack[len(stack)-2], stack[len(stack)-1]
			if a.sum/a.n <= c.sum/c.n {
				break
			}
			stack = append(stack[:len(stack)-2], block{lo: a.lo, hi: c.hi, sum: a.sum + c.sum, n: a.n + c.n})
		}
	}
	// The fitted value of each pooled block sits at the middle of its score range.
	var pts []Knot
	for _, b := range stack {
		pts = append(pts, Knot{Score: (b.lo + b.hi) / 2, Fraction: b.sum / b.n})
	}
	var out []Knot
	for x := 0; x <= 100; x += 10 {
		f := interpolate(pts, x)
		out = append(out, Knot{Score: x, Fraction: math.Round(f*1000) / 1000})
	}
	return out
}
