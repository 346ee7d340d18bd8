package docparse

import (
	"bytes"
	"strings"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// MkDocs output (its own themes and Material for MkDocs) has no section elements: the headings of
// the page's Markdown sit flat in the content container (<div role="main"> or <article
// class="md-content__inner">), each with an id and a "headerlink" permalink. Such a page is read by
// splitting the container at its headings and nesting the headings by level into heading paths.

// isFlatDocumentation reports a page with headerlink permalinks and an MkDocs content container or
// generator tag (MkDocs writes <meta name="generator" content="mkdocs-1.5.3, ...">).
func isFlatDocumentation(data []byte) bool {
	return bytes.Contains(data, []byte(`class="headerlink"`)) &&
		(bytes.Contains(data, []byte(`role="main"`)) || bytes.Contains(data, []byte("md-content__inner")) ||
			bytes.Contains(data, []byte(`content="mkdocs-`)))
}

// readFlat reads the sections of a page whose headings are not wrapped in sections.
func (p *DocPage) readFlat(root *html.Node) {
	var main *html.Node
	for _, match := range contentContainers {
		if main = findNode(root, match); main != nil {
			break
		}
	}
	if main == nil {
		return
	}
	f := flatReader{page: p}
	f.walk(main)
	f.close()
}

// contentContainers match, most specific first, the element an MkDocs theme puts the page's
// Markdown in: Material's article, the built-in themes' <div role="main">, else <main> or <body>.
var contentContainers = []func(*html.Node) bool{
	func(n *html.Node) bool { return hasClass(n, "md-content__inner") },
	func(n *html.Node) bool { return nodeAttr(n, "role") == "main" },
	func(n *html.Node) bool { return n.DataAtom == atom.Main },
	func(n *html.Node) bool { return n.DataAtom == atom.Body },
}

// findNode is the first element under n, in document order, for which match holds.
func findNode(n *html.Node, match func(*html.Node) bool) *html.Node {
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		if c.Type != html.ElementNode {
			continue
		}
		if match(c) {
			return c
		}
		if found := findNode(c, match); found != nil {
			return found
		}
	}
	return nil
}

type flatHeading struct {
	level int
	title string
}

// flatReader cuts a content container into sections at its headings.
type flatReader struct {
	page   *DocPage
	stack  []flatHeading
	anchor string
	w      docWriter
}

func (f *flatReader) walk(n *html.Node) {
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		switch {
		case c.Type == html.ElementNode && dropInFlat(c):
		case c.Type == html.ElementNode && isHeading(c):
			f.heading(c)
		case c.Type == html.ElementNode && findNode(c, isHeading) != nil:
			// A wrapper around headings (a <div> of the theme): its text before, between and after
			// them belongs to the sections around it.
			f.w.flush()
			f.walk(c)
			f.w.flush()
		default:
			f.w.node(c)
		}
	}
}

// heading closes the open section and opens the one under heading h.
func (f *flatReader) heading(h *html.Node) {
	f.close()
	level := int(h.Data[1] - '0')
	for len(f.stack) > 0 && f.stack[len(f.stack)-1].level >= level {
		f.stack = f.stack[:len(f.stack)-1]
	}
	title := strings.Join(strings.Fields(nodeText(h)), " ")
	if title == "" {
		return
	}
	f.stack = append(f.stack, flatHeading{level: level, title: title})
	f.anchor = nodeAttr(h, "id")
	if f.anchor == "" {
		f.anchor = headerlinkAnchor(h)
	}
}

// close appends the open section, if it has a heading and text; text before the first heading
// (an "edit this page" button) is dropped.
func (f *flatReader) close() {
	body := f.w.String()
	f.w = docWriter{}
	if body == "" || len(f.stack) == 0 {
		return
	}
	path := make([]string, len(f.stack))
	for i, h := range f.stack {
		path[i] = h.title
	}
	f.page.Sections = append(f.page.Sections, DocSection{Path: path, Anchor: f.anchor, Text: body})
}

// dropInFlat reports the parts of an MkDocs content container that are not the page's text: the
// theme's header, footer, sidebars and table of contents.
func dropInFlat(n *html.Node) bool {
	switch n.DataAtom {
	case atom.Header, atom.Footer:
		return true
	}
	return dropInDocs(n) || hasClass(n, "md-sidebar") || hasClass(n, "md-source-file") || hasClass(n, "md-content__button") ||
		hasClass(n, "toc") || hasClass(n, "md-footer")
}
