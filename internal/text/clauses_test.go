package text

import (
	"reflect"
	"testing"
)

func TestClauses(t *testing.T) {
	t.Parallel()
	tests := []struct {
		in   string
		want []string
	}{
		{"Lists are mutable, while tuples cannot be changed after creation.",
			[]string{"Lists are mutable", "while tuples cannot be changed after creation."}},
		{"makemigrations writes files; migrate applies them to the database.",
			[]string{"makemigrations writes files", "migrate applies them to the database."}},
		{"It compares models, and writes new migration files without touching the database.",
			[]string{"It compares models", "and writes new migration files", "without touching the database."}},
		// "and" without a comma joins a list, and a piece under three words stays with its neighbour.
		{"filter, exclude and order_by return new QuerySets.", []string{"filter, exclude and order_by return new QuerySets."}},
		{"It is fast, but slow.", []string{"It is fast, but slow."}},
		{"", nil},
	}
	for _, tt := range tests {
		var got []string
		for _, c := range Clauses(tt.in) {
			got = append(got, c.Text)
			if tt.in[c.Start:c.End] != c.Text {
				t.Errorf("Clauses(%q): clause %q at %d-%d is not the text there", tt.in, c.Text, c.Start, c.End)
			}
		}
		if !reflect.DeepEqual(got, tt.want) {
			t.Errorf("Clauses(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestStatementClauses(t *testing.T) {
	t.Parallel()
	got := []string{}
	for _, c := range StatementClauses("A child template uses extends as its first tag and overrides only needed blocks.") {
		got = append(got, c.Text)
	}
	want := []string{"A child template uses extends as its first tag", "and overrides only needed blocks."}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("StatementClauses = %q, want %q", got, want)
	}
	// A bare "and" in a short list is no cut.
	if n := len(StatementClauses("select_related and prefetch_related both load relations.")); n != 1 {
		t.Errorf("a list of two names was cut into %d clauses", n)
	}
}
