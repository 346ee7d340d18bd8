package docparse

import (
	"net/url"
	"strings"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// canonicalURL returns the address an HTML page gives for itself: its <link rel="canonical">, else
// its og:url, when that is an absolute http(s) URL; "" otherwise. Only the head is read, with the
// HTML5 tokenizer.
func canonicalURL(src string) string {
	z := html.NewTokenizer(strings.NewReader(src))
	og := ""
	for {
		switch z.Next() {
		case html.ErrorToken:
			return og
		case html.StartTagToken, html.SelfClosingTagToken:
			tok := z.Token()
			switch tok.DataAtom {
			case atom.Body:
				return og
			case atom.Link:
				if rels := strings.Fields(strings.ToLower(attr(tok, "rel"))); contains(rels, "canonical") {
					if u := absoluteURL(attr(tok, "href")); u != "" {
						return u
					}
				}
			case atom.Meta:
				if og == "" && strings.EqualFold(attr(tok, "property"), "og:url") {
					og = absoluteURL(attr(tok, "content"))
				}
			}
		}
	}
}

func attr(tok html.Token, name string) string {
	for _, a := range tok.Attr {
		if a.Key == name {
			return strings.TrimSpace(a.Val)
		}
	}
	return ""
}

func contains(list []string, s string) bool {
	for _, e := range list {
		if e == s {
			return true
		}
	}
	return false
}

// absoluteURL returns s when it is an absolute http or https URL of at most 2000 bytes.
func absoluteURL(s string) string {
	u, err := url.Parse(s)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || len(s) > 2000 {
		return ""
	}
	return u.String()
}
