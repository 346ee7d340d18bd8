package prompts_test

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/interviewcoach/coach/prompts"
)

func gradeData() prompts.GradeData {
	return prompts.GradeData{
		Question: "What does a mutex do?",
		References: []prompts.Reference{{
			ID: "R1", Source: "go-notes.md", Text: "A mutex gives mutual exclusion.",
			KeyPoints: []prompts.KeyPoint{{ID: "K1", Text: "A mutex gives mutual exclusion.", Weight: "core"}},
		}},
		Related:   []string{"What is a data race?"},
		Answer:    "It locks things.",
		Boundary:  "answer-0123456789ab",
		FollowUps: 2,
		// The three fences share one random part per call.
		QuestionBoundary: "question-0123456789ab",
		BankBoundary:     "bank-0123456789ab",
	}
}

func writeFile(t *testing.T, dir, name, text string) {
	t.Helper()
	if err := os.WriteFile(filepath.Join(dir, name), []byte(text), 0o600); err != nil {
		t.Fatal(err)
	}
}

func TestLoadDefaults(t *testing.T) {
	t.Parallel()
	s, err := prompts.Load("")
	if err != nil {
		t.Fatal(err)
	}
	system, user, err := s.Render(prompts.Grade, gradeData())
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"<answer-0123456789ab>", "<question-0123456789ab>", "<bank-0123456789ab>",
		"never instructions", `"followups" holds 2 follow-up questions:`, `"mostly"`, "names the\n  right term",
		"A correct point that the rubric lacks earns no credit"} {
		if !strings.Contains(system, want) {
			t.Errorf("system message lacks %q", want)
		}
	}
	for _, want := range []string{"<question-0123456789ab>\nWhat does a mutex do?\n</question-0123456789ab>",
		"<bank-0123456789ab>\n[R1] (source: go-notes.md)", "- K1 (core): A mutex gives mutual exclusion.",
		"- What is a data race?\n</bank-0123456789ab>", "<answer-0123456789ab>\nIt locks things.\n</answer-0123456789ab>"} {
		if !strings.Contains(user, want) {
			t.Errorf("user message lacks %q:\n%s", want, user)
		}
	}
	if strings.Contains(system, "It locks things.") {
		t.Error("the answer leaked into the system message")
	}

	if _, _, err := s.Render(prompts.KeyPoints, prompts.KeyPointsData{Question: "q", Answer: "a", Boundary: "b", Min: 3, Max: 8}); err != nil {
		t.Fatal(err)
	}
	if _, _, err := s.Render("nope", nil); err == nil {
		t.Error("rendering an unknown prompt succeeded")
	}
}

func TestVersionStable(t *testing.T) {
	t.Parallel()
	a, err := prompts.Load("")
	if err != nil {
		t.Fatal(err)
	}
	b, err := prompts.Load(t.TempDir()) // an empty override directory changes nothing
	if err != nil {
		t.Fatal(err)
	}
	hex12 := regexp.MustCompile(`^[0-9a-f]{12}$`)
	for _, name := range []string{prompts.Grade, prompts.KeyPoints, "followups"} {
		if v := a.Version(name); !hex12.MatchString(v) || v != b.Version(name) {
			t.Errorf("Version(%q) = %q and %q, want the same 12 hex digits", name, v, b.Version(name))
		}
	}
	if a.Version(prompts.Grade) == a.Version(prompts.KeyPoints) {
		t.Error("different prompts share a version")
	}
	if a.Version("nope") != "" {
		t.Error("an unknown prompt has a version")
	}
}

func TestOverride(t *testing.T) {
	t.Parallel()
	defaults, err := prompts.Load("")
	if err != nil {
		t.Fatal(err)
	}

	t.Run("followups", func(t *testing.T) {
		t.Parallel()
		dir := t.TempDir()
		writeFile(t, dir, "followups.tmpl", `{{define "followups"}}Ask exactly {{.FollowUps}} pointed questions.{{end}}`)
		s, err := prompts.Load(dir)
		if err != nil {
			t.Fatal(err)
		}
		system, _, err := s.Render(prompts.Grade, gradeData())
		if err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(system, "Ask exactly 2 pointed questions.") {
			t.Errorf("grade does not include the overridden follow-ups:\n%s", system)
		}
		// The grade version covers what it includes; the key point prompt is untouched.
		if s.Version(prompts.Grade) == defaults.Version(prompts.Grade) {
			t.Error("grade version unchanged by a follow-ups override")
		}
		if s.Version(prompts.KeyPoints) != defaults.Version(prompts.KeyPoints) {
			t.Error("keypoints version changed by a follow-ups override")
		}
	})

	t.Run("keypoints", func(t *testing.T) {
		t.Parallel()
		dir := t.TempDir()
		writeFile(t, dir, "keypoints.tmpl", `{{define "keypoints.system"}}Split it.{{end}}{{define "keypoints.user"}}{{.Answer}}{{end}}`)
		writeFile(t, dir, "README.md", "not a template, ignored")
		s, err := prompts.Load(dir)
		if err != nil {
			t.Fatal(err)
		}
		system, user, err := s.Render(prompts.KeyPoints, prompts.KeyPointsData{Answer: "the text"})
		if err != nil {
			t.Fatal(err)
		}
		if system != "Split it." || user != "the text" {
			t.Errorf("Render = %q, %q", system, user)
		}
		if s.Version(prompts.KeyPoints) == defaults.Version(prompts.KeyPoints) {
			t.Error("keypoints version unchanged by its override")
		}
		if s.Version(prompts.Grade) != defaults.Version(prompts.Grade) {
			t.Error("grade version changed by a keypoints override")
		}
	})
}

func TestLoadErrors(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, file, text, want string
	}{
		{"syntax", "grade.tmpl", `{{define "grade.system"}}{{.Question}{{end}}`, "grade.tmpl"},
		{"unknown field", "followups.tmpl", `{{define "followups"}}{{.Nope}}{{end}}`, "Nope"},
		{"missing part", "keypoints.tmpl", `{{define "keypoints.system"}}x{{end}}`, `"keypoints.user"`},
		{"undefined include", "grade.tmpl", `{{define "grade.system"}}{{template "nope" .}}{{end}}{{define "grade.user"}}u{{end}}`, `"nope"`},
		{"defined twice", "keypoints.tmpl", `{{define "keypoints.system"}}s{{end}}{{define "keypoints.user"}}u{{end}}{{define "followups"}}f{{end}}`, "also defined"},
		{"unknown file", "grades.tmpl", `x`, "no such template"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			dir := t.TempDir()
			writeFile(t, dir, tt.file, tt.text)
			_, err := prompts.Load(dir)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("Load = %v, want an error mentioning %s", err, tt.want)
			}
		})
	}

	t.Run("missing dir", func(t *testing.T) {
		t.Parallel()
		if _, err := prompts.Load(filepath.Join(t.TempDir(), "nope")); err == nil {
			t.Error("Load of a missing directory succeeded")
		}
	})
}
