package ingest_test

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"unicode/utf8"

	"github.com/interviewcoach/coach/internal/bank"
	"github.com/interviewcoach/coach/internal/coach"
	"github.com/interviewcoach/coach/internal/ingest"
	"github.com/interviewcoach/coach/internal/localembed"
	"github.com/interviewcoach/coach/internal/openai"
	"github.com/interviewcoach/coach/internal/openai/openaitest"
	"github.com/interviewcoach/coach/internal/postgres"
	"github.com/interviewcoach/coach/internal/postgres/pgtest"
	"github.com/interviewcoach/coach/internal/retrieve"
)

func setup(t *testing.T) (*postgres.DB, *ingest.Importer) {
	t.Helper()
	db := pgtest.New(t)
	return db, &ingest.Importer{Store: db, Embedder: localembed.New(localembed.DefaultDimensions)}
}

// seedsDir finds ../shared/seeds beside the repository.
func seedsDir(t *testing.T) string {
	t.Helper()
	dir, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	for {
		candidate := filepath.Join(dir, "..", "shared", "seeds")
		if st, err := os.Stat(candidate); err == nil && st.IsDir() {
			return candidate
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			t.Fatal("shared/seeds not found beside the repository: the importer tests need the seed pages")
		}
		dir = parent
	}
}

func TestImportBuiltinIsIdempotent(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db, im := setup(t)
	first, err := im.Import(ctx, bank.Name, bank.Django(), nil)
	if err != nil {
		t.Fatal(err)
	}
	if first.Questions < 90 || first.References != first.Questions || first.Duplicates != 0 || first.KeyPoints < 3*first.Questions {
		t.Fatalf("first import: %+v", first)
	}
	n, err := db.CountQuestions(ctx)
	if err != nil || n != first.Questions {
		t.Fatalf("CountQuestions = %d, %v", n, err)
	}
	second, err := im.Import(ctx, bank.Name, bank.Django(), nil)
	if err != nil {
		t.Fatal(err)
	}
	if second.Questions != 0 || second.References != 0 || second.Duplicates != first.References {
		t.Fatalf("second import changed something: %+v", second)
	}
	q, err := db.Question(ctx, "orm-select-related-prefetch")
	if err != nil {
		t.Fatal(err)
	}
	if len(q.References) != 1 || q.References[0].KeyPoints[0].Origin != coach.KeyPointAuthored || q.TopicID != "orm" {
		t.Errorf("bundled question: %+v", q)
	}
}

// TestParaphrasedSearch checks that a question worded nothing like the bank finds the right answer.
func TestParaphrasedSearch(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db, im := setup(t)
	if _, err := im.Import(ctx, bank.Name, bank.Django(), nil); err != nil {
		t.Fatal(err)
	}
	r := &retrieve.Retriever{Store: db, Embedder: im.Embedder}
	results, err := r.Search(ctx, "why does my page fire one query per row when I print each book's author?", 3, "")
	if err != nil {
		t.Fatal(err)
	}
	found := false
	for _, res := range results {
		if res.QuestionID == "orm-n-plus-one" || res.QuestionID == "orm-select-related-prefetch" {
			found = true
		}
	}
	if !found {
		t.Errorf("top 3 lacks the N+1 / select_related answer: %+v", results)
	}
}

func TestImportSeedPages(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db, im := setup(t)
	if _, err := im.Import(ctx, bank.Name, bank.Django(), nil); err != nil {
		t.Fatal(err)
	}
	dir := seedsDir(t)
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	total := &ingest.Summary{}
	for _, e := range entries {
		data, err := os.ReadFile(filepath.Join(dir, e.Name()))
		if err != nil {
			t.Fatal(err)
		}
		sum, err := im.Import(ctx, e.Name(), data, nil)
		if err != nil {
			t.Fatalf("%s: %v", e.Name(), err)
		}
		total.Add(sum)
	}
	t.Logf("seed pages: %+v", *total)
	if total.Files != 5 || total.References == 0 || total.Merged == 0 || total.Questions == 0 {
		t.Errorf("summary: %+v", total)
	}
	if total.OrphansAttached+total.OrphansKept == 0 {
		t.Errorf("the page of answers without questions gave no orphans: %+v", total)
	}

	// The pages' select_related vs prefetch_related question is the bank's, now with more sources.
	q, err := db.Question(ctx, "orm-select-related-prefetch")
	if err != nil {
		t.Fatal(err)
	}
	if len(q.References) < 2 {
		t.Errorf("select_related question has %d references, want the bank's and the pages'", len(q.References))
	}
	for _, ref := range q.References[1:] {
		if !strings.Contains(ref.Text, "select_related") || !strings.Contains(ref.Text, "prefetch_related") || ref.Source == bank.Name {
			t.Errorf("merged reference from %s does not answer the question: %.200q", ref.Source, ref.Text)
		}
	}

	// Importing the pages again changes nothing.
	for _, e := range entries {
		data, _ := os.ReadFile(filepath.Join(dir, e.Name()))
		sum, err := im.Import(ctx, e.Name(), data, nil)
		if err != nil {
			t.Fatal(err)
		}
		if sum.References != 0 || sum.Questions != 0 {
			t.Errorf("%s re-imported: %+v", e.Name(), sum)
		}
	}
}

func TestBadInputKeepsWhatIsStored(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db, im := setup(t)
	good := "questions:\n  - question: What is a QuerySet?\n    answer: A lazy, chainable database query that runs when iterated.\n"
	if _, err := im.Import(ctx, "good.yaml", []byte(good), nil); err != nil {
		t.Fatal(err)
	}
	for name, data := range map[string][]byte{
		"empty.md":   nil,
		"binary.txt": {0x00, 0x01, 0x02, 0xff, 0x00, 'P', 'K', 0x03, 0x04},
		"bad.yaml":   []byte("questions: [\n  - question: x\n"),
		"huge.txt":   []byte(strings.Repeat("What is Django?\nA web framework.\n\n", 11<<20/32)),
	} {
		_, err := im.Import(ctx, name, data, nil)
		if coach.ErrorCode(err) != coach.EINVALID || !strings.Contains(err.Error(), name) {
			t.Errorf("%s: err %v, want an invalid-input error naming the file", name, err)
		}
	}
	n, err := db.CountQuestions(ctx)
	if err != nil || n != 1 {
		t.Errorf("after bad inputs: %d questions, %v", n, err)
	}
}

func TestChunkKeepsCodeWhole(t *testing.T) {
	t.Parallel()
	long := strings.Repeat("word ", 150)
	answer := long + "\n\n```python\nfor b in Book.objects.all():\n\n    print(b.author)\n```\n\n" + long
	chunks := ingest.Chunk(answer)
	if len(chunks) < 2 {
		t.Fatalf("chunks = %d", len(chunks))
	}
	for _, c := range chunks {
		if strings.Count(c, "```")%2 != 0 {
			t.Errorf("chunk splits a code block: %q", c)
		}
	}
	if got := strings.Join(chunks, "\n\n"); got != strings.TrimSpace(answer) {
		t.Error("chunks lose text")
	}
}

// renamed is an embedder under another model name, as after switching embedding models.
type renamed struct {
	coach.Embedder
	model string
}

func (r renamed) Model() string { return r.model }

// TestNewModelStillFindsDuplicates switches the embedding model between two imports: CatchUp embeds
// the bank with the new model first, so the second import still merges into the stored question.
func TestNewModelStillFindsDuplicates(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db, im := setup(t)
	if _, err := im.Import(ctx, bank.Name, bank.Django(), nil); err != nil {
		t.Fatal(err)
	}
	im.Embedder = renamed{im.Embedder, "local-renamed"}
	caughtUp, err := ingest.CatchUp(ctx, db, im.Embedder, nil)
	if err != nil || !caughtUp {
		t.Fatalf("CatchUp = %v, %v; want a reindex", caughtUp, err)
	}
	if again, err := ingest.CatchUp(ctx, db, im.Embedder, nil); err != nil || again {
		t.Fatalf("second CatchUp = %v, %v; want nothing to do", again, err)
	}
	page := "Question: What's the difference between select_related and prefetch_related in Django?\n" +
		"Answer: select_related follows foreign keys with a SQL join; prefetch_related runs one more query per relation and joins in Python.\n"
	sum, err := im.Import(ctx, "page.txt", []byte(page), nil)
	if err != nil {
		t.Fatal(err)
	}
	if sum.Questions != 0 || sum.Merged != 1 {
		t.Errorf("import under the new model: %+v; want the reference merged into the stored question", sum)
	}
}

// TestLanguageModelWritesKeyPoints imports a page with a model configured: the model, reached over
// HTTP, writes the key points of references that have none, and authored key points still win.
func TestLanguageModelWritesKeyPoints(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	var calls atomic.Int32
	model := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		calls.Add(1)
		var req struct {
			Model    string `json:"model"`
			Messages []struct{ Content string }
		}
		if err := json.NewDecoder(r.Body).Decode(&req); err != nil || r.URL.Path != "/v1/chat/completions" || req.Model != "kp-model" {
			t.Errorf("unexpected request to %s: %+v, %v", r.URL.Path, req, err)
		}
		openaitest.WriteCompletion(w, `{"key_points": ["CSRF tokens guard unsafe requests.", "The token is checked against a cookie.", "Templates add it with the csrf_token tag."]}`)
	}))
	defer model.Close()
	client, err := openai.New(openai.Config{BaseURL: model.URL + "/v1", APIKey: "k", ChatModel: "kp-model"}, nil)
	if err != nil {
		t.Fatal(err)
	}
	db, im := setup(t)
	im.Extractor = client
	page := "Question: How does Django stop cross-site request forgery?\n" +
		"Answer: Its middleware checks a secret token on every POST, PUT and DELETE request against the csrftoken cookie.\n"
	if _, err := im.Import(ctx, "csrf.txt", []byte(page), nil); err != nil {
		t.Fatal(err)
	}
	authored := "questions:\n  - question: What is a QuerySet?\n    answer: A lazy query.\n    key_points: [\"QuerySets are lazy\"]\n"
	if _, err := im.Import(ctx, "bank.yaml", []byte(authored), nil); err != nil {
		t.Fatal(err)
	}
	if calls.Load() != 1 {
		t.Errorf("model called %d times, want once (authored key points need no model)", calls.Load())
	}
	matches, _, err := db.Questions(ctx, coach.QuestionFilter{Query: "forgery", Limit: 5})
	if err != nil || len(matches) != 1 {
		t.Fatalf("imported question not found: %v %v", matches, err)
	}
	q, err := db.Question(ctx, matches[0].ID)
	if err != nil {
		t.Fatal(err)
	}
	kps := q.References[0].KeyPoints
	if len(kps) != 3 || kps[0].Origin != coach.KeyPointLLM || kps[2].Text != "Templates add it with the csrf_token tag." {
		t.Errorf("key points = %+v, want the model's three", kps)
	}
}

// TestReusedQuestionIDIsAConflict imports a bank whose question id is already taken by a question
// of another text (its text was edited, say): a conflict naming the id, not an internal error.
func TestReusedQuestionIDIsAConflict(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db, im := setup(t)
	first := `- id: reused-id
  topic: caching
  question: How does Redis persist data to disk?
  answer: With RDB snapshots taken at intervals and an append-only file that logs every write.
`
	if _, err := im.Import(ctx, "first.yaml", []byte(first), nil); err != nil {
		t.Fatal(err)
	}
	second := `- id: reused-id
  topic: caching
  question: What is a Bloom filter good for?
  answer: Testing set membership in little memory, with false positives but no false negatives.
`
	_, err := im.Import(ctx, "second.yaml", []byte(second), nil)
	if coach.ErrorCode(err) != coach.ECONFLICT || !strings.Contains(coach.ErrorMessage(err), "reused-id") {
		t.Fatalf("reused id: %v (code %s); want a conflict naming the id", err, coach.ErrorCode(err))
	}
	q, err := db.Question(ctx, "reused-id")
	if err != nil || !strings.Contains(q.Text, "Redis") {
		t.Errorf("the stored question changed: %+v, %v", q, err)
	}
}

func TestChunkBoundsPassages(t *testing.T) {
	t.Parallel()
	for name, answer := range map[string]string{
		"no sentence break": strings.Repeat("queryset ", 3000),
		"long code block":   "```\n" + strings.Repeat("x = 1  # set x\n", 400) + "```",
		"one long sentence": strings.Repeat("select_related joins, ", 500) + "and that is all.",
	} {
		chunks := ingest.Chunk(answer)
		if len(chunks) < 2 {
			t.Errorf("%s: %d passages", name, len(chunks))
		}
		for _, c := range chunks {
			if n := utf8.RuneCountInString(c); n > ingest.MaxPassageChars {
				t.Errorf("%s: a passage of %d characters", name, n)
			}
		}
		if got, want := strings.Join(strings.Fields(strings.Join(chunks, " ")), " "), strings.Join(strings.Fields(answer), " "); got != want {
			t.Errorf("%s: passages lose text", name)
		}
	}
}
