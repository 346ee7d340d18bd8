package config

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func env(vars map[string]string) func(string) string {
	return func(k string) string { return vars[k] }
}

func TestLoadDefaults(t *testing.T) {
	t.Parallel()
	c, err := Load(env(map[string]string{"COACH_ENV_FILE": filepath.Join(t.TempDir(), "none")}))
	if err != nil {
		t.Fatal(err)
	}
	if c.Addr != ":8080" || c.Embedder != "local" || c.Grader != "auto" || c.LLMTimeout != 6*time.Minute ||
		c.LLMConcurrency != 4 || c.MaxAnswerChars != 6000 || c.UseLLM() || c.ShutdownGrace != 30*time.Second ||
		c.LLMMaxTokens != 4096 || c.ChatParams != "auto" || c.ReasoningEffort != "" || c.LLMFormatRetry != 10*time.Minute || c.GradeTimeout != 2*time.Minute {
		t.Errorf("unexpected defaults: %+v", c)
	}
}

// TestGradeTimeoutFollowsModel: grading by a language model may take two calls of COACH_LLM_TIMEOUT
// (a timed-out call is sent once more), so its default request limit leaves room for them; a limit
// that is set wins.
func TestGradeTimeoutFollowsModel(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		vars map[string]string
		want time.Duration
	}{
		{map[string]string{"OPENAI_API_KEY": "k"}, 13 * time.Minute},
		{map[string]string{"OPENAI_API_KEY": "k", "COACH_LLM_TIMEOUT": "90s"}, 4 * time.Minute},
		{map[string]string{"OPENAI_API_KEY": "k", "COACH_GRADE_TIMEOUT": "3m"}, 3 * time.Minute},
		{map[string]string{"OPENAI_API_KEY": "k", "COACH_GRADER": "offline"}, 2 * time.Minute},
	} {
		tt.vars["COACH_ENV_FILE"] = "/no/such/file"
		c, err := Load(env(tt.vars))
		if err != nil {
			t.Fatalf("%v: %v", tt.vars, err)
		}
		if c.GradeTimeout != tt.want {
			t.Errorf("%v: grade timeout %s, want %s", tt.vars, c.GradeTimeout, tt.want)
		}
	}
}

func TestLoadInvalid(t *testing.T) {
	t.Parallel()
	tests := []struct {
		vars map[string]string
		want string // the variable the error must name
	}{
		{map[string]string{"COACH_EMBEDDER": "bert"}, "COACH_EMBEDDER"},
		{map[string]string{"COACH_EMBED_DIMENSIONS": "3000"}, "COACH_EMBED_DIMENSIONS"},
		{map[string]string{"COACH_EMBED_DIMENSIONS": "many"}, "COACH_EMBED_DIMENSIONS"},
		{map[string]string{"COACH_ADDR": "8080"}, "COACH_ADDR"},
		{map[string]string{"DATABASE_URL": "mysql://x"}, "DATABASE_URL"},
		{map[string]string{"COACH_LOG_LEVEL": "loud"}, "COACH_LOG_LEVEL"},
		{map[string]string{"COACH_LLM_TIMEOUT": "soon"}, "COACH_LLM_TIMEOUT"},
		{map[string]string{"COACH_SHUTDOWN_GRACE": "-1s"}, "COACH_SHUTDOWN_GRACE"},
		{map[string]string{"COACH_GRADER": "llm"}, "OPENAI_API_KEY"},
		{map[string]string{"COACH_EMBEDDER": "openai"}, "OPENAI_API_KEY"},
		{map[string]string{"OPENAI_BASE_URL": "localhost:11434"}, "OPENAI_BASE_URL"},
		{map[string]string{"COACH_FALLBACK": "yes"}, "COACH_FALLBACK"},
		{map[string]string{"COACH_GRADE_CACHE": "yes"}, "COACH_GRADE_CACHE"},
		{map[string]string{"COACH_PROMPTS_DIR": "/no/such/dir"}, "COACH_PROMPTS_DIR"},
		{map[string]string{"COACH_CHAT_PARAMS": "o-series"}, "COACH_CHAT_PARAMS"},
		{map[string]string{"COACH_REASONING_EFFORT": "extreme"}, "COACH_REASONING_EFFORT"},
		{map[string]string{"COACH_LLM_MAX_TOKENS": "100"}, "COACH_LLM_MAX_TOKENS"},
		{map[string]string{"COACH_LLM_FORMAT_RETRY": "never"}, "COACH_LLM_FORMAT_RETRY"},
	}
	for _, tt := range tests {
		tt.vars["COACH_ENV_FILE"] = "/no/such/file"
		_, err := Load(env(tt.vars))
		if err == nil {
			t.Errorf("%v: no error", tt.vars)
			continue
		}
		if msg := err.Error(); !strings.Contains(msg, tt.want) || strings.Contains(msg, "\n") {
			t.Errorf("%v: error %q should be one line naming %s", tt.vars, msg, tt.want)
		}
	}
}

func TestEnvFileAndOverride(t *testing.T) {
	t.Parallel()
	file := filepath.Join(t.TempDir(), ".env")
	content := "# comment\nCOACH_ADDR=:9090\nexport COACH_LOG_LEVEL=\"debug\"\nCOACH_EMBEDDER=local # inline\n"
	if err := os.WriteFile(file, []byte(content), 0o600); err != nil {
		t.Fatal(err)
	}
	c, err := Load(env(map[string]string{"COACH_ENV_FILE": file, "COACH_LOG_LEVEL": "warn"}))
	if err != nil {
		t.Fatal(err)
	}
	if c.Addr != ":9090" {
		t.Errorf("Addr = %q, want the file's :9090", c.Addr)
	}
	if c.LogLevel.String() != "WARN" {
		t.Errorf("LogLevel = %v, want the environment's WARN over the file's debug", c.LogLevel)
	}
	if err := os.WriteFile(file, []byte("NOT A SETTING\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := Load(env(map[string]string{"COACH_ENV_FILE": file})); err == nil || !strings.Contains(err.Error(), "line 1") {
		t.Errorf("bad .env line: err = %v, want one naming line 1", err)
	}
}

// TestEnvExample keeps .env.example in step with Variables. Regenerate it with
// UPDATE_ENV_EXAMPLE=1 go test ./internal/config.
func TestEnvExample(t *testing.T) {
	path := filepath.Join("..", "..", ".env.example")
	want := ExampleEnv()
	if os.Getenv("UPDATE_ENV_EXAMPLE") != "" {
		if err := os.WriteFile(path, []byte(want), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	got, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if string(got) != want {
		t.Errorf(".env.example is out of date: run UPDATE_ENV_EXAMPLE=1 go test ./internal/config")
	}
	for _, v := range Variables {
		if !strings.Contains(string(got), "\n"+v.Name+"=") {
			t.Errorf(".env.example lacks %s", v.Name)
		}
	}
}
