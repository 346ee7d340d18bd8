package keypoints_test

import (
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/interviewcoach/coach/internal/keypoints"
)

func TestPiecesBoundAndKeepText(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name  string
		in    string
		max   int
		first string // the first piece
	}{
		{"sentence end", "The ORM builds queries lazily. " + strings.Repeat("x", 30), 40, "The ORM builds queries lazily."},
		{"clause break", "select_related joins in SQL, prefetch_related runs a second query and joins in Python", 50, "select_related joins in SQL,"},
		{"word break", strings.Repeat("word ", 20), 23, "word word word word"},
		{"no break at all", strings.Repeat("é", 25), 10, strings.Repeat("é", 10)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got := keypoints.Pieces(tt.in, tt.max)
			if got[0] != tt.first {
				t.Errorf("first piece = %q, want %q", got[0], tt.first)
			}
			for _, p := range got {
				if n := utf8.RuneCountInString(p); n > tt.max || n == 0 {
					t.Errorf("piece of %d characters (max %d): %q", n, tt.max, p)
				}
			}
			if strings.Join(strings.Fields(strings.Join(got, " ")), " ") != strings.Join(strings.Fields(tt.in), " ") &&
				strings.Join(got, "") != tt.in {
				t.Errorf("pieces lose text: %q", got)
			}
		})
	}
}

func TestSplitBoundsStatements(t *testing.T) {
	t.Parallel()
	// No sentence break in 200,000 characters: the statements stay rubric lines.
	answer := strings.Repeat("queryset cache middleware ", 8000)
	points := keypoints.Split(answer)
	if len(points) == 0 || len(points) > keypoints.MaxPoints {
		t.Fatalf("%d points", len(points))
	}
	for _, p := range points {
		if n := utf8.RuneCountInString(p); n > keypoints.MaxChars {
			t.Errorf("a statement of %d characters, limit %d", n, keypoints.MaxChars)
		}
	}
}
