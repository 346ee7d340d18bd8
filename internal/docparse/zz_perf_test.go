package docparse

import (
	"bytes"
	"fmt"
	"testing"
	"time"
)

func TestZZPerf(t *testing.T) {
	for _, p := range []string{"000_", "002_", "003_"} {
		_, data := readSeed(t, p)
		big := bytes.Repeat(data, MaxSize/len(data))
		for _, name := range []string{"a.txt", "a.html", "a.md"} {
			start := time.Now()
			doc, err := Parse(name, big)
			n := 0
			if doc != nil { n = len(doc.Drafts) }
			fmt.Println(p, name, len(big), time.Since(start), n, err)
		}
	}
	junk := bytes.Repeat([]byte("<a "), MaxSize/3)
	start := time.Now()
	Parse("x.html", junk)
	fmt.Println("junk html", time.Since(start))
	junk = bytes.Repeat([]byte("<a>"), MaxSize/3)
	start = time.Now()
	Parse("x.html", junk)
	fmt.Println("junk html2", time.Since(start))
	junk = bytes.Repeat([]byte("- a\n"), MaxSize/4)
	start = time.Now()
	Parse("x.txt", junk)
	fmt.Println("bullets", time.Since(start))
	junk = bytes.Repeat([]byte("What is it?\n\n"), MaxSize/13)
	start = time.Now()
	Parse("x.txt", junk)
	fmt.Println("questions", time.Since(start))
	junk = append([]byte("x"), bytes.Repeat([]byte(" "), MaxSize-10)...)
	start = time.Now()
	Parse("x.txt", junk)
	fmt.Println("one long line", time.Since(start))
}
