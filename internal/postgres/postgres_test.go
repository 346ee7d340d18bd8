package postgres_test

import (
	"context"
	"fmt"
	"math"
	"net/url"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5"

	"github.com/interviewcoach/coach/internal/coach"
	"github.com/interviewcoach/coach/internal/postgres"
	"github.com/interviewcoach/coach/internal/postgres/pgtest"
)

// vec returns a unit vector of dims dimensions pointing mostly along axis.
func vec(dims, axis int, tilt float32) []float32 {
	v := make([]float32, dims)
	v[axis%dims] = 1
	v[(axis+1)%dims] = tilt
	norm := float32(math.Sqrt(float64(1 + tilt*tilt)))
	for i := range v {
		v[i] /= norm
	}
	return v
}

func record(n int, model string, dims int) *coach.ImportRecord {
	refID := fmt.Sprintf("r-%d", n)
	return &coach.ImportRecord{
		Source: coach.Source{Name: "test.yaml", Format: "yaml", ContentHash: "h"},
		Topic:  coach.Topic{ID: "orm", Name: "ORM"},
		Question: &coach.Question{
			ID: fmt.Sprintf("q-%d", n), TopicID: "orm", Text: fmt.Sprintf("Question number %d?", n),
			Difficulty: coach.DifficultyMedium, Tags: []string{"t"},
		},
		NewQuestion:    true,
		QuestionKey:    fmt.Sprintf("question number %d", n),
		QuestionVector: vec(dims, n, 0.1),
		Reference: coach.Reference{
			ID: refID, Text: fmt.Sprintf("Answer %d.", n), Location: "line 1", ContentHash: fmt.Sprintf("hash-%d", n),
			KeyPoints: []coach.KeyPoint{
				{ID: refID + "-k1", ReferenceID: refID, Ordinal: 1, Text: "first point", Origin: coach.KeyPointAuthored},
				{ID: refID + "-k2", ReferenceID: refID, Ordinal: 2, Text: "second point", Origin: coach.KeyPointAuthored},
			},
		},
		Passages: []string{fmt.Sprintf("Answer %d.", n)},
		Vectors:  [][]float32{vec(dims, n, 0.2)},
		Model:    model,
	}
}

func TestMigrateAndSchemaStatus(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db := pgtest.New(t)
	current, latest, err := db.SchemaStatus(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if current != latest || latest < 2 {
		t.Fatalf("after migrate: current %d, latest %d", current, latest)
	}
	if err := db.CheckSchema(ctx); err != nil {
		t.Fatalf("CheckSchema: %v", err)
	}
	from, to, err := db.Migrate(ctx)
	if err != nil || from != to {
		t.Fatalf("second migrate: from %d to %d, err %v; want no change", from, to, err)
	}
}

func TestSaveReferenceIsIdempotent(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db := pgtest.New(t)
	const model, dims = "test-model", 8
	if err := db.EnsureVectorIndex(ctx, model, dims); err != nil {
		t.Fatal(err)
	}
	created, err := db.SaveReference(ctx, record(1, model, dims))
	if err != nil || !created {
		t.Fatalf("first save: created %v, err %v", created, err)
	}
	again := record(1, model, dims)
	again.NewQuestion = false // a second import finds the question and the reference's hash
	created, err = db.SaveReference(ctx, again)
	if err != nil || created {
		t.Fatalf("second save: created %v, err %v; want a silent duplicate", created, err)
	}
	q, err := db.Question(ctx, "q-1")
	if err != nil {
		t.Fatal(err)
	}
	if len(q.References) != 1 || len(q.References[0].KeyPoints) != 2 || q.References[0].Source != "test.yaml" {
		t.Fatalf("question: %+v", q)
	}
	if kp := q.References[0].KeyPoints[1]; kp.Text != "second point" || kp.Ordinal != 2 || kp.Origin != coach.KeyPointAuthored {
		t.Errorf("key point: %+v", kp)
	}
	exists, err := db.ReferenceExists(ctx, "hash-1")
	if err != nil || !exists {
		t.Errorf("ReferenceExists = %v, %v", exists, err)
	}
	if byKey, err := db.QuestionByKey(ctx, "question number 1"); err != nil || byKey.ID != "q-1" {
		t.Errorf("QuestionByKey = %v, %v", byKey, err)
	}
	if _, err := db.QuestionByKey(ctx, "no such question"); coach.ErrorCode(err) != coach.ENOTFOUND {
		t.Errorf("QuestionByKey(missing) error = %v, want not found", err)
	}
}

func TestSaveReferenceRollsBack(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db := pgtest.New(t)
	rec := record(2, "m", 4)
	rec.Reference.KeyPoints[1].ID = rec.Reference.KeyPoints[0].ID // violates the primary key mid-way
	if _, err := db.SaveReference(ctx, rec); err == nil {
		t.Fatal("want an error")
	}
	if _, err := db.Question(ctx, "q-2"); coach.ErrorCode(err) != coach.ENOTFOUND {
		t.Fatalf("question of a failed save exists: err %v", err)
	}
	if exists, _ := db.ReferenceExists(ctx, rec.Reference.ContentHash); exists {
		t.Fatal("reference of a failed save exists")
	}
}

func TestSearchKeepsModelsApart(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db := pgtest.New(t)
	for _, m := range []struct {
		name string
		dims int
	}{{"model-a", 8}, {"model-b", 4}} {
		if err := db.EnsureVectorIndex(ctx, m.name, m.dims); err != nil {
			t.Fatal(err)
		}
	}
	for n := 0; n < 6; n++ {
		if _, err := db.SaveReference(ctx, record(n, "model-a", 8)); err != nil {
			t.Fatal(err)
		}
	}
	got, err := db.Search(ctx, "model-a", vec(8, 3, 0.2), 3, "")
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 3 || got[0].QuestionID != "q-3" || got[0].Similarity < 0.99 {
		t.Fatalf("search: %+v", got)
	}
	if got[0].Similarity < got[1].Similarity || got[1].Similarity < got[2].Similarity {
		t.Errorf("results not ordered by similarity: %+v", got)
	}
	if other, err := db.Search(ctx, "model-b", vec(4, 3, 0.2), 3, ""); err != nil || len(other) != 0 {
		t.Errorf("model-b search found model-a vectors: %+v, %v", other, err)
	}
	if none, err := db.Search(ctx, "model-a", vec(8, 3, 0.2), 3, "security"); err != nil || len(none) != 0 {
		t.Errorf("topic filter: %+v, %v", none, err)
	}
	matches, err := db.NearestQuestions(ctx, "model-a", vec(8, 4, 0.1), 1)
	if err != nil || len(matches) != 1 || matches[0].Question.ID != "q-4" {
		t.Errorf("NearestQuestions: %+v, %v", matches, err)
	}
	if err := db.EnsureVectorIndex(ctx, "bad'; drop table questions; --", 8); coach.ErrorCode(err) != coach.EINVALID {
		t.Errorf("hostile model name: err %v", err)
	}
}

func TestReindexVectors(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db := pgtest.New(t)
	for n := 0; n < 3; n++ {
		if _, err := db.SaveReference(ctx, record(n, "old", 8)); err != nil {
			t.Fatal(err)
		}
	}
	total, embedded, err := db.CountPassages(ctx, "new")
	if err != nil || total != 3 || embedded != 0 {
		t.Fatalf("CountPassages(new) = %d, %d, %v", total, embedded, err)
	}
	page, err := db.PassagesPage(ctx, 0, 2)
	if err != nil || len(page) != 2 || page[0].Question == "" {
		t.Fatalf("PassagesPage: %+v, %v", page, err)
	}
	v := postgres.Vectors{PassageIDs: []int64{page[0].ID, page[1].ID}, Vectors: [][]float32{vec(4, 0, 0), vec(4, 1, 0)}}
	if err := db.SaveVectors(ctx, "new", v); err != nil {
		t.Fatal(err)
	}
	if err := db.SaveVectors(ctx, "new", v); err != nil { // replacing is fine
		t.Fatal(err)
	}
	if _, embedded, _ := db.CountPassages(ctx, "new"); embedded != 2 {
		t.Errorf("embedded = %d, want 2", embedded)
	}
}

func TestQuestionsPaginationAndFilters(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db := pgtest.New(t)
	for n := 0; n < 5; n++ {
		rec := record(n, "m", 4)
		if n == 4 {
			rec.Question.Difficulty = coach.DifficultyHard
			rec.Question.Text = "How does prefetching related objects work?"
			rec.QuestionKey = "how does prefetching related objects work"
		}
		if _, err := db.SaveReference(ctx, rec); err != nil {
			t.Fatal(err)
		}
	}
	var ids []string
	cursor := ""
	for pages := 0; pages < 10; pages++ {
		qs, next, err := db.Questions(ctx, coach.QuestionFilter{Limit: 2, After: cursor})
		if err != nil {
			t.Fatal(err)
		}
		for _, q := range qs {
			ids = append(ids, q.ID)
		}
		if next == "" {
			break
		}
		cursor = next
	}
	if fmt.Sprint(ids) != "[q-0 q-1 q-2 q-3 q-4]" {
		t.Errorf("paged ids = %v", ids)
	}
	hard, _, err := db.Questions(ctx, coach.QuestionFilter{Limit: 10, Difficulty: "hard"})
	if err != nil || len(hard) != 1 || hard[0].ID != "q-4" {
		t.Errorf("difficulty filter: %+v, %v", hard, err)
	}
	found, _, err := db.Questions(ctx, coach.QuestionFilter{Limit: 10, Query: "prefetch"})
	if err != nil || len(found) != 1 || found[0].ID != "q-4" {
		t.Errorf("text filter: %+v, %v", found, err)
	}
	for _, wildcard := range []string{"%", "_", `\`} {
		if got, _, err := db.Questions(ctx, coach.QuestionFilter{Limit: 10, Query: wildcard}); err != nil || len(got) != 0 {
			t.Errorf("query %q matched %d questions (%v); want it taken literally", wildcard, len(got), err)
		}
	}
	topics, err := db.Topics(ctx)
	if err != nil || len(topics) != 1 || topics[0].QuestionCount != 5 {
		t.Errorf("topics: %+v, %v", topics, err)
	}
}

func TestAttemptRoundTrip(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db := pgtest.New(t)
	if _, err := db.SaveReference(ctx, record(1, "m", 4)); err != nil {
		t.Fatal(err)
	}
	a := &coach.Attempt{
		ID: "a-1", QuestionID: "q-1", Question: "Question number 1?", Answer: "an answer", Score: 42,
		Band: coach.BandWeak, Grounded: true,
		KeyPoints:  []coach.Judgement{{KeyPointID: "r-1-k1", Status: coach.StatusCovered, Evidence: "an answer"}},
		References: []coach.RetrievedReference{{ID: "r-1", Similarity: 0.5}},
		Grader:     coach.GraderInfo{Kind: coach.GraderLLM, Model: "m", PromptVersion: "abc"},
		Usage:      coach.Usage{PromptTokens: 10, CompletionTokens: 5, TotalTokens: 15},
		Raw:        `{"raw":true}`, LatencyMS: 12,
	}
	if err := db.CreateAttempt(ctx, a); err != nil {
		t.Fatal(err)
	}
	got, err := db.Attempt(ctx, "a-1")
	if err != nil {
		t.Fatal(err)
	}
	if got.Score != 42 || got.KeyPoints[0].Evidence != "an answer" || got.Raw != `{"raw":true}` ||
		got.Grader.PromptVersion != "abc" || got.Usage.TotalTokens != 15 || got.CreatedAt.IsZero() {
		t.Errorf("attempt read back: %+v", got)
	}
	if _, err := db.Attempt(ctx, "a-missing"); coach.ErrorCode(err) != coach.ENOTFOUND {
		t.Errorf("missing attempt: err %v", err)
	}
}

// TestAttemptModelCall stores how the model was asked, in the attempt and in columns of its own: a
// reasoning model's call has no temperature or seed (NULL), a standard one has both, an offline
// grade none of it.
func TestAttemptModelCall(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db, url := pgtest.NewWithURL(t)
	temp, seed := 1.401298464324817e-45, 7
	for _, a := range []*coach.Attempt{
		{ID: "a-standard", ModelCall: &coach.ModelCall{ResponseFormat: "json_object", Temperature: &temp, Seed: &seed,
			MaxTokens: 4096, TokenParam: "max_tokens", SystemFingerprint: "fp_44709d6fcb", Requests: 2}},
		{ID: "a-reasoning", ModelCall: &coach.ModelCall{ResponseFormat: "json_schema", MaxTokens: 29096,
			TokenParam: "max_completion_tokens", ReasoningEffort: "low", Requests: 1}},
		{ID: "a-offline"},
	} {
		a.Question, a.Answer, a.Band, a.Grader = "q", "a", coach.BandWeak, coach.GraderInfo{Kind: coach.GraderLLM}
		if err := db.CreateAttempt(ctx, a); err != nil {
			t.Fatal(err)
		}
		got, err := db.Attempt(ctx, a.ID)
		if err != nil {
			t.Fatal(err)
		}
		if (got.ModelCall == nil) != (a.ModelCall == nil) || (a.ModelCall != nil && (got.ModelCall.ResponseFormat != a.ModelCall.ResponseFormat ||
			got.ModelCall.TokenParam != a.ModelCall.TokenParam || (got.ModelCall.Temperature == nil) != (a.ModelCall.Temperature == nil))) {
			t.Errorf("%s read back with model call %+v, want %+v", a.ID, got.ModelCall, a.ModelCall)
		}
	}

	conn, err := pgx.Connect(ctx, url)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(ctx)
	type row struct {
		format, fingerprint string
		temperature         *float64
		seed                *int64
		requests            int
	}
	want := map[string]row{
		"a-standard":  {"json_object", "fp_44709d6fcb", &temp, ptr(int64(seed)), 2},
		"a-reasoning": {"json_schema", "", nil, nil, 1},
		"a-offline":   {"", "", nil, nil, 0},
	}
	for id, w := range want {
		var r row
		if err := conn.QueryRow(ctx, `SELECT response_format, system_fingerprint, temperature, seed, model_requests
			FROM attempts WHERE id = $1`, id).Scan(&r.format, &r.fingerprint, &r.temperature, &r.seed, &r.requests); err != nil {
			t.Fatal(err)
		}
		if r.format != w.format || r.fingerprint != w.fingerprint || r.requests != w.requests ||
			(r.temperature == nil) != (w.temperature == nil) || (r.temperature != nil && *r.temperature != *w.temperature) ||
			(r.seed == nil) != (w.seed == nil) || (r.seed != nil && *r.seed != *w.seed) {
			t.Errorf("%s columns = %+v, want %+v", id, r, w)
		}
	}
}

func ptr[T any](v T) *T { return &v }

// TestMigrateIgnoresOtherSchemas migrates a schema whose search_path continues into an already
// migrated one: the versions of the other schema must not pass for its own.
func TestMigrateIgnoresOtherSchemas(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	_, migratedURL := pgtest.NewWithURL(t)
	u, err := url.Parse(migratedURL)
	if err != nil {
		t.Fatal(err)
	}
	migrated := strings.Split(u.Query().Get("search_path"), ",")[0]

	conn, err := pgx.Connect(ctx, pgtest.URL())
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(ctx)
	fresh := migrated + "_next"
	if _, err := conn.Exec(ctx, "CREATE SCHEMA "+fresh); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _, _ = conn.Exec(context.Background(), "DROP SCHEMA "+fresh+" CASCADE") })

	q := u.Query()
	q.Set("search_path", fresh+","+migrated+",public")
	u.RawQuery = q.Encode()
	db, err := postgres.Open(ctx, u.String(), nil)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if current, _, err := db.SchemaStatus(ctx); err != nil || current != 0 {
		t.Fatalf("fresh schema: version %d, %v; want 0", current, err)
	}
	if err := db.CheckSchema(ctx); coach.ErrorCode(err) != coach.EUNAVAILABLE {
		t.Errorf("CheckSchema on a fresh schema: %v", err)
	}
	from, to, err := db.Migrate(ctx)
	if err != nil || from != 0 || to < 2 {
		t.Fatalf("Migrate = %d → %d, %v", from, to, err)
	}
	var tables int
	if err := conn.QueryRow(ctx, `SELECT count(*) FROM pg_tables WHERE schemaname = $1`, fresh).Scan(&tables); err != nil || tables < 5 {
		t.Errorf("%d tables in the fresh schema, %v", tables, err)
	}
}
