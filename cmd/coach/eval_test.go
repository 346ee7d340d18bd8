package main

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/interviewcoach/coach/internal/openai/openaitest"
)

const evalLines = `{"id":"a","question_id":"q1","question":"What does a stack do?","reference":"A stack stores items last in, first out.","answer":"It stores items last in, first out.","score":5,"score_a":5,"score_b":5,"scale_max":5}
{"id":"b","question_id":"q1","question":"What does a stack do?","reference":"A stack stores items last in, first out.","answer":"A stack is a kind of tree.","score":1,"score_a":1,"score_b":1.5,"scale_max":5}
{"id":"c","question_id":"q1","question":"What does a stack do?","reference":"A stack stores items last in, first out.","answer":"Items go in and the last one comes out first.","score":4,"score_a":4,"score_b":4,"scale_max":5}
`

// TestEval runs coach eval on a small human-graded file, offline and against an in-process model
// server, and checks the JSON report.
func TestEval(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	data := filepath.Join(dir, "graded.jsonl")
	if err := os.WriteFile(data, []byte(evalLines), 0o644); err != nil {
		t.Fatal(err)
	}
	var calls atomic.Int32
	model := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		calls.Add(1)
		var req struct{ Messages []struct{ Content string } }
		if err := json.NewDecoder(r.Body).Decode(&req); err != nil || len(req.Messages) < 2 {
			http.Error(w, "bad request", http.StatusBadRequest)
			return
		}
		openaitest.WriteCompletion(w, openaitest.GradingReply(req.Messages[1].Content, openaitest.FirstCovered, "K1"))
	}))
	defer model.Close()
	vars := map[string]string{"OPENAI_API_KEY": "k", "OPENAI_BASE_URL": model.URL + "/v1", "COACH_CHAT_MODEL": "test-model"}

	for _, grader := range []string{"offline", "llm"} {
		out := filepath.Join(dir, grader+".json")
		table, _, err := program(t, vars, "", "eval", "--data", data, "--grader", grader, "--json", out)
		if err != nil || !strings.Contains(table, "Pearson") {
			t.Fatalf("%s: %v\n%s", grader, err, table)
		}
		raw, err := os.ReadFile(out)
		if err != nil {
			t.Fatal(err)
		}
		var rep struct {
			Grader      string           `json:"grader"`
			Items       int              `json:"items"`
			Predictions []map[string]any `json:"predictions"`
		}
		if err := json.Unmarshal(raw, &rep); err != nil || rep.Grader != grader || rep.Items != 3 || len(rep.Predictions) != 3 {
			t.Errorf("%s report: %+v %v", grader, rep, err)
		}
	}
	if calls.Load() == 0 {
		t.Error("the llm grader never called the model")
	}
	if _, _, err := program(t, vars, "", "eval", "--data", filepath.Join(dir, "missing.jsonl")); err == nil {
		t.Error("a missing file: no error")
	}
}

// TestEvalPairs runs coach eval --pairs on right and wrong answers to bundled bank questions and
// checks the table, the JSON report and the errors for bad input.
func TestEvalPairs(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	pairs := filepath.Join(dir, "pairs.jsonl")
	lines := `{"qid": "models-null-vs-blank", "right": "null=True lets the database column hold NULL, while blank=True lets forms and model validation accept an empty value.", "wrong": "blank=True allows the database column to store SQL NULL values, and null=True allows empty values to pass form and model validation."}` + "\n"
	if err := os.WriteFile(pairs, []byte(lines), 0o644); err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(dir, "pairs.json")
	table, _, err := program(t, map[string]string{}, "", "eval", "--pairs", pairs, "--json", out)
	if err != nil || !strings.Contains(table, "models-null-vs-blank") || !strings.Contains(table, "1 of 1 pairs") {
		t.Fatalf("eval --pairs: %v\n%s", err, table)
	}
	raw, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	var rep struct {
		Pairs []struct {
			RightScore int  `json:"right_score"`
			WrongScore int  `json:"wrong_score"`
			Separated  bool `json:"separated"`
		} `json:"pairs"`
	}
	if err := json.Unmarshal(raw, &rep); err != nil || len(rep.Pairs) != 1 || !rep.Pairs[0].Separated || rep.Pairs[0].WrongScore > 40 {
		t.Errorf("report %+v: %v", rep, err)
	}

	unknown := filepath.Join(dir, "unknown.jsonl")
	if err := os.WriteFile(unknown, []byte(`{"qid": "no-such-question", "right": "a", "wrong": "b"}`+"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, args := range [][]string{
		{"eval", "--pairs", unknown},
		{"eval", "--pairs", filepath.Join(dir, "missing.jsonl")},
		{"eval", "--pairs", pairs, "--data", pairs},
	} {
		if _, _, err := program(t, map[string]string{}, "", args...); err == nil {
			t.Errorf("%v: no error", args)
		}
	}
}
