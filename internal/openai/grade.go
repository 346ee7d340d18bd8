package openai

import (
	"cmp"
	"context"
	"encoding/json"
	"fmt"
	"regexp"
	"slices"
	"strings"
	"unicode"

	goopenai "github.com/sashabaranov/go-openai"

	"github.com/interviewcoach/coach/internal/coach"
	"github.com/interviewcoach/coach/internal/instruct"
	"github.com/interviewcoach/coach/prompts"
)

// offReasons are the values of Judged.Off the model may give ("" for a genuine attempt). They are the
// grading guards' words for the same cases, so a reason reads the same whoever found it.
var offReasons = []string{"empty", "dont_know", "copy_of_question", "off_topic", "instructions_only"}

// Follow-up counts: GradeInput.FollowUps 0 means defaultFollowUps.
const (
	defaultFollowUps = 3
	maxFollowUps     = 5
)

// gradeSchema is the strict schema of a grading reply. Strict mode wants every property required and no
// others allowed, at every level. Ids are plain strings rather than per-call enums, so the schema stays
// the same from call to call and the server can cache its compiled grammar; the ids are checked here.
const gradeSchema = `{
  "type": "object",
  "additionalProperties": false,
  "required": ["judgements", "misconceptions", "feedback", "followups", "off"],
  "properties": {
    "judgements": {"type": "array", "items": {
      "type": "object",
      "additionalProperties": false,
      "required": ["id", "status", "evidence"],
      "properties": {
        "id": {"type": "string", "description": "Key point id: K1, K2, ..."},
        "status": {"type": "string", "enum": ["covered", "mostly", "partial", "missing", "contradicted"],
          "description": "mostly: right in substance with a small gap; partial: vague, incomplete or only named."},
        "evidence": {"type": "string", "description": "Verbatim quote of the candidate's answer; empty when missing."}
      }
    }},
    "misconceptions": {"type": "array", "items": {
      "type": "object",
      "additionalProperties": false,
      "required": ["claim", "correction", "reference"],
      "properties": {
        "claim": {"type": "string", "description": "Verbatim quote of the candidate's answer."},
        "correction": {"type": "string"},
        "reference": {"type": "string", "description": "Reference id: R1, R2, ..."}
      }
    }},
    "feedback": {
      "type": "object",
      "additionalProperties": false,
      "required": ["summary", "strengths", "improvements", "model_answer", "model_answer_references"],
      "properties": {
        "summary": {"type": "string"},
        "strengths": {"type": "array", "items": {
          "type": "object",
          "additionalProperties": false,
          "required": ["text", "references"],
          "properties": {"text": {"type": "string"}, "references": {"type": "array", "items": {"type": "string"}}}
        }},
        "improvements": {"type": "array", "items": {
          "type": "object",
          "additionalProperties": false,
          "required": ["text", "references"],
          "properties": {"text": {"type": "string"}, "references": {"type": "array", "items": {"type": "string"}}}
        }},
        "model_answer": {"type": "string"},
        "model_answer_references": {"type": "array", "items": {"type": "string"}}
      }
    },
    "followups": {"type": "array", "items": {
      "type": "object",
      "additionalProperties": false,
      "required": ["question", "targets", "expected_answer"],
      "properties": {
        "question": {"type": "string"},
        "targets": {"type": "string", "description": "Key point id: K1, K2, ..."},
        "expected_answer": {"type": "string"}
      }
    }},
    "off": {"type": "string", "enum": ["", "empty", "dont_know", "copy_of_question", "off_topic", "instructions_only"]}
  }
}`

// gradeOutput is a grading reply as the model writes it, with short ids.
type gradeOutput struct {
	Judgements []struct {
		ID       string `json:"id"`
		Status   string `json:"status"`
		Evidence string `json:"evidence"`
	} `json:"judgements"`
	Misconceptions []struct {
		Claim      string `json:"claim"`
		Correction string `json:"correction"`
		Reference  string `json:"reference"`
	} `json:"misconceptions"`
	Feedback *struct {
		Summary               string         `json:"summary"`
		Strengths             []remarkOutput `json:"strengths"`
		Improvements          []remarkOutput `json:"improvements"`
		ModelAnswer           string         `json:"model_answer"`
		ModelAnswerReferences []string       `json:"model_answer_references"`
	} `json:"feedback"`
	FollowUps []struct {
		Question       string `json:"question"`
		Targets        string `json:"targets"`
		ExpectedAnswer string `json:"expected_answer"`
	} `json:"followups"`
	Off string `json:"off"`
}

type remarkOutput struct {
	Text       string   `json:"text"`
	References []string `json:"references"`
}

// rubric maps the short ids shown to the model (R1, K1) back to the real references and key points.
type rubric struct {
	refs   map[string]string         // R1 → reference id
	points map[string]coach.KeyPoint // K1 → key point, its ReferenceID set to the reference holding it
	order  []string                  // K1, K2, ...: the order judgements are returned in
}

// statusMostly is the status a model gives a key point stated right in substance with a small gap: a
// partial judgement worth coach.MaxPartialCredit. A level in the enum rather than a number keeps the
// schema within what every strict-mode server accepts (some refuse minimum and maximum).
const statusMostly = "mostly"

// newRubric numbers the references and their key points and returns them as the prompt shows them,
// every text passed through clean, which removes boundary's random part.
func newRubric(refs []coach.Reference, clean func(string) string) (*rubric, []prompts.Reference) {
	rb := &rubric{refs: make(map[string]string), points: make(map[string]coach.KeyPoint)}
	shown := make([]prompts.Reference, 0, len(refs))
	for i, ref := range refs {
		rid := fmt.Sprintf("R%d", i+1)
		rb.refs[rid] = ref.ID
		// A sentence of an imported page that addresses the grader is no part of the reference.
		text, _ := instruct.Strip(ref.Text, instruct.Is)
		pr := prompts.Reference{ID: rid, Source: clean(oneLine(ref.Source)), Text: clean(text)}
		for _, kp := range ref.KeyPoints {
			kid := fmt.Sprintf("K%d", len(rb.order)+1)
			kp.ReferenceID = ref.ID
			rb.points[kid] = kp
			rb.order = append(rb.order, kid)
			weight := "core"
			if kp.Weight > 0 && kp.Weight < coach.WeightCore {
				weight = "detail"
			}
			// One line each, so that a key point cannot forge the next one's id.
			pr.KeyPoints = append(pr.KeyPoints, prompts.KeyPoint{ID: kid, Text: clean(oneLine(kp.Text)), Weight: weight})
		}
		shown = append(shown, pr)
	}
	return rb, shown
}

// oneLine collapses every run of white space of s, line breaks included, into one space.
func oneLine(s string) string {
	return strings.Join(strings.Fields(s), " ")
}

// shortID normalises an id as models write it: " k2", "[R1]".
func shortID(id string) string {
	return strings.ToUpper(strings.Trim(id, " \t[]()"))
}

// Grade judges in.Answer against the key points of in.References in one chat completion that returns
// judgements, misconceptions, feedback and follow-ups together. The answer is fenced as data in a
// random tag; every status that claims the answer says something must quote it, or it is downgraded to
// missing. Output that fails validation is sent back once for repair. Judged.Model is the model the
// server reports having used (a dated snapshot on OpenAI), else Config.ChatModel.
func (c *Client) Grade(ctx context.Context, in coach.GradeInput) (*coach.Judged, error) {
	if c.cfg.ChatModel == "" {
		return nil, fmt.Errorf("openai: grade: %w", coach.Errorf(coach.EUNAVAILABLE, "language model not configured"))
	}
	want := in.FollowUps
	if want == 0 {
		want = defaultFollowUps
	}
	if want < 1 || want > maxFollowUps {
		return nil, fmt.Errorf("openai: grade: %w", coach.Errorf(coach.EINVALID, "follow-ups must be between 1 and %d", maxFollowUps))
	}
	// One random part fences the question, the rubric and the answer, each in a tag of its own; it is
	// removed from every text so that none can close its fence.
	boundary := newBoundary("answer")
	token := strings.TrimPrefix(boundary, "answer-")
	clean := func(s string) string { return fence(s, boundary) }
	rb, shown := newRubric(in.References, clean)
	if len(rb.order) == 0 {
		return nil, fmt.Errorf("openai: grade: %w", coach.Errorf(coach.EINVALID, "no key points to grade against"))
	}

	answer := clean(in.Answer)
	data := prompts.GradeData{
		Question:         clean(in.Question),
		References:       shown,
		Answer:           answer,
		Boundary:         boundary,
		QuestionBoundary: "question-" + token,
		BankBoundary:     "bank-" + token,
		FollowUps:        want,
	}
	for _, q := range in.Related {
		if text, _ := instruct.Strip(oneLine(q.Text), instruct.Is); text != "" {
			data.Related = append(data.Related, clean(text))
		}
	}
	system, user, err := c.prompts.Render(prompts.Grade, data)
	if err != nil {
		return nil, fmt.Errorf("openai: grade: %w", err)
	}

	var judged *coach.Judged
	var downgraded []string
	r, err := c.exchange(ctx, "grade", schema{name: "grade", json: json.RawMessage(gradeSchema)},
		[]goopenai.ChatCompletionMessage{
			{Role: goopenai.ChatMessageRoleSystem, Content: system},
			{Role: goopenai.ChatMessageRoleUser, Content: user},
		},
		func(raw string) (problems []string) {
			judged, downgraded, problems = rb.judge(raw, answer, want)
			return problems
		})
	if err != nil {
		return nil, fmt.Errorf("openai: grade: %w", err)
	}
	if len(downgraded) > 0 {
		c.log.WarnContext(ctx, "openai: evidence not found in the answer, key points judged missing", "key_points", downgraded)
	}
	judged.Kind = coach.GraderLLM
	judged.Model = cmp.Or(r.model, c.cfg.ChatModel)
	judged.PromptVersion = c.prompts.Version(prompts.Grade)
	judged.Raw = r.text
	judged.Usage = r.usage
	judged.Call = r.call
	judged.Warnings = r.warnings
	return judged, nil
}

// judge parses and checks a grading reply. Problems are what the model must repair; downgraded are the
// key points whose evidence is not in the answer, judged missing instead, since a grade must rest on
// what the candidate wrote and not on what the model (or the answer, speaking to it) claims.
func (rb *rubric) judge(raw, answer string, wantFollowUps int) (j *coach.Judged, downgraded, problems []string) {
	var out gradeOutput
	if err := decodeJSON(raw, &out); err != nil {
		return nil, nil, []string{fmt.Sprintf("the reply is not the JSON object asked for: %v", err)}
	}
	bad := func(format string, args ...any) { problems = append(problems, fmt.Sprintf(format, args...)) }
	refs := func(field string, ids []string) []string {
		if len(ids) == 0 {
			bad("%s cites no reference", field)
		}
		var real []string
		for _, id := range ids {
			if r, ok := rb.refs[shortID(id)]; !ok {
				bad("%s: %q is not a reference id (%s)", field, id, idRange("R", len(rb.refs)))
			} else if !slices.Contains(real, r) {
				real = append(real, r)
			}
		}
		return real
	}
	j = &coach.Judged{}

	byID := make(map[string]coach.Judgement)
	seen := make(map[string]bool)
	for i, jo := range out.Judgements {
		id := shortID(jo.ID)
		kp, ok := rb.points[id]
		switch {
		case !ok:
			bad("judgements[%d].id %q is not a key point id (%s)", i, jo.ID, idRange("K", len(rb.order)))
			continue
		case seen[id]:
			bad("key point %s is judged more than once", id)
			continue
		}
		seen[id] = true
		status := strings.ToLower(strings.TrimSpace(jo.Status))
		credit := 0.0
		if status == statusMostly {
			status, credit = coach.StatusPartial, coach.MaxPartialCredit
		}
		if !coach.ValidStatus(status) {
			bad("judgements[%d].status %q is not one of covered, mostly, partial, missing, contradicted", i, jo.Status)
			continue
		}
		evidence := strings.TrimSpace(jo.Evidence)
		if status == coach.StatusMissing {
			evidence = ""
		} else if !quoted(evidence, answer) {
			downgraded = append(downgraded, kp.ID)
			status, evidence, credit = coach.StatusMissing, "", 0
		}
		byID[id] = coach.Judgement{KeyPointID: kp.ID, Text: kp.Text, Status: status, Evidence: evidence,
			ReferenceID: kp.ReferenceID, Credit: credit, Weight: kp.Weight}
	}
	for _, id := range rb.order {
		if jd, ok := byID[id]; ok {
			j.Judgements = append(j.Judgements, jd)
		} else if !seen[id] {
			bad("key point %s is not judged", id)
		}
	}

	for i, m := range out.Misconceptions {
		claim, correction := strings.TrimSpace(m.Claim), strings.TrimSpace(m.Correction)
		if claim == "" || correction == "" {
			bad("misconceptions[%d] needs both a claim and a correction", i)
			continue
		}
		real := refs(fmt.Sprintf("misconceptions[%d].reference", i), []string{m.Reference})
		// A claim the candidate did not make is no misconception of theirs; drop it rather than ask again.
		if len(real) == 1 && quoted(claim, answer) {
			j.Misconceptions = append(j.Misconceptions, coach.Misconception{Claim: claim, Correction: correction, ReferenceID: real[0]})
		}
	}

	if fb := out.Feedback; fb == nil {
		bad("feedback is missing")
	} else {
		j.Feedback.Summary = strings.TrimSpace(fb.Summary)
		if j.Feedback.Summary == "" {
			bad("feedback.summary is empty")
		}
		remarks := func(field string, in []remarkOutput) []coach.Remark {
			out := []coach.Remark{}
			for i, r := range in {
				text := strings.TrimSpace(r.Text)
				if text == "" {
					bad("%s[%d].text is empty", field, i)
				}
				out = append(out, coach.Remark{Text: text, ReferenceIDs: refs(fmt.Sprintf("%s[%d].references", field, i), r.References)})
			}
			return out
		}
		j.Feedback.Strengths = remarks("feedback.strengths", fb.Strengths)
		j.Feedback.Improvements = remarks("feedback.improvements", fb.Improvements)
		j.Feedback.ModelAnswer = strings.TrimSpace(fb.ModelAnswer)
		if j.Feedback.ModelAnswer == "" {
			bad("feedback.model_answer is empty")
		}
		j.Feedback.ModelAnswerRefs = refs("feedback.model_answer_references", fb.ModelAnswerReferences)
	}

	if n := len(out.FollowUps); n < 1 || n > maxFollowUps {
		bad("followups holds %d questions, want %d", n, wantFollowUps)
	}
	for i, f := range out.FollowUps {
		kp, ok := rb.points[shortID(f.Targets)]
		if !ok {
			bad("followups[%d].targets %q is not a key point id (%s)", i, f.Targets, idRange("K", len(rb.order)))
		}
		q, expected := strings.TrimSpace(f.Question), strings.TrimSpace(f.ExpectedAnswer)
		if q == "" || expected == "" {
			bad("followups[%d] needs both a question and an expected_answer", i)
		}
		if ok && len(j.FollowUps) < wantFollowUps {
			j.FollowUps = append(j.FollowUps, coach.FollowUp{Question: q, Targets: kp.ID, TargetText: kp.Text,
				ExpectedAnswer: expected, ReferenceID: kp.ReferenceID})
		}
	}

	switch off := strings.ToLower(strings.TrimSpace(out.Off)); {
	case off == "" || off == "none":
	case slices.Contains(offReasons, off):
		j.Off = off
	default:
		bad("off %q is not \"\" or one of %s", out.Off, strings.Join(offReasons, ", "))
	}

	if len(problems) > 0 {
		return nil, nil, problems
	}
	return j, downgraded, nil
}

// idRange tells the model which ids with prefix p exist, such as "valid: K1 to K4".
func idRange(p string, n int) string {
	if n == 1 {
		return "the only one is " + p + "1"
	}
	return fmt.Sprintf("valid: %s1 to %s%d", p, p, n)
}

// ellipsis joins quoted passages that are not adjacent in the text quoted.
var ellipsis = regexp.MustCompile(`\[?(?:\.\.\.+|…)\]?`)

// quoted reports whether evidence quotes answer: ignoring case, punctuation and spacing, each passage of
// evidence (passages are joined by an ellipsis) is a run of words of answer, in order. A long passage
// may differ by a typo in a few words, since models tend to correct what they quote. At least three
// letters or digits must match, unless the evidence is the whole answer, so that "a" proves nothing.
func quoted(evidence, answer string) bool {
	text := words(answer)
	pos, matched, chars := 0, 0, 0
	for _, part := range ellipsis.Split(evidence, -1) {
		w := words(part)
		if len(w) == 0 {
			continue
		}
		i := findWords(text[pos:], w)
		if i < 0 {
			return false
		}
		pos += i + len(w)
		matched += len(w)
		for _, s := range w {
			chars += len(s)
		}
	}
	return matched > 0 && (chars >= 3 || matched == len(text))
}

// words splits s into lower-case runs of letters and digits.
func words(s string) []string {
	return strings.FieldsFunc(strings.ToLower(s), func(r rune) bool {
		return !unicode.IsLetter(r) && !unicode.IsDigit(r)
	})
}

// findWords returns where needle first occurs in hay, or -1. Words of four letters or more may differ by
// one edit, in at most one word in five (at least one).
func findWords(hay, needle []string) int {
	typos := max(1, len(needle)/5)
outer:
	for i := 0; i+len(needle) <= len(hay); i++ {
		n := 0
		for k, w := range needle {
			if hay[i+k] == w {
				continue
			}
			if n++; n > typos || len(w) < 4 || !oneEdit(hay[i+k], w) {
				continue outer
			}
		}
		return i
	}
	return -1
}

// oneEdit reports whether a and b differ by exactly one inserted, deleted or replaced rune.
func oneEdit(a, b string) bool {
	ra, rb := []rune(a), []rune(b)
	if len(ra) < len(rb) {
		ra, rb = rb, ra
	}
	if len(ra)-len(rb) > 1 {
		return false
	}
	i := 0
	for i < len(rb) && ra[i] == rb[i] {
		i++
	}
	if len(ra) == len(rb) {
		return i < len(ra) && string(ra[i+1:]) == string(rb[i+1:])
	}
	return string(ra[i+1:]) == string(rb[i:])
}
