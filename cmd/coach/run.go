package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"runtime/debug"
	"strings"

	"github.com/interviewcoach/coach/internal/coach"
	"github.com/interviewcoach/coach/internal/config"
	"github.com/interviewcoach/coach/internal/localembed"
	"github.com/interviewcoach/coach/internal/logctx"
	"github.com/interviewcoach/coach/internal/metrics"
	"github.com/interviewcoach/coach/internal/openai"
	"github.com/interviewcoach/coach/internal/postgres"
)

// version is set at build time with -ldflags "-X main.version=...".
var version = "dev"

// errUsage is returned after usage has been printed for a command-line mistake.
var errUsage = errors.New("usage")

// command is one subcommand of coach.
type command struct {
	name    string
	args    string
	summary string
	run     func(ctx context.Context, env *env, args []string) error
}

// env is what a command runs with: its streams and, once loaded, the configuration.
type env struct {
	getenv func(string) string
	stdin  io.Reader
	stdout io.Writer
	stderr io.Writer
	cfg    *config.Config
	logger *slog.Logger
	// metrics, set by serve, is what the services it builds report to.
	metrics *metrics.Metrics
	// model is the client of the OpenAI-compatible endpoint, built once so that grading, embedding
	// and key point extraction share its cap on calls in flight and its connections.
	model *openai.Client
}

func commands() []command {
	return []command{
		{"serve", "", "serve the API and web UI on COACH_ADDR", runServe},
		{"migrate", "", "apply pending database migrations", runMigrate},
		{"ingest", "[--builtin] [--if-empty] [--json] PATH...", "import question banks and pages (files, directories, - for stdin)", runIngest},
		{"reindex", "[--if-needed]", "embed every passage and question with the configured embedding model", runReindex},
		{"docs", "--dir DIR --name NAME --version V --base-url URL [--json]", "import a documentation build (HTML) as a reference corpus, one reference per section", runDocs},
		{"grade", "--question TEXT | --question-id ID --answer TEXT [--json]", "grade an answer and print the report", runGrade},
		{"keys", "create --role ROLE --name NAME | list | revoke ID", "create, list and revoke API keys", runKeys},
		{"purge", "--older-than AGE", "delete attempts older than AGE (90d, 36h) and the sessions left empty", runPurge},
		{"export", "[--out FILE]", "write the whole bank as one JSON file", runExport},
		{"import", "[--json] FILE", "add a bank written by `coach export` (- for stdin), all or nothing", runImport},
		{"eval", "--data FILE.jsonl | --pairs FILE.jsonl [--grader offline|llm] [--limit N] [--json OUT]", "measure agreement of the grader with human-graded answers, or right against wrong answers", runEval},
		{"version", "", "print the version", runVersion},
	}
}

// run is the whole program: it parses args and runs one command. It touches no global state, so
// tests run it in-process.
func run(ctx context.Context, args []string, getenv func(string) string, stdin io.Reader, stdout, stderr io.Writer) error {
	e := &env{getenv: getenv, stdin: stdin, stdout: stdout, stderr: stderr}
	if len(args) == 0 || args[0] == "help" || args[0] == "-h" || args[0] == "--help" {
		if len(args) > 1 {
			return run(ctx, []string{args[1], "-h"}, getenv, stdin, stdout, stderr)
		}
		printUsage(stdout)
		if len(args) == 0 {
			return errUsage
		}
		return nil
	}
	for _, c := range commands() {
		if c.name != args[0] {
			continue
		}
		if c.name != "version" && !helpRequested(args[1:]) {
			cfg, err := config.Load(getenv)
			if err != nil {
				return err
			}
			e.cfg = cfg
			e.logger = newLogger(cfg, stderr)
		}
		return c.run(ctx, e, args[1:])
	}
	fmt.Fprintf(stderr, "coach: unknown command %q\n\n", args[0])
	printUsage(stderr)
	return errUsage
}

func helpRequested(args []string) bool {
	for _, a := range args {
		if a == "-h" || a == "--help" || a == "-help" {
			return true
		}
	}
	return false
}

func printUsage(w io.Writer) {
	fmt.Fprintln(w, "coach: practise technical interview questions and grade free-text answers against references.")
	fmt.Fprintln(w, "\nUsage:\n  coach COMMAND [flags]\n\nCommands:")
	for _, c := range commands() {
		fmt.Fprintf(w, "  %-9s %s\n", c.name, c.summary)
	}
	fmt.Fprintln(w, "  help      print this help, or `coach help COMMAND` for one command's flags")
	fmt.Fprintln(w, "\nSettings come from the environment (and an optional .env file):")
	for _, v := range config.Variables {
		def := v.Default
		if def == "" {
			def = `""`
		}
		fmt.Fprintf(w, "  %-24s %s (default %s)\n", v.Name, v.Help, def)
	}
}

// newFlags returns a flag set that prints usage of command name to stderr.
func newFlags(e *env, name string) *flag.FlagSet {
	fs := flag.NewFlagSet("coach "+name, flag.ContinueOnError)
	fs.SetOutput(e.stderr)
	for _, c := range commands() {
		if c.name == name {
			fs.Usage = func() {
				fmt.Fprintf(e.stderr, "Usage: coach %s %s\n\n%s.\n", name, c.args, upperFirst(c.summary))
				if hasFlags(fs) {
					fmt.Fprintln(e.stderr, "\nFlags:")
					fs.PrintDefaults()
				}
			}
		}
	}
	return fs
}

// parseFlags parses args; -h prints usage and returns nil error with ok false.
func parseFlags(fs *flag.FlagSet, args []string) (ok bool, err error) {
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return false, nil
		}
		return false, errUsage
	}
	return true, nil
}

func hasFlags(fs *flag.FlagSet) bool {
	n := 0
	fs.VisitAll(func(*flag.Flag) { n++ })
	return n > 0
}

func upperFirst(s string) string {
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}

func newLogger(cfg *config.Config, w io.Writer) *slog.Logger {
	opts := &slog.HandlerOptions{Level: cfg.LogLevel}
	if cfg.LogFormat == "json" {
		return slog.New(logctx.Handler(slog.NewJSONHandler(w, opts)))
	}
	return slog.New(logctx.Handler(slog.NewTextHandler(w, opts)))
}

// openDB connects to DATABASE_URL.
func openDB(ctx context.Context, e *env) (*postgres.DB, error) {
	if e.cfg.DatabaseURL == "" {
		return nil, coach.Errorf(coach.EINVALID, "DATABASE_URL is not set (run `make db` to start a local database and print one)")
	}
	db, err := postgres.Open(ctx, e.cfg.DatabaseURL, e.logger)
	if err != nil {
		return nil, err
	}
	if err := db.Ping(ctx); err != nil {
		db.Close()
		return nil, err
	}
	return db, nil
}

// openReadyDB connects and checks that the schema is current.
func openReadyDB(ctx context.Context, e *env) (*postgres.DB, error) {
	db, err := openDB(ctx, e)
	if err != nil {
		return nil, err
	}
	if err := db.CheckSchema(ctx); err != nil {
		db.Close()
		return nil, err
	}
	return db, nil
}

// newEmbedder builds the configured embedder.
func newEmbedder(ctx context.Context, e *env) (coach.Embedder, error) {
	switch e.cfg.Embedder {
	case "openai":
		client, err := newOpenAI(e)
		if err != nil {
			return nil, err
		}
		embedder := client.Embedder()
		if embedder.Dimensions() == 0 {
			// Without COACH_EMBED_DIMENSIONS the model's own size is learned from a first call;
			// the store needs it before anything is embedded, to index and search the vectors.
			if _, err := embedder.Embed(ctx, []string{"dimension probe"}); err != nil {
				return nil, err
			}
		}
		return embedder, nil
	default:
		dims := e.cfg.EmbedDimensions
		if dims == 0 {
			dims = localembed.DefaultDimensions
		}
		return localembed.New(dims), nil
	}
}

func runVersion(_ context.Context, e *env, args []string) error {
	fs := newFlags(e, "version")
	if ok, err := parseFlags(fs, args); !ok {
		return err
	}
	v := version
	if info, ok := debug.ReadBuildInfo(); ok {
		for _, s := range info.Settings {
			if s.Key == "vcs.revision" && len(s.Value) >= 12 {
				v += " (" + s.Value[:12] + ")"
			}
		}
	}
	fmt.Fprintln(e.stdout, "coach "+v)
	return nil
}

func runMigrate(ctx context.Context, e *env, args []string) error {
	fs := newFlags(e, "migrate")
	if ok, err := parseFlags(fs, args); !ok {
		return err
	}
	db, err := openDB(ctx, e)
	if err != nil {
		return err
	}
	defer db.Close()
	from, to, err := db.Migrate(ctx)
	if err != nil {
		return err
	}
	if from == to {
		fmt.Fprintf(e.stdout, "database schema is current (version %d)\n", to)
	} else {
		fmt.Fprintf(e.stdout, "migrated database schema from version %d to %d\n", from, to)
	}
	return nil
}
