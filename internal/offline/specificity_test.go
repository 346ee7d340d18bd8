package offline_test

import (
	"testing"

	"github.com/interviewcoach/coach/internal/coach"
	"github.com/interviewcoach/coach/internal/text"
)

// The bank question orm-select-related-prefetch: a rubric of five key points that share much of their
// vocabulary (prefetch, related, query, relation) with each other and with the question.
const selectPrefetchQuestion = "What is the difference between select_related and prefetch_related?"

var selectPrefetch = []coach.Reference{reference("r-srp",
	"select_related uses a SQL JOIN and works for ForeignKey and OneToOneField relations.",
	"prefetch_related runs a separate query per relation and joins the results in Python.",
	"prefetch_related is needed for many-to-many and reverse foreign key relations.",
	"A Prefetch object lets you customise the queryset or attribute used for prefetched rows.",
	"Filtering a prefetched relation again issues a new query and ignores the prefetch cache.",
)}

const (
	strongSelectPrefetch = `select_related follows ForeignKey and OneToOneField relations with a SQL JOIN, so the related
object arrives in the same query. prefetch_related runs a separate query for each relation and joins the
results in Python, which is what many-to-many and reverse foreign key relations need. A Prefetch object
customises the queryset used for the prefetched rows, and filtering a prefetched relation again runs a new
query that ignores the prefetch cache.`
	partialSelectPrefetch = `select_related uses a JOIN to fetch a ForeignKey in the same query. prefetch_related is
another way to load related objects.`
	gilEssay = `Python's garbage collector uses reference counting with a cycle detector. Generators
yield values lazily and decorators wrap functions. The GIL lets one thread run Python bytecode at a time,
so CPU-bound code gains little from threads while I/O-bound code still benefits from them.`
)

func TestSharedRubricVocabularyIsWeakEvidence(t *testing.T) {
	t.Parallel()
	g := newGrader()
	partial := assess(t, g, selectPrefetchQuestion, partialSelectPrefetch, selectPrefetch)
	for _, k := range partial.KeyPoints {
		t.Logf("partial: %-12s %.2f %-70.70s | %q", k.Status, coach.Credit(k), k.Text, k.Evidence)
	}
	strong := assess(t, g, selectPrefetchQuestion, strongSelectPrefetch, selectPrefetch)
	off := assess(t, g, selectPrefetchQuestion, gilEssay, selectPrefetch)
	t.Logf("strong %d, partial %d, off-topic %d (%s)", strong.Score, partial.Score, off.Score, off.Off)
	for _, k := range strong.KeyPoints {
		if k.Status != coach.StatusCovered {
			t.Errorf("strong answer: %s %q", k.Status, k.Text)
		}
	}
	if strong.Score < 85 {
		t.Errorf("strong answer scored %d, want at least 85", strong.Score)
	}
	if partial.Score >= 70 {
		t.Errorf("partial answer scored %d, want under 70", partial.Score)
	}
	for _, i := range []int{3, 4} { // the Prefetch object, filtering a prefetched relation
		if k := partial.KeyPoints[i]; k.Status == coach.StatusCovered {
			t.Errorf("partial answer covers %q on %q", k.Text, k.Evidence)
		}
	}
	for _, k := range partial.KeyPoints {
		if k.Status == coach.StatusCovered && len(text.Sentences(k.Evidence)) > 1 {
			t.Errorf("evidence for %q spans sentences: %q", k.Text, k.Evidence)
		}
	}
	if off.Score > 10 {
		t.Errorf("off-topic essay scored %d, want at most 10", off.Score)
	}
}
