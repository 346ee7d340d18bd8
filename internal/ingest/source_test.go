package ingest_test

import (
	"context"
	"encoding/json"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5"

	"github.com/interviewcoach/coach/internal/bank"
	"github.com/interviewcoach/coach/internal/coach"
	"github.com/interviewcoach/coach/internal/ingest"
	"github.com/interviewcoach/coach/internal/localembed"
	"github.com/interviewcoach/coach/internal/postgres/pgtest"
)

// A document imported from a path on the server is known by its base name, its title and its URL:
// the path reaches no question, search result or bank export.
func TestSourcesNeverShowAServerPath(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db, im := setup(t)
	if _, err := im.Import(ctx, bank.Name, bank.Django(), nil); err != nil {
		t.Fatal(err)
	}
	const dir = "/srv/private/uploads/"
	page := `<html><head><title>Flask questions</title><link rel="canonical" href="https://example.org/flask"></head><body>
<h2>What is a Flask blueprint?</h2><p>A blueprint groups the views, templates and static files of one part of an application, registered on the app with a URL prefix.</p></body></html>`
	if _, err := im.Import(ctx, dir+"flask.html", []byte(page), nil); err != nil {
		t.Fatal(err)
	}
	text := "What is a WSGI server?\n\nA WSGI server such as gunicorn runs the Python application and hands it each HTTP request through the WSGI interface.\n"
	if _, err := im.ImportAs(ctx, ingest.SourceInfo{Name: dir + "notes.txt", Title: "Deployment notes", URL: "https://example.org/notes"}, []byte(text), nil); err != nil {
		t.Fatal(err)
	}

	check := func(what string, v any) {
		t.Helper()
		data, _ := json.Marshal(v)
		if strings.Contains(string(data), "/srv/") {
			t.Errorf("%s names a server path: %.300s", what, data)
		}
	}
	for _, tt := range []struct{ query, source, url string }{
		{"blueprint", "Flask questions", "https://example.org/flask"},
		{"WSGI server", "Deployment notes", "https://example.org/notes"},
	} {
		qs, _, err := db.Questions(ctx, coach.QuestionFilter{Query: tt.query, Limit: 1})
		if err != nil || len(qs) != 1 {
			t.Fatalf("%s: %v %v", tt.query, qs, err)
		}
		q, err := db.Question(ctx, qs[0].ID)
		if err != nil {
			t.Fatal(err)
		}
		check("question "+q.ID, q)
		if ref := q.References[0]; ref.Source != tt.source || ref.SourceURL != tt.url {
			t.Errorf("%s: source %q %q, want %q %q", tt.query, ref.Source, ref.SourceURL, tt.source, tt.url)
		}
		if q.Difficulty != "" {
			t.Errorf("%s: difficulty %q; the page says none", tt.query, q.Difficulty)
		}
		vecs, err := im.Embedder.Embed(ctx, []string{q.Text})
		if err != nil {
			t.Fatal(err)
		}
		hits, err := db.Search(ctx, im.Embedder.Model(), vecs[0], 5, "")
		if err != nil {
			t.Fatal(err)
		}
		check("search", hits)
	}
	f, err := db.ExportBank(ctx)
	if err != nil {
		t.Fatal(err)
	}
	check("export", f)
}

func TestClearTopic(t *testing.T) {
	t.Parallel()
	m := func(topic string, sim float64) coach.QuestionMatch {
		return coach.QuestionMatch{Question: coach.Question{TopicID: topic}, Similarity: sim}
	}
	for _, tt := range []struct {
		name    string
		matches []coach.QuestionMatch
		want    string
	}{
		{"none", nil, ""},
		{"too far", []coach.QuestionMatch{m("orm", 0.40)}, ""},
		{"alone", []coach.QuestionMatch{m("orm", 0.60)}, "orm"},
		{"two of three agree", []coach.QuestionMatch{m("orm", 0.60), m("security", 0.599), m("orm", 0.58)}, "orm"},
		{"clear margin", []coach.QuestionMatch{m("orm", 0.60), m("security", 0.54)}, "orm"},
		{"a close call", []coach.QuestionMatch{m("orm", 0.60), m("security", 0.58), m("views", 0.57)}, ""},
		{"unsorted sorts nothing", []coach.QuestionMatch{m(ingest.DefaultTopic, 0.9)}, ""},
		{"unsorted left out", []coach.QuestionMatch{m(ingest.DefaultTopic, 0.9), m("orm", 0.6), m("orm", 0.55)}, "orm"},
	} {
		if got := ingest.ClearTopic(tt.matches); got != tt.want {
			t.Errorf("%s: %q, want %q", tt.name, got, tt.want)
		}
	}
}

// Sources stored under a path by earlier versions are still shown without it.
func TestOldSourcePathsAreCut(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db, url := pgtest.NewWithURL(t)
	im := &ingest.Importer{Store: db, Embedder: localembed.New(localembed.DefaultDimensions)}
	text := "What is a WSGI server?\n\nA WSGI server such as gunicorn runs the Python application and hands it each HTTP request.\n"
	if _, err := im.ImportAs(ctx, ingest.SourceInfo{Name: "notes.txt"}, []byte(text), nil); err != nil {
		t.Fatal(err)
	}
	conn, err := pgx.Connect(ctx, url)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(ctx)
	if _, err := conn.Exec(ctx, `UPDATE sources SET name = '/srv/old/notes.txt', title = '' WHERE name = 'notes.txt'`); err != nil {
		t.Fatal(err)
	}
	qs, _, err := db.Questions(ctx, coach.QuestionFilter{Query: "WSGI server", Limit: 1})
	if err != nil || len(qs) != 1 {
		t.Fatalf("%v %v", qs, err)
	}
	q, err := db.Question(ctx, qs[0].ID)
	if err != nil {
		t.Fatal(err)
	}
	if got := q.References[0].Source; got != "notes.txt" {
		t.Errorf("source shown as %q, want notes.txt", got)
	}
}
