package docparse

import (
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"unicode/utf8"

	"gopkg.in/yaml.v3"
)

// Structured banks are decoded into generic values rather than typed structs so that one
// malformed item (a list where a string belongs, say) becomes a Skipped entry instead of failing
// the whole file, and so YAML and JSON share one validator.

func parseYAML(doc *Document, text string) error {
	var root any
	if err := yaml.Unmarshal([]byte(text), &root); err != nil {
		return yamlSyntaxError(err)
	}
	return parseBank(doc, root, "yaml")
}

var yamlLine = regexp.MustCompile(`line (\d+)`)

func yamlSyntaxError(err error) error {
	msg := strings.TrimPrefix(err.Error(), "yaml: ")
	var line int
	if m := yamlLine.FindStringSubmatch(msg); m != nil {
		line, _ = strconv.Atoi(m[1])
		msg = strings.TrimPrefix(msg, m[0]+": ")
	}
	return &SyntaxError{Format: "yaml", Line: line, Msg: msg}
}

func parseJSON(doc *Document, text string) error {
	dec := json.NewDecoder(strings.NewReader(text))
	dec.UseNumber()
	var root any
	if err := dec.Decode(&root); err != nil {
		return jsonSyntaxError(text, err)
	}
	// A second value after the first is a broken file, not something to ignore silently.
	if _, err := dec.Token(); err != io.EOF {
		return &SyntaxError{Format: "json", Line: lineAt(text, dec.InputOffset()), Msg: "unexpected data after the top-level value"}
	}
	return parseBank(doc, root, "json")
}

func jsonSyntaxError(text string, err error) error {
	var syn *json.SyntaxError
	var typ *json.UnmarshalTypeError
	switch {
	case errors.As(err, &syn):
		return &SyntaxError{Format: "json", Line: lineAt(text, syn.Offset), Msg: syn.Error()}
	case errors.As(err, &typ):
		return &SyntaxError{Format: "json", Line: lineAt(text, typ.Offset), Msg: typ.Error()}
	case errors.Is(err, io.ErrUnexpectedEOF), errors.Is(err, io.EOF):
		return &SyntaxError{Format: "json", Line: strings.Count(text, "\n") + 1, Msg: "unexpected end of file"}
	default:
		return &SyntaxError{Format: "json", Msg: err.Error()}
	}
}

// lineAt converts a byte offset into a 1-based line number.
func lineAt(text string, offset int64) int {
	if offset < 0 {
		offset = 0
	}
	if offset > int64(len(text)) {
		offset = int64(len(text))
	}
	return strings.Count(text[:offset], "\n") + 1
}

// parseBank validates the decoded YAML or JSON value: either a mapping with "questions" (and
// optionally "source", "title" and "topics") or a bare list of question items.
func parseBank(doc *Document, root any, format string) error {
	root = stringKeys(root)
	var items []any
	prefix := "questions"
	switch v := root.(type) {
	case []any:
		items, prefix = v, ""
	case map[string]any:
		doc.URL = absoluteURL(scalarString(v["url"]))
		doc.Title = scalarString(v["source"])
		if doc.Title == "" {
			doc.Title = scalarString(v["title"])
		}
		topics, err := bankTopics(v["topics"], format)
		if err != nil {
			return err
		}
		doc.Topics = topics
		switch q := v["questions"].(type) {
		case []any:
			items = q
		case nil:
			return nil // no drafts: Parse reports ErrNoQuestions
		default:
			return &SyntaxError{Format: format, Msg: fmt.Sprintf(`"questions" must be a list, not %s`, kindOf(q))}
		}
	case nil:
		return nil
	default:
		return &SyntaxError{Format: format, Msg: fmt.Sprintf("top level must be a mapping with \"questions\" or a list, not %s", kindOf(v))}
	}
	seen := map[string]string{}
	for i, item := range items {
		loc := fmt.Sprintf("%s[%d]", prefix, i)
		fields, ok := item.(map[string]any)
		if !ok {
			doc.Skipped = append(doc.Skipped, Skipped{Location: loc, Reason: "item is " + kindOf(item) + ", not a mapping", Excerpt: excerpt(scalarString(item))})
			continue
		}
		d, reason := bankDraft(fields, loc)
		if reason == "" && d.ID != "" {
			if first, dup := seen[d.ID]; dup {
				reason = fmt.Sprintf("duplicate id %q (first at %s)", d.ID, first)
			} else {
				seen[d.ID] = loc
			}
		}
		if reason != "" {
			doc.Skipped = append(doc.Skipped, Skipped{Location: loc, Reason: reason, Excerpt: draftExcerpt(d)})
			continue
		}
		doc.Drafts = append(doc.Drafts, d)
	}
	return nil
}

// stringKeys rewrites YAML mappings with non-string keys (`1: x`), which yaml.v3 decodes as
// map[any]any, into map[string]any so the rest of the code sees one shape.
func stringKeys(v any) any {
	switch v := v.(type) {
	case map[any]any:
		m := make(map[string]any, len(v))
		for k, e := range v {
			m[fmt.Sprint(k)] = stringKeys(e)
		}
		return m
	case map[string]any:
		for k, e := range v {
			v[k] = stringKeys(e)
		}
		return v
	case []any:
		for i, e := range v {
			v[i] = stringKeys(e)
		}
		return v
	}
	return v
}

func bankTopics(v any, format string) ([]TopicDef, error) {
	var out []TopicDef
	switch t := v.(type) {
	case nil:
		return nil, nil
	case []any:
		for _, e := range t {
			switch e := e.(type) {
			case map[string]any:
				id, name := scalarString(e["id"]), scalarString(e["name"])
				if id == "" {
					id = name
				}
				if name == "" {
					name = id
				}
				if id != "" {
					out = append(out, TopicDef{ID: id, Name: name})
				}
			default:
				if s := scalarString(e); s != "" {
					out = append(out, TopicDef{ID: s, Name: s})
				}
			}
		}
	case map[string]any:
		// {orm: "ORM and QuerySets"} is a natural shorthand; keep a stable order.
		ids := make([]string, 0, len(t))
		for id := range t {
			ids = append(ids, id)
		}
		sort.Strings(ids)
		for _, id := range ids {
			name := scalarString(t[id])
			if name == "" {
				name = id
			}
			out = append(out, TopicDef{ID: id, Name: name})
		}
	default:
		return nil, &SyntaxError{Format: format, Msg: fmt.Sprintf(`"topics" must be a list, not %s`, kindOf(v))}
	}
	return out, nil
}

// bankDraft builds a draft from one item, or says why the item cannot be one.
func bankDraft(f map[string]any, loc string) (Draft, string) {
	d := Draft{Location: loc}
	var bad []string
	str := func(keys ...string) string {
		for _, k := range keys {
			v, ok := f[k]
			if !ok || v == nil {
				continue
			}
			s, ok := scalar(v)
			if !ok {
				bad = append(bad, fmt.Sprintf("%s is %s, not text", k, kindOf(v)))
				return ""
			}
			return s
		}
		return ""
	}
	d.ID = strings.TrimSpace(str("id"))
	d.Question = oneLine(str("question", "q"))
	d.Answer = cleanAuthored(str("answer", "a"))
	d.Topic = strings.TrimSpace(str("topic"))
	d.Difficulty = strings.ToLower(strings.TrimSpace(str("difficulty")))
	d.Tags = stringList(f["tags"], splitTags)
	kps := firstPresent(f, "key_points", "keypoints", "key-points")
	d.KeyPoints = stringList(kps, splitKeyPoints)
	if s, ok := kps.(string); ok {
		if reason := unreadableKeyPoints(s, d.KeyPoints); reason != "" {
			bad = append(bad, reason)
		}
	}
	switch {
	case len(bad) > 0:
		return d, strings.Join(bad, "; ")
	case d.Question == "" && d.Answer == "":
		return d, "missing question and answer"
	case d.Question == "":
		return d, "missing question"
	case d.Answer == "":
		return d, "missing answer"
	case !validDifficulty(d.Difficulty):
		return d, fmt.Sprintf("unknown difficulty %q (want easy, medium or hard)", d.Difficulty)
	}
	return d, ""
}

// draftExcerpt names a rejected item by its question, or by its answer when the question is missing.
func draftExcerpt(d Draft) string {
	if d.Question != "" {
		return excerpt(d.Question)
	}
	return excerpt(d.Answer)
}

func firstPresent(f map[string]any, keys ...string) any {
	for _, k := range keys {
		if v, ok := f[k]; ok {
			return v
		}
	}
	return nil
}

func validDifficulty(d string) bool {
	return d == "" || d == "easy" || d == "medium" || d == "hard"
}

// scalar renders YAML/JSON scalars as text: authors write `answer: 42` or `id: 7` and mean text.
func scalar(v any) (string, bool) {
	switch v := v.(type) {
	case nil, []any, map[string]any:
		return "", false
	case string:
		// YAML !!binary values decode to arbitrary bytes; drafts hold text.
		return strings.ToValidUTF8(v, "\uFFFD"), true
	default: // numbers, booleans, YAML timestamps
		return fmt.Sprint(v), true
	}
}

func scalarString(v any) string {
	s, _ := scalar(v)
	return strings.TrimSpace(s)
}

func kindOf(v any) string {
	switch v.(type) {
	case nil:
		return "empty"
	case []any:
		return "a list"
	case map[string]any:
		return "a mapping"
	case string:
		return "text"
	case bool:
		return "a boolean"
	default:
		return "a number"
	}
}

// stringList accepts a list of scalars or one string that split cuts into parts.
func stringList(v any, split func(string) []string) []string {
	var out []string
	add := func(s string) {
		if s = strings.TrimSpace(s); s != "" {
			out = append(out, s)
		}
	}
	switch v := v.(type) {
	case []any:
		for _, e := range v {
			if s, ok := scalar(e); ok {
				add(s)
			}
		}
	default:
		if s, ok := scalar(v); ok {
			for _, p := range split(s) {
				add(p)
			}
		}
	}
	return out
}

func splitTags(s string) []string {
	return strings.FieldsFunc(s, func(r rune) bool { return r == ';' || r == ',' })
}

// MaxKeyPointRunes is the longest key point a list cell may hold: a longer one is taken for several
// statements joined by a separator the importer does not know.
const MaxKeyPointRunes = 400

// splitKeyPoints cuts a cell holding several rubric statements: one per line (list markers such as
// "- " or "• " dropped), and within a line by "|" or, when the line has no "|", by ";". A cell
// written as a JSON list of strings is read as one.
func splitKeyPoints(s string) []string {
	if t := strings.TrimSpace(s); strings.HasPrefix(t, "[") {
		var list []string
		if err := json.Unmarshal([]byte(t), &list); err == nil {
			return list
		}
	}
	var out []string
	for _, line := range strings.Split(strings.ReplaceAll(s, "\r\n", "\n"), "\n") {
		line = strings.TrimSpace(line)
		for _, marker := range []string{"- ", "* ", "• "} {
			line = strings.TrimPrefix(line, marker)
		}
		sep := ";"
		if strings.Contains(line, "|") {
			sep = "|"
		}
		out = append(out, strings.Split(line, sep)...)
	}
	return out
}

// unreadableKeyPoints says why a key point cell s, split into parts, cannot be read; "" when it can.
func unreadableKeyPoints(s string, parts []string) string {
	if t := strings.TrimSpace(s); strings.HasPrefix(t, "[") && strings.HasSuffix(t, "]") {
		var list []string
		if err := json.Unmarshal([]byte(t), &list); err != nil {
			return "key_points looks like a JSON list but is not one of strings: separate key points with |, ; or new lines"
		}
	}
	for _, p := range parts {
		if utf8.RuneCountInString(p) > MaxKeyPointRunes {
			return fmt.Sprintf("key_points holds a statement of over %d characters: separate key points with |, ; or new lines", MaxKeyPointRunes)
		}
	}
	return ""
}

// oneLine collapses white space, so questions written as YAML block scalars stay single lines.
func oneLine(s string) string { return strings.Join(strings.Fields(s), " ") }

// cleanAuthored trims an authored answer without touching its inner layout (indented code,
// lists): authors meant it as written.
func cleanAuthored(s string) string {
	lines := strings.Split(strings.ReplaceAll(s, "\r\n", "\n"), "\n")
	for i, l := range lines {
		lines[i] = strings.TrimRight(l, " \t")
	}
	return strings.Trim(strings.Join(lines, "\n"), "\n")
}

// csvColumns maps header spellings to the field they fill.
var csvColumns = map[string]string{
	"question": "question", "q": "question",
	"answer": "answer", "a": "answer",
	"topic":      "topic",
	"difficulty": "difficulty", "level": "difficulty",
	"tags": "tags", "tag": "tags",
	"key_points": "key_points", "keypoints": "key_points", "rubric": "key_points",
	"id": "id",
}

func parseCSV(doc *Document, text string, tab bool) error {
	r := csv.NewReader(strings.NewReader(text))
	r.FieldsPerRecord = -1 // short rows are common in hand-edited sheets; validate per row instead
	r.Comma = csvDelimiter(text, tab)
	header, err := r.Read()
	if err != nil {
		return csvSyntaxError(err)
	}
	col := map[string]int{}
	for i, h := range header {
		key := strings.ToLower(strings.TrimSpace(h))
		key = strings.NewReplacer(" ", "_", "-", "_").Replace(key)
		if field, ok := csvColumns[key]; ok {
			if _, dup := col[field]; !dup {
				col[field] = i
			}
		}
	}
	var missing []string
	for _, need := range []string{"question", "answer"} {
		if _, ok := col[need]; !ok {
			missing = append(missing, need)
		}
	}
	if len(missing) > 0 {
		return fmt.Errorf("%w: %s (header is %q)", ErrColumns, strings.Join(missing, ", "), strings.Join(header, string(r.Comma)))
	}
	seen := map[string]string{}
	for row := 2; ; row++ {
		rec, err := r.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			return csvSyntaxError(err)
		}
		if blankRecord(rec) {
			continue
		}
		cell := func(field string) string {
			if i, ok := col[field]; ok && i < len(rec) {
				return rec[i]
			}
			return ""
		}
		f := map[string]any{}
		for field := range col {
			f[field] = cell(field)
		}
		loc := fmt.Sprintf("row %d", row)
		d, reason := bankDraft(f, loc)
		if reason == "" && d.ID != "" {
			if first, dup := seen[d.ID]; dup {
				reason = fmt.Sprintf("duplicate id %q (first at %s)", d.ID, first)
			} else {
				seen[d.ID] = loc
			}
		}
		if reason != "" {
			doc.Skipped = append(doc.Skipped, Skipped{Location: loc, Reason: reason, Excerpt: draftExcerpt(d)})
			continue
		}
		doc.Drafts = append(doc.Drafts, d)
	}
	return nil
}

// csvDelimiter picks the separator from the header line: spreadsheets in many locales export
// with ";" and some tools with tabs.
func csvDelimiter(text string, tab bool) rune {
	if tab {
		return '\t'
	}
	header, _, _ := strings.Cut(text, "\n")
	counts := map[rune]int{',': strings.Count(header, ","), ';': strings.Count(header, ";"), '\t': strings.Count(header, "\t")}
	best := ','
	for _, c := range []rune{';', '\t'} {
		if counts[c] > counts[best] {
			best = c
		}
	}
	return best
}

func csvSyntaxError(err error) error {
	var pe *csv.ParseError
	if errors.As(err, &pe) {
		return &SyntaxError{Format: "csv", Line: pe.Line, Msg: pe.Err.Error()}
	}
	return &SyntaxError{Format: "csv", Msg: err.Error()}
}

func blankRecord(rec []string) bool {
	for _, c := range rec {
		if strings.TrimSpace(c) != "" {
			return false
		}
	}
	return true
}
