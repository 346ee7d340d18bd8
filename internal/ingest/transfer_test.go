package ingest_test

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/interviewcoach/coach/internal/bank"
	"github.com/interviewcoach/coach/internal/coach"
	"github.com/interviewcoach/coach/internal/ingest"
	"github.com/interviewcoach/coach/internal/postgres"
	"github.com/interviewcoach/coach/internal/retrieve"
)

// fixedExtractor writes the same two key points for every answer, standing in for the model.
type fixedExtractor struct{}

func (fixedExtractor) ExtractKeyPoints(context.Context, string, string) ([]string, error) {
	return []string{"The model's first point", "The model's second point"}, nil
}

// fullBank fills db with every kind of content: the bundled bank (authored key points), the seed
// pages (extracted key points, references merged from several sources, orphans) and a page whose key
// points come from the "model".
func fullBank(t *testing.T, db *postgres.DB, im *ingest.Importer) {
	t.Helper()
	ctx := context.Background()
	if _, err := im.Import(ctx, bank.Name, bank.Django(), nil); err != nil {
		t.Fatal(err)
	}
	dir := seedsDir(t)
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		data, err := os.ReadFile(filepath.Join(dir, e.Name()))
		if err != nil {
			t.Fatal(err)
		}
		if _, err := im.Import(ctx, e.Name(), data, nil); err != nil {
			t.Fatal(err)
		}
	}
	withModel := *im
	withModel.Extractor = fixedExtractor{}
	page := "Q: What does a Celery beat schedule store?\nA: Periodic task definitions, read by the beat process that sends them to the broker on time.\n"
	if _, err := withModel.Import(ctx, "beat.md", []byte(page), nil); err != nil {
		t.Fatal(err)
	}
}

// TestBankRoundTrip exports a bank, imports the file into a fresh database and exports that: the
// two files must be the same bytes, and the copy must be searchable with vectors of its own.
func TestBankRoundTrip(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	src, im := setup(t)
	fullBank(t, src, im)
	var first bytes.Buffer
	if err := ingest.ExportBank(ctx, src, &first); err != nil {
		t.Fatal(err)
	}
	f, err := ingest.ReadBank(bytes.NewReader(first.Bytes()))
	if err != nil {
		t.Fatal(err)
	}
	origins := map[string]int{}
	references := len(f.Orphans)
	keyPoints := 0
	merged := 0
	for _, q := range f.Questions {
		references += len(q.References)
		if len(q.References) > 1 {
			merged++
		}
		for _, r := range q.References {
			keyPoints += len(r.KeyPoints)
			for _, kp := range r.KeyPoints {
				origins[kp.Origin]++
			}
		}
	}
	if len(f.Orphans) == 0 || merged == 0 || origins[coach.KeyPointAuthored] == 0 || origins[coach.KeyPointExtracted] == 0 || origins[coach.KeyPointLLM] == 0 {
		t.Fatalf("the bank lacks some kind of content: %d orphans, %d merged questions, origins %v", len(f.Orphans), merged, origins)
	}

	dst, dstIm := setup(t)
	sum, err := ingest.ImportBank(ctx, dst, dstIm.Embedder, f)
	if err != nil {
		t.Fatal(err)
	}
	if sum.Topics != len(f.Topics) || sum.Sources != len(f.Sources) || sum.Questions != len(f.Questions) ||
		sum.References != references || sum.KeyPoints < keyPoints || sum.Existing != 0 {
		t.Errorf("import = %+v; the file has %d topics, %d sources, %d questions, %d references",
			sum, len(f.Topics), len(f.Sources), len(f.Questions), references)
	}
	var second bytes.Buffer
	if err := ingest.ExportBank(ctx, dst, &second); err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(first.Bytes(), second.Bytes()) {
		a, b := first.String(), second.String()
		i := 0
		for i < len(a) && i < len(b) && a[i] == b[i] {
			i++
		}
		t.Fatalf("the round trip changed the bank at byte %d:\n%.300s\n---\n%.300s", i, a[max(0, i-100):], b[max(0, i-100):])
	}

	// The copy has vectors of its own embedder and answers searches as the original does.
	total, embedded, err := dst.CountPassages(ctx, dstIm.Embedder.Model())
	if err != nil || total == 0 || embedded != total {
		t.Errorf("passages: %d, with vectors: %d, %v", total, embedded, err)
	}
	query := "why does my page fire one query per row when I print each book's author?"
	want, _ := (&retrieve.Retriever{Store: src, Embedder: im.Embedder}).Search(ctx, query, 5, "")
	got, err := (&retrieve.Retriever{Store: dst, Embedder: dstIm.Embedder}).Search(ctx, query, 5, "")
	if err != nil || len(got) != len(want) {
		t.Fatalf("search in the copy: %d results, %v", len(got), err)
	}
	for i := range want {
		if got[i].ReferenceID != want[i].ReferenceID || got[i].Text != want[i].Text {
			t.Errorf("result %d = %s, want %s", i, got[i].ReferenceID, want[i].ReferenceID)
		}
	}

	// Importing again adds nothing and changes nothing.
	again, err := ingest.ImportBank(ctx, dst, dstIm.Embedder, f)
	if err != nil || again.Questions != 0 || again.References != 0 || again.Existing != references {
		t.Errorf("second import = %+v, %v", again, err)
	}
	var third bytes.Buffer
	if err := ingest.ExportBank(ctx, dst, &third); err != nil || !bytes.Equal(third.Bytes(), first.Bytes()) {
		t.Errorf("a second import changed the bank (%v)", err)
	}
}

func TestReadBankRefusesBadFiles(t *testing.T) {
	t.Parallel()
	good := func() map[string]any {
		return map[string]any{
			"format": "coach-bank", "version": 1,
			"topics":  []any{map[string]any{"id": "orm", "name": "ORM", "created_at": "2024-01-01T00:00:00Z"}},
			"sources": []any{map[string]any{"name": "a.yaml", "format": "yaml", "title": "", "content_hash": "h", "imported_at": "2024-01-01T00:00:00Z"}},
			"questions": []any{map[string]any{
				"id": "q1", "topic": "orm", "text": "What?", "difficulty": "easy", "tags": []any{}, "created_at": "2024-01-01T00:00:00Z",
				"references": []any{map[string]any{
					"id": "r1", "source": "a.yaml", "location": "", "text": "This.", "content_hash": "c1", "created_at": "2024-01-01T00:00:00Z",
					"key_points": []any{map[string]any{"id": "r1-k1", "ordinal": 1, "text": "This", "origin": "authored"}},
					"passages":   []any{"This."},
				}},
			}},
			"orphans": []any{},
		}
	}
	q := func(m map[string]any) map[string]any { return m["questions"].([]any)[0].(map[string]any) }
	ref := func(m map[string]any) map[string]any { return q(m)["references"].([]any)[0].(map[string]any) }
	kp := func(m map[string]any) map[string]any { return ref(m)["key_points"].([]any)[0].(map[string]any) }
	for _, tt := range []struct {
		name    string
		change  func(m map[string]any)
		message string
	}{
		{"valid", func(map[string]any) {}, ""},
		{"another format", func(m map[string]any) { m["format"] = "anki" }, "coach-bank"},
		{"a later version", func(m map[string]any) { m["version"] = 3 }, "version 3"},
		{"an unknown field", func(m map[string]any) { m["embeddings"] = []any{} }, "embeddings"},
		{"a topic not in the file", func(m map[string]any) { q(m)["topic"] = "forms" }, `"forms"`},
		{"a bad difficulty", func(m map[string]any) { q(m)["difficulty"] = "extreme" }, "extreme"},
		{"a source not in the file", func(m map[string]any) { ref(m)["source"] = "b.yaml" }, `"b.yaml"`},
		{"a bad origin", func(m map[string]any) { kp(m)["origin"] = "guess" }, "guess"},
		{"a zero ordinal", func(m map[string]any) { kp(m)["ordinal"] = 0 }, "ordinal"},
		{"a question twice", func(m map[string]any) { m["questions"] = append(m["questions"].([]any), q(m)) }, "q1 appears twice"},
		{"a wrong type", func(m map[string]any) { q(m)["tags"] = "orm" }, "tags"},
	} {
		m := good()
		tt.change(m)
		data, _ := json.Marshal(m)
		_, err := ingest.ReadBank(bytes.NewReader(data))
		if tt.message == "" {
			if err != nil {
				t.Errorf("%s: %v", tt.name, err)
			}
			continue
		}
		if coach.ErrorCode(err) != coach.EINVALID || !strings.Contains(coach.ErrorMessage(err), tt.message) {
			t.Errorf("%s: err %v, want invalid naming %s", tt.name, err, tt.message)
		}
	}
	for _, data := range []string{"", "{", `{"format": "coach-bank"} {}`} {
		if _, err := ingest.ReadBank(strings.NewReader(data)); coach.ErrorCode(err) != coach.EINVALID {
			t.Errorf("%q: err %v", data, err)
		}
	}
}

// TestImportBankIsAllOrNothing imports a file whose last question collides with the bank's: nothing
// of it may be stored.
func TestImportBankIsAllOrNothing(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db, im := setup(t)
	if _, err := im.Import(ctx, bank.Name, bank.Django(), nil); err != nil {
		t.Fatal(err)
	}
	before, err := db.CountQuestions(ctx)
	if err != nil {
		t.Fatal(err)
	}
	stored, err := db.Question(ctx, "orm-n-plus-one")
	if err != nil {
		t.Fatal(err)
	}
	f := &coach.BankFile{
		Format: coach.BankFormat, Version: coach.BankVersion,
		Topics:  []coach.BankTopic{{ID: "new-topic", Name: "New"}},
		Sources: []coach.BankSource{{Name: "new.yaml", Format: "yaml", ContentHash: "h"}},
		Questions: []coach.BankQuestion{
			{ID: "new-question", Topic: "new-topic", Text: "A question nobody asked?", Difficulty: "easy"},
			{ID: "copy-of-n-plus-one", Topic: "new-topic", Text: stored.Text, Difficulty: "easy"},
		},
	}
	_, err = ingest.ImportBank(ctx, db, im.Embedder, f)
	if coach.ErrorCode(err) != coach.ECONFLICT || !strings.Contains(coach.ErrorMessage(err), "copy-of-n-plus-one") {
		t.Fatalf("err = %v, want a conflict naming the question", err)
	}
	after, _ := db.CountQuestions(ctx)
	if ok, _ := db.TopicExists(ctx, "new-topic"); after != before || ok {
		t.Errorf("a failed import stored something: %d questions (was %d), new topic %v", after, before, ok)
	}
}

func TestImportAllChecksEveryFileFirst(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db, im := setup(t)
	good := "questions:\n  - question: What is a QuerySet?\n    answer: A lazy, chainable database query.\n"
	_, err := im.ImportAll(ctx, []coach.Document{{Name: "good.yaml", Data: []byte(good)}, {Name: "bad.bin", Data: []byte{0, 1, 2, 0xff, 0}}})
	if coach.ErrorCode(err) != coach.EINVALID || !strings.Contains(err.Error(), "bad.bin") {
		t.Errorf("err = %v, want invalid naming bad.bin", err)
	}
	if n, _ := db.CountQuestions(ctx); n != 0 {
		t.Errorf("the good file was stored although the batch failed: %d questions", n)
	}
	sum, err := im.ImportAll(ctx, []coach.Document{{Name: "good.yaml", Data: []byte(good)}})
	if err != nil || sum.Questions != 1 || sum.Skipped == nil || sum.Failed == nil {
		t.Errorf("ImportAll = %+v, %v", sum, err)
	}
	if _, err := im.ImportAll(ctx, nil); coach.ErrorCode(err) != coach.EINVALID {
		t.Errorf("no documents: %v", err)
	}
}

// A version 1 bank file (before key points had a review status) is still read: its authored key
// points make the rubric, the others arrive as drafts.
func TestVersion1BankFile(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	src, im := setup(t)
	fullBank(t, src, im)
	var out bytes.Buffer
	if err := ingest.ExportBank(ctx, src, &out); err != nil {
		t.Fatal(err)
	}
	var raw map[string]any
	if err := json.Unmarshal(out.Bytes(), &raw); err != nil {
		t.Fatal(err)
	}
	raw["version"] = 1
	for _, q := range raw["questions"].([]any) {
		delete(q.(map[string]any), "rubric_version")
		for _, r := range q.(map[string]any)["references"].([]any) {
			for _, kp := range r.(map[string]any)["key_points"].([]any) {
				delete(kp.(map[string]any), "status")
				delete(kp.(map[string]any), "weight")
			}
		}
	}
	data, _ := json.Marshal(raw)
	f, err := ingest.ReadBank(bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	dst, dstIm := setup(t)
	if _, err := ingest.ImportBank(ctx, dst, dstIm.Embedder, f); err != nil {
		t.Fatal(err)
	}
	back, err := dst.ExportBank(ctx)
	if err != nil {
		t.Fatal(err)
	}
	counts := map[string]int{}
	for _, q := range back.Questions {
		for _, r := range q.References {
			for _, kp := range r.KeyPoints {
				counts[kp.Origin+" "+kp.Status]++
				if kp.Weight != coach.WeightCore {
					t.Errorf("key point %s: weight %v, want core", kp.ID, kp.Weight)
				}
			}
		}
	}
	if counts["authored approved"] == 0 || counts["extracted draft"] == 0 || counts["llm draft"] == 0 ||
		counts["authored draft"]+counts["extracted approved"]+counts["llm approved"] != 0 {
		t.Errorf("statuses after a version 1 import: %v", counts)
	}
}
