package offline

import (
	"context"
	"regexp"
	"strings"
	"testing"

	"github.com/interviewcoach/coach/internal/coach"
)

// normalSpace collapses runs of white space.
func normalSpace(s string) string { return strings.Join(strings.Fields(s), " ") }

// TestModelAnswerFromReferenceSentences: over the whole bundled bank, the model answer is made of
// the reference's own sentences (no code, no key point that the text does not state), in the
// reference's order, and states most of the key points.
func TestModelAnswerFromReferenceSentences(t *testing.T) {
	t.Parallel()
	keyPointsCovered, keyPoints := 0, 0
	for _, q := range bundledBank(t) {
		ref := q.References[0]
		answer, ids := modelAnswer(q.References)
		if answer == "" || len(ids) != 1 || ids[0] != ref.ID {
			t.Errorf("%s: model answer %q from %v", q.ID, answer, ids)
			continue
		}
		prose := normalSpace(ref.Text)
		sents := proseSentences(ref.Text)
		if n := len(sents); n == 0 {
			t.Fatalf("%s: no sentences", q.ID)
		}
		at := -1
		var glued []string
		for _, kp := range ref.KeyPoints {
			glued = append(glued, sentence(kp.Text))
		}
		if answer == strings.Join(glued, " ") {
			t.Errorf("%s: the model answer is the key points glued together", q.ID)
		}
		picked := 0
		for _, s := range sents {
			i := strings.Index(answer, s.text)
			if i < 0 {
				continue
			}
			picked++
			if i < at {
				t.Errorf("%s: %q is out of the reference's order", q.ID, s.text)
			}
			at = i
			// The sentence is the reference's own, apart from the colon that introduced code.
			if !strings.Contains(prose, strings.TrimSuffix(s.text, ".")) {
				t.Errorf("%s: %q is not in the reference", q.ID, s.text)
			}
			if strings.Contains(s.text, "    ") || strings.Contains(s.text, "\n") {
				t.Errorf("%s: %q holds code or line breaks", q.ID, s.text)
			}
		}
		if picked == 0 || picked > maxModelSentences {
			t.Errorf("%s: %d sentences of the reference in the model answer %q", q.ID, picked, answer)
		}
		if got := len(strings.Join(func() []string {
			var out []string
			for _, s := range sents {
				if strings.Contains(answer, s.text) {
					out = append(out, s.text)
				}
			}
			return out
		}(), " ")); got != len(answer) {
			t.Errorf("%s: the model answer holds text that is not a sentence of the reference: %q", q.ID, answer)
		}
		for _, kp := range ref.KeyPoints {
			keyPoints++
			if i := bestSentence(conceptsOf(kp.Text), sents); i >= 0 && strings.Contains(answer, sents[i].text) {
				keyPointsCovered++
			}
		}
	}
	if share := float64(keyPointsCovered) / float64(keyPoints); share < 0.85 {
		t.Errorf("the model answers state %d of %d key points (%.2f)", keyPointsCovered, keyPoints, share)
	}
	t.Logf("model answers state %d of %d key points through a sentence of the reference", keyPointsCovered, keyPoints)
}

// TestModelAnswerOfBareRubric: a reference whose text states none of its key points lends its key
// points, once each.
func TestModelAnswerOfBareRubric(t *testing.T) {
	t.Parallel()
	ref := coach.Reference{ID: "r", Text: "See the documentation.", KeyPoints: []coach.KeyPoint{
		{ID: "r-k1", Text: "Signals run synchronously"}, {ID: "r-k2", Text: "Signals run synchronously."},
	}}
	got, ids := modelAnswer([]coach.Reference{ref})
	if got != "Signals run synchronously." || len(ids) != 1 {
		t.Errorf("modelAnswer = %q, %v", got, ids)
	}
}

var quoted = regexp.MustCompile(`“([^”]*)”`)

// TestFeedbackIsHonest: uncertain verdicts are not presented as covered; strengths quote the
// evidence and nothing else of the answer; the summary counts only what the grader is sure of.
func TestFeedbackIsHonest(t *testing.T) {
	t.Parallel()
	ref := coach.Reference{ID: "r", Text: "select_related follows foreign keys with a JOIN. prefetch_related runs a second query. Filtering a prefetched relation runs a new query.",
		KeyPoints: []coach.KeyPoint{
			{ID: "r-k1", Text: "select_related follows foreign keys with a JOIN."},
			{ID: "r-k2", Text: "prefetch_related runs a second query."},
			{ID: "r-k3", Text: "Filtering a prefetched relation runs a new query."},
			{ID: "r-k4", Text: "Prefetch objects customise the prefetch queryset."},
		}}
	j := &coach.Judged{Judgements: []coach.Judgement{
		{KeyPointID: "r-k1", ReferenceID: "r", Text: ref.KeyPoints[0].Text, Status: coach.StatusCovered, Evidence: "select_related does a JOIN"},
		{KeyPointID: "r-k2", ReferenceID: "r", Text: ref.KeyPoints[1].Text, Status: coach.StatusCovered, Evidence: "prefetch is another query",
			Note: "only some of its terms align"},
		{KeyPointID: "r-k3", ReferenceID: "r", Text: ref.KeyPoints[2].Text, Status: coach.StatusPartial, Credit: 0.3, Evidence: "You feed it bananas"},
		{KeyPointID: "r-k4", ReferenceID: "r", Text: ref.KeyPoints[3].Text, Status: coach.StatusMissing},
	}}
	fb := feedback(j, []coach.Reference{ref})
	if len(fb.Strengths) != 1 {
		t.Fatalf("strengths %+v: only the sure covered key point is a strength", fb.Strengths)
	}
	if q := quoted.FindAllStringSubmatch(fb.Strengths[0].Text, -1); len(q) != 1 || q[0][1] != "select_related does a JOIN" {
		t.Errorf("strength %q does not quote exactly its evidence", fb.Strengths[0].Text)
	}
	improvements := map[string]string{}
	for _, r := range fb.Improvements {
		improvements[r.Text] = r.ReferenceIDs[0]
	}
	want := []string{"Not confirmed: prefetch_related runs a second query.", "(only some of its terms align)",
		"Not confirmed: Filtering a prefetched relation runs a new query.", "Missing: Prefetch objects customise the prefetch queryset."}
	all := ""
	for _, r := range fb.Improvements {
		all += r.Text + "\n"
	}
	for _, w := range want {
		if !strings.Contains(all, w) {
			t.Errorf("improvements do not say %q:\n%s", w, all)
		}
	}
	if strings.Contains(all, "Partly made") || strings.Contains(all, "covered") {
		t.Errorf("uncertain verdicts presented as made:\n%s", all)
	}
	if !strings.Contains(fb.Summary, "covers 1 of 4 key points") || !strings.Contains(fb.Summary, "could not confirm 2 more") {
		t.Errorf("summary %q", fb.Summary)
	}
	// A partial key point with fair credit is partly made, and quotes its evidence.
	j.Judgements[2].Credit, j.Judgements[2].Evidence = 0.6, "filtering again runs a query"
	fb = feedback(j, []coach.Reference{ref})
	if !strings.Contains(fb.Improvements[1].Text, "Partly made") || !strings.Contains(fb.Improvements[1].Text, "“filtering again runs a query”") {
		t.Errorf("partial with fair credit: %q", fb.Improvements[1].Text)
	}
}

// TestGradedOutputIsHonest grades answers of the tests (right, partial, wrong, off topic) with the
// real grader and checks the output's claims against the answer: every quote of the answer is in
// it, no follow-up claims a mention the evidence lacks, and every follow-up passes the question
// rules.
func TestGradedOutputIsHonest(t *testing.T) {
	t.Parallel()
	g := New(nil)
	refs := []coach.Reference{{ID: "r-sig", Text: "Signals run synchronously, in the same thread as the code that sent them. " +
		"Bulk operations such as update() and bulk_create() do not send post_save signals. pre_save and post_save fire around Model.save().",
		KeyPoints: []coach.KeyPoint{
			{ID: "r-sig-k1", Text: "Signals run synchronously, in the same thread as the code that sent them."},
			{ID: "r-sig-k2", Text: "Bulk operations such as update() and bulk_create() do not send post_save signals."},
			{ID: "r-sig-k3", Text: "pre_save and post_save fire around Model.save()."},
			{ID: "r-sig-k4", Text: "on_commit callbacks run after the outermost transaction commits."},
		}}}
	answers := []string{
		"Signals run synchronously in the same thread. update() and bulk_create() skip post_save. pre_save fires before save().",
		"You feed it bananas. Signals are a way to decouple apps.",
		"Signals run asynchronously in a background thread, and update() sends post_save for every row.",
		"I enjoy hiking in the mountains with my family every summer, and the weather is usually fine.",
	}
	for _, answer := range answers {
		j, err := g.Grade(context.Background(), coach.GradeInput{Question: "How do Django signals run?", Answer: answer, References: refs, FollowUps: 5})
		if err != nil {
			t.Fatal(err)
		}
		for _, r := range append(j.Feedback.Strengths, j.Feedback.Improvements...) {
			for _, m := range quoted.FindAllStringSubmatch(r.Text, -1) {
				if q := strings.TrimSuffix(m[1], "…"); !strings.Contains(normalSpace(answer), q) {
					t.Errorf("%q: remark %q quotes what the answer does not say", answer, r.Text)
				}
			}
		}
		byID := map[string]coach.Judgement{}
		for _, k := range j.Judgements {
			byID[k.KeyPointID] = k
		}
		for _, f := range j.FollowUps {
			k := byID[f.Targets]
			if ps := questionProblems(f.Question, f.TargetText, conceptsOf(answer), conceptsOf(k.Evidence)); len(ps) > 0 {
				t.Errorf("%q: follow-up %q: %s", answer, f.Question, strings.Join(ps, "; "))
			}
		}
	}
}
