package ingest

import (
	"context"
	"math"

	"github.com/interviewcoach/coach/internal/coach"
	"github.com/interviewcoach/coach/internal/text"
)

// Thresholds by which a proposed key point is the same statement as one the question already has.
const (
	// DuplicateKeyPointSimilarity is the least cosine similarity of two key points' vectors for them
	// to say the same thing. It suits the local embedder, whose paraphrases of one statement score
	// 0.62-0.70 while different statements on one topic stay below 0.6 (seed pages against the bundled
	// bank; see TestSeedImportKeepsBundledScores).
	DuplicateKeyPointSimilarity = 0.65
	// DuplicateKeyPointOverlap is the least share of common concepts (Jaccard, over the text's
	// content terms folded to their concepts) for two key points to say the same thing.
	DuplicateKeyPointOverlap = 0.7
)

// reviewKeyPoints decides what the key points of a new reference become, existing being those its
// question has (none for a new question). Authored key points make
// the rubric of a question that has none approved yet (a new question, or one whose rubric is all
// drafts); anything else (extracted, written by a model, or authored for a question that already
// has a rubric) arrives as a draft for an admin to review. Drafts that say what the question's key
// points already say (approved, draft or rejected alike, so a rejected statement is not proposed
// again) are dropped; it returns the key points to store and how many were dropped.
func (im *Importer) reviewKeyPoints(ctx context.Context, existing []coach.KeyPoint, statements []string, origin string) ([]coach.KeyPoint, int, error) {
	hasRubric := false
	for _, kp := range existing {
		if kp.Status == coach.KeyPointApproved || kp.Status == "" {
			hasRubric = true
		}
	}
	status := coach.KeyPointDraft
	if origin == coach.KeyPointAuthored && !hasRubric {
		status = coach.KeyPointApproved
	}

	var vecs [][]float32
	if len(existing) > 0 && len(statements) > 0 {
		inputs := make([]string, 0, len(existing)+len(statements))
		for _, kp := range existing {
			inputs = append(inputs, kp.Text)
		}
		inputs = append(inputs, statements...)
		var err error
		if vecs, err = im.Embedder.Embed(ctx, inputs); err != nil {
			return nil, 0, err
		}
	}
	type seen struct {
		text string
		vec  []float32
	}
	var known []seen
	for i, kp := range existing {
		known = append(known, seen{kp.Text, vecs[i]})
	}
	var out []coach.KeyPoint
	dropped := 0
	for i, s := range statements {
		var vec []float32
		if vecs != nil {
			vec = vecs[len(existing)+i]
		}
		dup := false
		for _, k := range known {
			if im.thresholds().SameKeyPoint(s, k.text, vec, k.vec) {
				dup = true
				break
			}
		}
		if dup {
			dropped++
			continue
		}
		known = append(known, seen{s, vec})
		out = append(out, coach.KeyPoint{Text: s, Origin: origin, Status: status, Weight: coach.WeightCore})
	}
	return out, dropped, nil
}

// SameKeyPoint reports whether key points a and b (with their vectors, when known) say the same
// thing: the same normalised text, mostly the same concepts, or vectors close by meaning.
// The local embedder's threshold applies; Thresholds.SameKeyPoint takes another.
func SameKeyPoint(a, b string, va, vb []float32) bool {
	return sameKeyPoint(a, b, va, vb, DuplicateKeyPointSimilarity)
}

func sameKeyPoint(a, b string, va, vb []float32, similarity float64) bool {
	if text.Normalize(a) == text.Normalize(b) {
		return true
	}
	if overlap(text.Concepts(a), text.Concepts(b)) >= DuplicateKeyPointOverlap {
		return true
	}
	return va != nil && vb != nil && cosine(va, vb) >= similarity
}

// overlap is the Jaccard index of two sets of concepts.
func overlap(a, b []string) float64 {
	if len(a) == 0 || len(b) == 0 {
		return 0
	}
	set := map[string]bool{}
	for _, c := range a {
		set[c] = true
	}
	inter, union := 0, len(set)
	other := map[string]bool{}
	for _, c := range b {
		if other[c] {
			continue
		}
		other[c] = true
		if set[c] {
			inter++
		} else {
			union++
		}
	}
	return float64(inter) / float64(union)
}

func cosine(a, b []float32) float64 {
	if len(a) != len(b) {
		return 0
	}
	var dot, na, nb float64
	for i := range a {
		dot += float64(a[i]) * float64(b[i])
		na += float64(a[i]) * float64(a[i])
		nb += float64(b[i]) * float64(b[i])
	}
	if na == 0 || nb == 0 {
		return 0
	}
	return dot / math.Sqrt(na*nb)
}
