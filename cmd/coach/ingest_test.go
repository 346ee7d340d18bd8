package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/interviewcoach/coach/internal/coach"
	"github.com/interviewcoach/coach/internal/postgres"
	"github.com/interviewcoach/coach/internal/postgres/pgtest"
)

// notesToImport gives a test a migrated database (and the variables naming it) and a text file
// of one question and its answer.
func notesToImport(t *testing.T) (db *postgres.DB, vars map[string]string, notes, text string) {
	t.Helper()
	db, url := pgtest.NewWithURL(t)
	vars = map[string]string{"DATABASE_URL": url, "COACH_LOG_LEVEL": "warn"}
	if _, _, err := program(t, vars, "", "migrate"); err != nil {
		t.Fatal(err)
	}
	notes = filepath.Join(t.TempDir(), "notes.txt")
	text = "What is a WSGI server?\n\nA WSGI server such as gunicorn runs the Python application and hands it each HTTP request.\n"
	if err := os.WriteFile(notes, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	return db, vars, notes, text
}

// coach ingest names sources without their path, takes --source-name/--source-url for one text
// file, and ends with what waits for review.
func TestIngestReportsWhatToReview(t *testing.T) {
	t.Parallel()
	db, vars, notes, text := notesToImport(t)
	if _, _, err := program(t, vars, "", "ingest", "--builtin"); err != nil {
		t.Fatal(err)
	}
	dir := filepath.Dir(notes)
	other := filepath.Join(dir, "other.txt")
	if err := os.WriteFile(other, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}

	for _, tt := range []struct {
		args []string
		want string
	}{
		{[]string{"--source-name", "Notes", notes, other}, "exactly one input"},
		{[]string{"--source-url", "file:///etc/passwd", notes}, "--source-url"},
	} {
		if _, _, err := program(t, vars, "", append([]string{"ingest"}, tt.args...)...); err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("ingest %v: %v, want an error naming %q", tt.args, err, tt.want)
		}
	}

	out, _, err := program(t, vars, "", "ingest", "--source-name", "Deployment notes", "--source-url", "https://example.org/notes", notes)
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(out, dir) {
		t.Errorf("the output names the file's path:\n%s", out)
	}
	for _, want := range []string{"new drafts wait for review", "To review", "no approved rubric", "What is a WSGI server?"} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
	qs, _, err := db.Questions(t.Context(), questionFilter("WSGI server"))
	var id string
	for _, q := range qs {
		if q.Text == "What is a WSGI server?" {
			id = q.ID
		}
	}
	if err != nil || id == "" {
		t.Fatalf("imported question not found: %v %v", qs, err)
	}
	q, err := db.Question(t.Context(), id)
	if err != nil {
		t.Fatal(err)
	}
	if ref := q.References[0]; ref.Source != "Deployment notes" || ref.SourceURL != "https://example.org/notes" {
		t.Errorf("source %q %q", ref.Source, ref.SourceURL)
	}

	out, _, err = program(t, vars, "", "ingest", "--json", other)
	if err != nil {
		t.Fatal(err)
	}
	var sum struct {
		Duplicates int
		Review     struct {
			WithoutRubric []struct{ ID string } `json:"without_rubric"`
		}
	}
	if err := json.Unmarshal([]byte(out), &sum); err != nil || sum.Duplicates != 1 || len(sum.Review.WithoutRubric) != 1 {
		t.Errorf("--json: %+v %v\n%s", sum, err, out)
	}
}

func questionFilter(query string) coach.QuestionFilter {
	return coach.QuestionFilter{Query: query, Limit: 5}
}
