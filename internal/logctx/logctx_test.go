package logctx_test

import (
	"bytes"
	"context"
	"encoding/json"
	"log/slog"
	"strings"
	"testing"

	"github.com/interviewcoach/coach/internal/logctx"
)

func TestHandlerAddsRequestID(t *testing.T) {
	t.Parallel()
	var buf bytes.Buffer
	// Wrapping twice must not repeat the attribute.
	log := slog.New(logctx.Handler(logctx.Handler(slog.NewJSONHandler(&buf, nil)))).With("component", "test")
	ctx := logctx.WithRequestID(context.Background(), "req-1")

	log.InfoContext(ctx, "with id")
	log.Info("without context")
	log.WarnContext(context.Background(), "without id")
	log.WithGroup("g").InfoContext(ctx, "grouped", "k", "v")

	lines := strings.Split(strings.TrimSpace(buf.String()), "\n")
	if len(lines) != 4 {
		t.Fatalf("%d lines:\n%s", len(lines), buf.String())
	}
	for i, want := range []string{"req-1", "", ""} {
		var rec map[string]any
		if err := json.Unmarshal([]byte(lines[i]), &rec); err != nil {
			t.Fatal(err)
		}
		got, _ := rec["request_id"].(string)
		if got != want || rec["component"] != "test" || strings.Count(lines[i], "request_id") > 1 {
			t.Errorf("line %d: request_id %q, want %q: %s", i, got, want, lines[i])
		}
	}
	// Under a group, as slog puts every attribute of the record.
	if !strings.Contains(lines[3], `"g":{"k":"v","request_id":"req-1"}`) {
		t.Errorf("a grouped logger lost the id: %s", lines[3])
	}
	if logctx.RequestID(context.Background()) != "" || logctx.RequestID(ctx) != "req-1" {
		t.Error("RequestID does not read back what WithRequestID stored")
	}
}
