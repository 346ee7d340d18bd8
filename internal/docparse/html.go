package docparse

import (
	"html"
	"regexp"
	"strconv"
	"strings"
)

// HTML pages are flattened into the Markdown-like text the page parser reads: headings become
// "# "/"## " lines, list items "- " lines, <pre> blocks fenced code, other block elements paragraphs.
// A full HTML parser would be more exact, but saved interview pages only need their reading order
// and block structure, and this keeps the package free of dependencies.

var (
	htmlStart = regexp.MustCompile(`(?is)^\s*(<!--.*?-->\s*)*<(!doctype\s+html|html[\s>]|head[\s>]|body[\s>])`)
	htmlTag   = regexp.MustCompile(`<(/?)([a-zA-Z][a-zA-Z0-9:-]*)((?:[^>"']|"[^"]*"|'[^']*')*)>`)
	htmlTitle = regexp.MustCompile(`(?is)<title[^>]*>(.*?)</title>`)
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

// flatWriter builds the flattened text and remembers where in the HTML source each of its lines
// starts, so that locations in drafts point into the file the user has, not into our rendering.
type flatWriter struct {
	b       strings.Builder
	lines   []int // source line of each output line
	src     string
	srcPos  int // source offset counted so far
	srcLine int // line of srcPos
}

func newFlatWriter(src string) *flatWriter {
	return &flatWriter{src: src, srcLine: 1, lines: []int{1}}
}

// at moves the source cursor forward to pos; positions only ever grow during the scan.
func (w *flatWriter) at(pos int) {
	if pos > w.srcPos {
		w.srcLine += strings.Count(w.src[w.srcPos:pos], "\n")
		w.srcPos = pos
	}
}

func (w *flatWriter) write(s string) {
	for {
		i := strings.IndexByte(s, '\n')
		if i < 0 {
			w.b.WriteString(s)
			return
		}
		w.b.WriteString(s[:i+1])
		w.lines = append(w.lines, w.srcLine)
		s = s[i+1:]
	}
}

// text appends the character data src[start:end]: entities decoded, and outside <pre> white
// space collapsed the way a browser renders it.
func (w *flatWriter) text(start, end int, pre bool) {
	raw := w.src[start:end]
	if raw == "" {
		return
	}
	if pre {
		for off := 0; ; {
			i := strings.IndexByte(raw[off:], '\n')
			w.at(start + off)
			if i < 0 {
				w.write(html.UnescapeString(raw[off:]))
				return
			}
			w.write(html.UnescapeString(raw[off : off+i]))
			w.at(start + off + i + 1)
			w.write("\n")
			off += i + 1
		}
	}
	s := html.UnescapeString(raw)
	collapsed := strings.Join(strings.Fields(s), " ")
	if collapsed == "" {
		w.write(" ")
		return
	}
	w.at(start + len(raw) - len(strings.TrimLeft(raw, " \t\n\r\f")))
	if startsWithSpace(s) {
		w.write(" ")
	}
	w.write(collapsed)
	if endsWithSpace(s) {
		w.write(" ")
	}
}

func htmlToText(src string) htmlPage {
	var out htmlPage
	if m := htmlTitle.FindStringSubmatch(src); m != nil {
		out.Title = strings.Join(strings.Fields(html.UnescapeString(stripTags(m[1]))), " ")
	}
	src = removeComments(src)
	lower := asciiLower(src)
	unclosed := map[string]bool{} // elements with no end tag further on; saves rescanning the page
	w := newFlatWriter(src)
	pos := 0
	pre := 0 // depth of open <pre> elements
	for {
		loc := htmlTag.FindStringSubmatchIndex(src[pos:])
		if loc == nil {
			w.text(pos, len(src), pre > 0)
			break
		}
		start, end := pos+loc[0], pos+loc[1]
		closing := src[pos+loc[2]:pos+loc[3]] == "/"
		name := strings.ToLower(src[pos+loc[4] : pos+loc[5]])
		attrs := src[pos+loc[6] : pos+loc[7]]
		w.text(pos, start, pre > 0)
		w.at(start)
		pos = end
		if reason, drop := htmlDropped[name]; drop && !closing && !strings.HasSuffix(strings.TrimSpace(attrs), "/") {
			// Search for the end tag directly: script and style bodies are not HTML, so the tag
			// pattern could misread them.
			var m []int
			if !unclosed[name] {
				m = closeTagIndex(lower, end, name)
				unclosed[name] = m == nil
			}
			if m == nil && !htmlRawText[name] {
				// An unclosed <nav> or <form> is sloppy markup, not proof that the rest of the
				// page is furniture: ignore the tag. Unclosed scripts really do run to the end.
				continue
			}
			if name == "form" && m != nil && len(strings.TrimSpace(stripTags(src[end:m[0]]))) > 2000 {
				// Some frameworks wrap the whole page in one <form>; only small forms (comments,
				// newsletter, contact) are furniture.
				continue
			}
			stop := len(src)
			pos = len(src)
			if m != nil {
				stop, pos = m[0], m[1]
			}
			if reason != "" {
				if text := excerpt(html.UnescapeString(stripTags(src[end:stop]))); text != "" {
					out.Dropped = append(out.Dropped, Skipped{
						Location: "line " + strconv.Itoa(lineAt(src, int64(start))),
						Reason:   reason,
						Excerpt:  text,
					})
				}
			}
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

func startsWithSpace(s string) bool { return s != "" && strings.TrimLeft(s, " \t\n\r\f") != s }
func endsWithSpace(s string) bool   { return s != "" && strings.TrimRight(s, " \t\n\r\f") != s }

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

// htmlComment matches comments, declarations (<!DOCTYPE>, <![CDATA[) and processing instructions.
var htmlComment = regexp.MustCompile(`(?s)<!--.*?-->|<![^>]*>|<\?[^>]*>`)

// removeComments blanks comments and declarations but keeps their line breaks, so line numbers reported for dropped
// blocks still point into the original file.
func removeComments(s string) string {
	return htmlComment.ReplaceAllStringFunc(s, func(c string) string {
		return strings.Repeat("\n", strings.Count(c, "\n"))
	})
}

// closeTagIndex finds the end tag </name> in lower (the page in ASCII lower case) at or after
// from, returning its start and end offsets.
func closeTagIndex(lower string, from int, name string) []int {
	for {
		i := strings.Index(lower[from:], "</"+name)
		if i < 0 {
			return nil
		}
		i += from
		j := i + 2 + len(name)
		if j < len(lower) && (lower[j] == '>' || lower[j] == ' ' || lower[j] == '\t' || lower[j] == '\n') {
			if k := strings.IndexByte(lower[j:], '>'); k >= 0 {
				return []int{i, j + k + 1}
			}
			return nil
		}
		from = j
	}
}

// asciiLower lowers ASCII letters only, so byte offsets stay valid for the original string.
func asciiLower(s string) string {
	b := []byte(s)
	for i, c := range b {
		if 'A' <= c && c <= 'Z' {
			b[i] = c + 'a' - 'A'
		}
	}
	return string(b)
}

func stripTags(s string) string { return htmlTag.ReplaceAllString(s, " ") }
