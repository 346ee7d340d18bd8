package api_test

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/interviewcoach/coach/internal/coach"
)

// farBank is a bank of one question far from Django's CSRF and database optimization pages.
const farBank = `source: "far bank"
topics:
  - {id: celery, name: "Celery"}
questions:
  - id: celery-retries
    topic: celery
    question: "How do you retry a failed Celery task with exponential backoff?"
    answer: |
      Bind the task and call self.retry with a countdown that doubles on each attempt, or set
      autoretry_for with retry_backoff so Celery schedules the retries itself; cap them with
      max_retries so a broken task stops eventually.
`

// TestUngroundedGradeFallsBackToTheBank: a typed question near no bank question and not close
// enough to any documentation passage to be grounded in it, whose words only the documentation
// has, so that documentation fills every passage of the fused search. A model grades it against
// the bank's nearest reference all the same (documentation has no key points of its own), ungrounded
// and saying so; without the look among the bank's passages alone it would get a 503 saying the
// bank holds no references.
func TestUngroundedGradeFallsBackToTheBank(t *testing.T) {
	t.Parallel()
	provider, client := newDocsModel(t)
	a := newDocsBankAPI(t, client, []byte(farBank))
	body, _ := json.Marshal(map[string]any{"question": "csrfmiddlewaretoken BREACH Referer masked secret?", "answer": "I would have to look that up."})
	r := a.call(t, "POST", "/api/v1/grade", "", string(body))
	var g docsGrade
	if err := json.Unmarshal(r.body, &g); err != nil || r.code != 200 {
		t.Fatalf("grade = %d %s", r.code, r.body)
	}
	if g.Grounded || g.GroundedIn != "" || !strings.Contains(strings.Join(g.Warnings, " "), "the grade is not grounded") {
		t.Errorf("not labelled ungrounded: %+v", g)
	}
	var bankRefs int
	for _, ref := range g.References {
		if ref.Kind != coach.SourceDocs {
			bankRefs++
		}
	}
	if bankRefs == 0 {
		t.Errorf("no bank reference among %+v", g.References)
	}
	reqs := provider.Requests()
	if len(reqs) != 1 {
		t.Fatalf("%d model requests", len(reqs))
	}
	if user := reqs[0].Messages[len(reqs[0].Messages)-1].Content; !strings.Contains(user, "retry_backoff") {
		t.Errorf("the prompt does not hold the bank's reference:\n%s", user)
	}
}
