package localembed

import (
	"context"
	"strings"
	"testing"
)

// TestHugeTextBuffersAreNotPooled: the scratch buffers of an ordinary text are kept for the next
// call, those of a megabyte text are given back, so a flood of huge queries leaves no memory held.
func TestHugeTextBuffersAreNotPooled(t *testing.T) {
	t.Parallel()
	e := New(DefaultDimensions)
	for _, tt := range []struct {
		name string
		text string
		kept bool
	}{
		{"answer", strings.Repeat("select_related follows foreign keys with a join. ", 20), true},
		{"megabyte", strings.Repeat("prefetch related objects in a second query ", 25000), false},
	} {
		w := &work{}
		e.embed(w, tt.text)
		if kept := w.release(); kept != tt.kept {
			t.Errorf("%s (%d bytes): kept in the pool = %v, want %v (features cap %d)", tt.name, len(tt.text), kept, tt.kept, cap(w.features))
		}
	}
	// Embed still works after a huge text, with the same vectors as before it.
	before, err := e.Embed(context.Background(), []string{"an ordinary answer"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := e.Embed(context.Background(), []string{strings.Repeat("word ", 200000)}); err != nil {
		t.Fatal(err)
	}
	after, _ := e.Embed(context.Background(), []string{"an ordinary answer"})
	for i := range before[0] {
		if before[0][i] != after[0][i] {
			t.Fatalf("vector changed after a huge text at %d", i)
		}
	}
}
