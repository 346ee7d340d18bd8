package eval

import (
	"math"

	"github.com/interviewcoach/coach/internal/coach"
)

// Knot is one point of the calibration curve: a 0-100 score and the fraction of a file's scale
// people gave such answers.
type Knot struct {
	Score    int     `json:"score"`
	Fraction float64 `json:"fraction"`
}

// Calibrations map each kind of grader's 0-100 scores onto the fraction of the scale human graders
// give: piecewise linear between the knots. They change no grade a user sees; they only put our
// scores on the graders' scale for RMSE, MAE and kappa, since people give full marks far more
// readily than a key-point score reaches 100. Each kind has its own: a model's scores spread
// differently from the offline grader's, and knots fitted to one say nothing of the other. A kind
// without knots is reported uncalibrated (score/100).
//
// The offline knots are fitted by `go run ./internal/eval/fit` (FitCalibration: least squares over
// the 630 answers of mohler-dev.jsonl graded with offline.DefaultParams and localembed); refit
// whenever the grader changes. Fit a model's the same way from its `coach eval --json` output.
var Calibrations = map[string][]Knot{
	coach.GraderOffline: {{0, 0.580}, {100, 0.959}},
}

// Calibrate returns the fraction of the scale the calibration of grader kind gives a 0-100 score,
// or score/100 when the kind has none.
func Calibrate(kind string, score int) float64 {
	return interpolate(Calibrations[kind], score)
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

// FitCalibration fits a calibration line by least squares: the human fraction of the scale
// against our 0-100 score, kept within [0, 1] at both ends. A line rather than a monotone step
// curve, because a step curve pools neighbouring scores and loses the order within each pool,
// which costs correlation; a line keeps the order and fixes the offset and slope RMSE and MAE
// suffer from.
func FitCalibration(scores []int, fractions []float64) []Knot {
	n := float64(len(scores))
	if n < 2 {
		return []Knot{{0, 0}, {100, 1}}
	}
	var mx, my float64
	for i, s := range scores {
		mx += float64(s)
		my += fractions[i]
	}
	mx /= n
	my /= n
	var sxy, sxx float64
	for i, s := range scores {
		dx := float64(s) - mx
		sxy += dx * (fractions[i] - my)
		sxx += dx * dx
	}
	slope := 0.0
	if sxx > 0 {
		slope = sxy / sxx
	}
	at := func(x float64) float64 {
		return math.Round(min(1, max(0, my+slope*(x-mx)))*1000) / 1000
	}
	return []Knot{{0, at(0)}, {100, at(100)}}
}
