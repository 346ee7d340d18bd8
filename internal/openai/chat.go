package openai

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"regexp"
	"strings"
	"time"

	goopenai "github.com/sashabaranov/go-openai"

	"github.com/interviewcoach/coach/internal/coach"
)

// Response formats, richest first. What a model is known to accept moves down this list when it
// refuses a format, and back up once it accepts a richer one tried again after Config.FormatRetry.
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
	// call is how the model was asked for text; warnings are what the reply's metadata gives to
	// doubt, such as a prompt the server cut short.
	call     *coach.ModelCall
	warnings []string
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
	repaired.call.Requests += r.call.Requests
	repaired.warnings = append(r.warnings, repaired.warnings...)
	if problems := check(repaired.text); len(problems) > 0 {
		c.cfg.Observer.ModelError(op, outcomeInvalidOutput)
		return reply{}, fmt.Errorf("%w: %w",
			coach.Errorf(coach.EUNAVAILABLE, "language model returned unusable output"), &OutputError{Problems: problems})
	}
	return repaired, nil
}

// maxAdjustments bounds the requests one completion may send again after the model refused a
// parameter or a response format. Each adjustment removes something from the request, so the loop ends
// anyway; the bound keeps a server that refuses everything from costing more than a handful.
const maxAdjustments = 8

// complete sends one chat completion with what the model accepts: parameters it refused before are
// left out, and a refusal of a parameter or response format is learned, logged once and answered by
// sending the request again without it. A reply cut off at the token limit is asked for once more
// with twice the limit.
func (c *Client) complete(ctx context.Context, op string, sch schema, msgs []goopenai.ChatCompletionMessage) (reply, error) {
	st := c.model(c.cfg.ChatModel)
	limit := c.cfg.MaxTokens
	requests, adjustments := 0, 0
	cutOff := false
	var usage coach.Usage
	for {
		p := c.plan(st, time.Now(), limit)
		req := c.request(p, sch, msgs)
		var resp goopenai.ChatCompletionResponse
		err := c.call(ctx, op, func(ctx context.Context) (err error) {
			resp, err = c.api.CreateChatCompletion(ctx, req)
			if !localRefusal(err) {
				requests++
			}
			return err
		})
		if err != nil {
			if ctx.Err() != nil {
				return reply{}, err
			}
			reason, refused := refusalReason(err)
			resend := func() {
				if refused {
					c.cfg.Observer.ModelRetry(op, reason)
				}
			}
			r, isRefusal := refusedParam(err)
			if isRefusal {
				if retry, learned := st.refuse(p, r.param); retry && adjustments < maxAdjustments {
					adjustments++
					if learned {
						c.log.WarnContext(ctx, "openai: the model refuses a parameter; it is left out of requests to this model from now on",
							"op", op, "model", c.cfg.ChatModel, "param", r.param, "message", r.message)
					}
					resend()
					continue
				}
			}
			if p.format < formatNone && rejectsFormat(err) && adjustments < maxAdjustments {
				adjustments++
				if st.degradeFormat(p.format, time.Now().Add(c.cfg.FormatRetry)) {
					c.log.WarnContext(ctx, "openai: the model refuses the response format, falling back", "op", op,
						"model", c.cfg.ChatModel, "format", formatNames[p.format], "fallback", formatNames[p.format+1],
						"retry_after", c.cfg.FormatRetry, "err", err)
				}
				resend()
				continue
			}
			if refused {
				c.cfg.Observer.ModelError(op, reason)
			}
			if isRefusal {
				return reply{}, refusedError(err, "the model refused parameter %s: %s", r.param, r.message)
			}
			return reply{}, err
		}
		if st.acceptFormat(p.format) {
			c.log.InfoContext(ctx, "openai: the model accepts a richer response format again", "op", op,
				"model", c.cfg.ChatModel, "format", formatNames[p.format])
		}

		c.cfg.Observer.ModelTokens(op, resp.Usage.PromptTokens, resp.Usage.CompletionTokens)
		usage = addUsage(usage, coach.Usage{
			PromptTokens:     resp.Usage.PromptTokens,
			CompletionTokens: resp.Usage.CompletionTokens,
			TotalTokens:      resp.Usage.TotalTokens,
		})
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
		if choice.FinishReason == goopenai.FinishReasonLength {
			what := "the server's own limit"
			if p.tokenParam != "" {
				what = fmt.Sprintf("%s %d", p.tokenParam, p.maxTokens)
			}
			if !cutOff {
				cutOff = true
				limit *= 2
				c.log.WarnContext(ctx, "openai: the model's reply was cut off at its token limit; asking again with twice the limit",
					"op", op, "model", c.cfg.ChatModel, "limit", what, "completion_tokens", resp.Usage.CompletionTokens)
				continue
			}
			c.cfg.Observer.ModelError(op, outcomeCutOff)
			return reply{}, refusedError(errCutOff,
				"the model's reply was cut off at its token limit (%s, finish_reason length) even after a retry with twice the limit: raise COACH_LLM_MAX_TOKENS", what)
		}
		r := reply{
			text:  choice.Message.Content,
			model: resp.Model,
			usage: usage,
			call:  c.audit(p, resp.SystemFingerprint, requests),
		}
		if w := c.promptCut(ctx, op, msgs, resp.Usage.PromptTokens); w != "" {
			r.warnings = append(r.warnings, w)
		}
		return r, nil
	}
}

// errCutOff is the cause of a reply that stopped at its token limit twice.
var errCutOff = errors.New("reply cut off at the token limit (finish_reason length)")

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
