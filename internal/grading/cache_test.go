package grading

import (
	"testing"

	"github.com/interviewcoach/coach/internal/coach"
)

func TestCacheKeyCoversTheRubricAndGrader(t *testing.T) {
	base := func() coach.GradeInput {
		return coach.GradeInput{
			Question: "What does select_related do?",
			Answer:   "It joins.",
			References: []coach.Reference{{ID: "r1", Text: "It follows foreign keys with a join.",
				KeyPoints: []coach.KeyPoint{{ID: "k1", Text: "uses a SQL join", Weight: coach.WeightCore}}}},
			Related:   []coach.Question{{ID: "q2", Text: "What does prefetch_related do?"}},
			FollowUps: 3,
		}
	}
	c := NewCache("llm model-a prompt-1", 10)
	want := c.key(base())
	if c.key(base()) != want {
		t.Fatal("the same grading made two keys")
	}
	for name, change := range map[string]func(*coach.GradeInput){
		"question":       func(in *coach.GradeInput) { in.Question += "?" },
		"answer":         func(in *coach.GradeInput) { in.Answer = "It joins!" },
		"reference text": func(in *coach.GradeInput) { in.References[0].Text += " Always." },
		"key point text": func(in *coach.GradeInput) { in.References[0].KeyPoints[0].Text = "uses a join" },
		"key point added": func(in *coach.GradeInput) {
			in.References[0].KeyPoints = append(in.References[0].KeyPoints, coach.KeyPoint{ID: "k2", Text: "one query"})
		},
		"weight":     func(in *coach.GradeInput) { in.References[0].KeyPoints[0].Weight = coach.WeightDetail },
		"related":    func(in *coach.GradeInput) { in.Related = nil },
		"follow-ups": func(in *coach.GradeInput) { in.FollowUps = 2 },
		// Moving text between fields must not make the same key.
		"field boundary": func(in *coach.GradeInput) { in.Question, in.Answer = in.Question+"It", " joins." },
	} {
		in := base()
		change(&in)
		if c.key(in) == want {
			t.Errorf("a changed %s made the same key", name)
		}
	}
	if NewCache("llm model-b prompt-1", 10).key(base()) == want {
		t.Error("another model made the same key")
	}
}

func TestCacheForgetsTheLeastRecentlyUsed(t *testing.T) {
	c := NewCache("offline", 2)
	k := func(answer string) [32]byte { return c.key(coach.GradeInput{Question: "q", Answer: answer}) }
	c.put(k("a"), &Assessment{Score: 1})
	c.put(k("b"), &Assessment{Score: 2})
	if _, ok := c.get(k("a")); !ok { // a is now the most recent
		t.Fatal("a was not kept")
	}
	c.put(k("c"), &Assessment{Score: 3})
	if _, ok := c.get(k("b")); ok {
		t.Error("b, the least recently used, was kept past the size")
	}
	if as, ok := c.get(k("a")); !ok || as.Score != 1 {
		t.Errorf("a = %+v, %v", as, ok)
	}
	c.put(k("d"), &Assessment{Score: 4, Fallback: true})
	if _, ok := c.get(k("d")); ok || c.Len() != 2 {
		t.Errorf("a fallback grade was kept (%d kept)", c.Len())
	}
	var none *Cache
	if _, ok := none.get(none.key(coach.GradeInput{})); ok {
		t.Error("a nil cache returned a grade")
	}
	none.put([32]byte{}, &Assessment{})
}
