// Package openaitest helps tests stand in for an OpenAI-compatible model server: it reads the
// grading prompt the coach sends and writes chat completion replies in the server's format.
package openaitest

import (
	"encoding/json"
	"fmt"
	"net/http"
	"regexp"
	"strings"
)

var (
	fencedAnswer = regexp.MustCompile(`(?s)<(answer-[0-9a-f]+)>\n(.*?)\n</answer-[0-9a-f]+>`)
	keyPointID   = regexp.MustCompile(`(?m)^- (K\d+)\b`)
)

// Answer returns the candidate's answer fenced in a grading prompt's user message, and whether it
// was fenced at all.
func Answer(user string) (string, bool) {
	m := fencedAnswer.FindStringSubmatch(user)
	if m == nil {
		return "", false
	}
	return m[2], true
}

// KeyPointIDs returns the short key point ids (K1, K2...) a grading prompt lists, in order.
func KeyPointIDs(user string) []string {
	var ids []string
	for _, m := range keyPointID.FindAllStringSubmatch(user, -1) {
		ids = append(ids, m[1])
	}
	return ids
}

// Judge decides the status and evidence of the i-th key point of a grading reply.
type Judge func(i int, answer string) (status, evidence string)

// FirstCovered judges the first key point covered, quoting the answer's first six words, and the
// others missing.
func FirstCovered(i int, answer string) (string, string) {
	words := strings.Fields(answer)
	if i == 0 && len(words) > 0 {
		return "covered", strings.Join(words[:min(6, len(words))], " ")
	}
	return "missing", ""
}

// GradingReply returns the JSON a model would answer the grading prompt user with: one judgement per
// key point by judge, feedback citing R1 and one follow-up aimed at target.
func GradingReply(user string, judge Judge, target string) string {
	answer, _ := Answer(user)
	var judgements []map[string]string
	for i, id := range KeyPointIDs(user) {
		status, evidence := judge(i, answer)
		judgements = append(judgements, map[string]string{"id": id, "status": status, "evidence": evidence})
	}
	content, err := json.Marshal(map[string]any{
		"judgements":     judgements,
		"misconceptions": []any{},
		"feedback": map[string]any{
			"summary":                 "Covers the first point only.",
			"strengths":               []any{map[string]any{"text": "States the first point.", "references": []string{"R1"}}},
			"improvements":            []any{map[string]any{"text": "Explain the rest.", "references": []string{"R1"}}},
			"model_answer":            "A model answer.",
			"model_answer_references": []string{"R1"},
		},
		"followups": []any{map[string]string{"question": "What does the second point mean?", "targets": target, "expected_answer": "The second point."}},
		"off":       "",
	})
	if err != nil {
		panic(err) // only maps of strings: cannot fail
	}
	return string(content)
}

// WriteCompletion writes a chat completion whose message is content, with fixed token usage: 1,600
// prompt tokens, the size servers count for the grading prompts of the bundled bank (a smaller count
// would read as a prompt cut short), and 54 completion tokens.
func WriteCompletion(w http.ResponseWriter, content string) {
	w.Header().Set("Content-Type", "application/json")
	fmt.Fprintf(w, `{"id":"c1","object":"chat.completion","created":1,"model":"test-model",
		"choices":[{"index":0,"message":{"role":"assistant","content":%q},"finish_reason":"stop"}],
		"usage":{"prompt_tokens":1600,"completion_tokens":54,"total_tokens":1654}}`, content)
}
