package text

import (
	"fmt"
	"os"
	"strings"
	"testing"
)

func TestScratch(t *testing.T) {
	in := os.Getenv("SCRATCH")
	if in == "" {
		t.Skip()
	}
	for _, a := range strings.Split(in, "|") {
		fmt.Printf("%q\n", Tokens(a))
		for _, t := range Analyze(a) {
			fmt.Printf("  %-14s %-14s %-20q neg=%v ident=%v part=%v idx=%d\n", t.Concept, t.Stem, t.Word, t.Negated, t.Ident, t.Part, t.Index)
		}
		fmt.Printf("N: %q\n", Normalize(a))
	}
	fmt.Println(synonymClash)
}
