package docparse

import (
	"bytes"
	"fmt"
	"path"
	"strings"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// Documentation pages (Sphinx output such as Django's, and pages like it) are reference text, not
// questions and answers: they are read into sections, each with its heading path, its text and its
// anchor, and never into drafts. Reading them as a Q&A page would invent questions from headings
// ("How it works¶") and keep the permalink signs.

// DocSection is one section of a documentation page.
type DocSection struct {
	// Path is the heading path from the page's title down to this section's heading.
	Path []string
	// Anchor is the fragment that links to the section ("how-it-works"); empty for a section
	// without an id.
	Anchor string
	// Text is the section's own text (not its subsections'): paragraphs separated by blank lines,
	// list items as "- " lines, code as fenced blocks.
	Text string
}

// Title is the section's heading path joined for display: "Page › Section › Subsection".
func (s DocSection) Title() string { return strings.Join(s.Path, " › ") }

// DocPage is a documentation page read into sections.
type DocPage struct {
	Title    string
	Sections []DocSection
}

// IsDocumentation reports whether an HTML page looks like documentation: Sphinx output (a
// "documentwrapper", or sections whose headings carry "headerlink" permalinks) or MkDocs output
// (headings with "headerlink" permalinks in an MkDocs content container).
func IsDocumentation(data []byte) bool {
	return bytes.Contains(data, []byte(`class="documentwrapper"`)) ||
		(bytes.Contains(data, []byte(`class="headerlink"`)) &&
			(bytes.Contains(data, []byte("<section")) || bytes.Contains(data, []byte(`class="section"`)))) ||
		isFlatDocumentation(data)
}

// IsIndexPage reports whether name is one of the generated pages of a Sphinx build that list other
// pages rather than document anything (general and module indexes, search, the table of contents),
// or the "page not found" page of an MkDocs build.
func IsIndexPage(name string) bool {
	switch path.Base(name) {
	case "genindex.html", "py-modindex.html", "search.html", "contents.html", "modindex.html", "404.html":
		return true
	}
	return strings.HasPrefix(path.Base(name), "genindex-")
}

// ParseDocumentation reads an HTML documentation page into its sections. Only the text inside
// sections (<section> or <div class="section">) is read, so headers, sidebars, version switchers
// and "Previous/Next" links around them are left out; permalink anchors are dropped. A page with
// no section elements (MkDocs output) is cut at the headings of its content container instead.
func ParseDocumentation(name string, data []byte) (*DocPage, error) {
	if len(data) > MaxSize {
		return nil, fmt.Errorf("docparse: %s: %w: %d bytes, limit %d", name, ErrTooLarge, len(data), MaxSize)
	}
	text, err := decodeText(data)
	if err != nil {
		return nil, fmt.Errorf("docparse: %s: %w", name, err)
	}
	root, err := html.Parse(strings.NewReader(text))
	if err != nil {
		return nil, fmt.Errorf("docparse: %s: %w", name, err)
	}
	page := &DocPage{}
	var walk func(n *html.Node, trail []string)
	walk = func(n *html.Node, trail []string) {
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			if c.Type != html.ElementNode {
				continue
			}
			if isSection(c) {
				page.readSection(c, trail)
				continue
			}
			if c.DataAtom == atom.Title && page.Title == "" {
				page.Title = strings.Join(strings.Fields(nodeText(c)), " ")
			}
			walk(c, trail)
		}
	}
	walk(root, nil)
	if len(page.Sections) == 0 {
		page.readFlat(root)
	}
	if len(page.Sections) > 0 && len(page.Sections[0].Path) > 0 {
		page.Title = page.Sections[0].Path[0]
	}
	return page, nil
}

func isSection(n *html.Node) bool {
	if n.Type != html.ElementNode {
		return false
	}
	if n.DataAtom == atom.Section {
		return true
	}
	return n.DataAtom == atom.Div && hasClass(n, "section")
}

func hasClass(n *html.Node, class string) bool {
	for _, a := range n.Attr {
		if a.Key == "class" {
			for _, c := range strings.Fields(a.Val) {
				if c == class {
					return true
				}
			}
		}
	}
	return false
}

func nodeAttr(n *html.Node, key string) string {
	for _, a := range n.Attr {
		if a.Key == key {
			return a.Val
		}
	}
	return ""
}

// readSection appends the section n (and, after it, its subsections) to the page.
func (p *DocPage) readSection(n *html.Node, trail []string) {
	var w docWriter
	heading, anchor := "", ""
	var subs []*html.Node
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		switch {
		case isSection(c):
			subs = append(subs, c)
		case heading == "" && c.Type == html.ElementNode && isHeading(c):
			heading = strings.Join(strings.Fields(nodeText(c)), " ")
			anchor = headerlinkAnchor(c)
		default:
			w.node(c)
		}
	}
	if anchor == "" {
		anchor = sectionID(n)
	}
	path := trail
	if heading != "" {
		path = append(append([]string(nil), trail...), heading)
	}
	if body := w.String(); body != "" && len(path) > 0 {
		p.Sections = append(p.Sections, DocSection{Path: path, Anchor: anchor, Text: body})
	}
	for _, s := range subs {
		p.readSection(s, path)
	}
}

func isHeading(n *html.Node) bool {
	switch n.DataAtom {
	case atom.H1, atom.H2, atom.H3, atom.H4, atom.H5, atom.H6:
		return true
	}
	return false
}

// headerlinkAnchor is the fragment of the permalink in heading h ("#how-it-works" → "how-it-works").
func headerlinkAnchor(h *html.Node) string {
	var found string
	var visit func(n *html.Node)
	visit = func(n *html.Node) {
		for c := n.FirstChild; c != nil && found == ""; c = c.NextSibling {
			if c.Type == html.ElementNode && c.DataAtom == atom.A && hasClass(c, "headerlink") {
				found = strings.TrimPrefix(nodeAttr(c, "href"), "#")
				return
			}
			visit(c)
		}
	}
	visit(h)
	return found
}

// sectionID is a section's own id, without the "s-" copy that Django's builder adds.
func sectionID(n *html.Node) string {
	return strings.TrimPrefix(nodeAttr(n, "id"), "s-")
}

// nodeText is the text inside n, permalinks left out.
func nodeText(n *html.Node) string {
	var b strings.Builder
	var visit func(n *html.Node)
	visit = func(n *html.Node) {
		switch {
		case n.Type == html.TextNode:
			b.WriteString(n.Data)
		case n.Type == html.ElementNode && dropInDocs(n):
			return
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			visit(c)
		}
	}
	visit(n)
	return strings.ReplaceAll(b.String(), "¶", "")
}

// dropInDocs reports elements that carry no documentation text: permalinks, scripts, navigation
// and forms (search boxes, version switchers).
func dropInDocs(n *html.Node) bool {
	switch n.DataAtom {
	case atom.Script, atom.Style, atom.Nav, atom.Form, atom.Select, atom.Button, atom.Noscript, atom.Template:
		return true
	case atom.A:
		return hasClass(n, "headerlink") || hasClass(n, "viewcode-link")
	}
	return hasClass(n, "headerlink") || hasClass(n, "viewcode-link") || hasClass(n, "nav") || hasClass(n, "related") || hasClass(n, "sphinxsidebar")
}

// docWriter renders a section's blocks as the Markdown-like text passages hold.
type docWriter struct {
	blocks []string
	inline strings.Builder
}

func (w *docWriter) flush() {
	if t := strings.Join(strings.Fields(strings.ReplaceAll(w.inline.String(), "¶", "")), " "); t != "" {
		w.blocks = append(w.blocks, t)
	}
	w.inline.Reset()
}

func (w *docWriter) String() string {
	w.flush()
	return strings.Join(w.blocks, "\n\n")
}

func (w *docWriter) node(n *html.Node) {
	switch n.Type {
	case html.TextNode:
		w.inline.WriteString(n.Data)
		return
	case html.ElementNode:
	default:
		return
	}
	if dropInDocs(n) {
		return
	}
	switch n.DataAtom {
	case atom.Pre:
		w.flush()
		code := strings.Trim(nodeText(n), "\n")
		if strings.TrimSpace(code) != "" {
			w.blocks = append(w.blocks, "```\n"+code+"\n```")
		}
		return
	case atom.Li:
		w.flush()
		var inner docWriter
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			inner.node(c)
		}
		if t := inner.String(); t != "" {
			w.blocks = append(w.blocks, "- "+t)
		}
		return
	case atom.Tr:
		w.flush()
		var cells []string
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			if c.Type == html.ElementNode {
				cells = append(cells, strings.Join(strings.Fields(nodeText(c)), " "))
			}
		}
		w.blocks = append(w.blocks, "| "+strings.Join(cells, " | ")+" |")
		return
	case atom.Br:
		w.inline.WriteByte(' ')
		return
	}
	block := docBlock(n)
	if block {
		w.flush()
	}
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		w.node(c)
	}
	if block {
		w.flush()
	}
}

func docBlock(n *html.Node) bool {
	switch n.DataAtom {
	case atom.P, atom.Div, atom.Dl, atom.Dt, atom.Dd, atom.Ul, atom.Ol, atom.Table, atom.Blockquote,
		atom.H1, atom.H2, atom.H3, atom.H4, atom.H5, atom.H6, atom.Figure, atom.Aside:
		return true
	}
	return false
}

// PublicURL is the address of the section anchor of the documentation file name (a path relative
// to the documentation's root, such as "topics/db/queries.html") on a site that serves each page as
// a directory, as Django's does: base "https://docs.djangoproject.com/en/4.2/" gives
// "https://docs.djangoproject.com/en/4.2/topics/db/queries/#id3".
func PublicURL(base, name, anchor string) string {
	name = strings.TrimPrefix(path.Clean("/"+strings.ReplaceAll(name, "\\", "/")), "/")
	name = strings.TrimSuffix(strings.TrimSuffix(name, ".html"), ".htm")
	switch {
	case name == "index":
		name = ""
	case strings.HasSuffix(name, "/index"):
		name = strings.TrimSuffix(name, "index")
	default:
		name += "/"
	}
	u := strings.TrimSuffix(base, "/") + "/" + name
	if anchor != "" {
		u += "#" + anchor
	}
	return u
}
