package openai_test

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"

	"github.com/interviewcoach/coach/internal/coach"
	"github.com/interviewcoach/coach/internal/openai/openaitest"
)

// strictServer answers like a server with structured outputs in strict mode: a request must ask for a
// strict json_schema; a schema strict mode refuses gets the hosted API's 400; and the model's output
// always conforms to the schema, so a test that scripts output the schema forbids fails here rather
// than pass on a reply no real server would send.
func strictServer(t *testing.T, content func(req *chatRequest) any) step {
	return func(w http.ResponseWriter, r *http.Request, n int, body any) {
		req := body.(*chatRequest)
		if req.ResponseFormat == nil || req.ResponseFormat.Type != "json_schema" || req.ResponseFormat.JSONSchema == nil ||
			!req.ResponseFormat.JSONSchema.Strict {
			t.Errorf("request does not ask for a strict json_schema: %+v", req.ResponseFormat)
			fail(http.StatusBadRequest, "strict json_schema expected")(w, r, n, body)
			return
		}
		js := req.ResponseFormat.JSONSchema
		if msg := openaitest.StrictSchemaProblem(js.Name, js.Schema); msg != "" {
			t.Errorf("strict mode refuses the %s schema: %s", js.Name, msg)
			fail(http.StatusBadRequest, msg)(w, r, n, body)
			return
		}
		out := mustJSON(content(req))
		if err := openaitest.Conforms(js.Schema, out); err != nil {
			t.Errorf("the scripted output does not conform to the %s schema, which a strict server never sends: %v", js.Name, err)
		}
		reply(out)(w, r, n, body)
	}
}

// TestStrictSchemaChecker shows that the checker the strict server applies can fail: it refuses what
// the hosted API refuses, and the validator refuses output the grade schema forbids.
func TestStrictSchemaChecker(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct{ schema, want string }{
		{`{"type":"object","additionalProperties":false,"required":["a"],"properties":{"a":{"type":"string"},"b":{"type":"string"}}}`,
			"In context=(), 'required' is required to be supplied and to be an array including every key in properties. Missing 'b'."},
		{`{"type":"object","additionalProperties":false,"required":["a"],"properties":{"a":{"type":"array","items":{"type":"object","properties":{}}}}}`,
			"In context=('properties', 'a', 'items'), 'additionalProperties' is required to be supplied and to be false."},
		{`{"type":"object","additionalProperties":false,"required":["a"],"properties":{"a":{"type":"string","minLength":1}}}`,
			"'minLength' is not permitted."},
	} {
		if got := openaitest.StrictSchemaProblem("x", json.RawMessage(tt.schema)); !strings.Contains(got, tt.want) {
			t.Errorf("strictSchemaProblem(%s) = %q, want %q", tt.schema, got, tt.want)
		}
	}

	f := newFake(t)
	var schema json.RawMessage
	f.chatSteps = []step{strictServer(t, func(req *chatRequest) any {
		schema = req.ResponseFormat.JSONSchema.Schema
		return validOut()
	})}
	if _, err := newClient(t, testConfig(t, f)).Grade(t.Context(), gradeInput()); err != nil {
		t.Fatal(err)
	}
	for name, mutate := range map[string]func(*gradeOut){
		"a status outside the enum": func(o *gradeOut) { o.Judgements[0].Status = "mostly covered" },
		"a credit field":            nil,
	} {
		o := validOut()
		doc := mustJSON(o)
		if mutate != nil {
			mutate(&o)
			doc = mustJSON(o)
		} else {
			doc = strings.Replace(doc, `"status":"covered",`, `"status":"covered","credit":0.5,`, 1)
		}
		if err := openaitest.Conforms(schema, doc); err == nil {
			t.Errorf("%s: the grade schema accepts %s", name, doc)
		}
	}
}

// TestGradeStrictMostlyAndWeights grades against a strict server: the schema passes strict mode, a
// "mostly" judgement is a partial worth coach.MaxPartialCredit, the rubric shows the model which key
// points are core and which detail, and the judgements carry the weights into coach.Score.
func TestGradeStrictMostlyAndWeights(t *testing.T) {
	t.Parallel()
	f := newFake(t)
	f.chatSteps = []step{strictServer(t, func(*chatRequest) any {
		o := validOut()
		o.Judgements[0].Status = "mostly"
		o.Judgements[1].Status = "covered"
		return o
	})}
	in := gradeInput()
	in.References[0].KeyPoints[1].Weight = coach.WeightDetail
	in.References[1].KeyPoints[0].Weight = coach.WeightCore
	j, err := newClient(t, testConfig(t, f)).Grade(t.Context(), in)
	if err != nil {
		t.Fatal(err)
	}
	reqs := f.chatRequests()
	if len(reqs) != 1 {
		t.Fatalf("%d requests, want one call", len(reqs))
	}
	user := reqs[0].Messages[1].Content
	for _, line := range []string{
		"- K1 (core): A mutex lets only one goroutine at a time into a critical section",
		"- K2 (detail): Forgetting to unlock a mutex causes a deadlock",
		"- K3 (core): sync.RWMutex allows many readers or one writer",
	} {
		if !strings.Contains(user, line) {
			t.Errorf("rubric lacks %q:\n%s", line, user)
		}
	}
	got := j.Judgements
	if got[0].Status != coach.StatusPartial || got[0].Credit != coach.MaxPartialCredit || got[0].Weight != 0 ||
		got[1].Status != coach.StatusCovered || got[1].Weight != coach.WeightDetail || got[2].Weight != coach.WeightCore {
		t.Errorf("judgements = %+v", got)
	}
	// Half the whole rubric's (1×0.75 + 0.5×1 + 1×0) / 2.5 = 0.5 and half the first reference's
	// (1×0.75 + 0.5×1) / 1.5, less one misconception's 0.15.
	if s := coach.Score(got, len(j.Misconceptions)); s != 52 {
		t.Errorf("Score = %d, want 52", s)
	}
}

// TestExtractKeyPointsStrict extracts key points from a strict server: the schema passes strict mode.
func TestExtractKeyPointsStrict(t *testing.T) {
	t.Parallel()
	f := newFake(t)
	f.chatSteps = []step{strictServer(t, func(*chatRequest) any {
		return map[string]any{"key_points": []string{"The asterisk dereferences a pointer."}}
	})}
	got, err := newClient(t, testConfig(t, f)).ExtractKeyPoints(t.Context(), "What does * do?", "It dereferences a pointer.")
	if err != nil || len(got) != 1 {
		t.Fatalf("ExtractKeyPoints = %q, %v", got, err)
	}
}
