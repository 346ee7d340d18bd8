package coach

import (
	"strings"
	"testing"
)

func TestScore(t *testing.T) {
	t.Parallel()
	j := func(status string, credit float64) Judgement { return Judgement{Status: status, Credit: credit} }
	r := func(ref, status string) Judgement { return Judgement{ReferenceID: ref, Status: status} }
	tests := []struct {
		name           string
		judgements     []Judgement
		misconceptions int
		want           int
	}{
		{"no key points", nil, 0, 0},
		{"all covered", []Judgement{j(StatusCovered, 0), j(StatusCovered, 0)}, 0, 100},
		{"all missing", []Judgement{j(StatusMissing, 0), j(StatusMissing, 0)}, 0, 0},
		// (1 + 0.5) / 2
		{"partial without credit counts half", []Judgement{j(StatusCovered, 0), j(StatusPartial, 0)}, 0, 75},
		// (1 + 0.3) / 2
		{"partial with credit", []Judgement{j(StatusCovered, 0), j(StatusPartial, 0.3)}, 0, 65},
		// Credit outside [0.25, 0.75] is clamped: (0.75 + 0.25) / 2.
		{"partial credit clamped", []Judgement{j(StatusPartial, 0.99), j(StatusPartial, 0.01)}, 0, 50},
		// Credit on any other status means nothing.
		{"credit ignored when covered or missing", []Judgement{j(StatusCovered, 0.3), j(StatusMissing, 0.6)}, 0, 50},
		// 2/3 covered − 0.15 for one contradiction.
		{"one contradiction", []Judgement{j(StatusCovered, 0), j(StatusCovered, 0), j(StatusContradicted, 0)}, 1, 40},
		// 5/6 covered − 0.15 = 68, capped at 40: a reversed point keeps the answer weak.
		{"contradiction caps the score", []Judgement{j(StatusCovered, 0), j(StatusCovered, 0), j(StatusCovered, 0), j(StatusCovered, 0), j(StatusCovered, 0), j(StatusContradicted, 0)}, 1, ContradictedCap},
		// A misconception without a contradicted key point costs its penalty but no cap: 1 − 0.15.
		{"misconception alone is not capped", []Judgement{j(StatusCovered, 0), j(StatusCovered, 0)}, 1, 85},
		// Misconceptions and contradicted key points are the same errors counted twice: max(1, 2) = 2.
		{"errors not counted twice", []Judgement{j(StatusCovered, 0), j(StatusContradicted, 0)}, 2, 20},
		// Penalty capped at 0.6 and the score at 0.
		{"penalty floor", []Judgement{j(StatusContradicted, 0)}, 9, 0},
		{"penalty cap", []Judgement{j(StatusCovered, 0)}, 9, 40},
		// A detail weighs half a core point: (1×1 + 0.5×0) / 1.5.
		{"detail missed", []Judgement{j(StatusCovered, 0), {Status: StatusMissing, Weight: WeightDetail}}, 0, 67},
		// (1×0 + 0.5×1) / 1.5.
		{"only the detail covered", []Judgement{j(StatusMissing, 0), {Status: StatusCovered, Weight: WeightDetail}}, 0, 33},
		// Two references, the first stated in full: half of the whole rubric's 2/4 and half of the
		// best reference's 2/2.
		{"one of two references in full", []Judgement{r("a", StatusCovered), r("a", StatusCovered), r("b", StatusMissing), r("b", StatusMissing)}, 0, 75},
		// Half of 3/5 and half of the better reference's 2/3 (b's 1/2 is less).
		{"best reference counts", []Judgement{r("a", StatusCovered), r("a", StatusCovered), r("a", StatusMissing), r("b", StatusCovered), r("b", StatusMissing)}, 0, 63},
		// One reference: the whole rubric alone.
		{"one reference", []Judgement{r("a", StatusCovered), r("a", StatusMissing)}, 0, 50},
		// Judgements naming no reference cannot be grouped: the whole rubric alone.
		{"reference unknown", []Judgement{r("a", StatusCovered), r("", StatusMissing)}, 0, 50},
		// The cap of a contradicted key point holds whichever reference it belongs to: half of
		// 3/4 and half of 3/3, less 0.15, is 72, capped at 40.
		{"contradiction in the other reference", []Judgement{r("a", StatusCovered), r("a", StatusCovered), r("a", StatusCovered), r("b", StatusContradicted)}, 1, ContradictedCap},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			if got := Score(tt.judgements, tt.misconceptions); got != tt.want {
				t.Errorf("Score = %d, want %d", got, tt.want)
			}
		})
	}
}

func TestBand(t *testing.T) {
	t.Parallel()
	tests := []struct {
		score int
		want  string
	}{
		{100, BandExcellent}, {85, BandExcellent}, {84, BandGood}, {70, BandGood}, {69, BandFair},
		{50, BandFair}, {49, BandWeak}, {25, BandWeak}, {24, BandIncorrect}, {0, BandIncorrect},
	}
	for _, tt := range tests {
		if got := Band(tt.score); got != tt.want {
			t.Errorf("Band(%d) = %q, want %q", tt.score, got, tt.want)
		}
	}
}

func TestEcho(t *testing.T) {
	t.Parallel()
	if got := Echo("q-1"); got != `"q-1"` {
		t.Errorf("Echo(short) = %s", got)
	}
	long := Echo(strings.Repeat("é", 900000))
	if len([]rune(long)) > 120 || !strings.Contains(long, "(900000 characters)") {
		t.Errorf("Echo(900,000 characters) = %.200s (%d runes)", long, len([]rune(long)))
	}
}
