package lexicon

import (
	"os"
	"strings"
	"testing"
)

func TestAntonyms(t *testing.T) {
	t.Parallel()
	pairs := map[[2]string]bool{}
	n := 0
	Antonyms(func(a, b string) {
		n++
		if a == "" || b == "" || a == b || strings.ContainsAny(a+b, " #") {
			t.Errorf("malformed pair %q %q", a, b)
		}
		pairs[[2]string{a, b}] = true
	})
	if n < 2000 {
		t.Errorf("%d pairs, want the whole WordNet table", n)
	}
	for _, want := range [][2]string{{"immutable", "mutable"}, {"fast", "slow"}, {"obligatory", "optional"}, {"asynchronous", "synchronous"}} {
		if !pairs[want] {
			t.Errorf("pair %v missing", want)
		}
	}
}

// TestLicence keeps WordNet's notice beside its data, as its licence asks.
func TestLicence(t *testing.T) {
	t.Parallel()
	b, err := os.ReadFile("LICENSE-WordNet")
	if err != nil || !strings.Contains(string(b), "WordNet 3.0 Copyright 2006 by Princeton University") {
		t.Errorf("LICENSE-WordNet: %v", err)
	}
	if !strings.Contains(antonyms, "Princeton University") {
		t.Error("the table's header does not carry the copyright notice")
	}
}
