package coach

import (
	"context"
	"encoding/json"
	"time"
)

// QuestionEdit changes some fields of a question; nil fields stay as they are.
type QuestionEdit struct {
	Text       *string   `json:"text,omitempty"`
	Topic      *string   `json:"topic,omitempty"`
	Difficulty *string   `json:"difficulty,omitempty"` // "" clears it
	Tags       *[]string `json:"tags,omitempty"`
}

// KeyPointEdit changes some fields of a key point; nil fields stay as they are.
type KeyPointEdit struct {
	Text   *string  `json:"text,omitempty"`
	Weight *float64 `json:"weight,omitempty"`
	Status *string  `json:"status,omitempty"`
}

// AuditEntry is one recorded change of the bank: who made it, when, and the changed row before and
// after as JSON (null before a creation, after a deletion).
type AuditEntry struct {
	ID       int64           `json:"id"`
	Actor    string          `json:"actor"`
	Action   string          `json:"action"`
	Entity   string          `json:"entity"`
	EntityID string          `json:"entity_id"`
	Before   json.RawMessage `json:"before"`
	After    json.RawMessage `json:"after"`
	At       time.Time       `json:"at"`
}

type actorKey struct{}

// WithActor returns ctx naming who makes the changes done with it, for the audit trail.
func WithActor(ctx context.Context, actor string) context.Context {
	return context.WithValue(ctx, actorKey{}, actor)
}

// ActorFrom returns who ctx says makes its changes: "system" when nobody is named (the command line).
func ActorFrom(ctx context.Context) string {
	if a, ok := ctx.Value(actorKey{}).(string); ok && a != "" {
		return a
	}
	return "system"
}

// NewReference is a reference answer written in the editor.
type NewReference struct {
	Text      string `json:"text"`
	Source    string `json:"source,omitempty"` // a readable name; "editor" when empty
	SourceURL string `json:"source_url,omitempty"`
}

// NewKeyPoint is a key point written in the editor.
type NewKeyPoint struct {
	Text   string  `json:"text"`
	Weight float64 `json:"weight,omitempty"` // WeightCore when 0
	Status string  `json:"status,omitempty"` // approved when empty, for admins
}

// ReferenceEdit changes a reference in place; nil fields stay as they are. A new text is cut into
// passages and embedded again; the reference keeps its id and key points.
type ReferenceEdit struct {
	Text      *string `json:"text,omitempty"`
	Source    *string `json:"source,omitempty"`     // a readable name
	SourceURL *string `json:"source_url,omitempty"` // the source's address; "" keeps the one it has
}

// ReferenceChange is what the store changes of a reference for a ReferenceEdit: a new text (with
// its content hash, passages and their vectors of Model) when Text is not empty; its source when
// Source is set; its source's URL alone when only URL is.
type ReferenceChange struct {
	Text, ContentHash string
	Passages          []string
	Vectors           [][]float32
	Model             string
	Source            *Source
	URL               string
}
