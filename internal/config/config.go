// Package config reads the coach's settings from the environment, once, and validates them.
package config

import (
	"bufio"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"net/url"
	"os"
	"strconv"
	"strings"
	"time"
)

// Config is every setting of the coach. The zero value is not valid; use Load.
type Config struct {
	DatabaseURL string
	Addr        string

	Embedder string // "local" or "openai"
	// Similarity is COACH_SIMILARITY: the importer's similarity thresholds for the embedder in use,
	// as ingest.ParseThresholds reads them; "" keeps those chosen for the local embedder.
	Similarity      string
	EmbedModel      string
	EmbedDimensions int

	Grader   string // "auto", "offline" or "llm"
	Fallback string // "" or "offline"
	// GradeCache reuses the grade of an identical earlier grading (COACH_GRADE_CACHE=on, the default).
	GradeCache bool

	OpenAIAPIKey     string
	OpenAIBaseURL    string
	OpenAIAPIType    string // "openai" or "azure"
	OpenAIAPIVersion string
	ChatModel        string
	LLMTimeout       time.Duration
	LLMMaxTokens     int
	LLMFormatRetry   time.Duration
	ChatParams       string // "auto", "reasoning" or "standard"
	ReasoningEffort  string
	LLMMaxRetries    int
	LLMConcurrency   int
	PromptsDir       string

	MaxAnswerChars int
	MaxBodyBytes   int64

	// Access control and limits (see access.go).
	AdminKey       string
	OpenPractice   bool
	MaxImportBytes int64
	// BulkIndexMin is COACH_BULK_INDEX_MIN: how many new passages (or drafts) make an import a bulk
	// load; -1 (off) never.
	BulkIndexMin int
	RateLimit    RateLimit
	RateBurst    int
	// SearchRateLimit limits searches and question lists, SessionRateLimit new sessions.
	SearchRateLimit  RateLimit
	SessionRateLimit RateLimit
	RequestTimeout   time.Duration
	GradeTimeout     time.Duration
	CORSOrigins      []string
	TrustedProxies   []string

	LogLevel  slog.Level
	LogFormat string // "text" or "json"

	// ShutdownGrace is how long requests in flight may take to finish once shutdown begins.
	ShutdownGrace time.Duration
}

// UseLLM reports whether grading goes to the language model.
func (c *Config) UseLLM() bool {
	return c.Grader == "llm" || (c.Grader == "auto" && c.OpenAIAPIKey != "")
}

// Variable describes one environment variable: its default and what it does. The list is the source
// of .env.example and of `coach help`.
type Variable struct {
	Name, Default, Help string
}

// Variables lists every setting.
var Variables = []Variable{
	{"DATABASE_URL", "", "PostgreSQL address (postgres://user:pass@host:5432/db); `make db` prints one"},
	{"COACH_ADDR", ":8080", "address the HTTP server listens on"},
	{"COACH_EMBEDDER", "local", "embedder: local (offline feature hashing) or openai (OPENAI_BASE_URL)"},
	{"COACH_EMBED_MODEL", "text-embedding-3-small", "embedding model when COACH_EMBEDDER=openai"},
	{"COACH_EMBED_DIMENSIONS", "0", "vector size: 0 means the embedder's default (768 for local)"},
	{"COACH_SIMILARITY", "", "similarity thresholds of imports and the review report for the embedder in use, any of merge=0.86,attach=0.62,topic=0.45,topic_margin=0.05,key_point=0.65,suspect=0.75; empty: those, chosen for the local embedder (calibrate them for another)"},
	{"COACH_GRADER", "auto", "grader: auto (llm when OPENAI_API_KEY is set), offline or llm"},
	{"COACH_FALLBACK", "", "set to offline to grade offline, labelled as a fallback, when the model is down"},
	{"COACH_GRADE_CACHE", "on", "on reuses the grade of an identical earlier grading (same question, answer, rubric, grader) without a model call, marked as reused; off grades every time"},
	{"OPENAI_API_KEY", "", "key of the OpenAI-compatible endpoint (any non-empty value for Ollama/vLLM)"},
	{"OPENAI_BASE_URL", "", "base URL of the OpenAI-compatible API, e.g. http://localhost:11434/v1; empty: OpenAI"},
	{"COACH_OPENAI_API_TYPE", "openai", "openai, or azure for Azure OpenAI (then set OPENAI_API_VERSION)"},
	{"OPENAI_API_VERSION", "2024-10-21", "Azure OpenAI API version"},
	{"COACH_CHAT_MODEL", "gpt-4o-mini", "chat model that grades answers and extracts key points"},
	{"COACH_LLM_TIMEOUT", "6m", "time limit of one model call, sent once more when it runs out; 6m fits a 7-8B model on a CPU writing a full grade"},
	{"COACH_LLM_MAX_TOKENS", "4096", "longest reply of a model call, in tokens; a reply cut off is asked for once more with twice the limit"},
	{"COACH_CHAT_PARAMS", "auto", "auto (o1, o3, o4, gpt-5 names are reasoning models), reasoning (no temperature or seed; max_completion_tokens) or standard: for deployments with other names"},
	{"COACH_LLM_FORMAT_RETRY", "10m", "after a model refused structured outputs (json_schema), how long it is asked for plain JSON before json_schema is tried again"},
	{"COACH_REASONING_EFFORT", "", "reasoning_effort sent to reasoning models: minimal, low, medium, high; empty: the provider's default"},
	{"COACH_LLM_MAX_RETRIES", "3", "retries of a model call on 429, 5xx and network errors"},
	{"COACH_LLM_CONCURRENCY", "4", "model calls in flight at once; more wait in a queue"},
	{"COACH_PROMPTS_DIR", "", "directory whose *.tmpl files override the built-in prompts"},
	{"COACH_MAX_ANSWER_CHARS", "6000", "longest answer accepted for grading, in characters"},
	{"COACH_MAX_BODY_BYTES", "1048576", "largest HTTP request body, in bytes"},
	{"COACH_ADMIN_KEY", "", "bootstrap API key with the admin role, at least 16 characters; empty: none"},
	{"COACH_OPEN_PRACTICE", "true", "true: anyone may read the bank, search, start sessions and grade; false: those need an API key"},
	{"COACH_MAX_IMPORT_BYTES", "10485760", "largest upload to POST /api/v1/bank/import, all files together, in bytes"},
	{"COACH_BULK_INDEX_MIN", "2000", "an import of at least this many new passages, more than the embedder's stored ones, is loaded without the passage vector index, which is built afterwards (faster than inserting each vector; searches meanwhile read every vector); off: never"},
	{"COACH_RATE_LIMIT", "30/min", "grading and follow-up requests per API key (or per address without one), e.g. 30/min, 2/s, 500/h; off: no limit"},
	{"COACH_RATE_BURST", "10", "grading requests allowed at once above the rate before 429"},
	{"COACH_SEARCH_RATE_LIMIT", "300/min", "searches and question lists per API key (or address), 60 at once; off: no limit"},
	{"COACH_SESSION_RATE_LIMIT", "120/h", "practice sessions started per API key (or address), 30 at once; off: no limit"},
	{"COACH_REQUEST_TIMEOUT", "30s", "time limit of an API request"},
	{"COACH_GRADE_TIMEOUT", "", "time limit of grading, follow-up, import and reindex requests; empty: 2m, or with a language model twice COACH_LLM_TIMEOUT plus 1m"},
	{"COACH_CORS_ORIGINS", "", "comma-separated origins (https://host[:port]) whose pages may call the API; empty: CORS off"},
	{"COACH_TRUSTED_PROXIES", "", "comma-separated addresses or CIDRs of reverse proxies whose X-Forwarded-For names the client; empty: the peer address"},
	{"COACH_LOG_LEVEL", "info", "debug, info, warn or error"},
	{"COACH_LOG_FORMAT", "text", "text or json"},
	{"COACH_SHUTDOWN_GRACE", "30s", "on SIGTERM, how long requests in flight (gradings) may take to finish before they are cut"},
}

// Load builds the configuration from getenv, falling back to the file named by COACH_ENV_FILE
// (default ".env") for variables the environment leaves empty, then to defaults. The first invalid
// value gives an error naming its variable.
func Load(getenv func(string) string) (*Config, error) {
	file, err := readEnvFile(getenv)
	if err != nil {
		return nil, err
	}
	defaults := make(map[string]string, len(Variables))
	for _, v := range Variables {
		defaults[v.Name] = v.Default
	}
	get := func(name string) string {
		if v := strings.TrimSpace(getenv(name)); v != "" {
			return v
		}
		if v, ok := file[name]; ok && v != "" {
			return v
		}
		return defaults[name]
	}

	c := &Config{
		DatabaseURL:      get("DATABASE_URL"),
		Addr:             get("COACH_ADDR"),
		Embedder:         get("COACH_EMBEDDER"),
		Similarity:       get("COACH_SIMILARITY"),
		EmbedModel:       get("COACH_EMBED_MODEL"),
		Grader:           get("COACH_GRADER"),
		Fallback:         get("COACH_FALLBACK"),
		OpenAIAPIKey:     get("OPENAI_API_KEY"),
		OpenAIBaseURL:    get("OPENAI_BASE_URL"),
		OpenAIAPIType:    get("COACH_OPENAI_API_TYPE"),
		OpenAIAPIVersion: get("OPENAI_API_VERSION"),
		ChatModel:        get("COACH_CHAT_MODEL"),
		ChatParams:       get("COACH_CHAT_PARAMS"),
		ReasoningEffort:  get("COACH_REASONING_EFFORT"),
		PromptsDir:       get("COACH_PROMPTS_DIR"),
		LogFormat:        get("COACH_LOG_FORMAT"),
	}
	var errs []error
	check := func(name string, err error) {
		if err != nil {
			errs = append(errs, fmt.Errorf("%s: %w", name, err))
		}
	}
	oneOf := func(name, value string, allowed ...string) {
		for _, a := range allowed {
			if value == a {
				return
			}
		}
		check(name, fmt.Errorf("%q is not one of %s", value, strings.Join(allowed, ", ")))
	}
	intIn := func(name string, lo, hi int) int {
		n, err := strconv.Atoi(get(name))
		if err != nil {
			check(name, fmt.Errorf("%q is not a whole number", get(name)))
		} else if n < lo || n > hi {
			check(name, fmt.Errorf("%d is outside %d-%d", n, lo, hi))
		}
		return n
	}

	if c.DatabaseURL != "" {
		if u, err := url.Parse(c.DatabaseURL); err != nil || (u.Scheme != "postgres" && u.Scheme != "postgresql") {
			check("DATABASE_URL", errors.New("must be a postgres:// URL"))
		}
	}
	if c.Addr == "" || !strings.Contains(c.Addr, ":") {
		check("COACH_ADDR", fmt.Errorf("%q is not host:port or :port", c.Addr))
	}
	oneOf("COACH_EMBEDDER", c.Embedder, "local", "openai")
	c.EmbedDimensions = intIn("COACH_EMBED_DIMENSIONS", 0, 2000)
	oneOf("COACH_GRADER", c.Grader, "auto", "offline", "llm")
	oneOf("COACH_FALLBACK", c.Fallback, "", "offline")
	oneOf("COACH_GRADE_CACHE", get("COACH_GRADE_CACHE"), "on", "off")
	c.BulkIndexMin = -1
	if get("COACH_BULK_INDEX_MIN") != "off" {
		c.BulkIndexMin = intIn("COACH_BULK_INDEX_MIN", 1, 1<<30)
	}
	c.GradeCache = get("COACH_GRADE_CACHE") == "on"
	oneOf("COACH_OPENAI_API_TYPE", c.OpenAIAPIType, "openai", "azure")
	if c.OpenAIBaseURL != "" {
		if u, err := url.Parse(c.OpenAIBaseURL); err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			check("OPENAI_BASE_URL", fmt.Errorf("%q is not an http(s) URL", c.OpenAIBaseURL))
		}
	}
	if (c.Grader == "llm" || c.Embedder == "openai") && c.OpenAIAPIKey == "" {
		name := "COACH_GRADER=llm"
		if c.Embedder == "openai" {
			name = "COACH_EMBEDDER=openai"
		}
		check("OPENAI_API_KEY", fmt.Errorf("required by %s (any non-empty value for servers without keys)", name))
	}
	if c.OpenAIAPIType == "azure" && c.OpenAIBaseURL == "" {
		check("OPENAI_BASE_URL", errors.New("required when COACH_OPENAI_API_TYPE=azure"))
	}
	if d, err := time.ParseDuration(get("COACH_LLM_TIMEOUT")); err != nil || d <= 0 {
		check("COACH_LLM_TIMEOUT", fmt.Errorf("%q is not a positive duration such as 60s", get("COACH_LLM_TIMEOUT")))
	} else {
		c.LLMTimeout = d
	}
	c.LLMMaxTokens = intIn("COACH_LLM_MAX_TOKENS", 256, 128000)
	if d, err := time.ParseDuration(get("COACH_LLM_FORMAT_RETRY")); err != nil || d <= 0 {
		check("COACH_LLM_FORMAT_RETRY", fmt.Errorf("%q is not a positive duration such as 10m", get("COACH_LLM_FORMAT_RETRY")))
	} else {
		c.LLMFormatRetry = d
	}
	oneOf("COACH_CHAT_PARAMS", c.ChatParams, "auto", "reasoning", "standard")
	oneOf("COACH_REASONING_EFFORT", c.ReasoningEffort, "", "none", "minimal", "low", "medium", "high", "xhigh")
	c.LLMMaxRetries = intIn("COACH_LLM_MAX_RETRIES", 0, 10)
	c.LLMConcurrency = intIn("COACH_LLM_CONCURRENCY", 1, 256)
	if c.PromptsDir != "" {
		if st, err := os.Stat(c.PromptsDir); err != nil || !st.IsDir() {
			check("COACH_PROMPTS_DIR", fmt.Errorf("%q is not a directory", c.PromptsDir))
		}
	}
	c.MaxAnswerChars = intIn("COACH_MAX_ANSWER_CHARS", 100, 100000)
	c.MaxBodyBytes = int64(intIn("COACH_MAX_BODY_BYTES", 1024, 1<<30))
	loadAccess(c, get, check, intIn)
	if err := c.LogLevel.UnmarshalText([]byte(get("COACH_LOG_LEVEL"))); err != nil {
		check("COACH_LOG_LEVEL", fmt.Errorf("%q is not one of debug, info, warn, error", get("COACH_LOG_LEVEL")))
	}
	oneOf("COACH_LOG_FORMAT", c.LogFormat, "text", "json")
	if d, err := time.ParseDuration(get("COACH_SHUTDOWN_GRACE")); err != nil || d < 0 {
		check("COACH_SHUTDOWN_GRACE", fmt.Errorf("%q is not a duration such as 30s", get("COACH_SHUTDOWN_GRACE")))
	} else {
		c.ShutdownGrace = d
	}

	if len(errs) > 0 {
		// One line, naming the first bad variable; the rest would only repeat the lesson.
		return nil, fmt.Errorf("config: %w", errs[0])
	}
	return c, nil
}

// readEnvFile parses a .env file of KEY=VALUE lines; a missing file is no error.
func readEnvFile(getenv func(string) string) (map[string]string, error) {
	name := getenv("COACH_ENV_FILE")
	if name == "" {
		name = ".env"
	}
	f, err := os.Open(name)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	} else if err != nil {
		return nil, fmt.Errorf("config: %w", err)
	}
	defer f.Close()
	vars := map[string]string{}
	sc := bufio.NewScanner(f)
	for n := 1; sc.Scan(); n++ {
		line := strings.TrimSpace(sc.Text())
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		key, value, ok := strings.Cut(strings.TrimPrefix(line, "export "), "=")
		key = strings.TrimSpace(key)
		if !ok || key == "" || strings.ContainsAny(key, " \t") {
			return nil, fmt.Errorf("config: %s line %d: expected KEY=VALUE", name, n)
		}
		value = strings.TrimSpace(value)
		if len(value) >= 2 && (value[0] == '"' || value[0] == '\'') && value[len(value)-1] == value[0] {
			value = value[1 : len(value)-1]
		} else if i := strings.Index(value, " #"); i >= 0 {
			value = strings.TrimSpace(value[:i])
		}
		vars[key] = value
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("config: read %s: %w", name, err)
	}
	return vars, nil
}

// ExampleEnv renders the contents of .env.example.
func ExampleEnv() string {
	var b strings.Builder
	b.WriteString("# Settings of the interview coach server. Every variable is optional except DATABASE_URL\n")
	b.WriteString("# (which `make run` and `make test` fill in themselves). The real environment overrides this file.\n")
	for _, v := range Variables {
		fmt.Fprintf(&b, "\n# %s\n%s=%s\n", v.Help, v.Name, v.Default)
	}
	return b.String()
}
