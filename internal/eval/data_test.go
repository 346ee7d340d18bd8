package eval

import (
	"strings"
	"testing"
)

func TestLoad(t *testing.T) {
	t.Parallel()
	const numeric = `{"id": "m-1", "question_id": "1.1", "question": "What is a variable?", "reference": "A location in memory that can store a value.", "answer": "A named place in memory.", "score": 4.5, "score_a": 5, "score_b": 4, "scale_max": 5}

{"id": "m-2", "question_id": "1.1", "question": "What is a variable?", "reference": "A location in memory that can store a value.", "answer": "A loop.", "score": 0, "scale_max": 5}
`
	const labels = `{"id": "s-1", "corpus": "beetle", "split": "train", "question_id": "Q1", "question": "Why?", "reference": "They are connected.", "references": [{"id": "a1", "text": "They are connected."}, {"id": "a2", "text": "There is no gap."}], "answer": "connected", "label": "correct"}
{"id": "s-2", "corpus": "beetle", "split": "test_ua", "question_id": "Q1", "question": "Why?", "reference": "They are connected.", "references": [], "answer": "separated", "label": "contradictory"}
`
	tests := []struct {
		name       string
		in         string
		limit      int
		wantLayout string
		wantItems  int
		wantErr    string
	}{
		{"numeric", numeric, 0, LayoutNumeric, 2, ""},
		{"numeric limited", numeric, 1, LayoutNumeric, 1, ""},
		{"labels", labels, 0, LayoutLabels, 2, ""},
		{"mixed layouts", numeric + labels, 0, "", 0, "line 4: labels line in a numeric file"},
		{"bad json", "{", 0, "", 0, "line 1"},
		{"unknown label", `{"question": "q", "reference": "r", "answer": "a", "label": "partially_correct"}`, 0, "", 0, "unknown label"},
		{"no scale", `{"question": "q", "reference": "r", "answer": "a", "score": 3}`, 0, "", 0, "scale_max"},
		{"no reference", `{"question": "q", "answer": "a", "score": 3, "scale_max": 5}`, 0, "", 0, "no reference"},
		{"empty", "\n\n", 0, "", 0, "no items"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			items, layout, err := Load(strings.NewReader(tt.in), tt.limit)
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("error %v, want one containing %q", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatalf("Load: %v", err)
			}
			if layout != tt.wantLayout || len(items) != tt.wantItems {
				t.Fatalf("got %d items of layout %q, want %d of %q", len(items), layout, tt.wantItems, tt.wantLayout)
			}
		})
	}

	items, _, err := Load(strings.NewReader(numeric), 0)
	if err != nil {
		t.Fatal(err)
	}
	if it := items[0]; !it.TwoGraders || it.ScoreA != 5 || it.ScoreB != 4 || it.Score != 4.5 || it.ScaleMax != 5 {
		t.Errorf("numeric item read wrong: %+v", it)
	}
	if items[1].TwoGraders {
		t.Errorf("an item without score_a and score_b has no two graders")
	}
	items, _, err = Load(strings.NewReader(labels), 0)
	if err != nil {
		t.Fatal(err)
	}
	// All reference answers are kept, with their ids; with none listed, "reference" stands alone.
	if refs := items[0].References; len(refs) != 2 || refs[0].ID != "a1" || refs[1].Text != "There is no gap." {
		t.Errorf("references of the first item: %+v", refs)
	}
	if refs := items[1].References; len(refs) != 1 || refs[0].ID != "R1" || refs[0].Text != "They are connected." {
		t.Errorf("references of the second item: %+v", refs)
	}
}

func TestBuildReferences(t *testing.T) {
	t.Parallel()
	it := Item{QuestionID: "2.2", Corpus: "mohler", References: []RefText{
		{ID: "R1", Text: "Data members can be accessed from any member function inside the class definition. Local variables can only be accessed inside the member function that defines them."},
		{ID: "R2", Text: "Unlimited number."},
	}}
	refs := BuildReferences(it)
	if len(refs) != 2 {
		t.Fatalf("got %d references", len(refs))
	}
	if n := len(refs[0].KeyPoints); n != 2 {
		t.Errorf("two sentences should give two key points, got %d: %+v", n, refs[0].KeyPoints)
	}
	for i, kp := range refs[0].KeyPoints {
		if want := "R1-k" + string(rune('1'+i)); kp.ID != want || kp.ReferenceID != "R1" || kp.Ordinal != i+1 {
			t.Errorf("key point %d: %+v, want id %s", i, kp, want)
		}
	}
	// A reference too short to split still makes one key point of itself.
	if kps := refs[1].KeyPoints; len(kps) != 1 || kps[0].Text == "" || kps[0].ID != "R2-k1" {
		t.Errorf("short reference: %+v", kps)
	}
}
