// Package eval measures how well a grader agrees with people: it grades human-graded answers
// through the same pipeline users get (grading.Assess) and compares the scores with the human ones.
package eval

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/interviewcoach/coach/internal/coach"
	"github.com/interviewcoach/coach/internal/keypoints"
)

// Layouts of an evaluation file.
const (
	// LayoutNumeric files carry a human score on 0..scale_max (Mohler et al.).
	LayoutNumeric = "numeric"
	// LayoutLabels files carry a label: correct, contradictory or incorrect (SemEval-2013 Task 7).
	LayoutLabels = "labels"
)

// Labels of the labels layout.
const (
	LabelCorrect       = "correct"
	LabelContradictory = "contradictory"
	LabelIncorrect     = "incorrect"
)

// Item is one human-graded answer with the question and reference answers it was graded against.
type Item struct {
	ID         string
	Corpus     string
	Split      string
	QuestionID string
	Question   string
	// References are the reference answers, with their ids.
	References []RefText
	Answer     string
	// Score is the human score on 0..ScaleMax (numeric layout): the mean of ScoreA and ScoreB when
	// two people graded.
	Score, ScoreA, ScoreB float64
	ScaleMax              float64
	// TwoGraders is set when ScoreA and ScoreB are both given.
	TwoGraders bool
	// Label is the human label (labels layout).
	Label string
}

// RefText is one reference answer of an item.
type RefText struct {
	ID   string
	Text string
}

// line is one line of a file in either layout.
type line struct {
	ID         string   `json:"id"`
	Corpus     string   `json:"corpus"`
	Split      string   `json:"split"`
	QuestionID string   `json:"question_id"`
	Question   string   `json:"question"`
	Reference  string   `json:"reference"`
	Answer     string   `json:"answer"`
	Score      *float64 `json:"score"`
	ScoreA     *float64 `json:"score_a"`
	ScoreB     *float64 `json:"score_b"`
	ScaleMax   float64  `json:"scale_max"`
	Label      string   `json:"label"`
	References []struct {
		ID   string `json:"id"`
		Text string `json:"text"`
	} `json:"references"`
}

// Load reads a JSON Lines evaluation file and returns its items and layout. Every line must be of
// the same layout; blank lines are skipped. limit > 0 keeps only the first limit items.
func Load(r io.Reader, limit int) ([]Item, string, error) {
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 0, 64*1024), 16*1024*1024)
	var items []Item
	layout := ""
	n := 0
	for sc.Scan() {
		n++
		raw := strings.TrimSpace(sc.Text())
		if raw == "" {
			continue
		}
		var l line
		if err := json.Unmarshal([]byte(raw), &l); err != nil {
			return nil, "", fmt.Errorf("line %d: %w", n, err)
		}
		it, lay, err := l.item()
		if err != nil {
			return nil, "", fmt.Errorf("line %d: %w", n, err)
		}
		if layout == "" {
			layout = lay
		} else if lay != layout {
			return nil, "", fmt.Errorf("line %d: %s line in a %s file", n, lay, layout)
		}
		if it.ID == "" {
			it.ID = "line-" + strconv.Itoa(n)
		}
		items = append(items, it)
		if limit > 0 && len(items) >= limit {
			break
		}
	}
	if err := sc.Err(); err != nil {
		return nil, "", fmt.Errorf("read line %d: %w", n+1, err)
	}
	if len(items) == 0 {
		return nil, "", fmt.Errorf("no items")
	}
	return items, layout, nil
}

func (l *line) item() (Item, string, error) {
	it := Item{
		ID: l.ID, Corpus: l.Corpus, Split: l.Split, QuestionID: l.QuestionID,
		Question: strings.TrimSpace(l.Question), Answer: l.Answer,
	}
	for i, r := range l.References {
		id := r.ID
		if id == "" {
			id = "R" + strconv.Itoa(i+1)
		}
		if t := strings.TrimSpace(r.Text); t != "" {
			it.References = append(it.References, RefText{ID: id, Text: t})
		}
	}
	if len(it.References) == 0 && strings.TrimSpace(l.Reference) != "" {
		it.References = []RefText{{ID: "R1", Text: strings.TrimSpace(l.Reference)}}
	}
	if it.Question == "" {
		return it, "", fmt.Errorf("no question")
	}
	if len(it.References) == 0 {
		return it, "", fmt.Errorf("no reference answer")
	}
	if it.QuestionID == "" {
		it.QuestionID = it.Question
	}
	switch {
	case l.Score != nil:
		if l.ScaleMax <= 0 {
			return it, "", fmt.Errorf("score without a positive scale_max")
		}
		it.Score, it.ScaleMax = *l.Score, l.ScaleMax
		if l.ScoreA != nil && l.ScoreB != nil {
			it.ScoreA, it.ScoreB, it.TwoGraders = *l.ScoreA, *l.ScoreB, true
		}
		return it, LayoutNumeric, nil
	case l.Label != "":
		switch l.Label {
		case LabelCorrect, LabelContradictory, LabelIncorrect:
		default:
			return it, "", fmt.Errorf("unknown label %q (want correct, contradictory or incorrect)", l.Label)
		}
		it.Label = l.Label
		return it, LayoutLabels, nil
	}
	return it, "", fmt.Errorf("neither score nor label")
}

// BuildReferences turns an item's reference answers into the references a grader judges against,
// with key points split the way the importer splits a reference that has no authored key points:
// keypoints.Split, or the whole reference as one key point when it yields nothing.
func BuildReferences(it Item) []coach.Reference {
	refs := make([]coach.Reference, 0, len(it.References))
	for _, r := range it.References {
		points := keypoints.Split(r.Text)
		if len(points) == 0 {
			points = []string{r.Text}
		}
		ref := coach.Reference{ID: r.ID, QuestionID: it.QuestionID, Text: r.Text, Source: it.Corpus}
		for i, p := range points {
			ref.KeyPoints = append(ref.KeyPoints, coach.KeyPoint{
				ID:          r.ID + "-k" + strconv.Itoa(i+1),
				ReferenceID: r.ID,
				Ordinal:     i + 1,
				Text:        p,
				Origin:      coach.KeyPointExtracted,
			})
		}
		refs = append(refs, ref)
	}
	return refs
}
