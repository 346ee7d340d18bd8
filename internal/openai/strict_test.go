package openai_test

import (
	"encoding/json"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"testing"

	"github.com/santhosh-tekuri/jsonschema/v6"

	"github.com/interviewcoach/coach/internal/coach"
)

// strictKeywords are the schema keywords OpenAI's structured outputs accept in strict mode; a schema
// with any other is refused with 400 before the model runs.
var strictKeywords = map[string]bool{
	"type": true, "properties": true, "required": true, "additionalProperties": true, "items": true,
	"enum": true, "const": true, "description": true, "anyOf": true, "$ref": true, "$defs": true,
	"pattern": true, "format": true, "minItems": true, "maxItems": true, "title": true,
}

// strictSchemaProblem returns the message a strict-mode server answers a schema with, or "" when it
// accepts it: every object lists all its properties as required and forbids others, and only the
// supported keywords appear. The wording follows the hosted API's ("Invalid schema for
// response_format 'grade': In context=('properties', 'x'), ...").
func strictSchemaProblem(name string, node map[string]any, context []string) string {
	where := func() string {
		quoted := make([]string, len(context))
		for i, c := range context {
			quoted[i] = "'" + c + "'"
		}
		return fmt.Sprintf("Invalid schema for response_format '%s': In context=(%s), ", name, strings.Join(quoted, ", "))
	}
	for key := range node {
		if !strictKeywords[key] {
			return where() + fmt.Sprintf("'%s' is not permitted.", key)
		}
	}
	if node["type"] == "object" {
		if node["additionalProperties"] != false {
			return where() + "'additionalProperties' is required to be supplied and to be false."
		}
		props, _ := node["properties"].(map[string]any)
		required, _ := node["required"].([]any)
		for _, p := range slices.Sorted(func(yield func(string) bool) {
			for k := range props {
				if !yield(k) {
					return
				}
			}
		}) {
			if !slices.Contains(required, any(p)) {
				return where() + fmt.Sprintf("'required' is required to be supplied and to be an array including every key in properties. Missing '%s'.", p)
			}
			if msg := strictSchemaProblem(name, props[p].(map[string]any), append(context, "properties", p)); msg != "" {
				return msg
			}
		}
	}
	if items, ok := node["items"].(map[string]any); ok {
		return strictSchemaProblem(name, items, append(context, "items"))
	}
	return ""
}

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
		var root map[string]any
		if err := json.Unmarshal(js.Schema, &root); err != nil {
			fail(http.StatusBadRequest, "Invalid schema: "+err.Error())(w, r, n, body)
			return
		}
		if msg := strictSchemaProblem(js.Name, root, nil); msg != "" {
			t.Errorf("strict mode refuses the %s schema: %s", js.Name, msg)
			fail(http.StatusBadRequest, msg)(w, r, n, body)
			return
		}
		out := mustJSON(content(req))
		if err := validate(js.Schema, out); err != nil {
			t.Errorf("the scripted output does not conform to the %s schema, which a strict server never sends: %v", js.Name, err)
		}
		reply(out)(w, r, n, body)
	}
}

// validate checks doc against schema with a JSON Schema validator.
func validate(schema json.RawMessage, doc string) error {
	s, err := jsonschema.UnmarshalJSON(strings.NewReader(string(schema)))
	if err != nil {
		return err
	}
	c := jsonschema.NewCompiler()
	if err := c.AddResource("schema.json", s); err != nil {
		return err
	}
	compiled, err := c.Compile("schema.json")
	if err != nil {
		return err
	}
	inst, err := jsonschema.UnmarshalJSON(strings.NewReader(doc))
	if err != nil {
		return err
	}
	return compiled.Validate(inst)
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
		var root map[string]any
		if err := json.Unmarshal([]byte(tt.schema), &root); err != nil {
			t.Fatal(err)
		}
		if got := strictSchemaProblem("x", root, nil); !strings.Contains(got, tt.want) {
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
		if err := validate(schema, doc); err == nil {
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
	// (1×0.75 + 0.5×1 + 1×0) / 2.5 = 0.5, less one misconception's 0.15.
	if s := coach.Score(got, len(j.Misconceptions)); s != 35 {
		t.Errorf("Score = %d, want 35", s)
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
