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

func TestWordVectors(t *testing.T) {
	t.Parallel()
	v, err := WordVectors()
	if err != nil {
		t.Fatalf("WordVectors: %v", err)
	}
	if v.Len() < 40000 || v.Dims != 100 {
		t.Fatalf("%d words of %d dimensions, want the 40k most frequent of 100", v.Len(), v.Dims)
	}
	for _, w := range []string{"the", "modify", "change", "middleware", "pagination"} {
		if v.Lookup(w) == nil {
			t.Errorf("%q missing", w)
		}
	}
	if v.Lookup("Change") != nil || v.Lookup("zzzzqx") != nil {
		t.Error("lookup of a word the table lacks returned a vector")
	}
	if c := Cosine(v.Lookup("change"), v.Lookup("change")); c < 0.98 || c > 1.02 {
		t.Errorf("cosine of a word with itself = %.3f, want 1", c)
	}
	near, far := Cosine(v.Lookup("modify"), v.Lookup("change")), Cosine(v.Lookup("modify"), v.Lookup("banana"))
	if near < 0.4 || far > 0.3 || near <= far {
		t.Errorf("cosine(modify, change) = %.2f, cosine(modify, banana) = %.2f: want related words close, unrelated far", near, far)
	}
}

func TestDecodeVectorsRejectsBadInput(t *testing.T) {
	t.Parallel()
	for name, in := range map[string][]byte{"not gzip": []byte("wvec1\n"), "empty": nil} {
		if _, err := decodeVectors(in); err == nil {
			t.Errorf("%s: no error", name)
		}
	}
}

// TestVectorsLicence keeps the package's MIT licence and the GloVe acknowledgement beside the data.
func TestVectorsLicence(t *testing.T) {
	t.Parallel()
	b, err := os.ReadFile("LICENSE-wink-embeddings")
	if err != nil || !strings.Contains(string(b), "MIT License") || !strings.Contains(string(b), "GloVe") {
		t.Errorf("LICENSE-wink-embeddings: %v", err)
	}
}

func BenchmarkLoadVectors(b *testing.B) {
	for b.Loop() {
		if _, err := decodeVectors(vectorsGz); err != nil {
			b.Fatal(err)
		}
	}
}
