package openai

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"sync/atomic"

	goopenai "github.com/sashabaranov/go-openai"

	"github.com/interviewcoach/coach/internal/coach"
)

// embedBatch is how many texts go in one embeddings request: well under every server's limit, and large
// enough that importing a bank takes few round trips.
const embedBatch = 64

// Embedder is the coach.Embedder of a Client, sharing its retries and concurrency cap.
type Embedder struct {
	c *Client
	// dims is Config.EmbedDimensions, or when that is zero the size of the first vector received.
	dims atomic.Int64
}

var _ coach.Embedder = (*Embedder)(nil)

// Embedder returns the client's embedder. Its calls fail with EUNAVAILABLE when Config.EmbedModel is empty.
func (c *Client) Embedder() *Embedder {
	return c.embedder
}

// Model names the vectors this embedder makes: the model, with "@" and the dimension when
// Config.EmbedDimensions is set ("text-embedding-3-small@512"). Store keys vectors by this name, and the
// same model shortened to another size gives vectors that must never be compared with the full ones.
func (e *Embedder) Model() string {
	if d := e.c.cfg.EmbedDimensions; d > 0 {
		return e.c.cfg.EmbedModel + "@" + strconv.Itoa(d)
	}
	return e.c.cfg.EmbedModel
}

// Dimensions returns the length of the vectors. With Config.EmbedDimensions zero it is 0 until the first
// successful Embed.
func (e *Embedder) Dimensions() int {
	return int(e.dims.Load())
}

// CloseIdleConnections closes the idle connections of the client underneath.
func (e *Embedder) CloseIdleConnections() { e.c.CloseIdleConnections() }

// Embed returns one vector per text, in order, sending at most 64 texts per request.
func (e *Embedder) Embed(ctx context.Context, texts []string) ([][]float32, error) {
	if e.c.cfg.EmbedModel == "" {
		return nil, fmt.Errorf("openai: embed: %w", coach.Errorf(coach.EUNAVAILABLE, "embedding model not configured"))
	}
	for i, t := range texts {
		// Servers reject empty input with an opaque 400; say which one it was.
		if strings.TrimSpace(t) == "" {
			return nil, fmt.Errorf("openai: embed: %w", coach.Errorf(coach.EINVALID, "text %d to embed is empty", i))
		}
	}
	vectors := make([][]float32, 0, len(texts))
	for start := 0; start < len(texts); start += embedBatch {
		batch := texts[start:min(start+embedBatch, len(texts))]
		got, err := e.embedBatch(ctx, batch)
		if err != nil {
			return nil, fmt.Errorf("openai: embed: %w", err)
		}
		vectors = append(vectors, got...)
	}
	return vectors, nil
}

func (e *Embedder) embedBatch(ctx context.Context, batch []string) ([][]float32, error) {
	req := goopenai.EmbeddingRequestStrings{
		Input:          batch,
		Model:          goopenai.EmbeddingModel(e.c.cfg.EmbedModel),
		Dimensions:     e.c.cfg.EmbedDimensions,
		EncodingFormat: goopenai.EmbeddingEncodingFormatFloat,
	}
	var resp goopenai.EmbeddingResponse
	if err := e.c.call(ctx, "embed", func(ctx context.Context) (err error) {
		resp, err = e.c.api.CreateEmbeddings(ctx, req)
		return err
	}); err != nil {
		if reason, refused := refusalReason(err); refused {
			e.c.cfg.Observer.ModelError("embed", reason)
		}
		return nil, err
	}
	e.c.cfg.Observer.ModelTokens("embed", resp.Usage.PromptTokens, resp.Usage.CompletionTokens)

	// The API promises one vector per input with its index; a server that breaks that promise would
	// otherwise store vectors against the wrong passages.
	if len(resp.Data) != len(batch) {
		return nil, unavailable(errors.New("embedding count mismatch"),
			"embedding model returned %d vectors for %d texts", len(resp.Data), len(batch))
	}
	vectors := make([][]float32, len(batch))
	for _, d := range resp.Data {
		if d.Index < 0 || d.Index >= len(batch) || vectors[d.Index] != nil {
			return nil, unavailable(errors.New("embedding index mismatch"),
				"embedding model returned a bad or repeated index %d", d.Index)
		}
		n := int64(len(d.Embedding))
		if n == 0 || !(e.dims.CompareAndSwap(0, n) || e.dims.Load() == n) {
			return nil, unavailable(errors.New("embedding dimension mismatch"),
				"embedding model returned a %d-dimensional vector, want %d", n, e.dims.Load())
		}
		vectors[d.Index] = d.Embedding
	}
	return vectors, nil
}
