package coach

import "math"

// Score bands, best first.
const (
	BandExcellent = "excellent"
	BandGood      = "good"
	BandFair      = "fair"
	BandWeak      = "weak"
	BandIncorrect = "incorrect"
)

// Credit of each key point status in the score. A partial judgement counts its own Credit instead
// when it has one (see Credit).
var statusCredit = map[string]float64{
	StatusCovered:      1,
	StatusPartial:      0.5,
	StatusMissing:      0,
	StatusContradicted: 0,
}

// Bounds of the credit of a partial judgement: partial is never worth as little as missing nor as
// much as covered, whoever judged it.
const (
	MinPartialCredit = 0.25
	MaxPartialCredit = 0.75
)

// Credit returns what a judgement counts for in the score: 1 covered, 0 missing or contradicted,
// and for partial its Credit clamped to [0.25, 0.75], or 0.5 when the grader gave none.
func Credit(j Judgement) float64 {
	if j.Status != StatusPartial || j.Credit == 0 {
		return statusCredit[j.Status]
	}
	return min(MaxPartialCredit, max(MinPartialCredit, j.Credit))
}

// ContradictionPenalty is what each error of the answer takes off the coverage; MaxPenalty caps the
// total. The errors counted are the contradicted key points or the listed misconceptions, whichever
// are more: graders usually list a misconception for each contradicted key point, and one error
// should not cost twice.
const (
	ContradictionPenalty = 0.15
	MaxPenalty           = 0.6
)

// ContradictedCap is the highest score of an answer that contradicts a key point of its rubric: an
// answer stating the opposite of what the reference says is at most "weak", however much of the
// rest it covers. A wrong statement in the reference's own words otherwise earns the credit of the
// other points it shares words with, and candidates would read a good band as "right".
const ContradictedCap = 40

// Score computes the 0-100 score of an answer from the judgements of its key points, the same way
// whichever grader judged them:
//
//	coverage = Σ weight × credit / Σ weight, over the key points; when they come from several
//	           references, half that and half the same over the best reference's key points
//	           (see bestReference)
//	penalty  = min(0.6, 0.15 × max(contradicted key points, misconceptions))
//	score    = round(100 × max(0, coverage − penalty)), at most ContradictedCap (40) when a key
//	           point is contradicted
//
// where credit is 1 for a covered key point, 0 for a missing or contradicted one, and for a partial
// one its Judgement.Credit in [0.25, 0.75], or 0.5 when the grader gave none (see Credit); weight is
// the key point's Judgement.Weight (WeightCore 1 or WeightDetail 0.5; unset counts as 1). An answer
// with no key points to judge scores 0.
func Score(judgements []Judgement, misconceptions int) int {
	if len(judgements) == 0 {
		return 0
	}
	contradicted := 0
	for _, j := range judgements {
		if j.Status == StatusContradicted {
			contradicted++
		}
	}
	coverage := coverageOf(judgements)
	if best, ok := bestReference(judgements); ok {
		coverage = (coverage + best) / 2
	}
	penalty := math.Min(MaxPenalty, ContradictionPenalty*float64(max(contradicted, misconceptions)))
	score := int(math.Round(100 * math.Max(0, coverage-penalty)))
	if contradicted > 0 {
		score = min(score, ContradictedCap)
	}
	return score
}

// coverageOf is Σ weight × credit / Σ weight over the judgements.
func coverageOf(judgements []Judgement) float64 {
	var credit, weight float64
	for _, j := range judgements {
		w := weightOf(j)
		credit += w * Credit(j)
		weight += w
	}
	if weight == 0 {
		return 0
	}
	return credit / weight
}

// bestReference returns the highest coverage of the key points of any one reference, and false
// when the judgements do not come from at least two references (or some name none). Several
// references of one question are several complete answers to it (the same question from several
// sources, or a data set's alternative reference answers): an answer that states one of them in
// full owes nothing to the others' wording, but the mean over every key point holds each
// alternative's points against it. Half the score follows the best reference and half the whole
// rubric: fitted on the SemEval-2013 train split (Beetle's questions have 2-14 alternative
// references), where it beats both the whole rubric alone and the best reference alone.
func bestReference(judgements []Judgement) (float64, bool) {
	by := map[string][]Judgement{}
	for _, j := range judgements {
		if j.ReferenceID == "" {
			return 0, false
		}
		by[j.ReferenceID] = append(by[j.ReferenceID], j)
	}
	if len(by) < 2 {
		return 0, false
	}
	best := 0.0
	for _, js := range by {
		best = max(best, coverageOf(js))
	}
	return best, true
}

// Band names the range a score falls in: excellent from 85, good from 70, fair from 50, weak from
// 25, incorrect below.
func Band(score int) string {
	switch {
	case score >= 85:
		return BandExcellent
	case score >= 70:
		return BandGood
	case score >= 50:
		return BandFair
	case score >= 25:
		return BandWeak
	}
	return BandIncorrect
}
