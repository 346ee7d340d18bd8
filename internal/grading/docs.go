package grading

import (
	"context"
	"fmt"
	"slices"
	"sort"
	"strings"

	"github.com/interviewcoach/coach/internal/coach"
	"github.com/interviewcoach/coach/internal/keypoints"
)

// Grading against the documentation. A typed question with no close bank question has no rubric;
// when a documentation corpus is imported and some of its passages are close to the question, those
// passages become the references and their own sentences the key points, so the answer is graded
// against what the documentation says, with citations of its sections. The key points are chosen,
// not written: the passages are split into statements as imported reference answers are
// (keypoints.Split), and the statements nearest to the question (by the embedder's cosine
// similarity) are kept, in the documentation's order. Nobody has reviewed them, and the grade says
// so (coach.RubricDocs, coach.DocsRubricWarning).

// Settings of grading against the documentation.
const (
	// DocsGroundedSimilarity is the least vector similarity between a typed question and a
	// documentation passage (embedded with its heading path) for the passage to ground a grade.
	// Chosen with the local embedder on the 32 documentation questions of TestDocsRecall and 12
	// questions the Django documentation does not answer (TestDocsGroundingThreshold): at 0.5, 19
	// of the 32 are grounded and 1 of the 12; the same bar as a typed question's similarity to a
	// bank question (GroundedSimilarity).
	DocsGroundedSimilarity = 0.5
	// DocsCandidates is how many documentation passages are fetched for the question: as many as
	// the vector ranking contributes to a hybrid search, so that every passage close by vector is
	// seen, in the fused order (those the question's words also find come first).
	DocsCandidates = 60
	// maxDocSections and maxDocPassages bound the documentation a grade rests on.
	maxDocSections = 2
	maxDocPassages = 3
	// docKeyPoints is how many statements of the passages become key points.
	docKeyPoints = 5
	// maxFurtherReading is how many documentation sections are shown beside a rubric as further
	// reading.
	maxFurtherReading = 2
)

// docsGround is the outcome of a look at the documentation for a typed question.
type docsGround struct {
	// refs are the close sections, with the key points drawn from their passages; empty when no
	// passage is close enough.
	refs []coach.Reference
	// hits are the documentation passages found for the question, best first.
	hits []coach.SearchResult
}

// docsRubric looks for documentation passages close to question (its vector vec) and, when some are,
// makes them a rubric. A store without hybrid search, or a bank without documentation, gives none.
func (s *Service) docsRubric(ctx context.Context, question string, vec []float32) (*docsGround, error) {
	h, ok := s.Store.(hybridStore)
	if !ok {
		return &docsGround{}, nil
	}
	hits, err := h.HybridSearch(ctx, s.Embedder.Model(), question, vec, DocsCandidates, coach.SourceDocs, "")
	if err != nil {
		return nil, err
	}
	g := &docsGround{hits: hits}
	var close []coach.SearchResult
	sections := map[string]bool{}
	for _, hit := range hits {
		if hit.Similarity < DocsGroundedSimilarity || len(close) == maxDocPassages {
			continue
		}
		if !sections[hit.ReferenceID] && len(sections) == maxDocSections {
			continue
		}
		sections[hit.ReferenceID] = true
		close = append(close, hit)
	}
	if len(close) == 0 {
		return g, nil
	}

	// The statements of each passage, in the documentation's order.
	type statement struct {
		passage, ordinal int
		text             string
		similarity       float64
	}
	var statements []statement
	var texts []string
	for i, hit := range close {
		for j, st := range keypoints.Split(hit.Text) {
			statements = append(statements, statement{passage: i, ordinal: j, text: st})
			texts = append(texts, st)
		}
	}
	if len(texts) > 0 {
		vecs, err := s.Embedder.Embed(ctx, texts)
		if err != nil {
			return nil, err
		}
		for i := range statements {
			statements[i].similarity = coach.Cosine(vec, vecs[i])
		}
	}
	sort.SliceStable(statements, func(i, j int) bool { return statements[i].similarity > statements[j].similarity })
	statements = statements[:min(len(statements), docKeyPoints)]
	sort.SliceStable(statements, func(i, j int) bool {
		a, b := statements[i], statements[j]
		return a.passage < b.passage || a.passage == b.passage && a.ordinal < b.ordinal
	})

	// One reference per section: its close passages, and the statements kept from them.
	index := map[string]int{}
	for i, hit := range close {
		k, ok := index[hit.ReferenceID]
		if !ok {
			k = len(g.refs)
			index[hit.ReferenceID] = k
			g.refs = append(g.refs, coach.Reference{ID: hit.ReferenceID, Source: hit.Source, SourceURL: hit.SourceURL})
		}
		ref := &g.refs[k]
		ref.Text = strings.TrimSpace(ref.Text + "\n\n" + hit.Text)
		for _, st := range statements {
			if st.passage == i {
				ref.KeyPoints = append(ref.KeyPoints, coach.KeyPoint{
					ID:          fmt.Sprintf("%s-kp%d-%d", hit.ReferenceID, hit.PassageID, st.ordinal+1),
					ReferenceID: hit.ReferenceID, Ordinal: len(ref.KeyPoints) + 1, Text: st.text,
					Origin: coach.KeyPointExtracted, Weight: coach.WeightCore, Status: coach.KeyPointDraft,
				})
			}
		}
	}
	return g, nil
}

// bankReferences returns the ids of the first n references of hits that are not documentation,
// which has no key points of its own to grade against.
func bankReferences(hits []coach.SearchResult, n int) []string {
	var ids []string
	for _, h := range hits {
		if len(ids) < n && h.Kind != coach.SourceDocs && !slices.Contains(ids, h.ReferenceID) {
			ids = append(ids, h.ReferenceID)
		}
	}
	return ids
}

// docsShown is the section id as shown with a grade: its best passage among hits.
func docsShown(hits []coach.SearchResult, id string) coach.RetrievedReference {
	for _, h := range hits {
		if h.ReferenceID == id {
			return docReference(h)
		}
	}
	return coach.RetrievedReference{ID: id, Kind: coach.SourceDocs}
}

// docReference is documentation passage h as a reference shown with a grade.
func docReference(h coach.SearchResult) coach.RetrievedReference {
	return coach.RetrievedReference{
		ID: h.ReferenceID, Question: h.Title, Source: h.Source, SourceURL: h.SourceURL, Excerpt: excerpt(h.Text),
		Similarity: round3(h.Similarity), Kind: coach.SourceDocs, Title: h.Title,
	}
}

// closestDocs lists the sections of hits, best first, for a refusal to grade.
func closestDocs(hits []coach.SearchResult) []coach.ClosestSection {
	out := []coach.ClosestSection{}
	seen := map[string]bool{}
	hits = slices.Clone(hits)
	sort.SliceStable(hits, func(i, j int) bool { return hits[i].Similarity > hits[j].Similarity })
	for _, h := range hits {
		if len(out) == closestShown {
			break
		}
		if !seen[h.ReferenceID] {
			seen[h.ReferenceID] = true
			out = append(out, coach.ClosestSection{Title: h.Title, URL: h.SourceURL, Similarity: round3(h.Similarity)})
		}
	}
	return out
}
