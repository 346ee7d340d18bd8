package offline

import (
	"context"
	"encoding/json"
	"testing"

	"github.com/interviewcoach/coach/internal/coach"
)

// TestSoftMatches checks the soft alignment's table: near words match for less than the same
// word, unrelated words and opposites (which word vectors place close together) not at all.
func TestSoftMatches(t *testing.T) {
	t.Parallel()
	p := DefaultParams
	p.SoftWeight, p.SoftFloor = 0.8, 0.7
	g := NewWithParams(nil, p)
	tests := []struct {
		kp, answer string
		match      bool
	}{
		{"purchase", "buy", true},
		{"car", "vehicle", true},
		{"doctor", "physician", true},
		{"before", "after", false},
		{"mutable", "immutable", false},
		{"fast", "slow", false},
		{"change", "banana", false},
	}
	for _, tt := range tests {
		p := []point{{units: analyze(tt.kp, nil, 1)}}
		s := []stretch{{sentences: 1, units: analyze(tt.answer, nil, 1)}}
		tab := g.newSoftTable(p, s)
		got := 0.0
		if tab != nil {
			got = tab.recall(p[0].units, tab.ids(p[0].units, tab.kp), s[0].units, tab.ids(s[0].units, tab.answer), conceptSet(s[0].units))
		}
		if tt.match && (got <= 0 || got >= 1) {
			t.Errorf("%s ~ %s: soft recall %.2f, want a match worth less than the word itself", tt.kp, tt.answer, got)
		}
		if !tt.match && got != 0 {
			t.Errorf("%s ~ %s: soft recall %.2f, want none", tt.kp, tt.answer, got)
		}
	}
	if New(nil).newSoftTable([]point{{units: analyze("change", nil, 1)}}, []stretch{{sentences: 1, units: analyze("alter", nil, 1)}}) != nil {
		t.Error("the default SoftWeight 0 still built a soft table")
	}
}

// TestParaphraseEarnsThroughWordVectors grades an answer that makes a key point in other words,
// with and without soft matching: the near words must raise its similarity to the point.
func TestParaphraseEarnsThroughWordVectors(t *testing.T) {
	t.Parallel()
	refs := []coach.Reference{{ID: "r", KeyPoints: []coach.KeyPoint{
		{ID: "k1", ReferenceID: "r", Text: "Changing a cached value requires deleting the stale entry."},
		{ID: "k2", ReferenceID: "r", Text: "The cache key must include every argument of the view."},
	}}}
	in := coach.GradeInput{Question: "How do you keep a cache correct?", References: refs,
		Answer: "Altering a stored result means you must remove the outdated item."}
	sim := func(p Params) float64 {
		j, err := NewWithParams(nil, p).Grade(context.Background(), in)
		if err != nil {
			t.Fatal(err)
		}
		return auditSim(t, j, "k1")
	}
	on, off := DefaultParams, DefaultParams
	on.SoftWeight, on.SoftFloor = 0.8, 0.7
	off.SoftWeight = 0
	with, without := sim(on), sim(off)
	if with <= without+0.05 {
		t.Errorf("similarity of the paraphrase %.3f with soft matching, %.3f without: want it clearly higher", with, without)
	}
}

// auditSim returns the similarity the audit record gives for key point id.
func auditSim(t *testing.T, j *coach.Judged, id string) float64 {
	t.Helper()
	var raw struct {
		KeyPoints []kpScore `json:"key_points"`
	}
	if err := json.Unmarshal([]byte(j.Raw), &raw); err != nil {
		t.Fatalf("audit record: %v", err)
	}
	for _, k := range raw.KeyPoints {
		if k.ID == id {
			return k.Sim
		}
	}
	t.Fatalf("no audit record for %s", id)
	return 0
}
