package practice_test

import (
	"bytes"
	"strings"
	"testing"
	"time"

	"github.com/interviewcoach/coach/internal/coach"
	"github.com/interviewcoach/coach/internal/practice"
)

func TestInline(t *testing.T) {
	t.Parallel()
	tests := []struct{ in, want string }{
		{"select_related uses a JOIN", `select\_related uses a JOIN`},
		{"<script>alert(1)</script>", `\<script\>alert(1)\</script\>`},
		{"[click](javascript:alert(1)) ![x](http://e/x.png)", `\[click\](javascript\:alert(1)) \!\[x\](http\://e/x.png)`},
		{"see https://evil.example/x, www.evil.example or mail ada@evil.example", `see https\://evil.example/x, www\.evil.example or mail ada\@evil.example`},
		{"WWW.Example.org", `WWW\.Example.org`},
		{"# heading\n\n- item\r\n| a | b |", `\# heading - item \| a \| b \|`},
		{"`code` *em* ~~s~~ &amp; \\", "\\`code\\` \\*em\\* \\~\\~s\\~\\~ \\&amp; \\\\"},
	}
	for _, tt := range tests {
		if got := practice.Inline(tt.in); got != tt.want {
			t.Errorf("Inline(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestFence(t *testing.T) {
	t.Parallel()
	tests := []struct{ in, want string }{
		{"plain\n", "```text\nplain\n```\n"},
		{"a ``` b\r\nc", "````text\na ``` b\nc\n````\n"},
		{"`````", "``````text\n`````\n``````\n"},
	}
	for _, tt := range tests {
		if got := practice.Fence(tt.in); got != tt.want {
			t.Errorf("Fence(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

// outsideFences returns the lines of a Markdown document that are not inside fenced code blocks.
func outsideFences(md string) []string {
	var out []string
	fence := ""
	for _, line := range strings.Split(md, "\n") {
		switch {
		case fence == "" && strings.HasPrefix(line, "```"):
			fence = strings.TrimRight(line, "abcdefghijklmnopqrstuvwxyz")
		case fence != "" && strings.TrimSpace(line) == fence:
			fence = ""
		case fence == "":
			out = append(out, line)
		}
	}
	return out
}

// unescaped returns the first of chars in line that is not backslash-escaped.
func unescaped(line, chars string) (rune, bool) {
	escaped := false
	for _, c := range line {
		switch {
		case escaped:
			escaped = false
		case c == '\\':
			escaped = true
		case strings.ContainsRune(chars, c):
			return c, true
		}
	}
	return 0, false
}

func TestWriteMarkdownIsInert(t *testing.T) {
	t.Parallel()
	hostile := "<script>alert('x')</script> [link](javascript:alert(1))"
	answer := "Fine so far.\n```\n</code><script>alert(document.cookie)</script>\n# Not a heading\n<img src=x onerror=alert(1)>"
	r := &coach.SessionReport{
		Session: coach.Session{ID: "s-1", Name: hostile, CreatedAt: time.Unix(0, 0)},
		Attempts: []coach.ReportAttempt{{
			AttemptID: "a-1", QuestionID: "q1", Question: "Typed " + hostile, Topic: "orm", Answer: answer,
			Score: 42, Band: coach.BandWeak, Grounded: true,
			Grader: coach.GraderInfo{Kind: coach.GraderLLM, Model: "gpt-x", PromptVersion: "grade-v3"},
			KeyPoints: []coach.Judgement{
				{KeyPointID: "k1", Text: "A point", Status: coach.StatusCovered, Evidence: hostile},
				{KeyPointID: "k2", Text: "Another point", Status: coach.StatusMissing},
			},
			Misconceptions: []coach.Misconception{{Claim: hostile, Correction: "No."}},
			Feedback: coach.Feedback{
				Summary: hostile, Strengths: []coach.Remark{{Text: hostile}}, Improvements: []coach.Remark{{Text: "More."}},
				ModelAnswer: "Model\n\n# answer",
			},
			FollowUps: []coach.FollowUp{{Question: hostile}},
		}},
		TopicNames: map[string]string{"orm": "Models and the ORM"},
		Topics:     []coach.TopicSummary{{Topic: "orm", Attempts: 1, MeanScore: 42, WeakestKeyPoints: []coach.KeyPointMisses{{ID: "k2", Text: "Another | point", Misses: 1}}}},
	}
	var buf bytes.Buffer
	practice.WriteMarkdown(&buf, r)
	md := buf.String()
	if !strings.Contains(md, "````text\n"+answer+"\n````\n") {
		t.Errorf("answer not fenced verbatim:\n%s", md)
	}
	for _, line := range outsideFences(md) {
		if c, ok := unescaped(line, "<>[]`&@"); ok {
			t.Errorf("live markup %q outside fences: %q", c, line)
		}
	}
	for _, want := range []string{
		"# Practice session: \\<script\\>", "| Models and the ORM | 1 | 42.0 | +0.0 |", "- **Missed 1×:** Another \\| point",
		"- **Topic:** Models and the ORM\n", "- **Graded by:** language model gpt-x, prompt grade-v3\n",
		"### 1. Typed \\<script\\>", "- **Score:** 42/100 (weak)", "- **covered:** A point (evidence: “\\<script\\>",
		"- **missing:** Another point", "**Model answer:** Model \\# answer", "1. **Question:** \\<script\\>",
	} {
		if !strings.Contains(md, want) {
			t.Errorf("report lacks %q:\n%s", want, md)
		}
	}
}
