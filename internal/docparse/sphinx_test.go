package docparse

import (
	"errors"
	"os"
	"strings"
	"testing"
)

// The pages in testdata/django come from Debian's python-django-doc 4.2 (Django's documentation,
// BSD-3-Clause, copyright Django Software Foundation and individual contributors; see
// testdata/django/LICENSE).

func readFixture(t *testing.T, name string) []byte {
	t.Helper()
	return readTestdata(t, "django/"+name)
}

func readTestdata(t *testing.T, name string) []byte {
	t.Helper()
	b, err := os.ReadFile("testdata/" + name)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestDjangoPagesAreDocumentation(t *testing.T) {
	t.Parallel()
	for _, name := range []string{"ref_csrf.html", "topics_db_optimization.html"} {
		if !IsDocumentation(readFixture(t, name)) {
			t.Errorf("%s: not detected as documentation", name)
		}
	}
	b, err := os.ReadFile("../../../shared/seeds/" + firstSeed(t))
	if err == nil && IsDocumentation(b) {
		t.Errorf("the Q&A seed page %s is detected as documentation", firstSeed(t))
	}
}

func firstSeed(t *testing.T) string {
	entries, err := os.ReadDir("../../../shared/seeds")
	if err != nil || len(entries) == 0 {
		t.Skip("no seed pages beside the worktree")
	}
	return entries[0].Name()
}

func TestParseDocumentationSections(t *testing.T) {
	t.Parallel()
	page, err := ParseDocumentation("ref/csrf.html", readFixture(t, "ref_csrf.html"))
	if err != nil {
		t.Fatal(err)
	}
	if page.Title != "Cross Site Request Forgery protection" {
		t.Errorf("title %q", page.Title)
	}
	byTitle := map[string]DocSection{}
	for _, s := range page.Sections {
		byTitle[s.Title()] = s
		all := s.Title() + s.Text
		for _, bad := range []string{"¶", "previous", "Table of contents", "Browse", "[source]"} {
			if strings.Contains(all, bad) {
				t.Errorf("section %q keeps %q", s.Title(), bad)
			}
		}
	}
	how, ok := byTitle["Cross Site Request Forgery protection › How it works"]
	if !ok {
		t.Fatalf("no 'How it works' section among %d", len(page.Sections))
	}
	if how.Anchor != "how-it-works" || !strings.Contains(how.Text, "- A CSRF cookie that is a random secret value") {
		t.Errorf("how it works: anchor %q, text %.200q", how.Anchor, how.Text)
	}
	util := byTitle["Cross Site Request Forgery protection › Utilities"]
	if !strings.Contains(util.Text, "```\nfrom django.http import HttpResponse") {
		t.Errorf("code block lost in Utilities: %.300q", util.Text)
	}
	if _, ok := byTitle["Cross Site Request Forgery protection › How to use it"]; ok {
		t.Error("the ref page has no 'How to use it' section of its own")
	}
}

func TestDocumentationIsNotReadAsQuestions(t *testing.T) {
	t.Parallel()
	// Read as a Q&A page, the same documentation invents questions from its headings; read as
	// documentation no draft exists at all, and every heading is a section title.
	page, err := ParseDocumentation("topics/db/optimization.html", readFixture(t, "topics_db_optimization.html"))
	if err != nil {
		t.Fatal(err)
	}
	if len(page.Sections) < 10 {
		t.Fatalf("%d sections", len(page.Sections))
	}
	titles := map[string]bool{}
	for _, s := range page.Sections {
		titles[s.Path[len(s.Path)-1]] = true
		if strings.TrimSpace(s.Text) == "" {
			t.Errorf("empty section %q", s.Title())
		}
	}
	for _, want := range []string{"Use standard DB optimization techniques", "Use raw SQL", "Retrieve everything at once if you know you will need it"} {
		if !titles[want] {
			t.Errorf("no section %q", want)
		}
	}
}

func TestPublicURL(t *testing.T) {
	t.Parallel()
	base := "https://docs.djangoproject.com/en/4.2/"
	for _, c := range []struct{ name, anchor, want string }{
		{"topics/db/queries.html", "id3", base + "topics/db/queries/#id3"},
		{"ref/csrf.html", "", base + "ref/csrf/"},
		{"index.html", "", base},
		{"topics/db/index.html", "", base + "topics/db/"},
		{"../../etc/passwd.html", "x", base + "etc/passwd/#x"},
	} {
		if got := PublicURL(base, c.name, c.anchor); got != c.want {
			t.Errorf("PublicURL(%q, %q) = %q, want %q", c.name, c.anchor, got, c.want)
		}
	}
	if !IsIndexPage("genindex.html") || !IsIndexPage("py-modindex.html") || IsIndexPage("ref/csrf.html") {
		t.Error("IsIndexPage")
	}
}

// TestDocumentationIsNoQA parses real documentation pages as a Q&A import would: they are refused
// as documentation, so no question is invented from their headings ("How it works¶").
func TestDocumentationIsNoQA(t *testing.T) {
	t.Parallel()
	pages := map[string][]byte{
		"ref_csrf.html":                         readFixture(t, "ref_csrf.html"),
		"topics_db_optimization.html":           readFixture(t, "topics_db_optimization.html"),
		"user-guide_installation.html":          readTestdata(t, "mkdocs/user-guide_installation.html"),
		"user-guide_localizing-your-theme.html": readTestdata(t, "mkdocs/user-guide_localizing-your-theme.html"),
	}
	for name, data := range pages {
		doc, err := Parse(name, data)
		if !errors.Is(err, ErrDocumentation) {
			t.Errorf("%s: err %v, want ErrDocumentation", name, err)
		}
		if doc != nil && len(doc.Drafts) > 0 {
			t.Errorf("%s: %d questions invented from a documentation page", name, len(doc.Drafts))
		}
	}
	// A Q&A page that merely mentions a permalink class is still read as Q&A.
	qa := `<html><body><h2>What is a QuerySet?</h2><p>A lazy, chainable query over a model's table; it runs when iterated.</p>` +
		`<p class="note">See the headerlink docs.</p></body></html>`
	if doc, err := Parse("qa.html", []byte(qa)); err != nil || len(doc.Drafts) != 1 {
		t.Errorf("a Q&A page: err %v, drafts %v", err, doc)
	}
}
