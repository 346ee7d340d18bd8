package docparse

import (
	"html"
	"regexp"
	"strconv"
	"strings"
)

// HTML pages are flattened into the Markdown-like text the page parser reads: headings become
// "## " lines, list items "- " lines, <pre> blocks fenced code, other block elements paragraphs.
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
	Title   string
	Dropped []Skipped
}

func htmlToText(src string) htmlPage {
	var out htmlPage
	if m := htmlTitle.FindStringSubmatch(src); m != nil {
		out.Title = strings.Join(strings.Fields(html.UnescapeString(stripTags(m[1]))), " ")
	}
	src = removeComments(src)
	lower := asciiLower(src)
	var b strings.Builder
	pos := 0
	pre := 0 // depth of open <pre> elements
	for {
		loc := htmlTag.FindStringSubmatchIndex(src[pos:])
		if loc == nil {
			writeHTMLText(&b, src[pos:], pre > 0)
			break
		}
		start, end := pos+loc[0], pos+loc[1]
		closing := src[pos+loc[2]:pos+loc[3]] == "/"
		name := strings.ToLower(src[pos+loc[4] : pos+loc[5]])
		attrs := src[pos+loc[6] : pos+loc[7]]
		writeHTMLText(&b, src[pos:start], pre > 0)
		pos = end
		if reason, drop := htmlDropped[name]; drop && !closing && !strings.HasSuffix(strings.TrimSpace(attrs), "/") {
			// Search for the end tag directly: script and style bodies are not HTML, so the tag
			// pattern could misread them.
			m := closeTagIndex(lower, end, name)
			if m == nil && !htmlRawText[name] {
				// An unclosed <nav> or <form> is sloppy markup, not proof that the rest of the
				// page is furniture: ignore the tag. Unclosed scripts really do run to the end.
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
						b.WriteString("\n```\n\n")
					}
				}
			} else {
				if pre == 0 {
					b.WriteString("\n\n```\n")
				}
				pre++
			}
		case pre > 0:
			if name == "br" {
				b.WriteString("\n")
			}
		case len(name) == 2 && name[0] == 'h' && name[1] >= '1' && name[1] <= '6', name == "dt":
			switch {
			case closing:
				b.WriteString("\n\n")
			case name == "h1":
				b.WriteString("\n\n# ")
			default:
				b.WriteString("\n\n## ")
			}
		case name == "li":
			// The next item or the end of the list breaks the line; breaking here as well
			// would split one list into single-item lists.
			if !closing {
				b.WriteString("\n- ")
			}
		case name == "br":
			b.WriteString("\n")
		case name == "tr":
			b.WriteString("\n")
		case name == "td" || name == "th":
			if !closing {
				b.WriteString(" | ")
			}
		case name == "img":
			// Images carry no answer text; their alt text is usually a file name or a caption.
		case htmlBlocks[name] || name == "dd" || name == "body" || name == "html":
			b.WriteString("\n\n")
		}
	}
	out.Text = tidyHTMLText(b.String())
	return out
}

// writeHTMLText appends character data: entities decoded, and outside <pre> white space collapsed
// the way a browser renders it.
func writeHTMLText(b *strings.Builder, s string, pre bool) {
	if s == "" {
		return
	}
	s = html.UnescapeString(s)
	if pre {
		b.WriteString(s)
		return
	}
	collapsed := strings.Join(strings.Fields(s), " ")
	if collapsed == "" {
		if s != "" {
			b.WriteString(" ")
		}
		return
	}
	if startsWithSpace(s) {
		b.WriteString(" ")
	}
	b.WriteString(collapsed)
	if endsWithSpace(s) {
		b.WriteString(" ")
	}
}

func startsWithSpace(s string) bool { return s != "" && strings.TrimLeft(s, " \t\n\r\f") != s }
func endsWithSpace(s string) bool   { return s != "" && strings.TrimRight(s, " \t\n\r\f") != s }

// tidyHTMLText trims the spaces the flattening leaves around line breaks and squeezes runs of
// blank lines, keeping fenced code untouched.
func tidyHTMLText(s string) string {
	lines := strings.Split(s, "\n")
	out := make([]string, 0, len(lines))
	inFence := false
	blank := 0
	for _, l := range lines {
		if strings.TrimSpace(l) == "```" {
			inFence = !inFence
			blank = 0
			out = append(out, "```")
			continue
		}
		if inFence {
			out = append(out, strings.TrimRight(l, " \t"))
			continue
		}
		l = strings.TrimSpace(l)
		// Table rows come out as " | a | b"; give them the closing bar Markdown expects.
		if strings.HasPrefix(l, "| ") {
			l += " |"
		}
		if l == "" || l == "-" {
			blank++
			if blank > 1 {
				continue
			}
			l = ""
		} else {
			blank = 0
		}
		out = append(out, l)
	}
	return strings.TrimSpace(strings.Join(out, "\n"))
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
