package main

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/interviewcoach/coach/internal/coach"
)

// COACH_SIMILARITY gives the importer and the review report thresholds of their own; a bad value
// stops the command before it stores anything, with one line naming the variable.
func TestSimilarityThresholdsAreConfigurable(t *testing.T) {
	t.Parallel()
	_, vars, notes, _ := notesToImport(t)
	url := vars["DATABASE_URL"]
	bad := map[string]string{"DATABASE_URL": url, "COACH_LOG_LEVEL": "warn", "COACH_SIMILARITY": "suspect=2"}
	_, _, err := program(t, bad, "", "ingest", "--builtin")
	if err == nil || !strings.Contains(message(err), "COACH_SIMILARITY") || !strings.Contains(message(err), "suspect=2") || strings.Contains(message(err), "\n") {
		t.Fatalf("bad COACH_SIMILARITY: %v", err)
	}
	if _, _, err := program(t, vars, "", "ingest", "--builtin"); err != nil {
		t.Fatal(err)
	}
	pairs := func(similarity string) int {
		t.Helper()
		v := map[string]string{"DATABASE_URL": url, "COACH_LOG_LEVEL": "warn", "COACH_SIMILARITY": similarity}
		out, _, err := program(t, v, "", "ingest", "--json", notes)
		if err != nil {
			t.Fatal(err)
		}
		var sum struct{ Review coach.ReviewReport }
		if err := json.Unmarshal([]byte(out), &sum); err != nil {
			t.Fatalf("%v: %s", err, out)
		}
		for _, d := range sum.Review.SuspectedDuplicates {
			if d.Similarity < 0.5 {
				t.Errorf("COACH_SIMILARITY=%s: pair at %v listed", similarity, d.Similarity)
			}
		}
		return len(sum.Review.SuspectedDuplicates)
	}
	local, loose := pairs(""), pairs("suspect=0.5")
	if loose <= local {
		t.Errorf("suspected duplicates: %d at the local threshold, %d at suspect=0.5; want more at 0.5", local, loose)
	}
}
