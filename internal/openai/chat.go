package openai

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"net/http"
	"regexp"
	"strings"

	goopenai "github.com/sashabaranov/go-openai"

	"github.com/interviewcoach/coach/internal/coach"
)

// Response formats, richest first. Client.format only moves down this list.
const (
	formatSchema = iota // response_format json_schema, strict
	formatJSON          // response_format json_object
	formatNone          // no response_format: the prompt alone asks for JSON
)

var formatNames = [...]string{formatSchema: "json_schema", formatJSON: "json_object", formatNone: "none"}

// schema is the strict JSON schema of one call's output.
type schema struct {
	name string
	json json.RawMessage
}

// reply is the accepted output of a chat exchange.
type reply struct {
	text  string
	model string
	usage coach.Usage
}

// OutputError reports model output that failed validation, even after the model was asked to repair it.
type OutputError struct {
	Problems []string
}

// Error implements the error interface.
func (e *OutputError) Error() string {
	return "invalid model output: " + strings.Join(e.Problems, "; ")
}

// maxProblems bounds the problems quoted back to the model: a reply wrong everywhere needs redoing, not
// an itemised list.
const maxProblems = 20

// exchange sends msgs and checks the reply with check, which returns the problems it finds. On problems
// it asks once for a repair, showing the model its output and the problems, and fails with an
// EUNAVAILABLE error holding an *OutputError if the repair is no better.
func (c *Client) exchange(ctx context.Context, op string, sch schema, msgs []goopenai.ChatCompletionMessage,
	check func(raw string) []string) (reply, error) {
	r, err := c.complete(ctx, op, sch, msgs)
	if err != nil {
		return reply{}, err
	}
	problems := check(r.text)
	if len(problems) == 0 {
		return r, nil
	}
	c.log.WarnContext(ctx, "openai: invalid model output, asking for a repair", "op", op, "problems", problems)

	if len(problems) > maxProblems {
		problems = append(problems[:maxProblems:maxProblems], fmt.Sprintf("and %d more", len(problems)-maxProblems))
	}
	msgs = append(msgs[:len(msgs):len(msgs)],
		goopenai.ChatCompletionMessage{Role: goopenai.ChatMessageRoleAssistant, Content: r.text},
		goopenai.ChatCompletionMessage{Role: goopenai.ChatMessageRoleUser, Content: "Your reply cannot be used:\n- " +
			strings.Join(problems, "\n- ") +
			"\nReply again with the complete, corrected JSON object only, in the same shape, using only the ids given."},
	)
	repaired, err := c.complete(ctx, op, sch, msgs)
	if err != nil {
		return reply{}, err
	}
	repaired.usage = addUsage(r.usage, repaired.usage)
	if problems := check(repaired.text); len(problems) > 0 {
		c.cfg.Observer.ModelError(op, outcomeInvalidOutput)
		return reply{}, fmt.Errorf("%w: %w",
			coach.Errorf(coach.EUNAVAILABLE, "language model returned unusable output"), &OutputError{Problems: problems})
	}
	return repaired, nil
}

// complete sends one chat completion in the richest response format the server accepts. A server that
// rejects a format is remembered, so later calls go straight to the next one.
func (c *Client) complete(ctx context.Context, op string, sch schema, msgs []goopenai.ChatCompletionMessage) (reply, error) {
	for {
		format := c.format.Load()
		req := goopenai.ChatCompletionRequest{
			Model:    c.cfg.ChatModel,
			Messages: msgs,
			// go-openai omits a zero temperature and servers then default to about 1; the smallest
			// positive float32 is go-openai's documented way to ask for greedy decoding.
			Temperature: math.SmallestNonzeroFloat32,
			Seed:        &c.cfg.Seed,
		}
		switch format {
		case formatSchema:
			req.ResponseFormat = &goopenai.ChatCompletionResponseFormat{
				Type:       goopenai.ChatCompletionResponseFormatTypeJSONSchema,
				JSONSchema: &goopenai.ChatCompletionResponseFormatJSONSchema{Name: sch.name, Schema: sch.json, Strict: true},
			}
		case formatJSON:
			req.ResponseFormat = &goopenai.ChatCompletionResponseFormat{Type: goopenai.ChatCompletionResponseFormatTypeJSONObject}
		}

		var resp goopenai.ChatCompletionResponse
		err := c.call(ctx, op, func(ctx context.Context) (err error) {
			resp, err = c.api.CreateChatCompletion(ctx, req)
			return err
		})
		if err != nil {
			if format < formatNone && rejectsFormat(err) {
				if c.format.CompareAndSwap(format, format+1) {
					c.log.WarnContext(ctx, "openai: server rejects the response format, falling back", "op", op,
						"format", formatNames[format], "fallback", formatNames[format+1], "err", err)
				}
				continue
			}
			return reply{}, err
		}

		c.cfg.Observer.ModelTokens(op, resp.Usage.PromptTokens, resp.Usage.CompletionTokens)
		if len(resp.Choices) == 0 {
			c.cfg.Observer.ModelError(op, outcomeNoReply)
			return reply{}, unavailable(errors.New("no choices in the response"), "language model sent no reply")
		}
		choice := resp.Choices[0]
		if choice.Message.Refusal != "" || choice.FinishReason == goopenai.FinishReasonContentFilter {
			c.cfg.Observer.ModelError(op, outcomeRefused)
			return reply{}, unavailable(fmt.Errorf("refused (finish reason %q): %s", choice.FinishReason, choice.Message.Refusal),
				"language model refused to answer")
		}
		return reply{
			text:  choice.Message.Content,
			model: resp.Model,
			usage: coach.Usage{
				PromptTokens:     resp.Usage.PromptTokens,
				CompletionTokens: resp.Usage.CompletionTokens,
				TotalTokens:      resp.Usage.TotalTokens,
			},
		}, nil
	}
}

// rejectsFormat reports whether err is the server refusing the response_format of the request, as
// servers without structured outputs (older vLLM, Ollama, some Azure API versions) do.
func rejectsFormat(err error) bool {
	var text string
	var apiErr *goopenai.APIError
	var reqErr *goopenai.RequestError
	switch {
	case errors.As(err, &apiErr):
		text = apiErr.Message
		if apiErr.Param != nil {
			text += " " + *apiErr.Param
		}
	case errors.As(err, &reqErr):
		text = string(reqErr.Body)
	}
	if s := statusCode(err); s != http.StatusBadRequest && s != http.StatusUnprocessableEntity {
		return false
	}
	text = strings.ToLower(text)
	return strings.Contains(text, "response_format") || strings.Contains(text, "json_schema") ||
		strings.Contains(text, "response format") || strings.Contains(text, "structured output") ||
		(strings.Contains(text, "unsupported") && strings.Contains(text, "schema"))
}

func addUsage(a, b coach.Usage) coach.Usage {
	return coach.Usage{
		PromptTokens:     a.PromptTokens + b.PromptTokens,
		CompletionTokens: a.CompletionTokens + b.CompletionTokens,
		TotalTokens:      a.TotalTokens + b.TotalTokens,
	}
}

// decodeJSON decodes the JSON object of a model reply into v. It tolerates what JSON mode lets through
// on some servers: a Markdown code fence or a sentence around the object.
func decodeJSON(raw string, v any) error {
	start, end := strings.IndexByte(raw, '{'), strings.LastIndexByte(raw, '}')
	if start < 0 || end < start {
		return errors.New("no JSON object")
	}
	return json.Unmarshal([]byte(raw[start:end+1]), v)
}

// newBoundary returns a tag name no text can predict, such as "answer-3f9a0c12ab34cd56".
func newBoundary(prefix string) string {
	b := make([]byte, 8)
	_, _ = rand.Read(b) // crypto/rand.Read never fails
	return prefix + "-" + hex.EncodeToString(b)
}

// fence removes every occurrence of boundary's random part from text, whatever its case, so the text
// can neither close the fence around it nor open a new one. It repeats because a removal can join two
// halves into a new occurrence.
func fence(text, boundary string) string {
	token := boundary[strings.LastIndexByte(boundary, '-')+1:]
	re := regexp.MustCompile("(?i)" + regexp.QuoteMeta(token))
	for re.MatchString(text) {
		text = re.ReplaceAllString(text, "")
	}
	return text
}
