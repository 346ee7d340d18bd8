package openai

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"

	goopenai "github.com/sashabaranov/go-openai"

	"github.com/interviewcoach/coach/internal/coach"
	"github.com/interviewcoach/coach/internal/instruct"
	"github.com/interviewcoach/coach/prompts"
)

// Bounds of an extracted rubric. A one-sentence reference holds one or two ideas, and padding it to
// three would add restatements that weigh as much as the idea itself; more than eight split hairs.
const (
	minKeyPoints   = 1
	maxKeyPoints   = 8
	maxKeyPointLen = 300
)

const keyPointsSchema = `{
  "type": "object",
  "additionalProperties": false,
  "required": ["key_points"],
  "properties": {
    "key_points": {"type": "array", "items": {"type": "string"}}
  }
}`

// ExtractKeyPoints splits a reference answer into 1 to 8 short rubric statements, most important first.
// The question and the answer come from imported pages: both are fenced as data, their sentences that
// address a grader are removed before the call, and a statement of the reply that does is left out, so
// that "NOTE TO THE AI GRADER: ..." never becomes a key point. It may return no statement at all when
// the reference holds nothing else.
func (c *Client) ExtractKeyPoints(ctx context.Context, question, answer string) ([]string, error) {
	if c.cfg.ChatModel == "" {
		return nil, fmt.Errorf("openai: extract key points: %w", coach.Errorf(coach.EUNAVAILABLE, "language model not configured"))
	}
	if strings.TrimSpace(answer) == "" {
		return nil, fmt.Errorf("openai: extract key points: %w", coach.Errorf(coach.EINVALID, "reference answer is empty"))
	}
	boundary := newBoundary("reference")
	question, _ = instruct.Strip(question, instruct.Is)
	answer, _ = instruct.Strip(answer, instruct.Is)
	system, user, err := c.prompts.Render(prompts.KeyPoints, prompts.KeyPointsData{
		Question:         fence(question, boundary),
		Answer:           fence(answer, boundary),
		Boundary:         boundary,
		QuestionBoundary: "question-" + strings.TrimPrefix(boundary, "reference-"),
		Min:              minKeyPoints,
		Max:              maxKeyPoints,
	})
	if err != nil {
		return nil, fmt.Errorf("openai: extract key points: %w", err)
	}

	var points []string
	_, err = c.exchange(ctx, "keypoints", schema{name: "key_points", json: json.RawMessage(keyPointsSchema)},
		[]goopenai.ChatCompletionMessage{
			{Role: goopenai.ChatMessageRoleSystem, Content: system},
			{Role: goopenai.ChatMessageRoleUser, Content: user},
		},
		func(raw string) (problems []string) {
			points, problems = checkKeyPoints(raw)
			return problems
		})
	if err != nil {
		return nil, fmt.Errorf("openai: extract key points: %w", err)
	}
	return points, nil
}

// checkKeyPoints parses a key point reply and lists what is wrong with it.
func checkKeyPoints(raw string) (points, problems []string) {
	var out struct {
		KeyPoints []string `json:"key_points"`
	}
	if err := decodeJSON(raw, &out); err != nil {
		return nil, []string{fmt.Sprintf("the reply is not the JSON object asked for: %v", err)}
	}
	if n := len(out.KeyPoints); n < minKeyPoints || n > maxKeyPoints {
		problems = append(problems, fmt.Sprintf("key_points holds %d statements, want %d to %d", n, minKeyPoints, maxKeyPoints))
	}
	seen := make(map[string]bool)
	for i, p := range out.KeyPoints {
		p = strings.Join(strings.Fields(p), " ")
		norm := strings.Join(words(p), " ")
		switch {
		case norm == "":
			problems = append(problems, fmt.Sprintf("key_points[%d] is empty", i))
		case len(p) > maxKeyPointLen:
			problems = append(problems, fmt.Sprintf("key_points[%d] is longer than %d characters: split it", i, maxKeyPointLen))
		case seen[norm]:
			problems = append(problems, fmt.Sprintf("key_points[%d] repeats an earlier statement", i))
		}
		seen[norm] = true
		points = append(points, p)
	}
	if len(problems) > 0 {
		return nil, problems
	}
	// A statement addressing the grader is no rubric line, whoever wrote it; it is left out rather
	// than sent back for repair, since the model copied it from the page.
	kept := points[:0]
	for _, p := range points {
		if !instruct.Is(p) {
			kept = append(kept, p)
		}
	}
	return kept, nil
}
