package main

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"runtime"

	"github.com/interviewcoach/coach/internal/coach"
	"github.com/interviewcoach/coach/internal/eval"
	"github.com/interviewcoach/coach/internal/progress"
)

// runEval grades human-graded answers and prints how well the grader agrees with people. It needs
// no database: each line of the file carries its question and reference answers.
func runEval(ctx context.Context, e *env, args []string) error {
	fs := newFlags(e, "eval")
	data := fs.String("data", "", "JSON Lines file of human-graded answers (numeric or labels layout)")
	pairsFile := fs.String("pairs", "", "JSON Lines file of right and wrong answers to bundled bank questions (qid, right, wrong)")
	graderName := fs.String("grader", coach.GraderOffline, "grader to measure: offline or llm")
	limit := fs.Int("limit", 0, "grade only the first N answers (0: all)")
	jsonOut := fs.String("json", "", "also write every figure and per-answer prediction to this file")
	workers := fs.Int("workers", runtime.NumCPU(), "answers graded at once")
	if ok, err := parseFlags(fs, args); !ok {
		return err
	}
	if fs.NArg() > 0 {
		return coach.Errorf(coach.EINVALID, "unexpected argument %q", fs.Arg(0))
	}
	if (*data == "") == (*pairsFile == "") {
		if *data != "" {
			return coach.Errorf(coach.EINVALID, "give --data or --pairs, not both")
		}
		fs.Usage()
		return errUsage
	}
	if *workers < 1 {
		return coach.Errorf(coach.EINVALID, "--workers must be at least 1")
	}
	g, off, err := evalGrader(e, *graderName)
	if err != nil {
		return err
	}
	if *pairsFile != "" {
		return runPairs(ctx, e, g, off, *pairsFile, *jsonOut)
	}

	f, err := os.Open(*data)
	if err != nil {
		return coach.Errorf(coach.EINVALID, "%s: cannot open: %v", *data, err)
	}
	items, layout, err := eval.Load(f, *limit)
	f.Close()
	if err != nil {
		return coach.Errorf(coach.EINVALID, "%s: %v", *data, err)
	}

	bar := progress.New(e.stderr, filepath.Base(*data), len(items))
	rep, err := eval.Run(ctx, g, off, items, layout, eval.Options{Workers: *workers, Progress: func() { bar.Add(1) }})
	bar.Finish()
	if err != nil {
		return err
	}
	if err := eval.WriteTable(e.stdout, rep, filepath.Base(*data)); err != nil {
		return fmt.Errorf("write report: %w", err)
	}
	if *jsonOut != "" {
		if err := writeJSON(*jsonOut, rep); err != nil {
			return err
		}
		fmt.Fprintf(e.stdout, "\nWrote every figure and prediction to %s.\n", *jsonOut)
	}
	return nil
}

// evalGrader returns the grader to measure and the offline grader that judges non-answers.
func evalGrader(e *env, name string) (coach.Grader, coach.Grader, error) {
	off := newOffline()
	switch name {
	case coach.GraderOffline:
		return off, off, nil
	case coach.GraderLLM:
		// The flag asks for the model whatever COACH_GRADER says; the endpoint settings still come
		// from the environment, and openai.New names any that are missing.
		cfg := *e.cfg
		cfg.Grader = coach.GraderLLM
		llmEnv := *e
		llmEnv.cfg = &cfg
		client, err := newOpenAI(&llmEnv)
		if err != nil {
			return nil, nil, err
		}
		return client, off, nil
	}
	return nil, nil, coach.Errorf(coach.EINVALID, "--grader must be offline or llm, not %q", name)
}

// runPairs grades right and wrong answers to questions of the bundled bank and prints whether each
// pair is told apart. It needs no database: the bank is the one built into the binary.
func runPairs(ctx context.Context, e *env, g, off coach.Grader, path, jsonOut string) error {
	f, err := os.Open(path)
	if err != nil {
		return coach.Errorf(coach.EINVALID, "%s: cannot open: %v", path, err)
	}
	pairs, err := eval.LoadPairs(f)
	f.Close()
	if err != nil {
		return coach.Errorf(coach.EINVALID, "%s: %v", path, err)
	}
	questions, err := eval.BundledQuestions()
	if err != nil {
		return err
	}
	rep, err := eval.RunPairs(ctx, g, off, questions, pairs)
	if err != nil {
		return coach.Errorf(coach.EINVALID, "%s: %v", path, err)
	}
	if err := eval.WritePairs(e.stdout, rep, filepath.Base(path)); err != nil {
		return fmt.Errorf("write report: %w", err)
	}
	if jsonOut != "" {
		if err := writeJSON(jsonOut, rep); err != nil {
			return err
		}
		fmt.Fprintf(e.stdout, "\nWrote every result to %s.\n", jsonOut)
	}
	return nil
}

// writeJSON writes v, indented, to path.
func writeJSON(path string, v any) error {
	b, err := json.MarshalIndent(v, "", "  ")
	if err != nil {
		return fmt.Errorf("encode report: %w", err)
	}
	if err := os.WriteFile(path, append(b, '\n'), 0o644); err != nil {
		return fmt.Errorf("write report: %w", err)
	}
	return nil
}
