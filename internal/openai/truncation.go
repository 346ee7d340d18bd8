package openai

import (
	"context"
	"fmt"
	"regexp"

	goopenai "github.com/sashabaranov/go-openai"
)

// pieces matches the runs of a text that no tokenizer in use merges: tokenizers of the GPT, Llama 3,
// Qwen and Mistral families split text on spaces and between letters and digits before merging, and
// cut digits into groups of at most three. Each match is therefore at least one token, and their count
// a floor under any server's token count of the text.
var pieces = regexp.MustCompile(`\p{L}+|\p{N}{1,3}`)

// minTokens returns a floor under the number of tokens msgs take, whatever the tokenizer; the chat
// template a server wraps them in only adds to it.
func minTokens(msgs []goopenai.ChatCompletionMessage) int {
	n := 0
	for _, m := range msgs {
		n += len(pieces.FindAllStringIndex(m.Content, -1))
	}
	return n
}

// promptCut returns a warning, and logs it, when the server says it read far fewer prompt tokens
// than the prompt holds: Ollama cuts a prompt longer than its context window (2,048 or 4,096 tokens by
// default) to half the window without an error, dropping its start, which holds the grading rules,
// and reports the tokens it kept. "Far fewer" is under three quarters of the floor of minTokens: a
// server that read everything reports at least the floor, and a cut prompt at most about half.
func (c *Client) promptCut(ctx context.Context, op string, msgs []goopenai.ChatCompletionMessage, reported int) string {
	floor := minTokens(msgs)
	if reported <= 0 || reported*4 >= floor*3 {
		return ""
	}
	c.log.WarnContext(ctx, "openai: the model server read only part of the prompt; raise its context window (Ollama: OLLAMA_CONTEXT_LENGTH=8192, or num_ctx in a Modelfile)",
		"op", op, "model", c.cfg.ChatModel, "prompt_tokens_reported", reported, "prompt_tokens_at_least", floor)
	return fmt.Sprintf("the model server read only %d tokens of a prompt of at least %d: it cut the prompt's start, "+
		"where the grading rules are, so this grade may ignore them. The operator should raise the server's context window "+
		"(Ollama: OLLAMA_CONTEXT_LENGTH=8192, or num_ctx in a Modelfile)", reported, floor)
}
