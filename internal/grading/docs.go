package grading

import (
	"context"
	"fmt"
	"regexp"
	"slices"
	"sort"
	"strings"
	"unicode"

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
	// A section headed by the setting or function the question names ("What does
	// CSRF_COOKIE_HTTPONLY do?") is the documentation's own account of it, though the full-text half
	// ranks first the other sections that mention the name in their text (the heading is not part
	// of it). Plain headings ("PostgreSQL", "Paginator") get no such place: a question naming a
	// product or a topic is not about every section headed by it.
	candidates := slices.Clone(hits)
	sort.SliceStable(candidates, func(i, j int) bool {
		return namesIdentifier(question, candidates[i].Title) && !namesIdentifier(question, candidates[j].Title)
	})
	var close []coach.SearchResult
	sections := map[string]bool{}
	for _, hit := range candidates {
		if len(close) == maxDocPassages || releaseNotes(hit.Title) ||
			hit.Similarity < DocsGroundedSimilarity && !namesIdentifier(question, hit.Title) {
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
			// Settings' sections repeat one another ("It has no effect unless ... is set"): one
			// key point per statement.
			if st, ok := docStatement(st); ok && !slices.Contains(texts, st) {
				statements = append(statements, statement{passage: i, ordinal: j, text: st})
				texts = append(texts, st)
			}
		}
	}
	if len(texts) == 0 {
		// Nothing in the close sections states anything a key point could hold (lists of names,
		// signatures, pointers elsewhere): no grade rests on them.
		return g, nil
	}
	vecs, err := s.Embedder.Embed(ctx, texts)
	if err != nil {
		return nil, err
	}
	for i := range statements {
		statements[i].similarity = coach.Cosine(vec, vecs[i])
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
	// A section none of whose statements was kept is no reference: nothing of it is graded.
	g.refs = slices.DeleteFunc(g.refs, func(r coach.Reference) bool { return len(r.KeyPoints) == 0 })
	return g, nil
}

// Statements of documentation that hold no claim to grade against.
var (
	// admonition is a Sphinx admonition's title, left at either end of the statement it was split
	// with ("It has no effect unless ... non-zero value. Warning").
	admonition = regexp.MustCompile(`(?i)^(?:warning|note|see also|hint|tip|important|caution|danger|attention)\b\s*|\s+(?:warning|note|see also|hint|tip|important|caution|danger|attention)$`)
	// defaultValue is a setting's "Default: False" line, which keypoints.Split merges into the
	// sentence after it.
	defaultValue = regexp.MustCompile(`^Default:[^;]*(?:;\s*|$)`)
	// pointer sends the reader elsewhere ("See SESSION_COOKIE_HTTPONLY for details", "For examples,
	// see the Pagination topic guide").
	pointer = regexp.MustCompile(`(?i)^(?:(?:for|in) [^,]{1,60}, )?(?:see|read|refer to|consult)\b`)
	// aboutThePage is a sentence about the page itself ("This topic guide describes ...").
	aboutThePage = regexp.MustCompile(`(?i)^this (?:topic guide|guide|document|page|section|tutorial|reference|chapter)\b`)
	// leadIn announces what follows: code, a list or examples ("Use it like this:", "It's best
	// explained through examples.").
	leadIn = regexp.MustCompile(`(?i)\b(?:examples?|following|below|like this|as follows)\b`)
)

// docStatement is statement st of a documentation passage as a key point, and whether it holds
// one. Documentation interleaves prose with what only makes sense beside the page: lead-ins to code
// and lists, lists of names, signatures, pointers to other pages, admonition titles and settings'
// defaults. Those are dropped, so the key points are claims an answer can make.
func docStatement(st string) (string, bool) {
	st = strings.TrimSpace(defaultValue.ReplaceAllString(st, ""))
	for prev := ""; prev != st; {
		prev = st
		st = strings.TrimSpace(admonition.ReplaceAllString(st, ""))
	}
	body := strings.TrimRight(st, ".")
	switch {
	case st == "", strings.HasSuffix(st, ":"), pointer.MatchString(st), aboutThePage.MatchString(st):
		return "", false
	case leadIn.MatchString(st) && len(strings.Fields(st)) < 10:
		return "", false
	}
	// A lead-in with the first item of its list ("... CSRF behavior: CSRF_COOKIE_AGE.").
	if i := strings.LastIndex(body, ": "); i >= 0 && proseWords(body[i+2:]) < 3 {
		return "", false
	}
	if n := proseWords(st); n < 4 || 2*n < len(strings.Fields(st)) {
		return "", false
	}
	return st, true
}

// proseWords counts the words of s that are words of a sentence rather than code: letters,
// hyphens and apostrophes only, once surrounding punctuation is trimmed.
func proseWords(s string) int {
	n := 0
	for _, w := range strings.Fields(s) {
		w = strings.Trim(w, ".,;:!?()\"'“”‘’")
		if w == "" || strings.IndexFunc(w, func(r rune) bool { return !unicode.IsLetter(r) && r != '-' && r != '\'' && r != '’' }) >= 0 {
			continue
		}
		n++
	}
	return n
}

// namesIdentifier reports whether question names section title's last heading and that heading is
// an identifier of code (a setting or a function: "SECURE_HSTS_SECONDS", "select_for_update()",
// "explain()" when the question writes "explain()"). Such a section grounds a grade below DocsGroundedSimilarity: the question asks about
// exactly what it documents, though its few words leave the vectors apart ("What does the
// SECURE_HSTS_SECONDS setting control?" is 0.45 from its section with the local embedder). Plain
// headings ("Security", "Settings") get no such pass.
func namesIdentifier(question, title string) bool {
	heading := lastHeading(title)
	name := strings.TrimSuffix(heading, "()")
	// A call ("explain()", "get()") whose name is an English word is code only when the question
	// writes it as a call: "Explain React hooks" names no method.
	// Mixed case is no sign of code: "PostgreSQL" and "JavaScript" are headings too.
	code := strings.ContainsAny(name, "_.") ||
		name != heading && strings.Contains(strings.ToLower(question), strings.ToLower(name)+"(")
	return code && !strings.Contains(name, " ") && namedBy(question, title)
}

// lastHeading is the last heading of a section's heading path.
func lastHeading(title string) string {
	if i := strings.LastIndex(title, " › "); i >= 0 {
		title = title[i+len(" › "):]
	}
	return strings.TrimSpace(title)
}

// namedBy reports whether question names the last heading of section title, as a whole phrase
// ("select_for_update()" is named by "What does select_for_update do?").
func namedBy(question, title string) bool {
	name := strings.TrimSuffix(lastHeading(title), "()")
	if len(name) < 4 {
		return false
	}
	q, name := strings.ToLower(question), strings.ToLower(name)
	for off := 0; ; {
		i := strings.Index(q[off:], name)
		if i < 0 {
			return false
		}
		start, end := off+i, off+i+len(name)
		if (start == 0 || !wordByte(q[start-1])) && (end == len(q) || !wordByte(q[end])) {
			return true
		}
		off = start + 1
	}
}

// wordByte reports whether b continues a word or an identifier.
func wordByte(b byte) bool {
	return b == '_' || b >= '0' && b <= '9' || b >= 'a' && b <= 'z' || b >= 0x80
}

// releaseNotes reports whether a section heading path lies in release notes, which say what
// changed in some release, not how the current one behaves: they never ground a grade.
func releaseNotes(title string) bool {
	page, _, _ := strings.Cut(title, " › ")
	return strings.Contains(strings.ToLower(page), "release notes")
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
