package eval

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"

	"github.com/interviewcoach/coach/internal/bank"
	"github.com/interviewcoach/coach/internal/coach"
	"github.com/interviewcoach/coach/internal/docparse"
	"github.com/interviewcoach/coach/internal/grading"
)

// The targets a pair of answers must meet: the right answer scores at least PairMargin above the
// wrong one, and the wrong one at most PairWrongMax and never in a band of BandGood or better.
const (
	PairMargin   = 25
	PairWrongMax = 40
)

// Pair is a correct and a wrong answer to one bank question.
type Pair struct {
	QuestionID string `json:"qid"`
	Right      string `json:"right"`
	Wrong      string `json:"wrong"`
}

// PairResult is how a grader scored one pair.
type PairResult struct {
	QuestionID string `json:"qid"`
	RightScore int    `json:"right_score"`
	RightBand  string `json:"right_band"`
	WrongScore int    `json:"wrong_score"`
	WrongBand  string `json:"wrong_band"`
	// Separated is set when the pair meets every target.
	Separated bool `json:"separated"`
	// WrongContradicted counts the key points found contradicted in the wrong answer.
	WrongContradicted int `json:"wrong_contradicted"`
}

// PairReport is every pair's result and how many met the targets.
type PairReport struct {
	Grader    string       `json:"grader"`
	Model     string       `json:"model,omitempty"`
	Pairs     []PairResult `json:"pairs"`
	Separated int          `json:"separated"`
	// WrongGood counts wrong answers banded good or excellent; WrongOver counts those over
	// PairWrongMax.
	WrongGood int `json:"wrong_good"`
	WrongOver int `json:"wrong_over"`
}

// LoadPairs reads a JSON Lines file of pairs; every line must name a question and both answers.
func LoadPairs(r io.Reader) ([]Pair, error) {
	var out []Pair
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 0, 64*1024), 4<<20)
	n := 0
	for sc.Scan() {
		n++
		s := strings.TrimSpace(sc.Text())
		if s == "" {
			continue
		}
		var p Pair
		if err := json.Unmarshal([]byte(s), &p); err != nil {
			return nil, fmt.Errorf("line %d: %w", n, err)
		}
		if p.QuestionID == "" || strings.TrimSpace(p.Right) == "" || strings.TrimSpace(p.Wrong) == "" {
			return nil, fmt.Errorf("line %d: qid, right and wrong are all required", n)
		}
		out = append(out, p)
	}
	if err := sc.Err(); err != nil {
		return nil, err
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("no pairs")
	}
	return out, nil
}

// BundledQuestions returns the questions of the bundled bank by id, each with its reference answer
// and authored key points, as the server holds them after `coach ingest --builtin`.
func BundledQuestions() (map[string]coach.Question, error) {
	doc, err := docparse.Parse("django.yaml", bank.Django())
	if err != nil {
		return nil, fmt.Errorf("bundled bank: %w", err)
	}
	out := make(map[string]coach.Question, len(doc.Drafts))
	for _, d := range doc.Drafts {
		ref := coach.Reference{ID: "ref-" + d.ID, QuestionID: d.ID, Text: d.Answer, Source: bank.Name}
		for i, kp := range d.KeyPoints {
			ref.KeyPoints = append(ref.KeyPoints, coach.KeyPoint{
				ID: fmt.Sprintf("%s-kp%d", ref.ID, i+1), ReferenceID: ref.ID, Ordinal: i + 1,
				Text: kp, Origin: coach.KeyPointAuthored,
			})
		}
		out[d.ID] = coach.Question{ID: d.ID, Text: d.Question, References: []coach.Reference{ref}}
	}
	return out, nil
}

// RunPairs grades both answers of every pair against its bank question through grading.Assess,
// as POST /api/v1/grade would.
func RunPairs(ctx context.Context, g, offline coach.Grader, questions map[string]coach.Question, pairs []Pair) (*PairReport, error) {
	rep := &PairReport{}
	for _, p := range pairs {
		q, ok := questions[p.QuestionID]
		if !ok {
			return nil, fmt.Errorf("question %q is not in the bank", p.QuestionID)
		}
		res := PairResult{QuestionID: p.QuestionID}
		for i, answer := range []string{p.Right, p.Wrong} {
			as, err := grading.Assess(ctx, g, offline, coach.GradeInput{Question: q.Text, Answer: answer, References: q.References, FollowUps: 1})
			if err != nil {
				return nil, fmt.Errorf("%s: %w", p.QuestionID, err)
			}
			rep.Grader, rep.Model = as.Judged.Kind, as.Judged.Model
			if i == 0 {
				res.RightScore, res.RightBand = as.Score, as.Band
				continue
			}
			res.WrongScore, res.WrongBand = as.Score, as.Band
			for _, j := range as.KeyPoints {
				if j.Status == coach.StatusContradicted {
					res.WrongContradicted++
				}
			}
		}
		good := res.WrongBand == coach.BandGood || res.WrongBand == coach.BandExcellent
		res.Separated = res.RightScore >= res.WrongScore+PairMargin && res.WrongScore <= PairWrongMax && !good
		if res.Separated {
			rep.Separated++
		}
		if good {
			rep.WrongGood++
		}
		if res.WrongScore > PairWrongMax {
			rep.WrongOver++
		}
		rep.Pairs = append(rep.Pairs, res)
	}
	return rep, nil
}

// WritePairs writes a pair report as a table for a person to read.
func WritePairs(w io.Writer, rep *PairReport, file string) error {
	var b strings.Builder
	grader := rep.Grader
	if rep.Model != "" {
		grader += " (" + rep.Model + ")"
	}
	fmt.Fprintf(&b, "%s: %d pairs, grader %s\n\n", file, len(rep.Pairs), grader)
	tw := tabwriter.NewWriter(&b, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "question\tright\t\twrong\t\tcontradicted\tmet")
	for _, p := range rep.Pairs {
		met := "no"
		if p.Separated {
			met = "yes"
		}
		fmt.Fprintf(tw, "%s\t%d\t%s\t%d\t%s\t%d\t%s\n", p.QuestionID, p.RightScore, p.RightBand, p.WrongScore, p.WrongBand, p.WrongContradicted, met)
	}
	tw.Flush()
	fmt.Fprintf(&b, "\n%d of %d pairs with right >= wrong + %d and wrong <= %d, not good or excellent; %d wrong answers over %d, %d banded good or excellent.\n",
		rep.Separated, len(rep.Pairs), PairMargin, PairWrongMax, rep.WrongOver, PairWrongMax, rep.WrongGood)
	_, err := io.WriteString(w, b.String())
	return err
}
