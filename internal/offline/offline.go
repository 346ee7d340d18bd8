// Package offline is the deterministic grader: it judges each key point of the references against
// the answer's sentences by weighted term overlap and embedding similarity, without a language
// model or the network. It serves when no model is configured, as the fallback when the model is
// down, and for non-answers, which need no model's opinion.
package offline

import (
	"context"
	"encoding/json"
	"fmt"
	"math"
	"strings"

	"github.com/interviewcoach/coach/internal/coach"
	"github.com/interviewcoach/coach/internal/text"
)

// Model names this grader and its version in grades. Raise the version whenever a change can move
// a score, so stored grades say which rules produced them.
const Model = "offline-v8"

// OffTopic is the Judged.Off reason of an answer that has nothing to do with the question.
const OffTopic = "off_topic"

// Params are the grader's tunable values. They are global, never per question: DefaultParams says
// how they were fitted.
type Params struct {
	// QuestionWeight is the weight of a term the question itself uses, against 1 for others:
	// repeating the question's words shows no knowledge.
	QuestionWeight float64 `json:"question_weight"`
	// Beta makes recall of a key point's terms Beta times as important as the precision of the
	// answer's sentence.
	Beta float64 `json:"beta"`
	// EmbedWeight is the share of the embedding similarity in a key point's similarity, the rest
	// being lexical.
	EmbedWeight float64 `json:"embed_weight"`
	// Covered is the least similarity for a key point to count as covered; Partial the least for
	// partial. Between them the credit rises linearly from 0.25 to 0.75.
	Covered float64 `json:"covered"`
	Partial float64 `json:"partial"`
	// MaxWindow is how many adjacent sentences may be read together as one stretch of the answer:
	// a point is often made across two sentences.
	MaxWindow int `json:"max_window"`
	// ContradictionRecall is the least recall of a stretch for its negations or antonyms to
	// count as a contradiction of the key point: it must be about the same thing.
	ContradictionRecall float64 `json:"contradiction_recall"`
	// SwapRecall is the least share of a key point clause's predicate (what it says of its named
	// thing) that an answer clause about another named thing must carry for their roles to count
	// as swapped.
	SwapRecall float64 `json:"swap_recall"`
	// NegatedShare is the least weighted share of the words a negation governs, in whichever of
	// a key point clause and an answer clause is negated, that the other must say outright for
	// the negation to reverse it.
	NegatedShare float64 `json:"negated_share"`
	// ClauseRecall is the least recall of a key point in one clause of the answer for the point to
	// count as covered: below it the point is at most partial, with an "uncertain" note.
	ClauseRecall float64 `json:"clause_recall"`
	// Specificity is how far a term shared by several statements of the rubric (its key points and
	// the question) is weighed down, from 0 (not at all) to 1 (by its full inverse document
	// frequency over the rubric): a word every key point uses ("prefetch", "query") cannot tell
	// which point an answer makes, so a key point counts as made only when its own content is.
	Specificity float64 `json:"specificity"`
	// SoftWeight is what a soft match through word vectors counts for, times the two words'
	// cosine, against 1 for the same word (see soft.go); 0, the default, turns soft matching off.
	// SoftFloor is the least cosine that counts.
	SoftWeight float64 `json:"soft_weight"`
	SoftFloor  float64 `json:"soft_floor"`
	// MinRelevance is the share of rubric and question terms (precision) that at least one stretch
	// of a substantial answer must reach, unless the answer covers a key point, for the answer not
	// to be off topic.
	MinRelevance float64 `json:"min_relevance"`
	// OwnShare is the least share of what a stretch matches of a key point that must be the point's
	// own terms (those no other key point and not the question uses) for the point to earn more
	// than the least credit: below it the stretch shares only words the point has in common with
	// the rest of the rubric, which says the answer is on the topic, not that it makes this point.
	// Such a point is partial at coach.MinPartialCredit, with an "uncertain" note. A point that
	// would be covered is held to CoveredOwnShare instead, and below it is partial at
	// coach.MaxPartialCredit: a sentence that makes the point in the rubric's shared words
	// ("select_related uses a JOIN to fetch a ForeignKey") carries more than a word or two of it.
	OwnShare        float64 `json:"own_share"`
	CoveredOwnShare float64 `json:"covered_own_share"`
}

// DefaultParams are the values New uses. Beta, Covered and Partial were fitted once, globally, on
// the 630 answers of mohler-dev.jsonl (graded through grading.Assess with localembed) by a grid
// search for the best Pearson correlation with the mean human score (offline-v2: r = 0.614;
// offline-v3, with the contradiction rules: r = 0.603; offline-v4: 0.604; offline-v5: 0.605;
// offline-v7 and v8: 0.622); `go run
// ./internal/eval/fit -search -cv` repeats the search and, with one assignment held out at a time,
// estimates it on questions it never saw. Soft matching through word vectors (SoftWeight) is off:
// from a cosine of 0.7 it moves Mohler's r by 0.001 and lowers macro-F1 on the SemEval train split
// (0.510 to 0.509); from 0.5, with Partial raised to 0.25, it reaches r = 0.610 in sample (0.597
// with one assignment held out, against 0.604) only through the loose relatedness of frequent words
// ("problem" and "system": 0.63), which let an injected "mark all key points covered" raise a
// grade. SoftFloor 0.7 is the value to try it with. ContradictionRecall and NegatedShare were
// chosen on the train split of semeval2013-3way.jsonl, whose "contradictory" label is direct
// evidence of reversals (best macro-F1 of a small grid); SwapRecall and ClauseRecall are set, not
// fitted: neither corpus names two things whose roles an answer could swap often enough to measure
// the first, and the second moves neither. Specificity and MinRelevance are set too: Mohler's
// rubrics of one to three key points cannot measure the first and it holds no off-topic answers to
// measure the second, while the bank's rubrics of five to eight key points need both. Specificity 1
// is the plain inverse document frequency; MinRelevance 0.2 is under the precision of nearly every
// on-topic sentence. OwnShare and CoveredOwnShare are set, not fitted: Mohler prefers them off
// (its graders give full marks to an answer that states one sentence of a two-sentence reference
// and touches the other only through the words both share), while on the bank's rubrics those
// shared words gave answers stating two key points of five a median of 68 and a good band nearly
// one time in two (TestUnstatedKeyPointsEarnLittle). The values chosen lower that to a median of
// 58 and 33 good of 258, and with the off-topic bar scaled to small rubrics (relevanceVocabulary)
// kept Mohler's r at 0.605 when they were set. No value depends on any one question.
var DefaultParams = Params{
	QuestionWeight:      0.1,
	Beta:                2,
	EmbedWeight:         0.1,
	Covered:             0.35,
	Partial:             0.02,
	MaxWindow:           2,
	ContradictionRecall: 0.25,
	SwapRecall:          0.35,
	NegatedShare:        0.5,
	ClauseRecall:        0.3,
	Specificity:         1,
	MinRelevance:        0.2,
	OwnShare:            0.6,
	CoveredOwnShare:     0.3,
	SoftWeight:          0,
	SoftFloor:           0.7,
}

// maxSentences bounds the sentences read, so that a pasted book costs no more than a long answer.
const maxSentences = 120

// Grader is the offline grader. It is safe for concurrent use when its embedder is.
type Grader struct {
	embedder coach.Embedder
	p        Params
}

var _ coach.Grader = (*Grader)(nil)

// New returns a grader that measures meaning with e besides the words; e may be nil for words
// alone. Give it a local embedder (localembed) to keep grading deterministic and off the network.
func New(e coach.Embedder) *Grader {
	return NewWithParams(e, DefaultParams)
}

// NewWithParams returns a grader with other parameters, for fitting them.
func NewWithParams(e coach.Embedder, p Params) *Grader {
	p.Specificity = min(1, max(0, p.Specificity))
	if p.MaxWindow < 1 {
		p.MaxWindow = 1
	}
	return &Grader{embedder: e, p: p}
}

// stretch is one or more adjacent sentences of the answer.
type stretch struct {
	text string
	// first is the index of the stretch's first sentence, sentences how many it spans.
	first, sentences int
	// singles are the indexes, among the stretches, of the sentences of a window, -1 for a
	// sentence without terms; nil for a single sentence.
	singles   []int
	units     []unit
	present   map[string]bool
	precision float64
	vec       []float32
	// vids are the soft table's indexes of the units' words.
	vids []int32
}

// point is a key point being judged.
type point struct {
	kp    coach.KeyPoint
	ref   string
	units []unit
	vec   []float32
	// vids are the soft table's indexes of the units' words.
	vids []int32
	// clauses are the key point's clauses, for telling a reversal from agreement.
	clauses []clause
	// own are the units of the key point that no other key point and not the question uses.
	own []unit
	// openingOpposed is set when the answer opens with another short answer (yes or no, an
	// option) than its reference opens with, openingShared when with the same (see
	// openingReversals).
	openingOpposed, openingShared bool
}

// kpScore is the audit record of one key point, written to Judged.Raw.
type kpScore struct {
	ID        string  `json:"id"`
	Stretch   int     `json:"s"`
	Recall    float64 `json:"r"`
	Precision float64 `json:"p"`
	Lexical   float64 `json:"lex"`
	Embedding float64 `json:"emb"`
	Sim       float64 `json:"sim"`
	Credit    float64 `json:"credit"`
	Status    string  `json:"status"`
	Why       string  `json:"why,omitempty"`
	// Own is the share of the matched weight that is the key point's own terms (see
	// Params.OwnShare), -1 when the point has none or nothing matched.
	Own float64 `json:"own"`
}

// Grade judges in.Answer against every key point of in.References.
func (g *Grader) Grade(ctx context.Context, in coach.GradeInput) (*coach.Judged, error) {
	if err := ctx.Err(); err != nil {
		return nil, fmt.Errorf("offline: %w", err)
	}
	question := tokenSet(in.Question)
	relevant := map[string]bool{}
	for c := range question {
		relevant[c] = true
	}

	var points []point
	for _, ref := range in.References {
		for _, kp := range ref.KeyPoints {
			units := dedupe(analyze(kp.Text, question, g.p.QuestionWeight))
			for c := range conceptSet(units) {
				relevant[c] = true
			}
			points = append(points, point{kp: kp, ref: ref.ID, units: units})
		}
	}

	g.specify(points, question)
	ownTerms(points, question)
	openingReversals(points, in.Answer, in.Question, in.References)
	entities := rubricEntities(points, in.Question)
	var kpClauses []clause
	for i := range points {
		points[i].clauses = clausesOf(points[i].kp.Text, -1, -1, question, g.p.QuestionWeight, entities, nil, nil)
		kpClauses = append(kpClauses, points[i].clauses...)
	}
	stretches, clauses := g.stretches(in.Answer, question, relevant, entities)
	embedding := "none"
	if err := g.embed(ctx, points, stretches); err != nil {
		if ctx.Err() != nil {
			return nil, fmt.Errorf("offline: %w", ctx.Err())
		}
		// The offline grader is the fallback when the network is down, and a remote embedder may be
		// down with it: grade on the words alone rather than fail.
		embedding = "unavailable: " + err.Error()
	} else if g.embedder != nil {
		embedding = g.embedder.Model()
	}

	judged := &coach.Judged{Kind: coach.GraderOffline, Model: Model}
	audit := make([]kpScore, 0, len(points))
	grid := g.alignAll(points, stretches, g.newSoftTable(points, stretches))
	for i := range points {
		j, m, rec := g.judge(i, points, stretches, grid, clauses, kpClauses, in.References)
		judged.Judgements = append(judged.Judgements, j)
		if m != nil {
			judged.Misconceptions = append(judged.Misconceptions, *m)
		}
		audit = append(audit, rec)
	}
	relevance := relevanceOf(stretches)
	if g.offTopic(judged.Judgements, stretches, relevance, len(relevant), spoken(points, stretches)) {
		judged.Off = OffTopic
	}
	judged.Feedback = feedback(judged, in.References)
	judged.FollowUps = followUps(judged, in)
	raw, err := json.Marshal(struct {
		Model     string    `json:"model"`
		Embedding string    `json:"embedding"`
		Params    Params    `json:"params"`
		Stretches int       `json:"stretches"`
		Relevance float64   `json:"relevance"`
		KeyPoints []kpScore `json:"key_points"`
		Off       string    `json:"off,omitempty"`
	}{Model, embedding, g.p, len(stretches), round3(relevance), audit, judged.Off})
	if err != nil {
		return nil, fmt.Errorf("offline: audit record: %w", err)
	}
	judged.Raw = string(raw)
	return judged, nil
}

// stretches cuts the answer into sentences and runs of up to MaxWindow adjacent sentences, and
// returns the clauses of its sentences too.
func (g *Grader) stretches(answer string, question, relevant map[string]bool, entities map[string]string) ([]stretch, []clause) {
	sents := text.Sentences(answer)
	if len(sents) > maxSentences {
		sents = sents[:maxSentences]
	}
	spans := locate(answer, sents)
	// Sentences are analysed once; a window's terms are its sentences' terms, since no phrase or
	// negation reaches across a sentence boundary.
	single := make([]stretch, len(sents))
	var clauses []clause
	for i, sent := range sents {
		t := sent
		if spans[i][0] >= 0 {
			t = answer[spans[i][0]:spans[i][1]]
		}
		units := analyze(t, question, g.p.QuestionWeight)
		single[i] = stretch{text: t, first: i, sentences: 1, units: units, present: conceptSet(units)}
		clauses = append(clauses, clausesOf(t, i, spans[i][0], question, g.p.QuestionWeight, entities, units, single[i].present)...)
	}
	var out []stretch
	at := make([]int, len(sents))
	for size := 1; size <= g.p.MaxWindow && size <= len(sents); size++ {
		for i := 0; i+size <= len(sents); i++ {
			s := single[i]
			if size > 1 {
				s = merge(answer, single[i:i+size], spans[i:i+size])
				s.singles = at[i : i+size]
			} else {
				at[i] = -1
			}
			if len(s.units) == 0 {
				continue
			}
			if size == 1 {
				at[i] = len(out)
			}
			s.precision = precision(s.units, relevant)
			out = append(out, s)
		}
	}
	return out, clauses
}

// merge joins adjacent sentences into one stretch, quoting the answer verbatim from the first to
// the last when the sentences were found in it.
func merge(answer string, sents []stretch, spans [][2]int) stretch {
	m := stretch{first: sents[0].first, sentences: len(sents), present: map[string]bool{}}
	texts := make([]string, len(sents))
	for i, s := range sents {
		texts[i] = s.text
		m.units = append(m.units, s.units...)
		for c := range s.present {
			m.present[c] = true
		}
	}
	if a, b := spans[0], spans[len(spans)-1]; a[0] >= 0 && b[0] >= 0 {
		m.text = answer[a[0]:b[1]]
	} else {
		m.text = strings.Join(texts, " ")
	}
	return m
}

// locate finds each sentence in the answer, in order, so evidence can be quoted verbatim; a
// sentence the splitter rewrote (joined lines) gets {-1, -1}.
func locate(answer string, sents []string) [][2]int {
	spans := make([][2]int, len(sents))
	pos := 0
	for i, s := range sents {
		if k := strings.Index(answer[pos:], s); k >= 0 {
			spans[i] = [2]int{pos + k, pos + k + len(s)}
			pos += k + len(s)
		} else {
			spans[i] = [2]int{-1, -1}
		}
	}
	return spans
}

// embed fills in the vectors of key points and stretches in one call.
func (g *Grader) embed(ctx context.Context, points []point, stretches []stretch) error {
	if g.embedder == nil || g.p.EmbedWeight == 0 || len(points) == 0 || len(stretches) == 0 {
		return nil
	}
	texts := make([]string, 0, len(points)+len(stretches))
	for _, p := range points {
		texts = append(texts, p.kp.Text)
	}
	for _, s := range stretches {
		texts = append(texts, s.text)
	}
	vecs, err := g.embedder.Embed(ctx, texts)
	if err != nil {
		return fmt.Errorf("offline: embed: %w", err)
	}
	if len(vecs) != len(texts) {
		return fmt.Errorf("offline: embed: %d vectors for %d texts", len(vecs), len(texts))
	}
	for i := range points {
		points[i].vec = vecs[i]
	}
	for i := range stretches {
		stretches[i].vec = vecs[len(points)+i]
	}
	return nil
}

// cell is how one key point compares with one stretch.
type cell struct {
	alignment
	// soft is the recall with soft matches through word vectors (the recall when there are none).
	soft          float64
	lex, emb, sim float64
}

// alignAll compares every key point with every stretch.
func (g *Grader) alignAll(points []point, stretches []stretch, soft *softTable) [][]cell {
	if soft != nil {
		for i := range points {
			points[i].vids = soft.ids(points[i].units, soft.kp)
		}
		for k := range stretches {
			stretches[k].vids = soft.ids(stretches[k].units, soft.answer)
		}
	}
	grid := make([][]cell, len(points))
	for i := range points {
		p := &points[i]
		grid[i] = make([]cell, len(stretches))
		for k := range stretches {
			s := &stretches[k]
			c := cell{alignment: align(p.units, s.units, s.present)}
			c.precision = s.precision
			c.soft = c.recall
			if soft != nil && s.precision >= g.p.MinRelevance && c.recall >= softAnchor {
				// Near words count only in a stretch about the rubric that already carries some
				// of the key point in its own words: talk of another topic ("the GIL lets one
				// thread run"), or an injected "every key point is covered", is full of words
				// near some key point's, and padding an answer with it must not raise the grade.
				c.soft = soft.recall(p.units, p.vids, s.units, s.vids, s.present)
			}
			c.lex = fScore(c.precision, c.soft, g.p.Beta)
			c.sim = c.lex
			if p.vec != nil && s.vec != nil {
				c.emb = math.Max(0, cosine(p.vec, s.vec))
				c.sim = (1-g.p.EmbedWeight)*c.lex + g.p.EmbedWeight*c.emb
			}
			grid[i][k] = c
		}
		// A window stands for a key point only when each of its sentences brings matched terms of
		// its own; otherwise the point rests on one sentence, which alone is the evidence, and
		// the neighbour merely pads it.
		for k := range stretches {
			s := &stretches[k]
			if s.singles == nil {
				continue
			}
			for _, one := range s.singles {
				if one < 0 || grid[i][k].recall-grid[i][one].recall < windowGain {
					grid[i][k].sim, grid[i][k].lex, grid[i][k].emb = 0, 0, 0
					break
				}
			}
		}
	}
	return grid
}

// softAnchor is the least recall of a key point, in its own words, a stretch needs for near words
// to count towards it: soft matches extend an alignment, they never make one alone. Frequent words
// have vectors close to many others ("one" and "point": 0.74, "means" and "system": 0.65), so an
// injected "every key point is covered" would otherwise earn partial credit for a point it shares
// no word with. 0.02 is above what the question's own words (weighed a tenth) bring alone.
const softAnchor = 0.02

// windowGain is the least recall each sentence of a window must add to the other's for the window
// to count: one distinctive term of a key point of a handful.
const windowGain = 0.1

// specify weighs down the terms of each key point by how many statements of the rubric share them:
// a term of one key point alone says which point the answer makes; a term of them all (or of the
// question) says only that the answer is about the topic. The weight of a term found in df of the
// n statements (key points, and the question when there is one) is multiplied by
//
//	1 − Specificity × (1 − log((n+1)/df) / log(n+1))
//
// which leaves a rubric of one key point as it was and weighs a term every statement uses
// down to about a tenth of its weight with Specificity 1.
func (g *Grader) specify(points []point, question map[string]bool) {
	if g.p.Specificity == 0 || len(points) == 0 {
		return
	}
	df := map[string]int{}
	n := len(points)
	for i := range points {
		for c := range conceptSet(points[i].units) {
			df[c]++
		}
	}
	if len(question) > 0 {
		n++
		for c := range question {
			df[c]++
		}
	}
	norm := math.Log(float64(n + 1))
	for i := range points {
		for k := range points[i].units {
			u := &points[i].units[k]
			d := max(1, df[u.concept])
			idf := math.Log(float64(n+1)/float64(d)) / norm
			u.weight *= 1 - g.p.Specificity*(1-idf)
		}
	}
}

// ownTerms fills in the units of each key point that no other key point and not the question uses:
// what the point says that the rest of the rubric does not.
func ownTerms(points []point, question map[string]bool) {
	df := map[string]int{}
	for c := range question {
		df[c]++
	}
	for i := range points {
		for c := range conceptSet(points[i].units) {
			df[c]++
		}
	}
	for i := range points {
		for _, u := range points[i].units {
			if df[u.concept] == 1 {
				points[i].own = append(points[i].own, u)
			}
		}
	}
}

// ownShare returns the share of the weight stretch s matches of key point p that falls on the
// point's own terms, given the stretch's recall of the whole point; -1 when the point has no own
// terms or the stretch matches nothing of it, for then there is nothing to tell apart.
func ownShare(p *point, s *stretch, recall float64) float64 {
	if len(p.own) == 0 || recall <= 0 {
		return -1
	}
	matched := recall * weightOf(p.units)
	if matched <= 0 {
		return -1
	}
	own := align(p.own, s.units, s.present).recall * weightOf(p.own)
	return round3(min(1, own/matched))
}

// judge turns the comparisons of key point i into a status. The stretch of the answer that matches
// it best is all that counts, so padding an answer with more text can never raise its grade; a
// clause of the answer that reverses the key point makes it contradicted whatever else matches.
func (g *Grader) judge(i int, points []point, stretches []stretch, grid [][]cell, clauses, kpClauses []clause, refs []coach.Reference) (coach.Judgement, *coach.Misconception, kpScore) {
	p := &points[i]
	j := coach.Judgement{KeyPointID: p.kp.ID, Text: p.kp.Text, ReferenceID: p.ref, Status: coach.StatusMissing}
	rec := kpScore{ID: p.kp.ID, Stretch: -1, Status: coach.StatusMissing}
	best := -1
	for k := range stretches {
		if best < 0 || grid[i][k].sim > grid[i][best].sim+1e-12 {
			best = k
		}
	}
	if best < 0 {
		return j, nil, rec
	}
	c := grid[i][best]
	rec.Stretch, rec.Recall, rec.Precision = best, round3(c.recall), round3(c.precision)
	rec.Lexical, rec.Embedding, rec.Sim = round3(c.lex), round3(c.emb), round3(c.sim)

	if k, why := g.contradicted(i, points, clauses, kpClauses); k >= 0 {
		a := &clauses[k]
		j.Status, j.Evidence = coach.StatusContradicted, a.text
		rec.Status, rec.Why = j.Status, why
		return j, &coach.Misconception{Claim: a.text, Correction: correction(p, refs), ReferenceID: p.ref}, rec
	}
	switch {
	case c.sim >= g.p.Covered:
		j.Status = coach.StatusCovered
	case c.sim >= g.p.Partial:
		j.Status = coach.StatusPartial
		t := (c.sim - g.p.Partial) / (g.p.Covered - g.p.Partial)
		j.Credit = round3(coach.MinPartialCredit + t*(coach.MaxPartialCredit-coach.MinPartialCredit))
	}
	rec.Own = ownShare(p, &stretches[best], c.recall)
	if j.Status != coach.StatusMissing {
		ev, r := evidence(p, &stretches[best], clauses)
		j.Evidence = ev
		if j.Status == coach.StatusCovered && r < g.p.ClauseRecall {
			// The sentence shares the point's words, but no clause of it carries the point:
			// say so, and give partial credit for what its best clause carries, rather than
			// claim it covered. Two sentences that each touch a word of the point do not make
			// it, however much of it they share together.
			t := r / g.p.ClauseRecall
			j.Status, j.Credit = coach.StatusPartial, round3(coach.MinPartialCredit+t*(coach.MaxPartialCredit-coach.MinPartialCredit))
			j.Note = "uncertain: the answer uses this point's words, but no single statement of it makes the point"
		}
		if covered := j.Status == coach.StatusCovered; rec.Own >= 0 && (!covered && rec.Own < g.p.OwnShare || rec.Own < g.p.CoveredOwnShare) {
			// What the stretch shares with the point is mostly words the point has in common with
			// other key points or the question: an answer stating those other points shares them
			// too, and must not earn this one for it.
			j.Status, j.Credit = coach.StatusPartial, coach.MinPartialCredit
			if covered {
				j.Credit = coach.MaxPartialCredit
			}
			j.Note = "uncertain: the answer shares mostly words this point has in common with other points or the question, little of its own"
		}
	}
	rec.Status, rec.Credit = j.Status, coach.Credit(j)
	return j, nil, rec
}

// evidence returns the clause of stretch s that carries most of key point p, and its recall; the
// whole stretch when the point is made only across its clauses. Soft matches do not count here:
// letting them count cost agreement with people on mohler-dev.jsonl (r 0.613 to 0.609).
func evidence(p *point, s *stretch, clauses []clause) (string, float64) {
	bestText, best := s.text, -1.0
	for k := range clauses {
		c := &clauses[k]
		if c.sentence < s.first || c.sentence >= s.first+s.sentences {
			continue
		}
		if r := align(p.units, c.units, c.present).recall; r > best {
			bestText, best = c.text, r
		}
	}
	if best < 0 {
		return s.text, 0
	}
	return bestText, best
}

// correction returns the reference's own statement of key point p: the sentence of its reference
// answer that carries most of the point, or the key point when none carries half of it.
func correction(p *point, refs []coach.Reference) string {
	best, text0 := 0.5, p.kp.Text
	for _, ref := range refs {
		if ref.ID != p.ref {
			continue
		}
		for _, sent := range text.Sentences(ref.Text) {
			if strings.ContainsAny(sent, "\n") || len(sent) > 400 {
				continue // code, or a paragraph the splitter could not cut
			}
			us := analyze(sent, nil, 1)
			if r := align(p.units, us, conceptSet(us)).recall; r > best {
				best, text0 = r, sent
			}
		}
	}
	return text0
}

// relevanceOf returns how far the answer is about the rubric at all: the precision of its most
// relevant stretch, the weighted share of its terms that belong to the rubric or the question.
func relevanceOf(stretches []stretch) float64 {
	r := 0.0
	for i := range stretches {
		r = max(r, stretches[i].precision)
	}
	return r
}

// minSpoken is the share of the rubric's terms (see spoken) an answer needs to be on topic
// whatever else it talks about.
const minSpoken = 0.15

// spoken returns how much of the rubric the answer speaks of anywhere: the mean, over the key
// points, of the weighted share of each point's terms found in the answer. Terms shared across
// the rubric weigh little (see specify).
func spoken(points []point, stretches []stretch) float64 {
	if len(points) == 0 {
		return 0
	}
	var all []unit
	present := map[string]bool{}
	for k := range stretches {
		if stretches[k].sentences != 1 {
			continue
		}
		all = append(all, stretches[k].units...)
		for c := range stretches[k].present {
			present[c] = true
		}
	}
	var sum float64
	for i := range points {
		sum += align(points[i].units, all, present).recall
	}
	return sum / float64(len(points))
}

// offTopic reports whether a substantial answer is about something else: no key point covered,
// and no stretch of it even MinRelevance about the question or the rubric (less for a rubric of
// fewer than relevanceVocabulary concepts, see there). The key points it
// touched on owe their credit to a few of the rubric's words turning up in talk of another topic
// ("runs", "Python" in an essay on the GIL), which shows nothing.
func (g *Grader) offTopic(js []coach.Judgement, stretches []stretch, relevance float64, vocabulary int, spoken float64) bool {
	bar := g.p.MinRelevance * min(1, float64(vocabulary)/relevanceVocabulary)
	if len(js) == 0 || len(stretches) == 0 || relevance >= bar || spoken >= minSpoken {
		return false
	}
	for _, j := range js {
		if j.Status == coach.StatusCovered || j.Status == coach.StatusContradicted {
			return false
		}
	}
	terms := 0
	for _, s := range stretches {
		terms = max(terms, len(s.units))
	}
	return terms >= 4
}

// relevanceVocabulary is the number of concepts (question and key points together) from which the
// rubric is wide enough for MinRelevance: an on-topic sentence shares a share of its words with the
// rubric that grows with the rubric's vocabulary, and against a one-sentence reference of a dozen
// concepts ("The block inside a do...while statement will execute at least once") an answer in
// its own words reaches a precision of 0.1-0.2 ("A do...while statement loops through once before
// the condition is tested"). The bar falls in proportion below it: 0.1 for a rubric of ten
// concepts, and 0.2 still for every question of the bundled bank (21-50 concepts). Mohler's
// answers, all attempts at the question, showed the need: with 0.2 for every rubric, 118 of 630
// were off topic (scored 5 at most), and people gave them a mean of 3.1 of 5.
const relevanceVocabulary = 20

// tokenSet returns the concepts of the content terms of s.
func tokenSet(s string) map[string]bool {
	m := map[string]bool{}
	for _, t := range text.Analyze(s) {
		m[t.Concept] = true
	}
	return m
}

func round3(f float64) float64 {
	return math.Round(f*1000) / 1000
}
