package openai_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/interviewcoach/coach/internal/coach"
	"github.com/interviewcoach/coach/internal/openai"
)

func keyPoints(points ...string) step {
	return replyJSON(map[string]any{"key_points": points})
}

func TestExtractKeyPoints(t *testing.T) {
	t.Parallel()
	f := newFake(t)
	f.chatSteps = []step{keyPoints(" A mutex admits one goroutine at a time. ", "Unlock must always run.", "Use defer to unlock.")}
	c := newClient(t, testConfig(t, f))

	got, err := c.ExtractKeyPoints(t.Context(), "What does a mutex do?", "A mutex admits one goroutine at a time...")
	if err != nil {
		t.Fatal(err)
	}
	if strings.Join(got, "|") != "A mutex admits one goroutine at a time.|Unlock must always run.|Use defer to unlock." {
		t.Errorf("key points = %q", got)
	}
	req := f.chatRequests()[0]
	if req.ResponseFormat.JSONSchema.Name != "key_points" || !strings.Contains(req.Messages[1].Content, "A mutex admits one goroutine at a time...") {
		t.Errorf("request = %+v", req)
	}
}

func TestExtractKeyPointsRepair(t *testing.T) {
	t.Parallel()

	t.Run("too few, then fixed", func(t *testing.T) {
		t.Parallel()
		f := newFake(t)
		f.chatSteps = []step{keyPoints("Only one."), keyPoints("One.", "Two.", "Three.")}
		got, err := newClient(t, testConfig(t, f)).ExtractKeyPoints(t.Context(), "q", "answer")
		if err != nil || len(got) != 3 {
			t.Fatalf("ExtractKeyPoints = %q, %v", got, err)
		}
		if repair := f.chatRequests()[1].Messages[3].Content; !strings.Contains(repair, "holds 1 statements, want 3 to 8") {
			t.Errorf("repair message = %q", repair)
		}
	})

	t.Run("empty and repeated, twice", func(t *testing.T) {
		t.Parallel()
		f := newFake(t)
		f.chatSteps = []step{keyPoints("One.", "  ", "one")}
		_, err := newClient(t, testConfig(t, f)).ExtractKeyPoints(t.Context(), "q", "answer")
		wantCode(t, err, coach.EUNAVAILABLE)
		var oe *openai.OutputError
		if !errors.As(err, &oe) || len(oe.Problems) != 2 {
			t.Errorf("error = %v, want two problems", err)
		}
	})
}
