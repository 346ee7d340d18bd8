package eval

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/interviewcoach/coach/internal/coach"
	"github.com/interviewcoach/coach/internal/localembed"
	"github.com/interviewcoach/coach/internal/offline"
)

// devPairsFloor is the least number of the 16 pairs of right-wrong-dev.jsonl the offline grader
// must tell apart (right >= wrong + 25, wrong <= 40 and not good or excellent): all of them, as
// offline-v6 and later do (the target was 14 of 16, with every wrong answer at most 40).
const devPairsFloor = 16

// gradePairs grades the pairs of path with the offline grader against the bundled bank.
func gradePairs(t *testing.T, path string) *PairReport {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatalf("open %s: %v", path, err)
	}
	pairs, err := LoadPairs(f)
	f.Close()
	if err != nil {
		t.Fatalf("load %s: %v", path, err)
	}
	qs, err := BundledQuestions()
	if err != nil {
		t.Fatal(err)
	}
	g := offline.New(localembed.New(localembed.DefaultDimensions))
	rep, err := RunPairs(context.Background(), g, g, qs, pairs)
	if err != nil {
		t.Fatalf("RunPairs: %v", err)
	}
	for _, p := range rep.Pairs {
		t.Logf("%-42s right %3d %-9s wrong %3d %-9s separated %v", p.QuestionID, p.RightScore, p.RightBand, p.WrongScore, p.WrongBand, p.Separated)
	}
	return rep
}

// TestDevPairs grades the right and wrong answers of ../shared/grading/right-wrong-dev.jsonl as the
// API would and fails when a wrong answer is banded good or excellent, or fewer pairs than
// devPairsFloor are told apart.
func TestDevPairs(t *testing.T) {
	t.Parallel()
	rep := gradePairs(t, sharedFile(t, "grading", "right-wrong-dev.jsonl"))
	if len(rep.Pairs) != 16 {
		t.Fatalf("%d pairs, want the 16 the floor was measured on", len(rep.Pairs))
	}
	for _, p := range rep.Pairs {
		if p.WrongBand == coach.BandGood || p.WrongBand == coach.BandExcellent {
			t.Errorf("%s: the wrong answer scored %d, banded %s", p.QuestionID, p.WrongScore, p.WrongBand)
		}
	}
	if rep.Separated < devPairsFloor {
		t.Errorf("%d of %d pairs told apart, below the floor of %d", rep.Separated, len(rep.Pairs), devPairsFloor)
	}
}

// TestOtherPairs grades pairs written for questions the dev file does not hold (select_related
// against prefetch_related, null against blank, is against ==, transaction.atomic, the GIL, lazy
// QuerySets, template autoescaping): every pair must be told apart, and no right answer may be
// pushed under a wrong one.
func TestOtherPairs(t *testing.T) {
	t.Parallel()
	rep := gradePairs(t, filepath.Join("testdata", "pairs-other.jsonl"))
	dev := map[string]bool{}
	f, err := os.ReadFile(sharedFile(t, "grading", "right-wrong-dev.jsonl"))
	if err != nil {
		t.Fatal(err)
	}
	pairs, err := LoadPairs(strings.NewReader(string(f)))
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range pairs {
		dev[p.QuestionID] = true
	}
	for _, p := range rep.Pairs {
		if dev[p.QuestionID] {
			t.Errorf("%s is a question of the dev file: these pairs must check other questions", p.QuestionID)
		}
		if !p.Separated {
			t.Errorf("%s: right %d (%s) against wrong %d (%s) not told apart", p.QuestionID, p.RightScore, p.RightBand, p.WrongScore, p.WrongBand)
		}
		if p.WrongContradicted == 0 {
			t.Errorf("%s: no key point of the wrong answer found contradicted", p.QuestionID)
		}
	}
}

func TestLoadPairsErrors(t *testing.T) {
	t.Parallel()
	for _, in := range []string{"", "{\"qid\": \"x\", \"right\": \"a\"}\n", "not json\n"} {
		if _, err := LoadPairs(strings.NewReader(in)); err == nil {
			t.Errorf("LoadPairs(%q): want an error", in)
		}
	}
	qs, err := BundledQuestions()
	if err != nil {
		t.Fatal(err)
	}
	g := offline.New(nil)
	if _, err := RunPairs(context.Background(), g, g, qs, []Pair{{QuestionID: "no-such-question", Right: "a", Wrong: "b"}}); err == nil || !strings.Contains(err.Error(), "no-such-question") {
		t.Errorf("unknown question: got %v, want an error naming it", err)
	}
}

// sharedFile returns the path of a file of ../shared beside the repository; the test fails when it
// is missing, since a skipped check guards nothing.
func sharedFile(t *testing.T, dir, name string) string {
	t.Helper()
	asag := dataFile(t, "mohler-dev.jsonl")
	path := filepath.Join(filepath.Dir(filepath.Dir(asag)), dir, name)
	if _, err := os.Stat(path); err != nil {
		t.Fatalf("%s is missing (%v): it must sit in ../shared/%s beside the repository", path, err, dir)
	}
	return path
}
