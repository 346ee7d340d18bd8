package openaitest

import (
	"encoding/json"
	"fmt"
	"maps"
	"slices"
	"strings"

	"github.com/santhosh-tekuri/jsonschema/v6"
)

// strictKeywords are the schema keywords OpenAI's structured outputs accept in strict mode; a schema
// with any other is refused with 400 before the model runs.
var strictKeywords = map[string]bool{
	"type": true, "properties": true, "required": true, "additionalProperties": true, "items": true,
	"enum": true, "const": true, "description": true, "anyOf": true, "$ref": true, "$defs": true,
	"pattern": true, "format": true, "minItems": true, "maxItems": true, "title": true,
}

// StrictSchemaProblem returns the message a strict-mode server answers a response_format schema
// named name with, or "" when it accepts it: every object lists all its properties as required and
// forbids others, and only the supported keywords appear. The wording follows the hosted API's
// ("Invalid schema for response_format 'grade': In context=('properties', 'x'), ...").
func StrictSchemaProblem(name string, schema json.RawMessage) string {
	var root map[string]any
	if err := json.Unmarshal(schema, &root); err != nil {
		return fmt.Sprintf("Invalid schema for response_format '%s': %v", name, err)
	}
	return strictProblem(name, root, nil)
}

func strictProblem(name string, node map[string]any, context []string) string {
	where := func() string {
		quoted := make([]string, len(context))
		for i, c := range context {
			quoted[i] = "'" + c + "'"
		}
		return fmt.Sprintf("Invalid schema for response_format '%s': In context=(%s), ", name, strings.Join(quoted, ", "))
	}
	for _, key := range slices.Sorted(maps.Keys(node)) {
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
		for _, p := range slices.Sorted(maps.Keys(props)) {
			if !slices.Contains(required, any(p)) {
				return where() + fmt.Sprintf("'required' is required to be supplied and to be an array including every key in properties. Missing '%s'.", p)
			}
			child, _ := props[p].(map[string]any)
			if msg := strictProblem(name, child, append(slices.Clone(context), "properties", p)); msg != "" {
				return msg
			}
		}
	}
	if items, ok := node["items"].(map[string]any); ok {
		return strictProblem(name, items, append(slices.Clone(context), "items"))
	}
	return ""
}

// Conforms checks the JSON document doc against schema with a JSON Schema validator, as a server with
// structured outputs guarantees its replies do.
func Conforms(schema json.RawMessage, doc string) error {
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
