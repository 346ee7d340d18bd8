package practice_test

import (
	"bytes"
	"strings"
	"testing"

	"github.com/interviewcoach/coach/internal/coach"
	"github.com/interviewcoach/coach/internal/practice"
)

// TestMarkdownCitesDocs: an attempt grounded in the documentation says so and links each section it
// cites by heading path; an address that is not a plain web address is named, never linked, and a
// heading path cannot become markup.
func TestMarkdownCitesDocs(t *testing.T) {
	t.Parallel()
	refs := []coach.RetrievedReference{
		{ID: "r1", Kind: coach.SourceBank, Source: "bank", SourceURL: "https://example.com/bank"},
		{ID: "d1", Kind: coach.SourceDocs, Source: "Django documentation 4.2", Title: "Cross Site Request Forgery protection › Settings",
			SourceURL: "https://docs.djangoproject.com/en/4.2/ref/csrf/#settings"},
		{ID: "d2", Kind: coach.SourceDocs, Source: "Evil docs", Title: "[click](javascript:alert(1))", SourceURL: "javascript:alert(1)"},
		{ID: "d3", Kind: coach.SourceDocs, Source: "Odd docs", Title: "Parens", SourceURL: "https://example.com/a)b(c"},
	}
	var buf bytes.Buffer
	practice.WriteMarkdown(&buf, &coach.SessionReport{Attempts: []coach.ReportAttempt{{
		AttemptID: "a1", Question: "Is posting an arbitrary CSRF token pair a vulnerability?", Grounded: true,
		GroundedIn: coach.GroundedInDocs, References: refs, Grader: coach.GraderInfo{Kind: coach.GraderOffline},
	}}})
	md := buf.String()
	for _, want := range []string{
		"**Grounded in the documentation:**",
		"**Documentation cited:**",
		"- [Cross Site Request Forgery protection › Settings](https://docs.djangoproject.com/en/4.2/ref/csrf/#settings) (Django documentation 4.2)",
		`- \[click\](javascript\:alert(1)) (Evil docs)`,
		"- Parens (Odd docs)",
	} {
		if !strings.Contains(md, want) {
			t.Errorf("the report lacks %q:\n%s", want, md)
		}
	}
	if strings.Contains(md, "(javascript:") || strings.Contains(md, "example.com/bank") {
		t.Errorf("the report links what it must not:\n%s", md)
	}
}
