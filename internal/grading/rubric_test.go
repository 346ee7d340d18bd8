package grading_test

import (
	"context"
	"os"
	"path/filepath"
	"slices"
	"testing"

	"github.com/interviewcoach/coach/internal/bank"
	"github.com/interviewcoach/coach/internal/coach"
	"github.com/interviewcoach/coach/internal/grading"
	"github.com/interviewcoach/coach/internal/ingest"
	"github.com/interviewcoach/coach/internal/localembed"
	"github.com/interviewcoach/coach/internal/offline"
	"github.com/interviewcoach/coach/internal/postgres"
	"github.com/interviewcoach/coach/internal/postgres/pgtest"
)

// seeds returns the seed pages beside the repository.
func seeds(t *testing.T) map[string][]byte {
	t.Helper()
	dir, err := filepath.Abs(".")
	if err != nil {
		t.Fatal(err)
	}
	for {
		candidate := filepath.Join(dir, "..", "shared", "seeds")
		if entries, err := os.ReadDir(candidate); err == nil {
			out := map[string][]byte{}
			for _, e := range entries {
				data, err := os.ReadFile(filepath.Join(candidate, e.Name()))
				if err != nil {
					t.Fatal(err)
				}
				out[e.Name()] = data
			}
			return out
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			t.Fatal("shared/seeds not found beside the repository: this test needs the seed pages")
		}
		dir = parent
	}
}

func setupWithDB(t *testing.T) (*grading.Service, *postgres.DB, *ingest.Importer) {
	t.Helper()
	db := pgtest.New(t)
	embedder := localembed.New(localembed.DefaultDimensions)
	im := &ingest.Importer{Store: db, Embedder: embedder}
	if _, err := im.Import(context.Background(), bank.Name, bank.Django(), nil); err != nil {
		t.Fatal(err)
	}
	off := offline.New(embedder)
	return &grading.Service{Store: db, Embedder: embedder, Grader: off, Offline: off, MaxAnswerChars: 6000}, db, im
}

// Importing the seed pages on top of the bundled bank adds references, passages and draft key points
// to bundled questions, but a complete answer to them scores what it scored before: the drafts wait
// for review and are not judged while the question has an approved rubric.
func TestSeedImportKeepsBundledScores(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	s, db, im := setupWithDB(t)
	ids := []string{"signals-what-are", "models-null-vs-blank", "orm-select-related-prefetch", "orm-n-plus-one",
		"security-csrf", "views-fbv-vs-cbv"}
	type before struct {
		score, keyPoints, version int
	}
	was := map[string]before{}
	answers := map[string]string{}
	for _, id := range ids {
		q, err := db.Question(ctx, id)
		if err != nil {
			t.Fatalf("%s: %v", id, err)
		}
		answers[id] = q.References[0].Text // the bundled reference answer is a complete answer
		a, err := s.Grade(ctx, coach.GradeRequest{QuestionID: id, Answer: answers[id]})
		if err != nil {
			t.Fatal(err)
		}
		if a.RubricStatus != coach.RubricApproved || a.RubricVersion != q.RubricVersion {
			t.Errorf("%s: rubric %q version %d, want approved version %d", id, a.RubricStatus, a.RubricVersion, q.RubricVersion)
		}
		was[id] = before{a.Score, len(a.KeyPoints), q.RubricVersion}
	}

	sum := &ingest.Summary{}
	for name, data := range seeds(t) {
		got, err := im.Import(ctx, name, data, nil)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		sum.Add(got)
	}
	t.Logf("seed import: %d references merged, %d draft key points, %d duplicates dropped", sum.Merged, sum.DraftKeyPoints, sum.DuplicateKeyPoints)
	if sum.DraftKeyPoints == 0 || sum.DuplicateKeyPoints == 0 {
		t.Errorf("seed import made %d drafts and dropped %d duplicates; want both", sum.DraftKeyPoints, sum.DuplicateKeyPoints)
	}

	grew := 0
	for _, id := range ids {
		q, err := db.Question(ctx, id)
		if err != nil {
			t.Fatal(err)
		}
		drafts := 0
		for _, r := range q.References {
			for _, kp := range r.KeyPoints {
				if kp.Status == coach.KeyPointDraft {
					drafts++
				}
			}
		}
		if len(q.References) > 1 {
			grew++
			if q.RubricVersion <= was[id].version && drafts > 0 {
				t.Errorf("%s: drafts were added but the rubric version stayed %d", id, q.RubricVersion)
			}
		}
		a, err := s.Grade(ctx, coach.GradeRequest{QuestionID: id, Answer: answers[id]})
		if err != nil {
			t.Fatal(err)
		}
		t.Logf("%s: %d references, %d drafts; score %d → %d", id, len(q.References), drafts, was[id].score, a.Score)
		if a.Score != was[id].score || len(a.KeyPoints) != was[id].keyPoints {
			t.Errorf("%s: scored %d on %d key points after the import, %d on %d before", id, a.Score, len(a.KeyPoints), was[id].score, was[id].keyPoints)
		}
		if slices.Contains(a.Warnings, coach.DraftRubricWarning) || a.RubricStatus != coach.RubricApproved {
			t.Errorf("%s: graded against %q, warnings %v", id, a.RubricStatus, a.Warnings)
		}
	}
	if grew < 2 {
		t.Errorf("only %d of the questions gained a reference from the seed pages; the test checks nothing", grew)
	}
}

// A question only imported pages answer has draft key points and no approved rubric: it is graded
// against its drafts, and the grade says so.
func TestDraftRubricIsLabelled(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	s, db, im := setupWithDB(t)
	page := []byte("Flask interview questions\n\nQ1. What is a Flask blueprint?\n\nA blueprint groups views, templates and static files of one part of an application. " +
		"It is registered on the application with a URL prefix. Blueprints let large applications be split into modules.\n")
	if _, err := im.Import(ctx, "flask.txt", page, nil); err != nil {
		t.Fatal(err)
	}
	qs, _, err := db.Questions(ctx, coach.QuestionFilter{Query: "blueprint", Limit: 5})
	if err != nil || len(qs) != 1 {
		t.Fatalf("imported question: %v, %v", qs, err)
	}
	a, err := s.Grade(ctx, coach.GradeRequest{QuestionID: qs[0].ID, Answer: "A blueprint groups views and templates and is registered with a URL prefix."})
	if err != nil {
		t.Fatal(err)
	}
	if a.RubricStatus != coach.RubricDraft || !slices.Contains(a.Warnings, coach.DraftRubricWarning) || len(a.KeyPoints) == 0 {
		t.Errorf("rubric %q, warnings %v, %d key points; want drafts, labelled", a.RubricStatus, a.Warnings, len(a.KeyPoints))
	}
	stored, err := s.Attempt(ctx, a.ID)
	if err != nil {
		t.Fatal(err)
	}
	if stored.RubricStatus != coach.RubricDraft || stored.RubricVersion != a.RubricVersion || stored.RubricVersion == 0 {
		t.Errorf("stored attempt: rubric %q version %d; graded: %q version %d", stored.RubricStatus, stored.RubricVersion, a.RubricStatus, a.RubricVersion)
	}
}
