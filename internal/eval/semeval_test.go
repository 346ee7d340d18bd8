package eval

import (
	"context"
	"testing"

	"github.com/interviewcoach/coach/internal/localembed"
	"github.com/interviewcoach/coach/internal/offline"
)

// SemEval floors on the test_ua split of semeval2013-3way.jsonl (979 answers to questions of the
// train split), a little under what the offline grader measured when they were set (macro-F1
// 0.527, contradictory recall 0.243): the target of 0.506 macro-F1, and a contradictory
// class that is predicted at all (offline-v4: recall 0.201).
const (
	semevalMacroF1Floor       = 0.506
	semevalContradictoryFloor = 0.22
	semevalFloorSplit         = "test_ua"
	semevalFloorSplitAnswers  = 979
)

// TestOfflineSemEvalFloor grades the unseen answers of SemEval-2013 (a second or two) as users
// are graded and fails if macro-F1 or the recall of the contradictory class falls under its
// floor. The label threshold is the one fitted on the train split (DefaultLabelThreshold), since
// the split alone has no train answers to fit it on.
func TestOfflineSemEvalFloor(t *testing.T) {
	t.Parallel()
	path, all, layout := loadData(t, "semeval2013-3way.jsonl")
	var items []Item
	for _, it := range all {
		if it.Split == semevalFloorSplit {
			items = append(items, it)
		}
	}
	if len(items) != semevalFloorSplitAnswers {
		t.Fatalf("%s holds %d %s answers, want the %d the floors were measured on", path, len(items), semevalFloorSplit, semevalFloorSplitAnswers)
	}
	g := offline.New(localembed.New(localembed.DefaultDimensions))
	rep, err := Run(context.Background(), g, g, items, layout, Options{})
	if err != nil {
		t.Fatalf("Run: %v", err)
	}
	if rep.Labels.Threshold != DefaultLabelThreshold {
		t.Fatalf("threshold %d, want the train split's %d", rep.Labels.Threshold, DefaultLabelThreshold)
	}
	var found bool
	for _, gr := range rep.Labels.Groups {
		if gr.Corpus != "all" || gr.Split != semevalFloorSplit {
			continue
		}
		found = true
		t.Logf("%s: macro-F1 %.3f, accuracy %.3f", gr.Split, gr.MacroF1, gr.Accuracy)
		if gr.MacroF1 < semevalMacroF1Floor {
			t.Errorf("macro-F1 %.3f on %s, below the floor of %.3f", gr.MacroF1, gr.Split, semevalMacroF1Floor)
		}
		for _, c := range gr.Classes {
			if c.Label == LabelContradictory && c.Recall < semevalContradictoryFloor {
				t.Errorf("contradictory recall %.3f on %s, below the floor of %.2f", c.Recall, gr.Split, semevalContradictoryFloor)
			}
		}
	}
	if !found {
		t.Fatalf("no figures for %s in %+v", semevalFloorSplit, rep.Labels.Groups)
	}
}
