package openai

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"

	goopenai "github.com/sashabaranov/go-openai"

	"github.com/interviewcoach/coach/internal/coach"
	"github.com/interviewcoach/coach/prompts"
)

// Bounds of an extracted rubric: fewer points grade too coarsely, more split hairs.
const (
	minKeyPoints   = 3
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

// ExtractKeyPoints splits a reference answer into 3 to 8 short rubric statements, most important first.
func (c *Client) ExtractKeyPoints(ctx context.Context, question, answer string) ([]string, error) {
	if c.cfg.ChatModel == "" {
		return nil, fmt.Errorf("openai: extract key points: %w", coach.Errorf(coach.EUNAVAILABLE, "language model not configured"))
	}
	if strings.TrimSpace(answer) == "" {
		return nil, fmt.Errorf("openai: extract key points: %w", coach.Errorf(coach.EINVALID, "reference answer is empty"))
	}
	boundary := newBoundary("reference")
	system, user, err := c.prompts.Render(prompts.KeyPoints, prompts.KeyPointsData{
		Question: question,
		Answer:   fence(answer, boundary),
		Boundary: boundary,
		Min:      minKeyPoints,
		Max:      maxKeyPoints,
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
	return points, nil
}
