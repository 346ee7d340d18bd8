package docparse

import (
	"regexp"
	"strconv"
	"strings"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// HTML pages are flattened into the Markdown-like text the page parser reads: headings become
// "# "/"## " lines, list items "- " lines, <pre> blocks fenced code, other block elements paragraphs.
// The page is read with golang.org/x/net/html's HTML5 tokenizer, which handles what real pages
// throw at a reader: raw-text elements (script, style), comments, attributes holding ">", entities
// and character references. The flattening works on the token stream rather than on the parsed
// tree because drafts report where they come from as lines of the file, and only the tokenizer
// knows the bytes behind each token.

var htmlStart = regexp.MustCompile(`(?is)^\s*(<!--.*?-->\s*)*<(!doctype\s+html|html[\s>]|head[\s>]|body[\s>])`)

var (
	// Elements whose content is never part of the article. nav, aside, footer and form are page
	// furniture; their text would otherwise be read as questions or leak into answers.
	htmlDropped = map[string]string{
		"script": "", "style": "", "noscript": "", "template": "", "svg": "", "iframe": "",
		"head": "", "nav": "navigation", "aside": "sidebar", "footer": "page footer", "form": "form",
	}
	// Elements whose content is not markup: an unclosed one runs to the end of the document.
	htmlRawText = map[string]bool{"script": true, "style": true, "noscript": true, "template": true, "svg": true, "iframe": true}
	htmlBlocks  = map[string]bool{
		"p": true, "div": true, "section": true, "article": true, "main": true, "header": true,
		"ul": true, "ol": true, "dl": true, "table": true, "thead": true, "tbody": true, "tfoot": true,
		"blockquote": true, "figure": true, "figcaption": true, "details": true, "summary": true,
		"address": true, "hr": true, "caption": true,
	}
)

func looksLikeHTML(text string) bool {
	head := text
	if len(head) > 4096 {
		head = head[:4096]
	}
	return htmlStart.MatchString(head)
}

// htmlPage is the text of an HTML document plus what was removed on the way.
type htmlPage struct {
	Text    string
	Lines   []int // for each line of Text, the line of the HTML source it comes from
	Title   string
	Dropped []Skipped
}

// htmlToken is one token of the page with the source line it starts on.
type htmlToken struct {
	typ  html.TokenType
	name string // lower-case tag name for tags
	text string // decoded character data for text tokens
	raw  string // the source bytes
	line int
	self bool // <tag/> or a void element
}

// tokenize reads the whole page into tokens, remembering each token's line.
func tokenize(src string) []htmlToken {
	z := html.NewTokenizer(strings.NewReader(src))
	var toks []htmlToken
	line := 1
	for {
		tt := z.Next()
		if tt == html.ErrorToken {
			return toks
		}
		raw := string(z.Raw())
		t := htmlToken{typ: tt, raw: raw, line: line}
		switch tt {
		case html.TextToken:
			t.text = string(z.Text())
		case html.StartTagToken, html.EndTagToken, html.SelfClosingTagToken:
			name, _ := z.TagName()
			t.name = string(name)
			t.self = tt == html.SelfClosingTagToken || isVoid(t.name)
		}
		toks = append(toks, t)
		line += strings.Count(raw, "\n")
	}
}

func isVoid(name string) bool {
	switch atom.Lookup([]byte(name)) {
	case atom.Area, atom.Base, atom.Br, atom.Col, atom.Embed, atom.Hr, atom.Img, atom.Input,
		atom.Link, atom.Meta, atom.Source, atom.Track, atom.Wbr:
		return true
	}
	return false
}

// closingIndex finds the end tag matching the start tag at toks[i], counting nested elements of the
// same name; -1 when the element is never closed.
func closingIndex(toks []htmlToken, i int) int {
	name, depth := toks[i].name, 0
	for j := i + 1; j < len(toks); j++ {
		switch {
		case toks[j].typ == html.StartTagToken && toks[j].name == name:
			depth++
		case toks[j].typ == html.EndTagToken && toks[j].name == name:
			if depth == 0 {
				return j
			}
			depth--
		}
	}
	return -1
}

// tokensText is the decoded text of toks, white space collapsed.
func tokensText(toks []htmlToken) string {
	var b strings.Builder
	for _, t := range toks {
		if t.typ == html.TextToken {
			b.WriteString(t.text)
			b.WriteByte(' ')
		}
	}
	return strings.Join(strings.Fields(b.String()), " ")
}

// flatWriter builds the flattened text and remembers where in the HTML source each of its lines
// starts, so that locations in drafts point into the file the user has, not into our rendering.
type flatWriter struct {
	b     strings.Builder
	lines []int // source line of each output line
	line  int   // source line of what is being written
}

func (w *flatWriter) write(s string) {
	for {
		i := strings.IndexByte(s, '\n')
		if i < 0 {
			w.b.WriteString(s)
			return
		}
		w.b.WriteString(s[:i+1])
		w.lines = append(w.lines, w.line)
		s = s[i+1:]
	}
}

// text appends the character data of t: outside <pre> with white space collapsed the way a
// browser renders it.
func (w *flatWriter) text(t htmlToken, pre bool) {
	s := t.text
	if s == "" {
		return
	}
	if pre {
		w.line = t.line
		for {
			i := strings.IndexByte(s, '\n')
			if i < 0 {
				w.write(s)
				return
			}
			w.write(s[:i+1])
			w.line++
			s = s[i+1:]
		}
	}
	collapsed := strings.Join(strings.Fields(s), " ")
	if collapsed == "" {
		w.write(" ")
		return
	}
	lead := len(s) - len(strings.TrimLeft(s, " \t\n\r\f"))
	w.line = t.line + strings.Count(s[:lead], "\n")
	if lead > 0 {
		w.write(" ")
	}
	w.write(collapsed)
	if endsWithSpace(s) {
		w.write(" ")
	}
}

func htmlToText(src string) htmlPage {
	var out htmlPage
	toks := tokenize(src)
	w := &flatWriter{line: 1, lines: []int{1}}
	for i, t := range toks {
		if t.typ == html.StartTagToken && t.name == "title" {
			if j := closingIndex(toks, i); j > 0 {
				out.Title = tokensText(toks[i+1 : j])
			}
			break
		}
	}
	pre := 0 // depth of open <pre> elements
	for i := 0; i < len(toks); i++ {
		t := toks[i]
		if t.typ == html.TextToken {
			w.text(t, pre > 0)
			continue
		}
		if t.typ != html.StartTagToken && t.typ != html.EndTagToken && t.typ != html.SelfClosingTagToken {
			continue // comments and doctypes
		}
		closing := t.typ == html.EndTagToken
		w.line = t.line
		name := t.name
		if reason, drop := htmlDropped[name]; drop && !closing && !t.self {
			j := closingIndex(toks, i)
			if j < 0 && !htmlRawText[name] {
				// An unclosed <nav> or <form> is sloppy markup, not proof that the rest of the
				// page is furniture: ignore the tag. Unclosed scripts really do run to the end.
				continue
			}
			if j < 0 {
				j = len(toks)
			}
			inner := tokensText(toks[i+1 : j])
			if name == "form" && len(inner) > 2000 {
				// Some frameworks wrap the whole page in one <form>; only small forms (comments,
				// newsletter, contact) are furniture.
				continue
			}
			if reason != "" {
				if text := excerpt(inner); text != "" {
					out.Dropped = append(out.Dropped, Skipped{
						Location: "line " + strconv.Itoa(t.line),
						Reason:   reason,
						Excerpt:  text,
					})
				}
			}
			i = j
			continue
		}
		switch {
		case name == "pre":
			if closing {
				if pre > 0 {
					pre--
					if pre == 0 {
						w.write("\n```\n\n")
					}
				}
			} else {
				if pre == 0 {
					w.write("\n\n```\n")
					// A newline right after <pre> belongs to the tag, as browsers render it.
					if i+1 < len(toks) && toks[i+1].typ == html.TextToken && strings.HasPrefix(toks[i+1].text, "\n") {
						toks[i+1].text = toks[i+1].text[1:]
						toks[i+1].line++
					}
				}
				pre++
			}
		case pre > 0:
			if name == "br" {
				w.write("\n")
			}
		case len(name) == 2 && name[0] == 'h' && name[1] >= '1' && name[1] <= '6', name == "dt":
			switch {
			case closing:
				w.write("\n\n")
			case name == "h1":
				w.write("\n\n# ")
			default:
				w.write("\n\n## ")
			}
		case name == "li":
			// The next item or the end of the list breaks the line; breaking here as well
			// would split one list into single-item lists.
			if !closing {
				w.write("\n- ")
			}
		case name == "br":
			w.write("\n")
		case name == "tr":
			w.write("\n")
		case name == "td" || name == "th":
			if !closing {
				w.write(" | ")
			}
		case name == "img":
			// Images carry no answer text; their alt text is usually a file name or a caption.
		case htmlBlocks[name] || name == "dd" || name == "body" || name == "html":
			w.write("\n\n")
		}
	}
	out.Text, out.Lines = tidyHTMLText(w.b.String(), w.lines)
	return out
}

func endsWithSpace(s string) bool { return s != "" && strings.TrimRight(s, " \t\n\r\f") != s }

// tidyHTMLText trims the spaces the flattening leaves around line breaks and squeezes runs of
// blank lines, keeping fenced code untouched. srcLines gives the source line of each input line;
// the result carries it along for the lines kept.
func tidyHTMLText(s string, srcLines []int) (string, []int) {
	lines := strings.Split(s, "\n")
	out := make([]string, 0, len(lines))
	outSrc := make([]int, 0, len(lines))
	inFence := false
	blank := 0
	for i, l := range lines {
		src := 0
		if i < len(srcLines) {
			src = srcLines[i]
		}
		if strings.TrimSpace(l) == "```" {
			inFence = !inFence
			blank = 0
			out, outSrc = append(out, "```"), append(outSrc, src)
			continue
		}
		if inFence {
			out, outSrc = append(out, strings.TrimRight(l, " \t")), append(outSrc, src)
			continue
		}
		l = strings.TrimSpace(l)
		// Table rows come out as "| a | b"; give them the closing bar Markdown expects.
		if strings.HasPrefix(l, "| ") {
			l += " |"
		}
		if l == "" || l == "-" {
			blank++
			if blank > 1 || len(out) == 0 {
				continue
			}
			l = ""
		} else {
			blank = 0
		}
		out, outSrc = append(out, l), append(outSrc, src)
	}
	for len(out) > 0 && out[len(out)-1] == "" {
		out, outSrc = out[:len(out)-1], outSrc[:len(outSrc)-1]
	}
	return strings.Join(out, "\n"), outSrc
}
