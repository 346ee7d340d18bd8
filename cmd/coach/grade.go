package main

import (
	"context"
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/interviewcoach/coach/internal/coach"
	"github.com/interviewcoach/coach/internal/grading"
	"github.com/interviewcoach/coach/internal/localembed"
	"github.com/interviewcoach/coach/internal/offline"
	"github.com/interviewcoach/coach/internal/openai"
	"github.com/interviewcoach/coach/internal/postgres"
	"github.com/interviewcoach/coach/prompts"
)

// gradingSeed is sent with every chat completion so that servers which honour seeds grade the same
// input the same way.
const gradingSeed = 20240601

// newOpenAI returns the client of the OpenAI-compatible endpoint, built on the first call.
func newOpenAI(e *env) (*openai.Client, error) {
	if e.model != nil {
		return e.model, nil
	}
	set, err := prompts.Load(e.cfg.PromptsDir)
	if err != nil {
		return nil, coach.Errorf(coach.EINVALID, "COACH_PROMPTS_DIR: %v", err)
	}
	chatModel := ""
	if e.cfg.UseLLM() {
		chatModel = e.cfg.ChatModel
	}
	embedModel := ""
	if e.cfg.Embedder == "openai" {
		embedModel = e.cfg.EmbedModel
	}
	client, err := openai.New(openai.Config{
		BaseURL:         e.cfg.OpenAIBaseURL,
		APIKey:          e.cfg.OpenAIAPIKey,
		APIType:         e.cfg.OpenAIAPIType,
		APIVersion:      e.cfg.OpenAIAPIVersion,
		ChatModel:       chatModel,
		EmbedModel:      embedModel,
		EmbedDimensions: e.cfg.EmbedDimensions,
		Timeout:         e.cfg.LLMTimeout,
		MaxTokens:       e.cfg.LLMMaxTokens,
		FormatRetry:     e.cfg.LLMFormatRetry,
		ChatParams:      e.cfg.ChatParams,
		ReasoningEffort: e.cfg.ReasoningEffort,
		MaxRetries:      e.cfg.LLMMaxRetries,
		MaxConcurrent:   e.cfg.LLMConcurrency,
		Seed:            gradingSeed,
		Logger:          e.logger,
		Observer:        e.modelObserver(),
	}, set)
	if err != nil {
		return nil, coach.Errorf(coach.EINVALID, "OpenAI settings: %v", err)
	}
	e.model = client
	return client, nil
}

// newOffline builds the offline grader. It always compares texts with the local embedder, whatever
// embedder retrieval uses: its thresholds were fitted with it, and it must never need the network.
func newOffline() *offline.Grader {
	return offline.New(localembed.New(localembed.DefaultDimensions))
}

// newGrading builds the grading pipeline with the configured grader.
func newGrading(e *env, db *postgres.DB, embedder coach.Embedder) (*grading.Service, error) {
	off := newOffline()
	svc := &grading.Service{
		Store:          db,
		Embedder:       embedder,
		Grader:         off,
		Offline:        off,
		Fallback:       e.cfg.Fallback == "offline",
		MaxAnswerChars: e.cfg.MaxAnswerChars,
		Logger:         e.logger,
		Observer:       e.gradingObserver(),
	}
	if e.cfg.UseLLM() {
		client, err := newOpenAI(e)
		if err != nil {
			return nil, err
		}
		svc.Grader = client
	}
	if e.cfg.GradeCache {
		svc.Cache = grading.NewCache(graderIdentity(e), grading.DefaultCacheSize)
	}
	return svc, nil
}

// graderIdentity names the configured grader with everything that changes its grades, for the
// grade cache: the offline grader, or the endpoint, model, prompt version and chat settings.
func graderIdentity(e *env) string {
	if !e.cfg.UseLLM() {
		return coach.GraderOffline
	}
	version := ""
	if set, err := prompts.Load(e.cfg.PromptsDir); err == nil {
		version = set.Version(prompts.Grade)
	}
	return strings.Join([]string{coach.GraderLLM, e.cfg.OpenAIBaseURL, e.cfg.OpenAIAPIType, e.cfg.ChatModel, version,
		e.cfg.ChatParams, e.cfg.ReasoningEffort, strconv.Itoa(e.cfg.LLMMaxTokens)}, "\x00")
}

func runGrade(ctx context.Context, e *env, args []string) error {
	fs := newFlags(e, "grade")
	question := fs.String("question", "", "the question, as text")
	questionID := fs.String("question-id", "", "the id of a bank question")
	answer := fs.String("answer", "", "the candidate's answer; - reads it from standard input")
	count := fs.Int("count", grading.DefaultFollowUps, "follow-up questions to write (1-5)")
	asJSON := fs.Bool("json", false, "print the API's JSON instead of the report")
	if ok, err := parseFlags(fs, args); !ok {
		return err
	}
	if fs.NArg() > 0 {
		return coach.Errorf(coach.EINVALID, "unexpected argument %q (quote the answer: --answer \"...\")", fs.Arg(0))
	}
	if *answer == "-" {
		data, err := io.ReadAll(io.LimitReader(e.stdin, int64(e.cfg.MaxAnswerChars)*4+1))
		if err != nil {
			return fmt.Errorf("read answer: %w", err)
		}
		*answer = string(data)
	}
	db, err := openReadyDB(ctx, e)
	if err != nil {
		return err
	}
	defer db.Close()
	embedder, err := newEmbedder(ctx, e)
	if err != nil {
		return err
	}
	svc, err := newGrading(e, db, embedder)
	if err != nil {
		return err
	}
	a, err := svc.Grade(ctx, coach.GradeRequest{QuestionID: *questionID, Question: *question, Answer: *answer, FollowUps: *count})
	if err != nil {
		return err
	}
	if *asJSON {
		return printJSON(e, a)
	}
	printReport(e.stdout, a)
	return nil
}

var statusMark = map[string]string{
	coach.StatusCovered:      "[x]",
	coach.StatusPartial:      "[~]",
	coach.StatusMissing:      "[ ]",
	coach.StatusContradicted: "[!]",
}

// printReport writes a graded attempt for a person to read.
func printReport(w io.Writer, a *coach.Attempt) {
	grader := a.Grader.Kind
	if a.Grader.Model != "" {
		grader += " (" + a.Grader.Model + ")"
	}
	if a.Grader.Fallback {
		grader += ", as a fallback"
	}
	fmt.Fprintf(w, "Question: %s\n", a.Question)
	fmt.Fprintf(w, "Score: %d/100 (%s)   grader: %s   attempt: %s\n", a.Score, a.Band, grader, a.ID)
	if !a.Grounded {
		fmt.Fprintln(w, "NOT GROUNDED: no close reference in the bank.")
	}
	for _, warning := range a.Warnings {
		fmt.Fprintf(w, "Warning: %s\n", warning)
	}
	fmt.Fprintln(w, "\nKey points:")
	for _, j := range a.KeyPoints {
		fmt.Fprintf(w, "  %s %s\n", statusMark[j.Status], j.Text)
		if j.Evidence != "" {
			fmt.Fprintf(w, "      evidence: %q\n", j.Evidence)
		}
		if j.Note != "" {
			fmt.Fprintf(w, "      unconfirmed: %s\n", j.Note)
		}
	}
	if len(a.Misconceptions) > 0 {
		fmt.Fprintln(w, "\nMisconceptions:")
		for _, m := range a.Misconceptions {
			fmt.Fprintf(w, "  - %s\n    correction: %s [%s]\n", m.Claim, m.Correction, m.ReferenceID)
		}
	}
	fmt.Fprintf(w, "\nFeedback: %s\n", a.Feedback.Summary)
	printRemarks(w, "Strengths", a.Feedback.Strengths)
	printRemarks(w, "To improve", a.Feedback.Improvements)
	if a.Feedback.ModelAnswer != "" {
		fmt.Fprintf(w, "\nModel answer:\n  %s\n", strings.ReplaceAll(a.Feedback.ModelAnswer, "\n", "\n  "))
	}
	if len(a.FollowUps) > 0 {
		fmt.Fprintln(w, "\nFollow-up questions:")
		for i, f := range a.FollowUps {
			fmt.Fprintf(w, "  %d. %s\n     expected: %s [%s]\n", i+1, f.Question, f.ExpectedAnswer, f.ReferenceID)
		}
	}
	fmt.Fprintln(w, "\nReferences:")
	for _, r := range a.References {
		fmt.Fprintf(w, "  [%s] %s (source: %s, similarity %.2f)\n", r.ID, r.Question, r.Source, r.Similarity)
	}
}

func printRemarks(w io.Writer, title string, remarks []coach.Remark) {
	if len(remarks) == 0 {
		return
	}
	fmt.Fprintf(w, "%s:\n", title)
	for _, r := range remarks {
		fmt.Fprintf(w, "  - %s [%s]\n", r.Text, strings.Join(r.ReferenceIDs, ", "))
	}
}
