package docparse

import (
	"bytes"
	"errors"
	"strings"
	"testing"
	"unicode/utf8"
)

// fuzzNames are the file names FuzzParse picks from, one per code path.
var fuzzNames = []string{"page.txt", "page.md", "page.html", "page", "bank.yaml", "bank.json", "bank.csv", "bank.tsv"}

// seedPiece is the most a seed holds of a seed page. Whole pages of 16-60 KB make the fuzzer spend
// its time minimising them (a few dozen executions a minute); pieces of every layout keep it fast.
const seedPiece = 1500

// pieces cuts data into parts of at most about size bytes, on line boundaries.
func pieces(data []byte, size int) [][]byte {
	var out [][]byte
	for len(data) > 0 {
		n := min(size, len(data))
		if n < len(data) {
			if k := bytes.LastIndexByte(data[:n], '\n'); k > 0 {
				n = k + 1
			}
		}
		out = append(out, data[:n])
		data = data[n:]
	}
	return out
}

func FuzzParse(f *testing.F) {
	for _, prefix := range []string{"000_", "001_", "002_", "003_", "004_"} {
		_, data := readSeed(f, prefix)
		for i, p := range pieces(data, seedPiece) {
			// Every other piece as a text page, the rest as HTML (fuzzNames 0 and 2).
			f.Add(uint8(i%2*2), p)
		}
	}
	hostile := []string{
		"",
		"\x00\x01\x02",
		"\xff\xfe",
		"\xfe\xff\x00Q",
		"Question:",
		"Question:\n",
		"Answer:",
		"Q: ? A: ",
		"1. What?\n\n\n2. Why?",
		"```\nunclosed fence\nQuestion: inside?\nAnswer: yes",
		"```\n```\nQuestion: after?\nAnswer: fence",
		"What is X?\n\n  • \n  •\n\n---\n",
		"| a | b |\nAnswer: x\n| c |",
		"<html><pre><pre>What?</pre>",
		"<script>Question: hidden?</script><nav>",
		"<h2>What is <b>it</h2></b><p>An answer<li>item",
		"<!DOCTYPE html><html><body><h2>What is it?</h2><p>&amp;&#0;&#xFFFFFF;</p>",
		"questions: &a [*a]",
		"questions:\n  - question: !!binary aGk=\n    answer: 1\n",
		"[1, \"x\", null, {\"q\": {}}]",
		"{\"questions\": [{\"question\": \"a\\nb\", \"answer\": \"\\u0000\"}]}",
		"question,answer\n\"a\nb\",\"  \"\n",
		"Question: Ｑ？\nAnswer: ａｎｓｗｅｒ\u200b\u00a0",
		strings.Repeat("What is it?\n\n", 200),
		strings.Repeat("Answer: ", 100),
	}
	for i, h := range hostile {
		f.Add(uint8(i), []byte(h))
	}
	f.Fuzz(func(t *testing.T, pick uint8, data []byte) {
		name := fuzzNames[int(pick)%len(fuzzNames)]
		doc, err := Parse(name, data)
		if err != nil {
			if doc != nil && !errors.Is(err, ErrNoQuestions) {
				t.Fatalf("error %v came with a document", err)
			}
			return
		}
		if len(doc.Drafts) == 0 {
			t.Fatal("no error but no drafts")
		}
		for _, d := range doc.Drafts {
			if strings.TrimSpace(d.Answer) == "" {
				t.Errorf("%s: empty answer for %q", d.Location, d.Question)
			}
			if strings.ContainsAny(d.Question, "\n\r") {
				t.Errorf("%s: question holds a line break: %q", d.Location, d.Question)
			}
			if d.Location == "" {
				t.Errorf("draft without a location: %+v", d)
			}
			if !utf8.ValidString(d.Question) || !utf8.ValidString(d.Answer) {
				t.Errorf("%s: invalid UTF-8 in draft", d.Location)
			}
		}
		for _, s := range doc.Skipped {
			if strings.Contains(s.Excerpt, "\n") || s.Location == "" || s.Reason == "" {
				t.Errorf("bad skipped entry %+v", s)
			}
		}
	})
}
