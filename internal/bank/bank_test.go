package bank

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"regexp"
	"strings"
	"testing"

	"gopkg.in/yaml.v3"
)

// Local mirror of the bank format. Decoding uses KnownFields, so a
// misspelt key (for example "anwser") is a decode error, not a silent gap.
type bankFile struct {
	Source    string         `yaml:"source"`
	Topics    []bankTopic    `yaml:"topics"`
	Questions []bankQuestion `yaml:"questions"`
}

type bankTopic struct {
	ID   string `yaml:"id"`
	Name string `yaml:"name"`
}

type bankQuestion struct {
	ID         string   `yaml:"id"`
	Topic      string   `yaml:"topic"`
	Difficulty string   `yaml:"difficulty"`
	Tags       []string `yaml:"tags"`
	Question   string   `yaml:"question"`
	Answer     string   `yaml:"answer"`
	KeyPoints  []string `yaml:"key_points"`
}

const (
	minQuestions       = 90
	minPerTopic        = 5
	minKeyPoints       = 3
	maxKeyPoints       = 6
	minKeyPointWords   = 8
	maxKeyPointWords   = 25
	minAnswerWords     = 60
	maxAnswerWords     = 260
	minDifficultyShare = 0.15 // each difficulty must be at least 15% of the bank
	nPlusOneQuestionID = "orm-select-related-prefetch"
	nPlusOneTag        = "n-plus-one"
	expectedSourceWord = "Django"
)

var (
	kebab = regexp.MustCompile(`^[a-z0-9]+(?:-[a-z0-9]+)*$`)

	validDifficulties = []string{"easy", "medium", "hard"}

	// Topics the brief requires the bundled bank to cover.
	requiredTopics = []string{
		"orm", "models", "views", "urls", "templates", "forms", "auth",
		"middleware", "signals", "caching", "security", "drf", "async",
		"celery", "deployment", "testing", "python", "performance", "basics",
	}
)

func decodeBank(data []byte) (bankFile, error) {
	var b bankFile
	dec := yaml.NewDecoder(bytes.NewReader(data))
	dec.KnownFields(true)
	if err := dec.Decode(&b); err != nil {
		return bankFile{}, err
	}
	var extra any
	if err := dec.Decode(&extra); !errors.Is(err, io.EOF) {
		return bankFile{}, fmt.Errorf("expected a single YAML document, got more (err=%v)", err)
	}
	return b, nil
}

func wordCount(s string) int { return len(strings.Fields(s)) }

// normalise folds case and whitespace and drops trailing punctuation so
// near-identical question texts count as duplicates.
func normalise(s string) string {
	s = strings.ToLower(strings.Join(strings.Fields(s), " "))
	return strings.TrimRight(s, "?.! ")
}

// validate returns every problem found; an empty slice means the bank is valid.
func validate(b bankFile) []string {
	var probs []string
	add := func(format string, args ...any) { probs = append(probs, fmt.Sprintf(format, args...)) }

	if strings.TrimSpace(b.Source) == "" {
		add("source is empty")
	}

	declared := map[string]bool{}
	for i, tp := range b.Topics {
		switch {
		case !kebab.MatchString(tp.ID):
			add("topic #%d: id %q is not kebab-case", i, tp.ID)
		case declared[tp.ID]:
			add("topic %q declared twice", tp.ID)
		}
		if strings.TrimSpace(tp.Name) == "" {
			add("topic %q has an empty name", tp.ID)
		}
		declared[tp.ID] = true
	}
	for _, id := range requiredTopics {
		if !declared[id] {
			add("required topic %q is not declared", id)
		}
	}

	if len(b.Questions) < minQuestions {
		add("bank has %d questions, want at least %d", len(b.Questions), minQuestions)
	}

	ids := map[string]bool{}
	texts := map[string]string{}
	perTopic := map[string]int{}
	perDifficulty := map[string]int{}
	for i, q := range b.Questions {
		where := fmt.Sprintf("question #%d (%s)", i, q.ID)

		switch {
		case !kebab.MatchString(q.ID):
			add("%s: id is not kebab-case", where)
		case ids[q.ID]:
			add("%s: duplicate id", where)
		}
		ids[q.ID] = true

		if !declared[q.Topic] {
			add("%s: topic %q is not declared", where, q.Topic)
		}
		perTopic[q.Topic]++

		validDiff := false
		for _, d := range validDifficulties {
			if q.Difficulty == d {
				validDiff = true
			}
		}
		if !validDiff {
			add("%s: difficulty %q is not one of %v", where, q.Difficulty, validDifficulties)
		}
		perDifficulty[q.Difficulty]++

		if len(q.Tags) == 0 {
			add("%s: no tags", where)
		}
		seenTags := map[string]bool{}
		for _, tag := range q.Tags {
			if !kebab.MatchString(tag) {
				add("%s: tag %q is not kebab-case", where, tag)
			}
			if seenTags[tag] {
				add("%s: tag %q repeated", where, tag)
			}
			seenTags[tag] = true
		}

		if strings.TrimSpace(q.Question) == "" {
			add("%s: empty question text", where)
		} else {
			key := normalise(q.Question)
			if other, dup := texts[key]; dup {
				add("%s: question text duplicates %s", where, other)
			}
			texts[key] = q.ID
		}

		aw := wordCount(q.Answer)
		if aw < minAnswerWords || aw > maxAnswerWords {
			add("%s: answer has %d words, want %d-%d", where, aw, minAnswerWords, maxAnswerWords)
		}

		if n := len(q.KeyPoints); n < minKeyPoints || n > maxKeyPoints {
			add("%s: %d key points, want %d-%d", where, n, minKeyPoints, maxKeyPoints)
		}
		seenKP := map[string]bool{}
		for j, kp := range q.KeyPoints {
			kpw := wordCount(kp)
			switch {
			case strings.TrimSpace(kp) == "":
				add("%s: key point %d is empty", where, j)
			case len(kp) >= len(q.Answer):
				add("%s: key point %d is not shorter than the answer", where, j)
			case kpw < minKeyPointWords || kpw > maxKeyPointWords:
				add("%s: key point %d has %d words, want %d-%d: %q", where, j, kpw, minKeyPointWords, maxKeyPointWords, kp)
			}
			if k := normalise(kp); seenKP[k] {
				add("%s: key point %d repeats another key point", where, j)
			} else {
				seenKP[k] = true
			}
		}
	}

	for id := range declared {
		if perTopic[id] < minPerTopic {
			add("topic %q has %d questions, want at least %d", id, perTopic[id], minPerTopic)
		}
	}
	if total := len(b.Questions); total > 0 {
		for _, d := range validDifficulties {
			if share := float64(perDifficulty[d]) / float64(total); share < minDifficultyShare {
				add("difficulty %q is only %.0f%% of the bank, want at least %.0f%%", d, share*100, minDifficultyShare*100)
			}
		}
	}
	return probs
}

// checkNPlusOne verifies the bank answers the N+1 / select_related question,
// including a plain-words description of the symptom that users search for.
func checkNPlusOne(b bankFile) []string {
	var probs []string
	var sel *bankQuestion
	var tagged []bankQuestion
	for i := range b.Questions {
		q := b.Questions[i]
		if q.ID == nPlusOneQuestionID {
			sel = &b.Questions[i]
		}
		for _, tag := range q.Tags {
			if tag == nPlusOneTag {
				tagged = append(tagged, q)
			}
		}
	}
	if sel == nil {
		return []string{fmt.Sprintf("question %q is missing", nPlusOneQuestionID)}
	}
	if sel.Topic != "orm" {
		probs = append(probs, fmt.Sprintf("%s: topic is %q, want orm", sel.ID, sel.Topic))
	}
	for _, s := range []string{"select_related", "prefetch_related"} {
		if !strings.Contains(sel.Question, s) || !strings.Contains(sel.Answer, s) {
			probs = append(probs, fmt.Sprintf("%s: question and answer must both mention %s", sel.ID, s))
		}
	}

	// Some n-plus-one question must explain the problem in plain words:
	// the name, a loop, and one extra query per row/object.
	plain := false
	for _, q := range tagged {
		a := strings.ToLower(strings.Join(strings.Fields(q.Answer), " "))
		if strings.Contains(a, "n+1") && strings.Contains(a, "loop") &&
			strings.Contains(a, "extra query per") &&
			strings.Contains(a, "select_related") && strings.Contains(a, "prefetch_related") {
			plain = true
		}
	}
	if !plain {
		probs = append(probs, "no n-plus-one question explains the symptom in plain words (N+1, a loop, one extra query per row) together with the fixes")
	}
	return probs
}

func loadBundled(t *testing.T) bankFile {
	t.Helper()
	b, err := decodeBank(Django())
	if err != nil {
		t.Fatalf("bundled bank does not decode: %v", err)
	}
	return b
}

func TestEmbeddedMatchesFile(t *testing.T) {
	if Name != "builtin:django.yaml" {
		t.Errorf("Name = %q, want builtin:django.yaml", Name)
	}
	onDisk, err := os.ReadFile("django.yaml")
	if err != nil {
		t.Fatal(err)
	}
	if len(Django()) == 0 || !bytes.Equal(Django(), onDisk) {
		t.Fatal("Django() does not return the contents of django.yaml")
	}
}

func TestBundledBankIsValid(t *testing.T) {
	b := loadBundled(t)
	if !strings.Contains(b.Source, expectedSourceWord) {
		t.Errorf("source %q does not name the bank", b.Source)
	}
	for _, p := range validate(b) {
		t.Error(p)
	}
}

func TestBundledBankHasNPlusOneQuestion(t *testing.T) {
	for _, p := range checkNPlusOne(loadBundled(t)) {
		t.Error(p)
	}
}

func TestDecodeRejectsUnknownFieldsAndExtraDocuments(t *testing.T) {
	cases := map[string]string{
		"misspelt key":  "source: x\nquestions:\n  - id: a\n    anwser: oops\n",
		"two documents": "source: x\n---\nsource: y\n",
		"broken yaml":   "source: \"unterminated\n",
	}
	for name, doc := range cases {
		if _, err := decodeBank([]byte(doc)); err == nil {
			t.Errorf("%s: decodeBank accepted invalid input", name)
		}
	}
}

func cloneBank(b bankFile) bankFile {
	c := b
	c.Topics = append([]bankTopic(nil), b.Topics...)
	c.Questions = make([]bankQuestion, len(b.Questions))
	for i, q := range b.Questions {
		q.Tags = append([]string(nil), q.Tags...)
		q.KeyPoints = append([]string(nil), q.KeyPoints...)
		c.Questions[i] = q
	}
	return c
}

// TestValidatorCatchesDefects makes sure the checks above are not vacuous:
// each mutation of the real bank must be reported.
func TestValidatorCatchesDefects(t *testing.T) {
	base := loadBundled(t)
	if probs := validate(base); len(probs) > 0 {
		t.Fatalf("bundled bank must be valid before mutating it: %v", probs)
	}
	mutations := map[string]func(b *bankFile){
		"duplicate id":       func(b *bankFile) { b.Questions[1].ID = b.Questions[0].ID },
		"non-kebab id":       func(b *bankFile) { b.Questions[0].ID = "Bad_ID" },
		"undeclared topic":   func(b *bankFile) { b.Questions[0].Topic = "nope" },
		"bad difficulty":     func(b *bankFile) { b.Questions[0].Difficulty = "expert" },
		"too few key points": func(b *bankFile) { b.Questions[0].KeyPoints = b.Questions[0].KeyPoints[:2] },
		"too many key points": func(b *bankFile) {
			kp := b.Questions[0].KeyPoints
			b.Questions[0].KeyPoints = append(kp, kp[0]+" again", kp[0]+" more", kp[0]+" x", kp[0]+" y")
		},
		"empty key point":    func(b *bankFile) { b.Questions[0].KeyPoints[0] = "  " },
		"key point too long": func(b *bankFile) { b.Questions[0].KeyPoints[0] = b.Questions[0].Answer },
		"short answer":       func(b *bankFile) { b.Questions[0].Answer = "Too short." },
		"long answer":        func(b *bankFile) { b.Questions[0].Answer = strings.Repeat("word ", maxAnswerWords+1) },
		"duplicate question": func(b *bankFile) { b.Questions[1].Question = strings.ToUpper(b.Questions[0].Question) },
		"too few questions":  func(b *bankFile) { b.Questions = b.Questions[:minQuestions-1] },
		"missing tags":       func(b *bankFile) { b.Questions[0].Tags = nil },
		"empty source":       func(b *bankFile) { b.Source = "" },
		"missing required topic": func(b *bankFile) {
			for i := range b.Topics {
				if b.Topics[i].ID == "signals" {
					b.Topics = append(b.Topics[:i], b.Topics[i+1:]...)
					return
				}
			}
		},
		"thin topic": func(b *bankFile) {
			var kept []bankQuestion
			celery := 0
			for _, q := range b.Questions {
				if q.Topic == "celery" {
					if celery >= minPerTopic-1 {
						continue
					}
					celery++
				}
				kept = append(kept, q)
			}
			b.Questions = kept
		},
	}
	for name, mutate := range mutations {
		t.Run(name, func(t *testing.T) {
			b := cloneBank(base)
			mutate(&b)
			if len(validate(b)) == 0 {
				t.Errorf("validate did not report the defect %q", name)
			}
		})
	}

	t.Run("n-plus-one removed", func(t *testing.T) {
		b := cloneBank(base)
		for i := range b.Questions {
			if b.Questions[i].ID == nPlusOneQuestionID {
				b.Questions[i].ID = "orm-something-else"
			}
		}
		if len(checkNPlusOne(b)) == 0 {
			t.Error("checkNPlusOne did not notice the missing question")
		}
	})
	t.Run("n-plus-one without plain symptom", func(t *testing.T) {
		b := cloneBank(base)
		for i := range b.Questions {
			b.Questions[i].Answer = strings.ReplaceAll(b.Questions[i].Answer, "extra query per", "additional query for")
		}
		if len(checkNPlusOne(b)) == 0 {
			t.Error("checkNPlusOne did not notice the missing plain-words symptom")
		}
	})
}
