package docparse

import (
	"regexp"
	"strings"
	"testing"
)

// The pages in testdata/mkdocs are MkDocs' own documentation built with MkDocs, from Debian's
// mkdocs-doc 1.4.2 (BSD-2-Clause, copyright Tom Christie; see testdata/mkdocs/LICENSE).

func TestMkDocsPagesAreDocumentation(t *testing.T) {
	t.Parallel()
	for _, name := range []string{"user-guide_installation.html", "user-guide_localizing-your-theme.html"} {
		if !IsDocumentation(readTestdata(t, "mkdocs/"+name)) {
			t.Errorf("%s: not detected as documentation", name)
		}
	}
	for _, page := range []string{
		`<html><body><div role="main"><h2>What is a closure?</h2><p>A function with its environment.</p></div></body></html>`,
		`<html><body><h2 id="q">Q<a class="headerlink" href="#q">¶</a></h2><p>text</p></body></html>`,
	} {
		if IsDocumentation([]byte(page)) {
			t.Errorf("detected as documentation: %s", page)
		}
	}
}

// headingsOf is the text of every h1-h6 inside the content container of an MkDocs page.
func headingsOf(t *testing.T, data []byte) map[string]bool {
	t.Helper()
	main := string(data)[strings.Index(string(data), `role="main"`):]
	main = main[:strings.Index(main, "<footer")]
	re := regexp.MustCompile(`(?s)<h[1-6][^>]*>(.*?)<a class="headerlink"`)
	out := map[string]bool{}
	for _, m := range re.FindAllStringSubmatch(main, -1) {
		out[m[1]] = true
	}
	return out
}

func TestParseMkDocsSections(t *testing.T) {
	t.Parallel()
	data := readTestdata(t, "mkdocs/user-guide_installation.html")
	page, err := ParseDocumentation("user-guide/installation.html", data)
	if err != nil {
		t.Fatal(err)
	}
	if page.Title != "MkDocs Installation" {
		t.Errorf("title %q", page.Title)
	}
	// Headings nest by level: the h3s under "Requirements", then the h2 "Installing MkDocs" back
	// at the second level.
	want := []struct{ title, anchor string }{
		{"MkDocs Installation", "mkdocs-installation"},
		{"MkDocs Installation › Requirements", "requirements"},
		{"MkDocs Installation › Requirements › Installing Python", "installing-python"},
		{"MkDocs Installation › Requirements › Installing pip", "installing-pip"},
		{"MkDocs Installation › Installing MkDocs", "installing-mkdocs"},
	}
	if len(page.Sections) != len(want) {
		for _, s := range page.Sections {
			t.Logf("%s #%s", s.Title(), s.Anchor)
		}
		t.Fatalf("%d sections, want %d", len(page.Sections), len(want))
	}
	headings := headingsOf(t, data)
	for i, s := range page.Sections {
		if s.Title() != want[i].title || s.Anchor != want[i].anchor {
			t.Errorf("section %d: %q #%s, want %q #%s", i, s.Title(), s.Anchor, want[i].title, want[i].anchor)
		}
		// Every title is a heading of the page, never a question made from one.
		if last := s.Path[len(s.Path)-1]; !headings[last] || strings.HasSuffix(last, "?") {
			t.Errorf("section title %q is not one of the page's headings %v", last, headings)
		}
		all := s.Title() + "\n" + s.Text
		for _, bad := range []string{"¶", "Previous", "Next", "Edit on GitHub", "Search", "Copyright", "Keyboard Shortcuts", "Table of Contents", "Getting Started"} {
			if strings.Contains(all, bad) {
				t.Errorf("section %q keeps %q", s.Title(), bad)
			}
		}
	}
	if got := page.Sections[4].Text; !strings.Contains(got, "```\npip install mkdocs\n```") ||
		!strings.Contains(got, "```\npython -m pip install mkdocs\npython -m mkdocs\n```") {
		t.Errorf("code blocks lost in Installing MkDocs: %.400q", got)
	}
	if got := page.Sections[1].Text; !strings.HasPrefix(got, "MkDocs requires a recent version of Python") ||
		!strings.Contains(got, "```\n$ python --version\nPython 3.8.2\n") {
		t.Errorf("Requirements: %.300q", got)
	}
}

func TestParseMkDocsKeepsEveryHeadingOnce(t *testing.T) {
	t.Parallel()
	data := readTestdata(t, "mkdocs/user-guide_localizing-your-theme.html")
	page, err := ParseDocumentation("user-guide/localizing-your-theme.html", data)
	if err != nil {
		t.Fatal(err)
	}
	headings := headingsOf(t, data)
	seen := map[string]bool{}
	for _, s := range page.Sections {
		last := s.Path[len(s.Path)-1]
		if seen[last] || !headings[last] {
			t.Errorf("section %q: repeated or not a heading of the page", s.Title())
		}
		seen[last] = true
		if len(s.Path) > 1 && s.Path[0] != "Localizing Your Theme" {
			t.Errorf("section %q is not under the page's h1", s.Title())
		}
	}
	if len(seen) != len(headings) {
		t.Errorf("%d sections for %d headings: %v", len(seen), len(headings), seen)
	}
}

// A Material for MkDocs page: the Markdown in <article class="md-content__inner">, "¶" permalinks,
// an edit button before the first heading, code in a highlight wrapper, the revision date after the
// text, and navigation, table of contents and footer around the article.
func TestParseMaterialForMkDocs(t *testing.T) {
	t.Parallel()
	page := []byte(`<!doctype html><html><head><meta name="generator" content="mkdocs-1.5.3, mkdocs-material-9.4.6"><title>Caching - Example</title></head><body>
<header class="md-header"><nav>Example docs <form class="md-search"><input placeholder="Search"></form></nav></header>
<div class="md-container"><main class="md-main"><div class="md-main__inner">
<div class="md-sidebar md-sidebar--primary"><nav class="md-nav">Home Caching Deployment</nav></div>
<div class="md-sidebar md-sidebar--secondary"><nav class="md-nav md-nav--secondary">Table of contents Backends Per-view</nav></div>
<div class="md-content"><article class="md-content__inner md-typeset">
<a href="https://example.org/edit/caching.md" title="Edit this page" class="md-content__button md-icon">Edit this page</a>
<h1 id="caching">Caching<a class="headerlink" href="#caching" title="Permanent link">¶</a></h1>
<p>Caching stores the result of an expensive computation.</p>
<h2 id="backends">Backends<a class="headerlink" href="#backends" title="Permanent link">¶</a></h2>
<p>Choose a backend in the settings:</p>
<div class="highlight"><pre><span></span><code><span class="n">CACHES</span> <span class="o">=</span> <span class="p">{}</span>
</code></pre></div>
<h4 id="memcached">Memcached<a class="headerlink" href="#memcached" title="Permanent link">¶</a></h4>
<p>A memory-based server.</p>
<h2 id="per-view">Per-view<a class="headerlink" href="#per-view" title="Permanent link">¶</a></h2>
<div class="admonition tip"><p class="admonition-title">Tip</p><p>Cache only pages that do not depend on the user.</p></div>
<aside class="md-source-file"><span class="md-source-file__fact">Last update: 2023-10-01</span></aside>
</article></div></div></main>
<footer class="md-footer"><nav class="md-footer__inner"><a class="md-footer__link--prev">Previous Home</a><a class="md-footer__link--next">Next Deployment</a></nav></footer></div>
</body></html>`)
	if !IsDocumentation(page) {
		t.Fatal("a Material for MkDocs page is not detected as documentation")
	}
	doc, err := ParseDocumentation("caching/index.html", page)
	if err != nil {
		t.Fatal(err)
	}
	want := []struct{ title, anchor, text string }{
		{"Caching", "caching", "Caching stores the result of an expensive computation."},
		{"Caching › Backends", "backends", "Choose a backend in the settings:\n\n```\nCACHES = {}\n```"},
		{"Caching › Backends › Memcached", "memcached", "A memory-based server."},
		{"Caching › Per-view", "per-view", "Tip\n\nCache only pages that do not depend on the user."},
	}
	if len(doc.Sections) != len(want) {
		t.Fatalf("%d sections: %+v", len(doc.Sections), doc.Sections)
	}
	for i, s := range doc.Sections {
		if s.Title() != want[i].title || s.Anchor != want[i].anchor || s.Text != want[i].text {
			t.Errorf("section %d: %q #%s %q; want %q #%s %q", i, s.Title(), s.Anchor, s.Text, want[i].title, want[i].anchor, want[i].text)
		}
	}
	if doc.Title != "Caching" {
		t.Errorf("title %q", doc.Title)
	}
}
