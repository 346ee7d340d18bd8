package docparse

import (
	"fmt"
	"os"
	"testing"
)

func TestZZDump(t *testing.T) {
	f := os.Getenv("DUMP")
	if f == "" {
		t.Skip()
	}
	data, _ := os.ReadFile(f)
	doc, err := Parse(f, data)
	fmt.Println("ERR", err)
	if doc == nil {
		return
	}
	fmt.Printf("TITLE %q drafts=%d\n", doc.Title, len(doc.Drafts))
	for i, d := range doc.Drafts {
		fmt.Printf("==== %d %s [%s] Q: %s\n%s\n", i+1, d.Location, d.Difficulty, d.Question, d.Answer)
	}
	for _, s := range doc.Skipped {
		fmt.Printf("SKIP %s %s | %s\n", s.Location, s.Reason, s.Excerpt)
	}
}
